// Quality vocabulary the console mirrors from the server (src/domain/quality/):
// the six departments (functions), severities, rectification states and who may
// do what. The server stays the judge; these only choose the buttons.

export const DEPTS = ['desk', 'engineering', 'security', 'cleaning', 'greening', 'quality']
export const LEVELS = [1, 2, 3]
export const SEVERITIES = ['minor', 'major', 'critical']
export const SEVERITY_TAG = { minor: 'info', major: 'warning', critical: 'danger' }
// board columns, 已取消 last (collapsed)
export const STATES = ['open', 'submitted', 'passed', 'cancelled']
export const STATE_COLOR = { open: '#e6a23c', submitted: '#409eff', passed: '#67c23a', cancelled: '#909399' }

// Who may edit the standards catalogue.
export function mayEditStandards(user) {
  return ['admin', 'quality'].includes(user?.role)
}
// Who may raise, re-check and cancel rectifications (anyone of the project submits).
export function mayManageRect(user) {
  return ['admin', 'manager', 'quality'].includes(user?.role)
}

// 三级检查: 部门自查, 交叉互检, 管理层巡检 (a plan's level).
export const INSPECTION_LEVELS = ['self', 'cross', 'spot']
export const LEVEL_TAG = { self: 'info', cross: 'warning', spot: 'danger' }
// An inspection's score 0–100: red below 60, orange below 85, green otherwise.
export function scoreTone(score) {
  if (score === null || score === undefined) return ''
  return score < 60 ? 'bad' : score < 85 ? 'warn' : 'good'
}
// The weighted mean of {average_score, inspections} rows, null when none.
export function meanScore(rows) {
  let n = 0
  let sum = 0
  for (const r of rows) {
    n += r.inspections
    sum += r.average_score * r.inspections
  }
  return n ? sum / n : null
}
