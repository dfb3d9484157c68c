// Every API call of the console's scheduled-work screens (维保计划, 任务), one
// function each; the screens never name a URL. Lists take the API's query and
// answer {items, next_cursor}; the rest answer the plan or the task as it is now.
import { api, API_BASE } from '../../api.js'

// ---- plans ----
export function listPlans(query) {
  return api.get('/plans', { query })
}

export function getPlan(id) {
  return api.get(`/plans/${id}`)
}

export function createPlan(body) {
  return api.post('/plans', body)
}

// Only the fields sent change; a change to what tasks are made from replaces
// the plan's future unstarted tasks.
export function updatePlan(id, body) {
  return api.patch(`/plans/${id}`, body)
}

// ---- tasks ----
// GET /tasks → ordered by due time; state may list several ("scheduled,in_progress").
export function listTasks(query) {
  return api.get('/tasks', { query })
}

// GET /tasks/{id} → the task with items:[{key,label,type,min,max,required,result}].
export function getTask(id) {
  return api.get(`/tasks/${id}`)
}

export function skipTask(id, reason) {
  return api.post(`/tasks/${id}/actions/skip`, { reason })
}

// 复检结果 of an abnormal item, after the task is done.
export function recheckResult(id, key, body) {
  return api.post(`/tasks/${id}/results/${encodeURIComponent(key)}/recheck`, body)
}

// ---- what a plan names ----
export function listStaff(query) {
  return api.get('/staff', { query })
}

// The URL of an uploaded photo, for <img src> (the cookie session authorizes it).
export function fileUrl(id) {
  return `${API_BASE}/files/${encodeURIComponent(id)}`
}

// ---- PM templates (维保模板): the plans each class of equipment ships ----
// GET /equipment/pm-templates?project_id= → {items:[{key,class,title,title_en,rrule,checklist,units}]}
export function listTemplates(query) {
  return api.get('/equipment/pm-templates', { query })
}

// → the plan it made (as GET /plans/{id})
export function applyTemplate(key, body) {
  return api.post(`/equipment/pm-templates/${encodeURIComponent(key)}/apply`, body)
}

// ---- 保洁: a week's rounds per plan ----
// GET /stats/tasks?project_id=&kind=&week_of= → {from, to, plans:[{plan_id,title,area,
// planned,done,late,missed,skipped,open,completion,on_time}], totals}; from is the
// Monday, to the next Monday (the project's days).
export function taskStats(query) {
  return api.get('/stats/tasks', { query })
}
