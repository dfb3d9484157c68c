// Small fetch wrapper for the Anju JSON API (/api/v1).
//
// - Sends the session cookie (credentials: 'same-origin').
// - Adds X-CSRF-Token on unsafe methods (POST/PATCH/PUT/DELETE); the token
//   comes from the login answer and is kept in sessionStorage.
// - Every failure is thrown as an ApiError carrying status, code, message and
//   field, parsed from the server's {"error":{"code","message","field"?}}.
//   A request that never reached the server has status 0 and code 'network'
//   (or 'timeout').

export const API_BASE = '/api/v1'

const CSRF_KEY = 'anju.csrf_token'
const UNSAFE = new Set(['POST', 'PATCH', 'PUT', 'DELETE'])
const DEFAULT_TIMEOUT_MS = 20000

export class ApiError extends Error {
  constructor({ status = 0, code = 'unknown', message = '', field = undefined, retryAfter = 0 } = {}) {
    super(message || code)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field
    this.retryAfter = retryAfter // seconds, from a 429's Retry-After (0 when absent)
  }
}

function storage() {
  try {
    return window.sessionStorage
  } catch {
    return null // storage disabled (private mode, sandboxed frame)
  }
}

export function getCsrfToken() {
  return storage()?.getItem(CSRF_KEY) || ''
}

export function setCsrfToken(token) {
  const s = storage()
  if (!s) return
  if (token) s.setItem(CSRF_KEY, token)
  else s.removeItem(CSRF_KEY)
}

export function clearCsrfToken() {
  setCsrfToken('')
}

// Called with the ApiError when any request other than the auth endpoints
// answers 401 (the session expired or was revoked); the router installs one
// that sends the user back to the right login page.
let unauthorizedHandler = null
export function onUnauthorized(fn) {
  unauthorizedHandler = fn
}

function isAuthPath(path) {
  // the QR and poster pages' own 401 (a wrong SMS code) is the form's to show, not a lost session
  return path.startsWith('/auth/') || path.startsWith('/q/') || path.startsWith('/public/')
}

async function parseBody(res) {
  if (res.status === 204 || res.status === 205) return null
  const type = res.headers.get('content-type') || ''
  const text = await res.text()
  if (!text) return null
  if (type.includes('json')) {
    try {
      return JSON.parse(text)
    } catch {
      return null
    }
  }
  return text
}

/**
 * request('GET', '/me') → parsed JSON (or null for 204).
 * options: { query, headers, timeout, signal, blob }; blob: a success answers
 * {blob, filename, rows} (a download: the file, Content-Disposition's name and
 * an export's X-Export-Rows).
 */
export async function request(method, path, body, options = {}) {
  method = method.toUpperCase()
  let url = API_BASE + path
  if (options.query) {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(options.query)) {
      if (v !== undefined && v !== null && v !== '') qs.append(k, String(v))
    }
    const s = qs.toString()
    if (s) url += (url.includes('?') ? '&' : '?') + s
  }

  const headers = { Accept: 'application/json', ...(options.headers || {}) }
  let payload
  if (body !== undefined && body !== null) {
    if (body instanceof FormData || body instanceof Blob) {
      payload = body
    } else {
      headers['Content-Type'] = 'application/json'
      payload = JSON.stringify(body)
    }
  }
  if (UNSAFE.has(method)) {
    const csrf = getCsrfToken()
    if (csrf) headers['X-CSRF-Token'] = csrf
  }

  const ctrl = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    ctrl.abort()
  }, options.timeout ?? DEFAULT_TIMEOUT_MS)
  if (options.signal) {
    if (options.signal.aborted) ctrl.abort()
    else options.signal.addEventListener('abort', () => ctrl.abort(), { once: true })
  }

  let res
  try {
    res = await fetch(url, {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: ctrl.signal,
    })
  } catch (e) {
    if (timedOut) throw new ApiError({ status: 0, code: 'timeout', message: 'request timed out' })
    if (e && e.name === 'AbortError') throw e
    throw new ApiError({ status: 0, code: 'network', message: (e && e.message) || 'network error' })
  } finally {
    clearTimeout(timer)
  }

  if (options.blob && res.ok) {
    const m = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') || '')
    return { blob: await res.blob(), filename: m ? m[1] : '', rows: Number(res.headers.get('x-export-rows') || 0) }
  }
  let data
  try {
    data = await parseBody(res)
  } catch {
    data = null
  }

  if (!res.ok) {
    const err = data && typeof data === 'object' && data.error ? data.error : {}
    const apiErr = new ApiError({
      status: res.status,
      code: err.code || (res.status >= 500 ? 'internal' : `http_${res.status}`),
      message: err.message || res.statusText || '',
      field: err.field,
      retryAfter: Number.parseInt(res.headers.get('retry-after') || '', 10) || 0,
    })
    // A proxy in front of a stopped server answers 502/503/504 without our
    // JSON body: to a user that is the same as not reaching the server.
    if (!err.code && (res.status === 502 || res.status === 503 || res.status === 504)) {
      apiErr.code = 'network'
    }
    if (res.status === 401 && !isAuthPath(path) && unauthorizedHandler) {
      unauthorizedHandler(apiErr)
    }
    throw apiErr
  }
  return data
}

export const api = {
  get: (path, options) => request('GET', path, undefined, options),
  post: (path, body, options) => request('POST', path, body, options),
  put: (path, body, options) => request('PUT', path, body, options),
  patch: (path, body, options) => request('PATCH', path, body, options),
  del: (path, options) => request('DELETE', path, undefined, options),
}

export default api
