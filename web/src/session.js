// Who is logged in, shared by the console and the resident pages.
//
// The session itself is the HttpOnly cookie `anju_session`; this tab also
// keeps the CSRF token from the login answer in sessionStorage. A tab without
// that token cannot make unsafe requests, so it counts as logged out and is
// sent to a login page without asking the server (no needless 401s).
import { reactive } from 'vue'
import { getCsrfToken, setCsrfToken, clearCsrfToken } from './api.js'
import { endSession, getMe, loginWithCode, loginWithPassword, sendResidentCode } from './sessionApi.js'

export const session = reactive({
  user: null, // GET /api/v1/me: { id, username, name, role, projects, rooms }
  loaded: false,
})

export const STAFF_ROLES = ['admin', 'manager', 'quality', 'desk', 'technician', 'guard', 'cleaner']

export function isResident(user) {
  return !!user && user.role === 'resident'
}

export function isStaff(user) {
  return !!user && STAFF_ROLES.includes(user.role)
}

export function hasSessionHint() {
  return !!getCsrfToken()
}

function forget() {
  session.user = null
  session.loaded = true
  clearCsrfToken()
}

// Returns the current user or null; other errors (network, 5xx) propagate.
let inflight = null
export async function loadMe({ force = false } = {}) {
  if (session.loaded && !force) return session.user
  if (!hasSessionHint()) {
    forget()
    return null
  }
  if (!inflight) {
    inflight = getMe()
      .then((me) => {
        session.user = me
        session.loaded = true
        return me
      })
      .catch((e) => {
        if (e.status === 401) {
          forget()
          return null
        }
        throw e
      })
      .finally(() => {
        inflight = null
      })
  }
  return inflight
}

function started(resp) {
  setCsrfToken(resp && resp.csrf_token)
  session.user = (resp && resp.user) || null
  session.loaded = false // the shell fetches the full /me (projects, rooms)
  return session.user
}

export async function login(username, password) {
  return started(await loginWithPassword(username, password))
}

export async function requestResidentCode(phone) {
  await sendResidentCode(phone)
}

export async function residentLogin(phone, code) {
  return started(await loginWithCode(phone, code))
}

export async function logout() {
  try {
    await endSession()
  } catch (e) {
    // 401: already logged out on the server. Anything else (network, 5xx)
    // leaves the session as it is so the user can try again.
    if (e.status !== 401) throw e
  }
  forget()
}

// Called when a request answers 401 mid-session.
export function sessionExpired() {
  forget()
}
