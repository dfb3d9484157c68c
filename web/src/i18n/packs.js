// The message packs of the app's four parts, each fetched with the first page
// of its part (router.js), so the console's first route does not carry the
// resident, staff-phone and public strings, nor they the console's. Every
// area owns its own top-level keys, so one spread merges a part's areas.
import { i18n, LOCALES } from './index.js'

const PACKS = {
  console: () => import('./pack.console.js'),
  resident: () => import('./pack.resident.js'),
  workspace: () => import('./pack.workspace.js'),
  public: () => import('./pack.public.js'),
}
const loaded = new Map()

// The part of the app a path is in, as far as its strings go.
export function packOf(path) {
  const under = (p) => path === p || path.startsWith(p + '/')
  if (under('/m')) return 'resident'
  if (under('/w')) return 'workspace'
  if (under('/p') || under('/q') || under('/s')) return 'public'
  return 'console'
}

// Merges a part's strings into both locales once; later calls wait on the first.
export function loadPack(name) {
  if (!loaded.has(name)) {
    loaded.set(
      name,
      PACKS[name]().then((m) => {
        for (const loc of LOCALES) i18n.global.mergeLocaleMessage(loc, m.default[loc])
      }),
    )
  }
  return loaded.get(name)
}
