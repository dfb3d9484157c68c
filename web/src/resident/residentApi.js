// Every API call of the resident phone pages (/m/), in one place (the login
// calls are session.js's, through sessionApi.js).
import { api, API_BASE } from '../api.js'
import { shrinkPhoto } from '../photos.js'

export const MAX_PHOTOS = 9 // TICKET_MAX_PHOTOS on the server

let categoriesCache = null
export function loadCategories() {
  if (!categoriesCache) {
    categoriesCache = api.get('/categories').then(
      (r) => (r && Array.isArray(r.items) ? r.items : []),
      (e) => {
        categoriesCache = null
        throw e
      },
    )
  }
  return categoriesCache
}

export function listTickets(query) {
  return api.get('/tickets', { query })
}

export function getTicket(id) {
  return api.get(`/tickets/${encodeURIComponent(id)}`)
}

export function createTicket(body) {
  return api.post('/tickets', body)
}

export function act(id, action, body) {
  return api.post(`/tickets/${encodeURIComponent(id)}/actions/${action}`, body || {})
}

export function fileUrl(id) {
  return `${API_BASE}/files/${encodeURIComponent(id)}`
}

export async function uploadPhoto(file, projectId) {
  const body = new FormData()
  body.append('file', await shrinkPhoto(file))
  if (projectId) body.append('project_id', String(projectId))
  return api.post('/files', body, { timeout: 60000 })
}

// 访客预约: POST /me/visitors {room_id, name, expected_at, plate?, phone?} → the visit with
// its 6-digit pass code; GET /me/visitors → {items} (codes while unused).
export function preregisterVisitor(body) {
  return api.post('/me/visitors', body)
}
export function listMyVisitors() {
  return api.get('/me/visitors')
}

// 满意度调查: GET /me/surveys → {items}: one per (open survey, unanswered room of mine),
// each the survey with room_id and room; POST /surveys/{id}/responses
// {room_id, answers: {q1: 1–5, …}, comments: {q9: "…"}} → 201 (no answer id comes back).
export function listMySurveys() {
  return api.get('/me/surveys')
}
export function answerSurvey(id, body) {
  return api.post(`/surveys/${encodeURIComponent(id)}/responses`, body)
}

// 我的反馈: GET /public/projects/{code}/improvements (no login needed; the code from
// GET /me's projects) → {project_code, project_name, survey|null, improvements}: the
// latest closed survey's scores and the project's public plans, nobody named.
export function getProjectImprovements(code) {
  return api.get(`/public/projects/${encodeURIComponent(code)}/improvements`)
}
