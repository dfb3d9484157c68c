-- bench/post_ticket.lua: wrk script; each request files a repair (报修) for
-- the room given by ROOM, with a title and description that feed the search.
local counter = 0
local titles = {"厨房水管漏水", "卫生间下水道堵塞", "客厅灯不亮", "入户门锁坏了", "空调外机噪音大"}

function init(args)
  project = args[1]
  room = args[2]
  token = args[3]
end

function request()
  counter = counter + 1
  local title = titles[(counter % #titles) + 1]
  local body = string.format('{"project_id":%s,"kind":"repair","priority":"normal","category":"水电/漏水",' ..
    '"title":"%s","description":"住户来电反映%s，第%d次，请尽快安排师傅上门查看。","room_id":%s,"channel":"phone"}',
    project, title, title, counter, room)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
