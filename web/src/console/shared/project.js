// The console's current project (项目切换). Staff of several projects pick
// one (or "all"); the choice is remembered per user in localStorage and is
// the default scope of the dashboard, the queue and the intake form.
import { computed, reactive } from 'vue'
import { session } from '../../session.js'

const KEY = 'anju.project.'
export const projectState = reactive({ id: null, userId: null })

export const projects = computed(() => (Array.isArray(session.user?.projects) ? session.user.projects : []))

function load(userId) {
  try {
    const v = window.localStorage.getItem(KEY + userId)
    return v === null ? undefined : v === 'all' ? null : Number(v)
  } catch {
    return undefined
  }
}

function save(userId, id) {
  try {
    window.localStorage.setItem(KEY + userId, id === null ? 'all' : String(id))
  } catch {
    /* storage disabled: the choice lasts this page only */
  }
}

// Called by the shell whenever the user (re)loads: keeps the saved choice if
// it still names one of the user's projects.
export function syncProject() {
  const user = session.user
  if (!user) return
  const list = projects.value
  if (projectState.userId !== user.id) {
    projectState.userId = user.id
    projectState.id = load(user.id) ?? null
  }
  if (list.length === 1) projectState.id = list[0].id
  else if (projectState.id !== null && !list.some((p) => p.id === projectState.id)) projectState.id = null
}

export function setProject(id) {
  projectState.id = id === null || id === undefined || id === '' ? null : Number(id)
  if (session.user) save(session.user.id, projectState.id)
}

export function projectName(id) {
  const p = projects.value.find((x) => x.id === Number(id))
  return p ? p.name : id ? `#${id}` : ''
}

export const currentProject = computed(() => projects.value.find((p) => p.id === projectState.id) || null)
