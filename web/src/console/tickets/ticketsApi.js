// Every API call of the console's work-order screens (queue, detail, actions,
// desk intake), one function each; the screens never name a URL.
import { api, API_BASE, request } from '../../api.js'

// ---- tickets ----
// GET /tickets → {items, next_cursor, total?}; query as the API takes it.
export function listTickets(query) {
  return api.get('/tickets', { query })
}

export function getTicket(id) {
  return api.get(`/tickets/${id}`)
}

export function createTicket(body) {
  return api.post('/tickets', body)
}

// POST /tickets/{id}/actions/{action} → the ticket as it is now.
export function ticketAction(id, action, body) {
  return api.post(`/tickets/${id}/actions/${action}`, body)
}

// The staff a ticket may be assigned to, best first.
export function listCandidates(id) {
  return api.get(`/tickets/${id}/candidates`)
}

// ---- the people and places a ticket names ----
export function listStaff(query) {
  return api.get('/staff', { query })
}

export function listResidents(projectId, query) {
  return api.get(`/projects/${projectId}/residents`, { query })
}

export function listBuildings(projectId, query) {
  return api.get(`/projects/${projectId}/buildings`, { query })
}

export function listRooms(projectId, query) {
  return api.get(`/projects/${projectId}/rooms`, { query })
}

export function getRoom(id) {
  return api.get(`/rooms/${id}`)
}

// ---- photos ----
// The URL of an uploaded file, for <img src> and previews: the cookie
// session authorizes it like any API call.
export function fileUrl(id) {
  return `${API_BASE}/files/${encodeURIComponent(id)}`
}

// POST /files (multipart, field "file") → {id, sha256, mime, size}.
export function uploadFile(file, projectId, options = {}) {
  const fd = new FormData()
  fd.append('file', file)
  if (projectId) fd.append('project_id', String(projectId))
  return request('POST', '/files', fd, { timeout: 60000, ...options })
}
