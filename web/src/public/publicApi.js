// The API calls of the public pages (no login), one function each.
import { api } from '../api.js'

// GET /public/projects/{code}/disclosure → the disclosure board's figures.
export function getDisclosure(code) {
  return api.get(`/public/projects/${encodeURIComponent(code)}/disclosure`)
}

// GET /public/projects/{code}/standards → {service_level, items}: the standards it keeps.
export function getStandards(code) {
  return api.get(`/public/projects/${encodeURIComponent(code)}/standards`)
}

// GET /public/projects/{code}/improvements → {project_code, project_name, survey|null,
// improvements}: the latest closed survey's scores and the public plans, nobody named.
export function getImprovements(code) {
  return api.get(`/public/projects/${encodeURIComponent(code)}/improvements`)
}

// GET /q/e/{token} → what an equipment label shows (more for staff of the project).
export function getEquipmentLabel(token) {
  return api.get(`/q/e/${encodeURIComponent(token)}`)
}

// POST /q/e/{token}/code → 204: an SMS code proving an anonymous reporter's phone.
export function sendReportCode(token, phone) {
  return api.post(`/q/e/${encodeURIComponent(token)}/code`, { phone })
}

// POST /q/e/{token}/report → 201 {id, no, status, priority, …}: the repair ticket.
export function reportFault(token, body) {
  return api.post(`/q/e/${encodeURIComponent(token)}/report`, body)
}
