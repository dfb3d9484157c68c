// 改进计划 (PDCA) vocabulary and rules the console mirrors from the server
// (src/domain/voice/improvement.c). The server stays the judge: these only decide which
// buttons to show, so a stale rule costs a 403/409 message, never a wrong write.

export const STATES = ['draft', 'analysed', 'approved', 'checking', 'effective', 'not_effective', 'cancelled']
export const OPEN_STATES = ['draft', 'analysed', 'approved', 'checking']
export const SOURCES = ['survey', 'complaints', 'inspection', 'mystery', 'meeting', 'manual']
export const METRIC_KINDS = ['survey_dimension', 'complaint_category', 'kpi']

export const STATE_TAG = {
  draft: 'info',
  analysed: 'warning',
  approved: 'primary',
  checking: 'warning',
  effective: 'success',
  not_effective: 'danger',
  cancelled: 'info',
}
export const STATE_COLOR = {
  draft: '#909399',
  analysed: '#e6a23c',
  approved: '#409eff',
  checking: '#b37feb',
  effective: '#67c23a',
  not_effective: '#f56c6c',
  cancelled: '#c0c4cc',
}

const WRITERS = ['admin', 'manager', 'quality']
const BOSSES = ['admin', 'manager']

export const isWriter = (user) => !!user && WRITERS.includes(user.role)

// Past its due time and not yet closed.
export function overdue(plan, nowMs = Date.now()) {
  const due = plan && plan.due_at ? Date.parse(plan.due_at) : NaN
  return OPEN_STATES.includes(plan.state) && !Number.isNaN(due) && due < nowMs
}

// Higher is better for a survey score; fewer complaints; a KPI by where its target lies.
export function higherIsBetter(plan) {
  const m = plan.metric || {}
  if (m.kind === 'survey_dimension') return true
  if (m.kind === 'complaint_category') return false
  return m.baseline === null || m.baseline === undefined || m.target >= m.baseline
}

// The actions to offer on a plan to this user, in workflow order.
export function allowedActions(plan, user) {
  if (!plan || !user) return []
  const s = plan.state
  const writer = isWriter(user)
  const boss = BOSSES.includes(user.role)
  const measures = plan.measures || []
  const owner = measures.some((m) => m.owner_id === user.id)
  const out = []
  if (s === 'draft' && writer) out.push('analyse')
  if (s === 'analysed' && boss) {
    // never by who raised or analysed it
    if (plan.created_by !== user.id && plan.analysed_by !== user.id) out.push('approve')
    out.push('reject')
  }
  if ((s === 'approved' || s === 'checking') && (writer || owner)) out.push('progress')
  if ((s === 'approved' || s === 'checking') && writer && measures.every((m) => m.done)) out.push('check')
  if (OPEN_STATES.includes(s) && writer) out.push('cancel')
  return out
}

// A metric value as shown (up to one decimal).
export function fmtValue(v) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—'
  const n = Number(v)
  return Number.isInteger(n) ? String(n) : n.toFixed(1)
}
