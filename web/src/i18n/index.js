// vue-i18n setup: zh-CN by default, English switchable; the choice is kept in
// localStorage and mirrored to <html lang> and the page title.
import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN.js'
import en from './en.js'
// Only the strings the whole app shares are here; each part's (console,
// resident, staff phone, public) come with its first page: packs.js.
const messages = { 'zh-CN': zhCN, en }

export const LOCALES = ['zh-CN', 'en']
export const DEFAULT_LOCALE = 'zh-CN'
const STORAGE_KEY = 'anju.locale'

function savedLocale() {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY)
    if (LOCALES.includes(v)) return v
  } catch {
    /* storage disabled */
  }
  return DEFAULT_LOCALE
}

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: savedLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages,
  missingWarn: false,
  fallbackWarn: false,
})

function applyDocument(locale) {
  document.documentElement.lang = locale
  document.title = i18n.global.t('app.fullName')
}

export function setLocale(locale) {
  if (!LOCALES.includes(locale)) return
  i18n.global.locale.value = locale
  try {
    window.localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    /* storage disabled */
  }
  applyDocument(locale)
}

export function currentLocale() {
  return i18n.global.locale.value
}

applyDocument(currentLocale())

export default i18n
