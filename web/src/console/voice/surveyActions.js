// What the survey screens share: state tags, the response rate as shown, and 发布 / 结束
// behind a confirmation (发布 invites every occupied room).
import { ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message-box/style/css'
import { apiMessage, toastError, toastOk } from '../org/forms.js'
import { surveyAction } from './voiceApi.js'

export const STATE_TAG = { draft: 'info', open: 'success', closed: '' }

export function pct(v, digits = 1) {
  return v === null || v === undefined || Number.isNaN(Number(v)) ? '—' : `${(Number(v) * 100).toFixed(digits)}%`
}
export function rateOf(s) {
  return s && s.invited ? s.responses / s.invited : null
}
// A score as the page shows it (one decimal); the e2e test compares with the same rounding.
export function fmtScore(v) {
  return v === null || v === undefined ? '—' : Number(v).toFixed(1)
}

// Resolves the changed survey, or null when the user declined or the server refused.
export async function actOn(t, te, survey, action) {
  const open = action === 'open'
  try {
    await ElMessageBox.confirm(t(open ? 'voice.openConfirm' : 'voice.closeConfirm', { title: survey.title }), t(open ? 'voice.openTitle' : 'voice.closeTitle'), {
      type: 'warning',
      confirmButtonText: t(open ? 'voice.open' : 'voice.close'),
      cancelButtonText: t('voice.cancel'),
    })
  } catch {
    return null
  }
  try {
    const s = await surveyAction(survey.id, action)
    toastOk(open ? t('voice.opened', { n: s.invited }) : t('voice.closedOk'), 2500)
    return s
  } catch (e) {
    toastError(t, te, e)
    return null
  }
}
export { apiMessage }
