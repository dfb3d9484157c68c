// One router for the whole app. Each area brings its own routes, and every
// page component is a lazy import, so the console (Element Plus), the
// resident pages (Vant) and the public pages load only their own code.
//
// Route meta.auth:
//   'staff'    needs a logged-in staff user, else → /login (/w/login for the
//              staff phone pages under /w/)
//   'resident' needs a logged-in resident, else → /m/login
//   'guest'    login pages: a logged-in user is sent on to their home
import { createRouter, createWebHistory } from 'vue-router'
import consoleRoutes from './console/routes.js'
import residentRoutes from './resident/routes.js'
import staffRoutes from './staff/routes.js'
import publicRoutes from './public/routes.js'
import { onUnauthorized } from './api.js'
import { loadPack, packOf } from './i18n/packs.js'
import { session, loadMe, hasSessionHint, isResident, sessionExpired } from './session.js'

const routes = [
  ...consoleRoutes,
  ...residentRoutes,
  ...staffRoutes,
  ...publicRoutes,
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./NotFound.vue'),
  },
]

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: (to, from, saved) => saved || { top: 0 },
})

function authOf(route) {
  for (let i = route.matched.length - 1; i >= 0; i--) {
    if (route.matched[i].meta.auth) return route.matched[i].meta.auth
  }
  return null
}

// Which part of the app a path is in: the resident pages (/m/), the staff
// phone pages (/w/) or the console.
export function areaOf(path) {
  const under = (p) => path === p || path.startsWith(p + '/')
  return under('/m') ? 'resident' : under('/w') ? 'workspace' : 'console'
}

// A user's home; staff stay in the part of the app they came to.
export function homeFor(user, area = 'console') {
  if (isResident(user)) return { name: 'resident-home' }
  return area === 'workspace' ? { name: 'staff-tasks' } : { name: 'workbench' }
}

const LOGIN = {
  resident: { name: 'resident-login', home: '/m/' },
  workspace: { name: 'staff-login', home: '/w/' },
  console: { name: 'login', home: '/' },
}

function loginFor(route) {
  const { name, home } = LOGIN[areaOf(route.path)]
  const redirect = route.fullPath
  return redirect && redirect !== home ? { name, query: { redirect } } : { name }
}

// A same-area path to go on to after a login (never another site).
export function safeRedirect(target, area) {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//')) return null
  if (target.startsWith('/api/') || areaOf(target.split(/[?#]/)[0]) !== area) return null
  return target
}

// First the strings of the part of the app the page is in (fetched once).
router.beforeEach((to) => loadPack(packOf(to.path)).then(() => true))

router.beforeEach(async (to) => {
  const auth = authOf(to)
  if (!auth) return true

  if (auth === 'guest') {
    // Only ask the server when this tab has logged in before.
    if (!hasSessionHint()) return true
    try {
      const user = await loadMe()
      if (!user) return true
      const area = areaOf(to.path)
      const next = area === 'workspace' && !isResident(user) && safeRedirect(to.query.redirect, area)
      return next || homeFor(user, area)
    } catch {
      return true // server unreachable: show the login page anyway
    }
  }

  let user
  try {
    user = await loadMe()
  } catch {
    // Server unreachable: let the page render and show its own error state.
    return true
  }
  if (!user) return loginFor(to)
  if (auth === 'staff' && isResident(user)) return { name: 'resident-home' }
  if (auth === 'resident' && !isResident(user)) return homeFor(user)
  return true
})

// A request answered 401 mid-session: forget the user and go to login.
onUnauthorized(() => {
  const cur = router.currentRoute.value
  const auth = authOf(cur)
  sessionExpired()
  if (auth === 'staff' || auth === 'resident') router.replace(loginFor(cur))
})

// A deploy replaced the hashed chunks while this tab was open: reload once.
router.onError((err, to) => {
  const msg = String((err && err.message) || '')
  if (/dynamically imported module|Importing a module script failed|Failed to fetch/i.test(msg)) {
    const key = 'anju.chunk_reload'
    if (sessionStorage.getItem(key) !== to.fullPath) {
      sessionStorage.setItem(key, to.fullPath)
      window.location.assign(to.fullPath)
    }
  }
})

export { session }
export default router
