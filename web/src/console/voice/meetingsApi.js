// Every API call of the console's 座谈会 and 神秘客 screens, one function each; the screens
// never name a URL.
import { api } from '../../api.js'

// query {project_id, limit, cursor} → {items:[meeting], next_cursor}
export function listMeetings(query) {
  return api.get('/meetings', { query })
}
export function getMeeting(id) {
  return api.get(`/meetings/${id}`)
}
// {project_id, held_at, title[, place, attendees, attendee_note, summary, topics:[text]]}
export function createMeeting(body) {
  return api.post('/meetings', body)
}
// action: ticket ({kind, category} optional) | plan ({category} optional) → the meeting
export function topicAction(id, seq, action, body = {}) {
  return api.post(`/meetings/${id}/topics/${seq}/actions/${action}`, body)
}

// query {project_id, limit, cursor} → {items:[visit], next_cursor}
export function listVisits(query) {
  return api.get('/mystery-visits', { query })
}
export function getVisit(id) {
  return api.get(`/mystery-visits/${id}`)
}
// {project_id, visited_at, agency, scenario, scores:{item: 0–100}[, findings]}
export function createVisit(body) {
  return api.post('/mystery-visits', body)
}
// its findings become an improvement plan → the visit with improvement_id
export function visitPlan(id) {
  return api.post(`/mystery-visits/${id}/actions/plan`, {})
}

// The lists page by id, oldest first: the screens read every page (meetings and visits are a
// few a quarter per project) and show the latest first.
export async function allPages(list, projectId, maxPages = 20) {
  let out = []
  let cursor
  for (let i = 0; i < maxPages; i++) {
    const r = await list({ project_id: projectId || undefined, limit: 100, cursor })
    out = out.concat(r.items || [])
    cursor = r.next_cursor
    if (!cursor) break
  }
  return out
}
export function byTime(items, key) {
  return items.slice().sort((a, b) => (Date.parse(b[key]) || 0) - (Date.parse(a[key]) || 0) || b.id - a.id)
}
