// Times and order of tasks on the staff phone pages. The server writes every
// time as RFC 3339 in the project's offset ("2026-05-13T08:00:00+08:00"); the
// wall-clock digits are shown as they come (the site's time, whatever zone
// the phone is set to), and compared as instants.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?/

// A Date as RFC 3339 in the phone's own offset (the server accepts any).
export function rfc3339(d) {
  const pad = (n) => String(Math.abs(n)).padStart(2, '0')
  const off = -d.getTimezoneOffset()
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${off >= 0 ? '+' : '-'}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`
  )
}

export function epoch(s) {
  const v = s ? Date.parse(s) : NaN
  return Number.isFinite(v) ? v : null
}

// The wall clock of a time and its offset in minutes (the phone's own when
// the string has none).
function wall(s) {
  const m = typeof s === 'string' && RFC3339.exec(s)
  if (!m) return null
  let off = null
  if (m[6] === 'Z') off = 0
  else if (m[6]) off = (m[6][0] === '-' ? -1 : 1) * (Number(m[6].slice(1, 3)) * 60 + Number(m[6].slice(4, 6)))
  return { y: +m[1], m: +m[2], d: +m[3], hm: `${m[4]}:${m[5]}`, off }
}

// Days since the epoch of the calendar date `ms` falls on at offset `off`.
function dayNo(ms, off) {
  const o = off === null ? -new Date(ms).getTimezoneOffset() : off
  return Math.floor((ms + o * 60000) / 86400000)
}

// "今天 08:00" / "明天 08:00" / "昨天 08:00" / "5月13日 08:00": today as it is
// at the site (the time's own offset), not in the phone's zone.
export function when(t, s, now = new Date()) {
  const w = wall(s)
  if (!w) return ''
  const diff = Math.round(Date.UTC(w.y, w.m - 1, w.d) / 86400000) - dayNo(now.getTime(), w.off)
  if (diff === 0) return t('workspace.time.today', { hm: w.hm })
  if (diff === 1) return t('workspace.time.tomorrow', { hm: w.hm })
  if (diff === -1) return t('workspace.time.yesterday', { hm: w.hm })
  return t('workspace.time.md', { m: w.m, d: w.d, hm: w.hm })
}

// "08:00": the wall clock of a time as the server wrote it (the site's), '' for none.
export function hm(s) {
  const w = wall(s)
  return w ? w.hm : ''
}

// A task's window: "今天 08:00 – 18:00", or both ends with their day.
export function windowText(t, starts, due, now = new Date()) {
  const a = wall(starts)
  const b = wall(due)
  if (!a || !b) return ''
  if (a.y === b.y && a.m === b.m && a.d === b.d) return `${when(t, starts, now)} – ${b.hm}`
  return `${when(t, starts, now)} – ${when(t, due, now)}`
}

export const OPEN_STATES = ['scheduled', 'in_progress', 'missed']

export function isOpen(task) {
  return !!task && OPEN_STATES.includes(task.state)
}

// Past its due time and not finished (a missed task may still be done, late).
export function isOverdue(task, now = Date.now()) {
  return isOpen(task) && epoch(task.due_at) !== null && epoch(task.due_at) < now
}

export function stateType(state) {
  return { scheduled: 'default', in_progress: 'primary', done: 'success', late: 'warning', missed: 'danger', skipped: 'default' }[state] || 'default'
}

// 我的任务's order: overdue first, then the open ones by due time, then the
// finished ones.
export function taskOrder(a, b, now = Date.now()) {
  const rank = (x) => (isOverdue(x, now) ? 0 : isOpen(x) ? 1 : 2)
  return rank(a) - rank(b) || (epoch(a.due_at) ?? 0) - (epoch(b.due_at) ?? 0) || a.id - b.id
}

// The server's own words for a refused input are precise and in Chinese
// ("异常须填写问题描述（note）"); other failures get the generic text.
export function apiMessage(t, te, errorText, err) {
  if (err && [422, 409, 403].includes(err.status) && err.message) return err.message
  return errorText(t, te, err)
}
