// The API calls of what every console screen shares: the names behind ids
// (lookup.js), the category tree and the live stream's URL (stream.js).
import { api, API_BASE } from '../../api.js'

export function listStaff(query) {
  return api.get('/staff', { query })
}

export function getStaff(id) {
  return api.get(`/staff/${id}`)
}

export function getRoom(id) {
  return api.get(`/rooms/${id}`)
}

export function getResident(id) {
  return api.get(`/residents/${id}`)
}

export function listCategories() {
  return api.get('/categories')
}

// GET /stream (server-sent events), for an EventSource.
export function streamUrl() {
  return `${API_BASE}/stream`
}
