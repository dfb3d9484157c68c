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
