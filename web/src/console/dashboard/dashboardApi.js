// Every API call of the console's dashboard (工作台), one function each.
import { api } from '../../api.js'

// GET /stats/tickets → today's figures, SLA rates, by category / hour / day.
export function ticketStats(query) {
  return api.get('/stats/tickets', { query })
}

// The user's own open tickets (GET /tickets with assignee_id and status).
export function listTickets(query) {
  return api.get('/tickets', { query })
}

// GET /stats/quality → the month's average inspection score per department and level,
// and the rectifications open and overdue (the 品质 panel).
export function qualityStats(query) {
  return api.get('/stats/quality', { query })
}
