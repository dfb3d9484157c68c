-- bench/answer.lua: wrk script; each request answers the survey through one invitation
-- link, never the same twice: thread k uses links sv<k*PER + 1>, sv<k*PER + 2>, … (the
-- seeded tokens), as residents opening their SMS links would.
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

function init(args)
  per = tonumber(args[1])
  counter = 0
end

function request()
  counter = counter + 1
  local body = '{"answers":{"q1":5,"q2":4,"q3":4,"q4":5,"q5":4,"q6":3,"q7":4,"q8":5},"comments":{"q9":"希望增加夜间巡逻"}}'
  return wrk.format("POST", "/api/v1/public/surveys/sv" .. (tid * per + counter) .. "/responses",
    {["Content-Type"] = "application/json"}, body)
end
