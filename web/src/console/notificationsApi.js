// The API calls of the notification bell, one function each.
import { api } from '../api.js'

// GET /notifications?limit=&cursor= → {items, next_cursor, unread}.
export function listNotifications(query) {
  return api.get('/notifications', { query })
}

export function markRead(id) {
  return api.post(`/notifications/${id}/read`)
}

export function markAllRead() {
  return api.post('/notifications/read-all')
}
