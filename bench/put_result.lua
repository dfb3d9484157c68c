-- bench/put_result.lua: wrk script; each request records the result of item "a" of one of
-- N tasks (ids FIRST..FIRST+N-1), rotating, as technicians answering checklists would.
local counter = 0

function init(args)
  first = tonumber(args[1])
  n = tonumber(args[2])
  token = args[3]
end

function request()
  counter = counter + 1
  local id = first + (counter % n)
  local body = string.format('{"ok":true,"value":%d}', counter)
  return wrk.format("PUT", "/api/v1/tasks/" .. id .. "/results/a",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
