// Names behind the ids a ticket carries (assignee, actors, room, resident),
// fetched once per id and cached for the tab. Tickets carry their assignee's
// name (assignee_name), which fills the cache for every role; other staff
// whom a user may not read (a desk user sees only itself via /staff) show as
// "员工#12"; the names the dispatch picker returns fill the cache too.
import { reactive } from 'vue'
import { session } from '../../session.js'
import { getResident, getRoom, getStaff, listCategories, listStaff } from './sharedApi.js'

export const names = reactive({ staff: {}, rooms: {}, residents: {} })
const pending = new Set()

function once(key, fn) {
  if (pending.has(key)) return
  pending.add(key)
  fn().catch(() => {
    /* not visible to this user: keep the numbered fallback */
  })
}

export function rememberStaff(list) {
  for (const s of list || []) if (s && s.id && s.name) names.staff[s.id] = s.name
}

// The assignee names that tickets (one or a list) carry.
export function rememberAssignees(tickets) {
  const list = Array.isArray(tickets) ? tickets : [tickets]
  rememberStaff(list.map((t) => t && { id: t.assignee_id, name: t.assignee_name }))
}

// Only these roles may read other staff records (domain/staff.c scope):
// admin and quality see everyone, a manager the staff of their projects.
export function canReadStaff() {
  return ['admin', 'quality', 'manager'].includes(session.user?.role)
}

// A manager's visible staff, listed once (asking for others would only
// collect 404s, e.g. for a resident who acted on a ticket).
let staffListed = false
async function listVisibleStaff() {
  let cursor
  for (let page = 0; page < 5; page++) {
    const r = await listStaff({ limit: 200, cursor })
    rememberStaff(r.items)
    if (!r.next_cursor) break
    cursor = r.next_cursor
  }
}

export function staffName(id) {
  if (!id) return ''
  if (names.staff[id]) return names.staff[id]
  const user = session.user
  if (user && user.id === id) return user.name || user.username
  if (user?.role === 'manager') {
    if (!staffListed) {
      staffListed = true
      listVisibleStaff().catch(() => (staffListed = false))
    }
    return ''
  }
  if (!canReadStaff()) return ''
  once('s' + id, async () => {
    const s = await getStaff(id)
    names.staff[id] = s.name || s.username
  })
  return ''
}

export function roomText(rm) {
  return [rm.building_name, rm.unit, rm.number].filter(Boolean).join(' ')
}

export function rememberRooms(list) {
  for (const rm of list || []) if (rm && rm.id) names.rooms[rm.id] = roomText(rm)
}

export function roomName(id) {
  if (!id) return ''
  if (names.rooms[id]) return names.rooms[id]
  once('r' + id, async () => {
    names.rooms[id] = roomText(await getRoom(id))
  })
  return ''
}

export function residentInfo(id) {
  if (!id) return null
  if (names.residents[id]) return names.residents[id]
  once('p' + id, async () => {
    const r = await getResident(id)
    names.residents[id] = { name: r.name, phone: r.phone, kind: r.kind, tags: r.tags || [], user_id: r.user_id }
  })
  return null
}

// The category tree (GET /categories), cached; [] until loaded.
let categoriesPromise = null
export const categoryTree = reactive({ items: [], loaded: false })
export function loadCategories() {
  if (!categoriesPromise) {
    categoriesPromise = listCategories()
      .then((r) => {
        categoryTree.items = r.items || []
        categoryTree.loaded = true
        return categoryTree.items
      })
      .catch((e) => {
        categoriesPromise = null
        throw e
      })
  }
  return categoriesPromise
}

// Cascader options: value = the category path ("水电/漏水").
export function categoryOptions(items) {
  return (items || []).map((c) => ({
    value: c.path,
    label: c.name,
    children: c.children && c.children.length ? categoryOptions(c.children) : undefined,
  }))
}
