// Plan recurrences (RFC 5545 RRULE, expanded by libical on the server): the
// common shapes in words ("每月10日", "每周一、三、五", "每30分钟"), and the
// plan dialog's preset picker (a preset and its day choices ⇄ the rule).
// Only words are made here; which times a rule gives is the server's answer
// (a plan's next_occurrences). Anything unusual shows as the rule itself.

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']

// "FREQ=WEEKLY;BYDAY=MO,FR" → { FREQ: 'WEEKLY', BYDAY: 'MO,FR' }, or null.
export function parseRule(rrule) {
  const s = String(rrule || '').trim().replace(/^RRULE:/i, '')
  if (!s) return null
  const parts = {}
  for (const seg of s.split(';')) {
    if (!seg) continue
    const i = seg.indexOf('=')
    if (i <= 0) return null
    const k = seg.slice(0, i).trim().toUpperCase()
    if (k in parts) return null
    parts[k] = seg.slice(i + 1).trim().toUpperCase()
  }
  return parts.FREQ ? parts : null
}

const DT = /^(\d{4})-(\d{2})-(\d{2})T/

// The weekday code and day of month of dtstart's own wall clock ("…T08:00+08:00").
function startDay(dtstart) {
  const m = DT.exec(dtstart || '')
  if (!m) return null
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return { weekday: WEEKDAYS[(d.getUTCDay() + 6) % 7], monthDay: Number(m[3]) }
}

function list(t, key, values) {
  return values.map((v) => t(key, { n: v })).join(t('work.rrule.sep'))
}

// The words of a rule, in the current language; the rule itself when its
// shape is not one of the common ones. `t` is vue-i18n's.
export function rruleText(rrule, dtstart, t) {
  const raw = String(rrule || '')
  const p = parseRule(raw)
  if (!p) return raw
  // a single time of day (BYHOUR=9;BYMINUTE=0) reads as the words then " 9:00"
  if (p.FREQ !== 'HOURLY' && p.FREQ !== 'MINUTELY' && /^\d{1,2}$/.test(p.BYHOUR || '') && /^(\d{1,2})?$/.test(p.BYMINUTE || '')) {
    const rest = Object.entries(p).filter(([k]) => k !== 'BYHOUR' && k !== 'BYMINUTE')
    const words = rruleText(rest.map(([k, v]) => `${k}=${v}`).join(';'), dtstart, t)
    const mm = String(Number(p.BYMINUTE || 0)).padStart(2, '0')
    return words.includes('=') ? raw : `${words} ${Number(p.BYHOUR)}:${mm}`
  }
  const known = { FREQ: 1, INTERVAL: 1, BYDAY: 1, BYMONTHDAY: 1, BYMONTH: 1, WKST: 1 }
  if (Object.keys(p).some((k) => !known[k])) return raw
  const n = p.INTERVAL === undefined ? 1 : Number(p.INTERVAL)
  if (!Number.isInteger(n) || n < 1) return raw
  const many = n > 1
  const start = startDay(dtstart)
  const only = (...keys) => Object.keys(p).every((k) => ['FREQ', 'INTERVAL', 'WKST', ...keys].includes(k))
  const R = 'work.rrule.'
  switch (p.FREQ) {
    case 'MINUTELY':
      return only() ? t(R + 'minutely', { n }) : raw
    case 'HOURLY':
      return only() ? (many ? t(R + 'hourlyN', { n }) : t(R + 'hourly')) : raw
    case 'DAILY':
      return only() ? (many ? t(R + 'dailyN', { n }) : t(R + 'daily')) : raw
    case 'WEEKLY': {
      if (!only('BYDAY')) return raw
      let days = p.BYDAY ? p.BYDAY.split(',') : start ? [start.weekday] : []
      if (days.some((d) => !WEEKDAYS.includes(d))) return raw
      days = WEEKDAYS.filter((d) => days.includes(d))
      if (!days.length) return many ? t(R + 'weeklyN', { n }) : t(R + 'weekly')
      const words = days.map((d) => t(R + 'day.' + d)).join(t('work.rrule.sep'))
      return many ? t(R + 'weeklyNOn', { n, days: words }) : t(R + 'weeklyOn', { days: words })
    }
    case 'MONTHLY': {
      if (!only('BYMONTHDAY')) return raw
      const days = p.BYMONTHDAY ? p.BYMONTHDAY.split(',').map(Number) : start ? [start.monthDay] : []
      if (days.some((d) => !Number.isInteger(d) || d === 0 || d > 31 || d < -1)) return raw
      if (!days.length) return many ? t(R + 'monthlyN', { n }) : t(R + 'monthly')
      const words = days
        .sort((a, b) => (a === -1 ? 1 : b === -1 ? -1 : a - b))
        .map((d) => (d === -1 ? t(R + 'lastDay') : t(R + 'monthDay', { n: d })))
        .join(t('work.rrule.sep'))
      return many ? t(R + 'monthlyNOn', { n, days: words }) : t(R + 'monthlyOn', { days: words })
    }
    case 'YEARLY': {
      if (!only('BYMONTH', 'BYMONTHDAY')) return raw
      const month = p.BYMONTH ? Number(p.BYMONTH) : null
      const day = p.BYMONTHDAY ? Number(p.BYMONTHDAY) : null
      if (month === null && day === null) return many ? t(R + 'yearlyN', { n }) : t(R + 'yearly')
      if (!(month >= 1 && month <= 12) || !(day >= 1 && day <= 31)) return raw
      const date = t(R + 'date', { m: month, d: day })
      return many ? t(R + 'yearlyNOn', { n, date }) : t(R + 'yearlyOn', { date })
    }
    default:
      return raw
  }
}

// ---- the dialog's presets ----

// Each preset with the window a new plan of it gets by default (minutes).
export const PRESETS = [
  { key: 'daily', window: 8 * 60 },
  { key: 'weekly', window: 24 * 60 },
  { key: 'monthly', window: 7 * 24 * 60 },
  { key: 'quarterly', window: 14 * 24 * 60 },
  { key: 'halfyear', window: 30 * 24 * 60 },
  { key: 'hourly', window: 45 },
  { key: 'min30', window: 20 },
  { key: 'custom', window: null },
]

// The rule of a preset: { preset, weekdays: ['MO'], monthDay: 10, custom: '…' }.
export function buildRule(c) {
  const day = Number.isInteger(c.monthDay) && c.monthDay >= 1 && c.monthDay <= 31 ? `;BYMONTHDAY=${c.monthDay}` : ''
  switch (c.preset) {
    case 'daily':
      return 'FREQ=DAILY'
    case 'weekly': {
      const days = WEEKDAYS.filter((d) => (c.weekdays || []).includes(d))
      return days.length ? `FREQ=WEEKLY;BYDAY=${days.join(',')}` : 'FREQ=WEEKLY'
    }
    case 'monthly':
      return `FREQ=MONTHLY${day}`
    case 'quarterly':
      return `FREQ=MONTHLY;INTERVAL=3${day}`
    case 'halfyear':
      return `FREQ=MONTHLY;INTERVAL=6${day}`
    case 'hourly':
      return 'FREQ=HOURLY'
    case 'min30':
      return 'FREQ=MINUTELY;INTERVAL=30'
    default:
      return String(c.custom || '').trim()
  }
}

// The preset a stored rule is one of (so editing a plan shows its choices),
// else 'custom' with the rule as text.
export function presetOf(rrule) {
  const blank = { preset: 'custom', weekdays: [], monthDay: null, custom: String(rrule || '') }
  const p = parseRule(rrule)
  if (!p) return blank
  const keys = Object.keys(p).sort().join()
  const n = p.INTERVAL === undefined ? 1 : Number(p.INTERVAL)
  const day = p.BYMONTHDAY !== undefined ? Number(p.BYMONTHDAY) : null
  const dayOk = day === null || (Number.isInteger(day) && day >= 1 && day <= 31)
  const hit = (preset, extra = {}) => ({ ...blank, preset, custom: '', ...extra })
  if (p.FREQ === 'DAILY' && keys === 'FREQ') return hit('daily')
  if (p.FREQ === 'HOURLY' && keys === 'FREQ') return hit('hourly')
  if (p.FREQ === 'MINUTELY' && n === 30 && keys === 'FREQ,INTERVAL') return hit('min30')
  if (p.FREQ === 'WEEKLY' && (keys === 'BYDAY,FREQ' || keys === 'FREQ')) {
    const days = p.BYDAY ? p.BYDAY.split(',') : []
    if (days.every((d) => WEEKDAYS.includes(d))) return hit('weekly', { weekdays: days })
  }
  if (p.FREQ === 'MONTHLY' && dayOk) {
    const rest = keys.replace('BYMONTHDAY,', '').replace(',BYMONTHDAY', '')
    if (rest === 'FREQ') return hit('monthly', { monthDay: day })
    if (rest === 'FREQ,INTERVAL' && n === 3) return hit('quarterly', { monthDay: day })
    if (rest === 'FREQ,INTERVAL' && n === 6) return hit('halfyear', { monthDay: day })
  }
  return blank
}

// Window minutes ⇄ a number and a unit, the largest unit that divides it.
export function splitWindow(minutes) {
  const m = Number(minutes) || 0
  if (m && m % 1440 === 0) return { value: m / 1440, unit: 'days' }
  if (m && m % 60 === 0) return { value: m / 60, unit: 'hours' }
  return { value: m || null, unit: 'minutes' }
}

export function joinWindow(value, unit) {
  const v = Number(value)
  if (!Number.isFinite(v) || v <= 0) return null
  return Math.round(v * ({ days: 1440, hours: 60 }[unit] || 1))
}
