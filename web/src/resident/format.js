// Words for tickets on the phone pages: times in the project's own zone and
// the SLA promises ("承诺 11月25日 18:00 前修复").
//
// The server writes every time as RFC 3339 in the project's offset
// ("2026-11-25T18:00:00+08:00"). A resident reads the wall-clock time of the
// community, whatever zone the phone is set to, so the digits are shown as
// they come rather than converted through the browser's zone.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

export function wallClock(s) {
  const m = typeof s === 'string' && RFC3339.exec(s)
  if (!m) return null
  return { y: +m[1], m: +m[2], d: +m[3], hm: `${m[4]}:${m[5]}` }
}

// "11月25日 18:00" (the year only when it is not this year).
export function formatTime(t, s, now = new Date()) {
  const w = wallClock(s)
  if (!w) return ''
  const args = { y: w.y, m: w.m, d: w.d, mon: MONTHS[w.m - 1], hm: w.hm }
  return t(w.y === now.getFullYear() ? 'portal.time.md' : 'portal.time.ymd', args)
}

export function epoch(s) {
  const v = s ? Date.parse(s) : NaN
  return Number.isFinite(v) ? v : null
}

// The verb of a milestone for this kind of ticket: a repair is "修复", a
// complaint gets "给出处理结果".
export function milestoneVerb(t, te, milestone, kind, table = 'verbs') {
  const specific = `portal.${table}.${milestone}_${kind}`
  if (te(specific)) return t(specific)
  const key = `portal.${table}.${milestone}`
  return te(key) ? t(key) : milestone
}

// One line per SLA milestone of a ticket.
export function promiseLine(t, te, row, kind, now = Date.now()) {
  const verb = milestoneVerb(t, te, row.milestone, kind)
  const due = formatTime(t, row.due_at)
  if (row.met_at) {
    const late = row.due_at != null && epoch(row.met_at) > epoch(row.due_at)
    const done = milestoneVerb(t, te, row.milestone, kind, 'verbsDone')
    return { state: late ? 'late' : 'met', text: t(late ? 'portal.promise.metLate' : 'portal.promise.met', { time: formatTime(t, row.met_at), done }) }
  }
  if (row.state === 'unplanned') return { state: 'pending', text: t('portal.promise.unplanned', { verb }) }
  if (row.state === 'paused') return { state: 'paused', text: t('portal.promise.paused', { time: due, verb }) }
  const breached = row.state === 'breached' || (epoch(row.due_at) !== null && epoch(row.due_at) < now)
  return { state: breached ? 'breached' : 'pending', text: t(breached ? 'portal.promise.breached' : 'portal.promise.pending', { time: due, verb }) }
}

// The promise a resident cares about most: the resolve milestone while it is
// open, else the next open one.
export function headlinePromise(t, te, ticket) {
  const rows = Array.isArray(ticket.sla) ? ticket.sla : []
  if (!rows.length) return null
  const open = rows.filter((r) => !r.met_at)
  const pick = open.find((r) => r.milestone === 'resolve') || open[0] || rows.find((r) => r.milestone === 'resolve')
  return pick ? promiseLine(t, te, pick, ticket.kind) : null
}

export const OPEN_STATUSES = ['new', 'accepted', 'assigned', 'in_progress', 'on_hold']

export function isOpen(status) {
  return OPEN_STATUSES.includes(status)
}

export function statusType(status) {
  switch (status) {
    case 'new':
      return 'warning'
    case 'resolved':
      return 'success'
    case 'closed':
      return 'default'
    case 'cancelled':
      return 'default'
    case 'on_hold':
      return 'danger'
    default:
      return 'primary'
  }
}

// A resident may dispute a resolution for 7 days (the server enforces it too).
export const DISPUTE_MS = 7 * 86400 * 1000

export function disputeDeadline(ticket) {
  const r = epoch(ticket.resolved_at)
  return r === null ? null : r + DISPUTE_MS
}

// The server's own words for a refused input are precise and in Chinese
// ("楼层须在 1 到 12 之间"); other failures get the generic text.
export function apiMessage(t, te, errorText, err, overrides) {
  if (err && (err.status === 422 || err.status === 409 || err.status === 403) && err.message) {
    return err.message
  }
  return errorText(t, te, err, overrides)
}
