// Every API call of the staff phone pages (/w/), in one place (the login is
// session.js's, through sessionApi.js).
import { api, API_BASE } from '../api.js'
import { shrinkPhoto } from '../photos.js'

export const MAX_PHOTOS = 9 // TASK_MAX_PHOTOS on the server

// GET /tasks?mine=1&… → {items, next_cursor}, by due time.
export function listMyTasks(query) {
  return api.get('/tasks', { query: { mine: 1, ...query } })
}

// GET /tasks/{id} → the task with items:[{key,label,type,min,max,required,result}].
export function getTask(id) {
  return api.get(`/tasks/${encodeURIComponent(id)}`)
}

export function startTask(id) {
  return api.post(`/tasks/${encodeURIComponent(id)}/actions/start`)
}

// Finishing opens a ticket for each abnormal result (its result.ticket_id).
// 422 with the key of a required item left unanswered as the field; 409 twice.
export function finishTask(id) {
  return api.post(`/tasks/${encodeURIComponent(id)}/actions/finish`)
}

// PUT one item's answer {ok, value, note, measure, photos} → the task as it is now.
export function putResult(id, key, body) {
  return api.put(`/tasks/${encodeURIComponent(id)}/results/${encodeURIComponent(key)}`, body)
}

// GET /q/e/{token} → {equipment_id, name, location, equipment, open_task: null|{id,title,state,due_at}}
// for staff of its project: what a label on a piece of equipment opens.
export function lookupEquipment(token) {
  return api.get(`/q/e/${encodeURIComponent(token)}`)
}

// GET /checkpoints/{token} → {checkpoint:{id,name,place,key_area,…}, open_round:
// null|{id,project_id,title,state,starts_at,due_at}}: what a patrol checkpoint's QR opens.
export function lookupCheckpoint(token) {
  return api.get(`/checkpoints/${encodeURIComponent(token)}`)
}

// POST /tasks/{id}/checkins {token, lat?, lng?, photos?, note?} → the scan
// {id, checkpoint_id, scanned_at, distance_m, far, flags, finished}. Never
// refused for where or when: such scans come back flagged.
export function checkIn(taskId, body) {
  return api.post(`/tasks/${encodeURIComponent(taskId)}/checkins`, body)
}

// GET /tasks/{id}/checkins → {items: the round's scans in order}.
export function listCheckins(taskId) {
  return api.get(`/tasks/${encodeURIComponent(taskId)}/checkins`)
}

// GET /categories → the ticket category tree (top level with children).
export function listCategories() {
  return api.get('/categories')
}

// A guard's report from a checkpoint: POST /tickets, channel patrol, the place in the
// description (the ticket desk dispatches it like any other).
export function reportFromCheckpoint({ projectId, checkpoint, category, text, photos }) {
  const place = checkpoint.place ? `${checkpoint.name}（${checkpoint.place}）` : checkpoint.name
  return api.post('/tickets', {
    project_id: projectId,
    kind: 'repair',
    priority: 'normal',
    category,
    title: `【巡更上报】${checkpoint.name}：${text.slice(0, 40)}`,
    description: `${text}\n位置：${place}`,
    channel: 'patrol',
    photos,
  })
}

// 访客 at the gate. GET /visitors?project_id= → {day, items, summary}.
export function listVisitors(projectId) {
  return api.get('/visitors', { query: { project_id: projectId } })
}
export function registerVisitor(body) {
  return api.post('/visitors', body)
}
export function arriveByCode(projectId, code) {
  return api.post('/visitors/actions/arrive', { project_id: projectId, code })
}
export function leaveVisitor(id) {
  return api.post(`/visitors/${encodeURIComponent(id)}/actions/leave`, {})
}

// GET /standards → {items:[{id, department, code, item, requirement, method, weight,
// levels, active, version}]}: the catalogue, read once per page load (it changes
// rarely) as id → standard; a failed read is tried again next time.
let standardsOnce = null
export function standardsById() {
  if (!standardsOnce) {
    standardsOnce = api
      .get('/standards')
      .then((r) => Object.fromEntries((r.items || []).map((x) => [x.id, x])))
      .catch((e) => {
        standardsOnce = null
        throw e
      })
  }
  return standardsOnce
}

// 整改单. GET /rectifications?state=&department=&overdue=&limit= → {items, next_cursor}:
// the caller's projects only; one state per read.
export function listRectifications(query) {
  return api.get('/rectifications', { query: { limit: 200, ...query } })
}
export function getRectification(id) {
  return api.get(`/rectifications/${encodeURIComponent(id)}`)
}
// submit {note, photos}: open → submitted (staff of the project).
export function submitRectification(id, body) {
  return api.post(`/rectifications/${encodeURIComponent(id)}/actions/submit`, body)
}
// recheck {passed, note, due_at}: submitted → passed, or back to open with a new due
// (required when failed). Admin, manager, quality — 403 for the one who submitted it.
export function recheckRectification(id, body) {
  return api.post(`/rectifications/${encodeURIComponent(id)}/actions/recheck`, body)
}

export function getTicket(id) {
  return api.get(`/tickets/${encodeURIComponent(id)}`)
}

export function fileUrl(id) {
  return `${API_BASE}/files/${encodeURIComponent(id)}`
}

// POST /files (multipart, field "file") → {id, …}.
export async function uploadPhoto(file, projectId) {
  const body = new FormData()
  body.append('file', await shrinkPhoto(file))
  if (projectId) body.append('project_id', String(projectId))
  return api.post('/files', body, { timeout: 60000 })
}
