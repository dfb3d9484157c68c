// Time helpers. The server sends RFC 3339 in the project's offset
// ("2026-09-30T16:00:00+08:00"); showing its own wall-clock digits keeps the
// project's time whatever zone the browser is in.
import { ref } from 'vue'

const RFC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/

// "2026-09-30T16:00:00+08:00" → "09-30 16:00" (this year) or "2026-09-30 16:00".
export function fmtTime(s, { year = 'auto', seconds = false } = {}) {
  if (!s) return '—'
  const m = RFC.exec(s)
  if (!m) return s
  const showYear = year === true || (year === 'auto' && Number(m[1]) !== new Date().getFullYear())
  const date = showYear ? `${m[1]}-${m[2]}-${m[3]}` : `${m[2]}-${m[3]}`
  return `${date} ${m[4]}:${m[5]}${seconds ? ':' + (m[6] || '00') : ''}`
}

export function fmtDate(s) {
  const m = s && RFC.exec(s)
  return m ? `${m[1]}-${m[2]}-${m[3]}` : s || '—'
}

export function ms(s) {
  const v = s ? Date.parse(s) : NaN
  return Number.isNaN(v) ? null : v
}

// A Date as RFC 3339 in the browser's own offset (the server accepts any).
export function toRfc3339(d) {
  if (!(d instanceof Date)) d = new Date(d)
  const pad = (n) => String(Math.abs(n)).padStart(2, '0')
  const off = -d.getTimezoneOffset()
  const sign = off >= 0 ? '+' : '-'
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`
  )
}

// "2026-09-30" → the start (or end) of that local day as RFC 3339.
export function dayBound(date, end = false) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '')
  if (!m) return undefined
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), end ? 23 : 0, end ? 59 : 0, end ? 59 : 0)
  return toRfc3339(d)
}

// 93784000 → "1天2小时" (two most significant units).
export function fmtDuration(t, msAbs) {
  let s = Math.max(0, Math.floor(msAbs / 1000))
  const d = Math.floor(s / 86400)
  s -= d * 86400
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  const parts = []
  if (d) parts.push(t('time.d', { n: d }), t('time.h', { n: h }))
  else if (h) parts.push(t('time.h', { n: h }), t('time.m', { n: m }))
  else if (m) parts.push(t('time.m', { n: m }), t('time.s', { n: s }))
  else parts.push(t('time.s', { n: s }))
  return parts.filter((p, i) => i === 0 || !/^0\D/.test(p)).join('')
}

// One shared clock for countdowns: ticks every second while anything uses it.
const now = ref(Date.now())
let users = 0
let timer = null
export function useNow() {
  return now
}
export function holdClock() {
  if (users++ === 0) {
    now.value = Date.now()
    timer = setInterval(() => (now.value = Date.now()), 1000)
  }
  return () => {
    if (--users === 0) {
      clearInterval(timer)
      timer = null
    }
  }
}

// "剩余 2小时5分" / "已超时 12分3秒" for a due time, against `nowMs`.
export function countdown(t, due, nowMs) {
  const d = ms(due)
  if (d === null) return ''
  const diff = d - nowMs
  return diff >= 0 ? t('time.left', { d: fmtDuration(t, diff) }) : t('time.over', { d: fmtDuration(t, -diff) })
}
