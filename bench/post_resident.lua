-- bench/post_resident.lua: wrk script; each request registers a new resident
-- with a unique phone in the room given by ROOM.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  room = args[1]
  token = args[2]
end

function request()
  counter = counter + 1
  local phone = string.format("19%d%08d", tid, counter)
  local body = string.format('{"name":"压测住户","phone":"%s","kind":"tenant","room_ids":[%s],"tags":["elderly"]}', phone, room)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
