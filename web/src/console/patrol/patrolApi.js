// Every API call of the console's patrol screens (今日巡更, 巡更路线), one function
// each; the screens never name a URL. Rounds are tasks of kind patrol.
import { api, API_BASE } from '../../api.js'

// ---- routes and checkpoints ----
// → {items:[{id,name,active,checkpoints:[{id,seq,name,place,lat,lng,radius_m,key_area,token}]}]}
export function listRoutes(projectId) {
  return api.get('/patrol-routes', { query: { project_id: projectId, limit: 200 } })
}
export function createRoute(body) {
  return api.post('/patrol-routes', body)
}
// checkpoints, when sent, is the whole new list: an entry with its id keeps its token.
export function updateRoute(id, body) {
  return api.patch(`/patrol-routes/${id}`, body)
}
// The QR labels open in a new tab (the session cookie goes along).
export function labelsUrl(routeId) {
  return `${API_BASE}/patrol-routes/${routeId}/labels.pdf`
}

// ---- rounds ----
// GET /patrols/board → {day, totals:{rounds,done,late,missed,open,checkpoints,scanned,flagged},
//   rounds:[{id,plan_id,title,assignee_id,assignee_name,state,starts_at,due_at,last_scan_at,
//            checkpoints,scanned,missed,overdue,flags:{far,speed,device,burst}}]}
export function getBoard(query) {
  return api.get('/patrols/board', { query })
}
// → the round with items (one per checkpoint, key = checkpoint id)
export function getRound(id) {
  return api.get(`/tasks/${id}`)
}
// → {items:[{checkpoint_id, scanned_at, distance_m, far, flags}]}
export function listCheckins(id) {
  return api.get(`/tasks/${id}/checkins`)
}
// → {rounds:{due,done,late,missed,open}, checkpoints:{due,scanned,missed}, flags:{far,speed,device,burst}}
export function patrolStats(query) {
  return api.get('/stats/patrols', { query })
}
// A patrol plan walking a route (its rounds are made at once).
export function createPlan(body) {
  return api.post('/plans', body)
}
