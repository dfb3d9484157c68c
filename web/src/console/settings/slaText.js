// SLA policies in words for the settings table ("15 分钟", "3 个工作日（工作时间）").
export const MILESTONES = ['respond', 'assign', 'arrive', 'contact', 'resolve']
export const UNITS = ['minute', 'hour', 'workday']
export const CLOCKS = ['calendar', 'business']
export const FROMS = ['reported', 'appointment_start', 'appointment_end']
export const NOTIFY = ['assignee', 'manager', 'quality', 'desk']
export const KINDS = ['repair', 'complaint', 'inquiry', 'suggestion', 'praise']
export const PRIORITIES = ['emergency', 'high', 'normal', 'scheduled']

export function targetText(t, m) {
  if (!m) return ''
  const base = `${m.amount} ${t(`settings.sla.units.${m.unit}`)}`
  const clock = m.unit === 'workday' ? '' : t(`settings.sla.clockShort.${m.clock}`)
  if (m.from === 'appointment_start' && m.amount === 0) return t('settings.sla.atAppointment')
  if (m.from === 'appointment_end') return t('settings.sla.afterAppointmentEnd', { t: base + clock })
  if (m.from === 'appointment_start') return `${t('settings.sla.froms.appointment_start')} + ${base}${clock}`
  return base + clock
}

export function escalationText(t, e) {
  return t('settings.sla.escalationText', { p: e.at_percent, who: t(`settings.sla.notifies.${e.notify}`) })
}
