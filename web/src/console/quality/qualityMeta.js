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
