// Every API call of the console's quality screens (服务标准, 整改), one function
// each; the screens never name a URL.
import { api } from '../../api.js'

// ---- standards ----
// query {department, level, active, q} → {items:[{id,department,code,item,requirement,method,weight,levels,active,version}]}
export function listStandards(query) {
  return api.get('/standards', { query })
}
export function createStandard(body) {
  return api.post('/standards', body)
}
// any of the fields, or {active}; a change of content is a new version
export function updateStandard(id, body) {
  return api.patch(`/standards/${id}`, body)
}

// ---- rectifications ----
// query {project_id, state, department, overdue, limit, cursor} → {items, next_cursor}
export function listRectifications(query) {
  return api.get('/rectifications', { query })
}
export function createRectification(body) {
  return api.post('/rectifications', body)
}
// action: submit {note} | recheck {passed, note, due_at} | cancel {reason}
export function rectificationAction(id, action, body) {
  return api.post(`/rectifications/${id}/actions/${action}`, body)
}

// The project's active staff, for the assignee picker → {items:[{id,name,role,department,…}]}
export function listProjectStaff(projectId) {
  return api.get('/staff', { query: { project_id: projectId, active: 1, limit: 200 } })
}

// ---- inspections (品质检查): plans and tasks of kind inspection, and the figures ----
// The company's departments → {items:[{id,name,function,active,parent_id}]}
export function listDepartments() {
  return api.get('/departments', { query: { limit: 200 } })
}
// GET /stats/quality?project_id=&month=YYYY-MM → {month, scores:[{department,level,inspections,average_score}],
// rectifications:{raised,open,overdue,passed,passed_first_time}}
export function qualityStats(query) {
  return api.get('/stats/quality', { query })
}
// GET /reports/self-check?project_id=&week_of=YYYY-MM-DD (any day of the week) → {from, to,
// departments:[{department,planned,done,late,missed,open,completion,average_score,findings}]}
export function selfCheckReport(query) {
  return api.get('/reports/self-check', { query })
}
