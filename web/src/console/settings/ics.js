// A small iCalendar (RFC 5545) reader for holiday calendars, run in the
// browser: the server only imports .ics from its command line
// (`anju calendar import`), so the console reads the file here and sends each
// day with PUT /calendars/{id}/days/{date}. It follows the server's reading
// (src/domain/calendar.c): each VEVENT covers [DTSTART, DTEND) — DTEND is
// exclusive for dates and for midnight — its days are holidays unless the
// SUMMARY says 班 (补班, 上班) or X-APPLE-SPECIAL-DAY is ALTERNATE-WORKDAY,
// and a trailing "(休)" / "（班）" is dropped from the name.

const NAME_MAX = 100 // bytes, CAL_NAME_MAX on the server
const MAX_SPAN_DAYS = 366

// Unfold continuation lines (a line starting with a space or a tab).
function unfold(text) {
  return text.replace(/\r\n/g, '\n').replace(/\r/g, '\n').replace(/\n[ \t]/g, '')
}

function unescape(v) {
  return v.replace(/\\([,;\\nN])/g, (_, c) => (c === 'n' || c === 'N' ? ' ' : c))
}

// "DTSTART;VALUE=DATE:20261001" → { name, params, value }
function parseLine(line) {
  const colon = findColon(line)
  if (colon < 0) return null
  const left = line.slice(0, colon)
  const value = line.slice(colon + 1)
  const [name, ...params] = left.split(';')
  const p = {}
  for (const kv of params) {
    const eq = kv.indexOf('=')
    if (eq > 0) p[kv.slice(0, eq).toUpperCase()] = kv.slice(eq + 1).replace(/^"|"$/g, '')
  }
  return { name: name.toUpperCase(), params: p, value }
}

// The first colon outside a quoted parameter value.
function findColon(line) {
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c === '"') quoted = !quoted
    else if (c === ':' && !quoted) return i
  }
  return -1
}

// A DATE or DATE-TIME value as a UTC-midnight day number, plus whether it is
// exactly midnight (for the exclusive end).
function parseDate(v) {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?Z?)?$/.exec(v.trim())
  if (!m) return null
  const y = +m[1]
  const mo = +m[2]
  const d = +m[3]
  const ms = Date.UTC(y, mo - 1, d)
  const back = new Date(ms)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null
  const midnight = !m[4] || (+m[4] === 0 && +m[5] === 0 && +(m[6] || 0) === 0)
  return { day: Math.round(ms / 86400000), isDate: !m[4], midnight }
}

function durationDays(v) {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?/.exec(v.trim())
  if (!m) return null
  return (+(m[1] || 0)) * 7 + +(m[2] || 0)
}

export function dayString(day) {
  return new Date(day * 86400000).toISOString().slice(0, 10)
}

function stripSuffix(name) {
  return name.trim().replace(/\s*(\([^()]*\)|（[^（）]*）)$/, '').trim()
}

function clipBytes(s, max) {
  const enc = new TextEncoder()
  if (enc.encode(s).length <= max) return s
  let out = ''
  for (const ch of s) {
    if (enc.encode(out + ch).length > max) break
    out += ch
  }
  return out
}

// Returns [{ date: 'YYYY-MM-DD', kind: 'holiday'|'workday', name }], one per
// day, later events winning over earlier ones for the same day; throws an
// Error with a readable message when the text is not iCalendar.
export function parseIcs(text) {
  const lines = unfold(String(text || '')).split('\n')
  if (!lines.some((l) => l.trim().toUpperCase() === 'BEGIN:VCALENDAR' || l.trim().toUpperCase() === 'BEGIN:VEVENT')) {
    throw new Error('not an iCalendar file (no BEGIN:VCALENDAR)')
  }
  const days = new Map()
  let ev = null
  for (const raw of lines) {
    const line = raw.trimEnd()
    if (!line) continue
    const upper = line.toUpperCase()
    if (upper === 'BEGIN:VEVENT') {
      ev = { props: [] }
      continue
    }
    if (upper === 'END:VEVENT') {
      if (ev) addEvent(ev, days)
      ev = null
      continue
    }
    if (ev) {
      const p = parseLine(line)
      if (p) ev.props.push(p)
    }
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date))
}

function addEvent(ev, days) {
  const get = (n) => ev.props.find((p) => p.name === n)
  const start = get('DTSTART')
  const s = start && parseDate(start.value)
  if (!s) throw new Error('an event has no valid DTSTART')
  let last = s.day
  const end = get('DTEND')
  const e = end && parseDate(end.value)
  if (e) {
    last = e.day
    if (e.isDate || e.midnight) last--
  } else {
    const dur = get('DURATION')
    const n = dur ? durationDays(dur.value) : null
    if (n) last = s.day + n - 1
  }
  if (last < s.day) last = s.day
  if (last - s.day > MAX_SPAN_DAYS) throw new Error('an event spans more than a year')
  const summaryProp = get('SUMMARY')
  const summary = summaryProp ? unescape(summaryProp.value) : ''
  const apple = ev.props.find((p) => p.name === 'X-APPLE-SPECIAL-DAY')
  const workday = summary.includes('班') || (apple && apple.value.trim().toUpperCase() === 'ALTERNATE-WORKDAY')
  const name = clipBytes(stripSuffix(summary), NAME_MAX)
  for (let d = s.day; d <= last; d++) {
    const date = dayString(d)
    days.set(date, { date, kind: workday ? 'workday' : 'holiday', name })
  }
}
