-- bench/plan_get.lua: wrk script; each request opens one improvement plan's page
-- (GET /api/v1/improvements/{id}) drawn evenly from 1..N, as managers clicking through
-- the kanban would.
function init(args)
  n = tonumber(args[1])
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
end

function request()
  return wrk.format("GET", "/api/v1/improvements/" .. math.random(1, n))
end
