// Every API call of the console's settings (SLA policies, the working-day
// calendar), one function each.
import { api } from '../../api.js'

// ---- SLA policies ----
export function listSlaPolicies() {
  return api.get('/sla-policies')
}

export function createSlaPolicy(body) {
  return api.post('/sla-policies', body)
}

export function updateSlaPolicy(id, body) {
  return api.patch(`/sla-policies/${id}`, body)
}

// The category tree a policy may be limited to.
export function listCategories() {
  return api.get('/categories')
}

// ---- calendars ----
// GET /calendars/{id}?year= → the calendar with that year's days.
export function getCalendar(id, year) {
  return api.get(`/calendars/${id}`, { query: { year } })
}

// PUT /calendars/{id}/days/{date} {kind, name?}: a holiday or a workday.
export function setCalendarDay(id, date, body) {
  return api.put(`/calendars/${id}/days/${date}`, body)
}

// DELETE: the day is as the official schedule says again.
export function dropCalendarDay(id, date) {
  return api.del(`/calendars/${id}/days/${date}`)
}
