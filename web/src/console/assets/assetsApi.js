// Every API call of the equipment book's console screens, one function each.
import { api, API_BASE } from '../../api.js'

export function listEquipment(query) {
  return api.get('/equipment', { query })
}
export function getEquipment(id) {
  return api.get(`/equipment/${id}`)
}
export function createEquipment(body) {
  return api.post('/equipment', body)
}
export function updateEquipment(id, body) {
  return api.patch(`/equipment/${id}`, body)
}
// → {items:[{type:"task"|"ticket"|"downtime",id,at,…}], next_before}
export function equipmentHistory(id, query) {
  return api.get(`/equipment/${id}/history`, { query })
}
export function startDowntime(id, body) {
  return api.post(`/equipment/${id}/downtime`, body)
}
export function restoreEquipment(id) {
  return api.post(`/equipment/${id}/actions/restore`, {})
}
// → {classes:[{class,units,downtime_hours,intact_rate,pm_due,pm_on_time,pm_missed}], total, yoy}
export function equipmentStats(query) {
  return api.get('/stats/equipment', { query })
}
// The labels PDF opens in a new tab (the session cookie goes along).
export function labelsUrl(projectId, ids) {
  const q = new URLSearchParams({ project_id: String(projectId) })
  if (ids && ids.length) q.set('ids', ids.join(','))
  return `${API_BASE}/equipment/labels.pdf?${q}`
}
// The list's filters as the import's sheet → {blob, filename}.
export function exportEquipment(query) {
  return api.get('/equipment.xlsx', { query, blob: true, timeout: 120000 })
}
export function listBuildings(projectId) {
  return api.get(`/projects/${projectId}/buildings`, { query: { limit: 200 } })
}
export function listPlansOf(projectId) {
  return api.get('/plans', { query: { project_id: projectId, kind: 'pm', limit: 200 } })
}
export function nextTasks(equipmentId) {
  return api.get('/tasks', { query: { equipment_id: equipmentId, state: 'scheduled,in_progress', limit: 3 } })
}
