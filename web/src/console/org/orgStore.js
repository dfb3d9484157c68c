// State shared by the organisation screens: the projects the user may see
// (for the project pickers), the company's departments (for the staff form)
// and, per project, its buildings (for room forms and the Excel import).
// Loaded once per tab and refreshed after a change.
import { reactive } from 'vue'
import { getRoom, listBuildings, listDepartments, listProjects } from './orgApi.js'

export const orgState = reactive({ projects: [], loaded: false, error: null })
const buildingCache = new Map() // project id -> Promise<building[]>

let inflight = null
export function loadProjects({ force = false } = {}) {
  if (orgState.loaded && !force) return Promise.resolve(orgState.projects)
  if (!inflight) {
    inflight = fetchAll((cursor) => listProjects({ limit: 200, cursor }))
      .then((items) => {
        orgState.projects = items
        orgState.loaded = true
        orgState.error = null
        return items
      })
      .catch((e) => {
        orgState.error = e
        throw e
      })
      .finally(() => {
        inflight = null
      })
  }
  return inflight
}

// Every department, active or not (a staff member may still sit in one that
// was deactivated); pickers offer the active ones.
export const deptState = reactive({ items: [], loaded: false, error: null })
let deptInflight = null
export function loadDepartments({ force = false } = {}) {
  if (deptState.loaded && !force) return Promise.resolve(deptState.items)
  if (!deptInflight) {
    deptInflight = fetchAll((cursor) => listDepartments({ limit: 200, cursor }))
      .then((items) => {
        deptState.items = items
        deptState.loaded = true
        deptState.error = null
        return items
      })
      .catch((e) => {
        deptState.error = e
        throw e
      })
      .finally(() => {
        deptInflight = null
      })
  }
  return deptInflight
}

// Every page of a cursor list (for pickers: projects and buildings are few).
export async function fetchAll(page, max = 20) {
  const out = []
  let cursor
  for (let i = 0; i < max; i++) {
    const res = await page(cursor)
    out.push(...(res.items || []))
    if (!res.next_cursor) break
    cursor = res.next_cursor
  }
  return out
}

export function loadBuildings(projectId, { force = false } = {}) {
  const key = Number(projectId)
  if (!key) return Promise.resolve([])
  if (force || !buildingCache.has(key)) {
    const p = fetchAll((cursor) => listBuildings(key, { limit: 200, cursor }))
    p.catch(() => buildingCache.delete(key))
    buildingCache.set(key, p)
  }
  return buildingCache.get(key)
}

export function forgetBuildings(projectId) {
  buildingCache.delete(Number(projectId))
}

export function roomLabel(r) {
  return [r.building_name, r.unit, r.number].filter(Boolean).join(' ')
}

// "2026-09-30T16:00:00+08:00" → "2026-09-30 16:00" (the project's wall clock).
export function shortTime(s) {
  const m = typeof s === 'string' && /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(s)
  return m ? `${m[1]} ${m[2]}` : s || '—'
}

// Labels of rooms named by id (resident lists carry room_ids only), fetched
// once per id, a few at a time.
export const roomNames = reactive({})
const roomQueue = []
let roomRunning = 0
export function rememberRooms(rooms) {
  for (const r of rooms || []) if (r && r.id) roomNames[r.id] = roomLabel(r)
}
export function ensureRooms(ids) {
  for (const id of ids || []) {
    if (roomNames[id] === undefined) {
      roomNames[id] = null // asked for
      roomQueue.push(id)
    }
  }
  pumpRooms()
}
function pumpRooms() {
  while (roomRunning < 4 && roomQueue.length) {
    const id = roomQueue.shift()
    roomRunning++
    getRoom(id)
      .then((r) => (roomNames[id] = roomLabel(r)))
      .catch(() => (roomNames[id] = `#${id}`))
      .finally(() => {
        roomRunning--
        pumpRooms()
      })
  }
}
