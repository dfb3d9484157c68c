// Turns an ApiError into words a user understands, in the current language.
// `overrides` maps an HTTP status or error code to a message key for one
// screen, e.g. the login page maps 401 to "用户名或密码错误".
export function errorText(t, te, err, overrides = {}) {
  if (!err) return ''
  const status = err.status
  const code = err.code
  const pick = (key) => (key && te(key) ? t(key) : '')
  return (
    pick(overrides[status]) ||
    pick(overrides[code]) ||
    (status === 0 ? pick(code === 'timeout' ? 'errors.timeout' : 'errors.network') : '') ||
    (code ? pick(`errors.${code}`) : '') ||
    (status === 429 ? pick('errors.too_many_requests') : '') ||
    (status === 401 ? pick('errors.unauthenticated') : '') ||
    (status === 403 ? pick('errors.forbidden') : '') ||
    (status === 404 ? pick('errors.not_found') : '') ||
    (status >= 500 ? pick('errors.internal') : '') ||
    err.message ||
    t('errors.unknown')
  )
}
