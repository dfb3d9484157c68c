// The API calls behind session.js (who is logged in), one function each.
import { api } from './api.js'

// GET /me → { id, username, name, role, projects, rooms }.
export function getMe() {
  return api.get('/me')
}

// Staff (and residents by password): → { token, csrf_token, user }.
export function loginWithPassword(username, password) {
  return api.post('/auth/login', { username, password })
}

// Sends a one-time code by SMS to a resident's phone.
export function sendResidentCode(phone) {
  return api.post('/auth/resident/code', { phone })
}

export function loginWithCode(phone, code) {
  return api.post('/auth/resident/login', { phone, code })
}

// A staff member sets a new password with the six-digit code a manager or an
// admin had sent to their phone (POST /staff/{id}/password-reset). No login;
// → 204. 401 for a wrong or expired code (or an unknown user, alike).
export function completePasswordReset(username, code, password) {
  return api.post('/auth/password-reset', { username, code, password })
}

// Any logged-in user changes their own password with the current one
// (POST /me/password) → 204; this session stays, every other one of the user
// ends. 422 with field old_password (wrong current password) or password (too
// short, too common, or the same as the current one); 429 after repeated
// wrong current passwords.
export function changePassword(oldPassword, password) {
  return api.post('/me/password', { old_password: oldPassword, password })
}

export function endSession() {
  return api.post('/auth/logout')
}
