// Every API call of the console's 满意度 screens, one function each; the screens never name a URL.
import { API_BASE, api } from '../../api.js'

// query {project_id, state, limit, cursor} → {items:[survey], next_cursor}
export function listSurveys(query) {
  return api.get('/surveys', { query })
}
export function getSurvey(id) {
  return api.get(`/surveys/${id}`)
}
// {project_id, title, period, opens_at, closes_at[, dimensions, questions]}: without the
// lists the server fills in its seeds (8 dimensions, q1–q8 scale, q9 open)
export function createSurvey(body) {
  return api.post('/surveys', body)
}
// the questionnaire and opens_at only while a draft; title, period, closes_at until closed
export function updateSurvey(id, body) {
  return api.patch(`/surveys/${id}`, body)
}
// action: open (invites every occupied room) | close
export function surveyAction(id, action) {
  return api.post(`/surveys/${id}/actions/${action}`, {})
}
// → {invited, responses, response_rate, margin_of_error, score, previous_survey_id,
//    dimensions:[{key,label,n,score,satisfied_rate,margin,previous_score,change}],
//    coverage:[{building_id,building,invited,responses,under_sampled}], comments:[{question,label,dimension,text}]}
export function surveyResults(id) {
  return api.get(`/surveys/${id}/results`)
}
// → {items:[{room_id,building_id,room,token,path,answered}]}
// The A4 QR poster opens in a new tab (the session cookie goes along).
export function surveyPosterUrl(id) {
  return `${API_BASE}/surveys/${id}/poster.pdf`
}
// The results and every answer as .xlsx → {blob, filename, rows}.
export function exportSurvey(id) {
  return api.get(`/surveys/${id}/results.xlsx`, { blob: true, timeout: 120000 })
}
export function surveyLinks(id) {
  return api.get(`/surveys/${id}/links`)
}

// 改进计划 (PDCA). query {project_id, state, source, limit, cursor} → {items:[plan], next_cursor}
export function listImprovements(query) {
  return api.get('/improvements', { query })
}
export function getImprovement(id) {
  return api.get(`/improvements/${id}`)
}
// {project_id, source, source_ref?, title, problem, metric:{kind,key,baseline?,target}, due_at, public}
export function createImprovement(body) {
  return api.post('/improvements', body)
}
// action: analyse {cause, measures} | approve | reject {note} | progress {measure, note, done}
//         | check {value?} | cancel {reason}
export function improvementAction(id, action, body = {}) {
  return api.post(`/improvements/${id}/actions/${action}`, body)
}
// → {project_id, month, categories:[{category,count,previous_average,share,cumulative_share,vital,grew,proposed,plan_id}]}
export function complaintHotspots(query) {
  return api.get('/stats/complaint-hotspots', { query })
}
// the project's active staff, for the measures' owners
export function listProjectStaff(projectId) {
  return api.get('/staff', { query: { project_id: projectId, active: 1, limit: 200 } })
}
