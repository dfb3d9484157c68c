// Work-order vocabulary and rules the console mirrors from the server
// (API.md "Tickets", src/domain/ticket_action.c). The server stays the judge:
// these only decide which buttons to show, so a stale rule costs a 409/403
// message, never a wrong write.

export const KINDS = ['repair', 'complaint', 'inquiry', 'suggestion', 'praise']
export const PRIORITIES = ['emergency', 'high', 'normal', 'scheduled']
export const STATUSES = ['new', 'accepted', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled']
export const OPEN_STATUSES = ['new', 'accepted', 'assigned', 'in_progress', 'on_hold']
export const CHANNELS = ['phone', 'walk_in', 'app', 'wechat', 'patrol', 'inspection', 'iot', 'system', 'meeting', 'box']
export const MILESTONES = ['respond', 'assign', 'arrive', 'contact', 'resolve']
// Kanban columns: the working states; closed and cancelled stay in the table.
export const BOARD_STATUSES = ['new', 'accepted', 'assigned', 'in_progress', 'on_hold', 'resolved']

export const STATUS_TAG = {
  new: 'danger',
  accepted: 'warning',
  assigned: 'primary',
  in_progress: 'primary',
  on_hold: 'info',
  resolved: 'success',
  closed: 'info',
  cancelled: 'info',
}
export const PRIORITY_TAG = { emergency: 'danger', high: 'warning', normal: 'info', scheduled: 'success' }

export const ACTIONS = [
  'accept', 'assign', 'arrive', 'contact', 'investigate', 'hold', 'resume',
  'resolve', 'visit', 'close', 'reopen', 'cancel', 'comment',
]

const isOpen = (s) => OPEN_STATUSES.includes(s)

// The state machine (API.md table): the status after `action`, or null.
export function transition(action, t) {
  const s = t.status
  switch (action) {
    case 'accept': return s === 'new' ? 'accepted' : null
    case 'assign': return s === 'accepted' || s === 'assigned' ? 'assigned' : null
    case 'arrive': return s === 'assigned' ? 'in_progress' : null
    case 'contact': return isOpen(s) ? s : null
    case 'investigate':
      return t.kind === 'complaint' && (s === 'assigned' || s === 'in_progress') ? 'in_progress' : null
    case 'hold': return ['accepted', 'assigned', 'in_progress'].includes(s) ? 'on_hold' : null
    case 'resume': return s === 'on_hold' && t.held_from ? t.held_from : null
    case 'resolve':
      return s === 'assigned' || s === 'in_progress' || (t.kind === 'inquiry' && s === 'accepted') ? 'resolved' : null
    case 'rate':
    case 'visit': return s === 'resolved' || s === 'closed' ? s : null
    case 'close': return s === 'resolved' ? 'closed' : null
    case 'reopen': return s === 'resolved' || s === 'closed' ? 'assigned' : null
    case 'cancel': return isOpen(s) ? 'cancelled' : null
    case 'comment': return s
    default: return null
  }
}

// Who may do what (ticket_action.c act_may), for a staff user.
export function mayAct(action, t, user) {
  if (!user) return false
  const role = user.role
  const desk = ['desk', 'manager', 'admin'].includes(role)
  const boss = role === 'manager' || role === 'admin'
  const assignee = !!t.assignee_id && t.assignee_id === user.id
  switch (action) {
    case 'accept':
    case 'assign':
    case 'visit':
    case 'close':
    case 'reopen':
    case 'cancel': return desk
    case 'arrive': return assignee || boss
    case 'contact':
    case 'investigate': return desk || assignee
    case 'hold':
    case 'resume': return assignee || boss || (desk && !t.assignee_id)
    case 'resolve': return assignee || boss || (desk && t.kind !== 'repair')
    case 'comment': return true
    default: return false // rate: the ticket's resident only
  }
}

// The actions to offer on a ticket, in workflow order.
export function allowedActions(t, user) {
  if (!t) return []
  return ACTIONS.filter((a) => {
    if (!transition(a, t) || !mayAct(a, t, user)) return false
    // A complaint is archived only after its return visit (closed loop).
    if (a === 'close' && t.kind === 'complaint' && !t.visit) return false
    return true
  })
}

// The step that moves the ticket forward, shown as the primary button.
export function primaryAction(actions, t) {
  const order = {
    new: ['accept'],
    accepted: ['assign', 'resolve'],
    assigned: ['arrive', 'resolve'],
    in_progress: ['resolve'],
    on_hold: ['resume'],
    resolved: t.kind === 'complaint' && !t.visit ? ['visit'] : ['close', 'visit'],
  }[t.status] || []
  return order.find((a) => actions.includes(a)) || null
}
