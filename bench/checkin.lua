-- bench/checkin.lua: wrk script; each request scans one checkpoint of one round, never the
-- same pair twice: thread k walks rounds FIRST + k*PER .. and the 100 checkpoints of each
-- (tokens bcp1..bcp100), as guards walking their rounds would.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

function init(args)
  first = tonumber(args[1])
  per = tonumber(args[2])
  token = args[3]
  counter = 0
end

function request()
  local round = first + tid * per + math.floor(counter / 100)
  local cp = counter % 100 + 1
  counter = counter + 1
  local body = string.format('{"token":"bcp%d","lat":31.2304,"lng":121.4737}', cp)
  return wrk.format("POST", "/api/v1/tasks/" .. round .. "/checkins",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
