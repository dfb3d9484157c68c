// Small helpers the organisation and settings forms share.
import { ElMessage, ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import { errorText } from '../../errors.js'

// The message a user should read for a failed request: the server's own
// words for a refused input (they are precise and in Chinese), otherwise the
// generic text of errors.js.
export function apiMessage(t, te, err) {
  if (err && [409, 422, 403].includes(err.status) && err.message) return err.message
  return errorText(t, te, err)
}

// Puts a 422/409 with a field under that form item; returns true when it did.
export function fieldError(fieldErrors, err, fields) {
  const f = err && err.field
  if (!f || !fields.includes(f)) return false
  fieldErrors[f] = err.message
  return true
}

export function clearErrors(fieldErrors) {
  for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
}

export function toastError(t, te, err) {
  ElMessage.error({ message: apiMessage(t, te, err), duration: 4000 })
}

export function toastOk(message, duration = 1600) {
  ElMessage.success({ message, duration })
}

// Resolves true when the user confirms; the confirm button says 停用 unless
// `confirmText` names the action.
export async function confirmAction(t, message, title, confirmText) {
  try {
    await ElMessageBox.confirm(message, title, {
      type: 'warning',
      confirmButtonText: confirmText || t('org.common.deactivate'),
      cancelButtonText: t('org.common.cancel'),
    })
    return true
  } catch {
    return false
  }
}

// The "active" list filter: 'all' sends nothing.
export function activeQuery(v) {
  return v === 'all' ? undefined : v
}
