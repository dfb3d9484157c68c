// The message packs of the app's four parts, one per language, each fetched
// with the first page of its part (router.js), in the language shown: the
// console's first route carries neither the resident, staff-phone and public
// strings nor the other language's. Switching language fetches the new one's
// packs of the parts already open before the switch. Every area owns its own
// top-level keys, so one spread merges a part's areas.
import { currentLocale, i18n, setLocale } from './index.js'

const PACKS = {
  console: { 'zh-CN': () => import('./pack.console.zh-CN.js'), en: () => import('./pack.console.en.js') },
  resident: { 'zh-CN': () => import('../resident/i18n.zh-CN.js'), en: () => import('../resident/i18n.en.js') },
  workspace: { 'zh-CN': () => import('../staff/i18n.zh-CN.js'), en: () => import('../staff/i18n.en.js') },
  public: { 'zh-CN': () => import('../public/i18n.zh-CN.js'), en: () => import('../public/i18n.en.js') },
  // 满意度 (console/voice): kept out of the console's first route, loaded by its routes
  voice: { 'zh-CN': () => import('../console/voice/i18n.zh-CN.js'), en: () => import('../console/voice/i18n.en.js') },
  meetings: { 'zh-CN': () => import('../console/voice/i18n.meetings.zh-CN.js'), en: () => import('../console/voice/i18n.meetings.en.js') },
}
const loaded = new Map() // "part locale" -> Promise
const parts = new Set() // the parts opened so far

// The part of the app a path is in, as far as its strings go.
export function packOf(path) {
  const under = (p) => path === p || path.startsWith(p + '/')
  if (under('/m')) return 'resident'
  if (under('/w')) return 'workspace'
  if (under('/p') || under('/q') || under('/s')) return 'public'
  return 'console'
}

function loadOne(name, locale) {
  const key = `${name} ${locale}`
  if (!loaded.has(key)) {
    loaded.set(
      key,
      PACKS[name][locale]().then((m) => i18n.global.mergeLocaleMessage(locale, m.default)),
    )
  }
  return loaded.get(key)
}

// Merges a part's strings in the language shown, once; later calls wait on the first.
export function loadPack(name) {
  parts.add(name)
  return loadOne(name, currentLocale())
}

// The language switch: the open parts' strings in the new language first, so
// no screen shows a key while they arrive.
export async function switchLocale(locale) {
  if (!PACKS.console[locale]) return
  await Promise.all([...parts].map((p) => loadOne(p, locale)))
  setLocale(locale)
}
