// 整改单 on the staff phone pages: who does what with them, their order and
// their history. The server stays the judge (it answers 403 and 422 with its
// own words); these only choose what is shown.
import { epoch } from './format.js'

// 复检 and the whole project's list: admin, manager and quality (the
// server also refuses the one who submitted the work).
export const INSPECTOR_ROLES = ['admin', 'manager', 'quality']
export const DEPTS = ['desk', 'engineering', 'security', 'cleaning', 'greening', 'quality']

export function mayRecheck(user) {
  return !!user && INSPECTOR_ROLES.includes(user.role)
}

// Who has rectifications to do or to check on the phone: the inspectors, and
// anyone in one of the six departments a finding can go to.
export function hasRectWork(user) {
  return mayRecheck(user) || (!!user && DEPTS.includes(user.department_function))
}

// What the list shows a user: an inspector all of the projects' (the server
// scopes them); anyone else those of their department or given to them.
export function isMine(user, x) {
  if (mayRecheck(user)) return true
  return !!user && (x.assignee_id === user.id || (!!user.department_function && x.department === user.department_function))
}

export function isLive(x) {
  return x.state === 'open' || x.state === 'submitted'
}

export function rectOverdue(x, now = Date.now()) {
  if (typeof x.overdue === 'boolean' && isLive(x)) return x.overdue || (epoch(x.due_at) ?? Infinity) < now
  return isLive(x) && (epoch(x.due_at) ?? Infinity) < now
}

// Overdue first, then by due time, soonest first.
export function rectOrder(a, b, now = Date.now()) {
  const rank = (x) => (rectOverdue(x, now) ? 0 : 1)
  return rank(a) - rank(b) || (epoch(a.due_at) ?? 0) - (epoch(b.due_at) ?? 0) || a.id - b.id
}

// The history the row can tell: raised, the last submission, the last
// re-check (passed, or sent back with a new due), cancelled — by time. The
// server keeps only the latest submission and check on the row.
export function rectHistory(x) {
  const ev = [{ kind: 'raised', at: x.created_at }]
  if (x.submitted_at) ev.push({ kind: 'submitted', at: x.submitted_at, note: x.submit_note, photos: x.submit_photos || [] })
  if (x.checked_at) {
    const passed = x.state === 'passed'
    ev.push({ kind: passed ? 'passed' : 'failed', at: x.checked_at, note: x.check_note })
  }
  if (x.state === 'cancelled') ev.push({ kind: 'cancelled', at: x.updated_at, note: x.cancel_reason })
  return ev.sort((a, b) => (epoch(a.at) ?? 0) - (epoch(b.at) ?? 0))
}

// "YYYY-MM-DDTHH:mm" for an <input type="datetime-local">, `days` from now at 18:00.
export function localInput(days, now = new Date()) {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, 18, 0)
  const pad = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}
