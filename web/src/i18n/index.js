// vue-i18n setup: zh-CN by default, English switchable; the choice is kept in
// localStorage and mirrored to <html lang> and the page title.
import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN.js'
import en from './en.js'
/* -- org, settings, resident and public pages -- */
import orgZh from './org.zh-CN.js'
import orgEn from './org.en.js'
import settingsZh from './settings.zh-CN.js'
import settingsEn from './settings.en.js'
import residentZh from './resident.zh-CN.js'
import residentEn from './resident.en.js'
const w2 = { 'zh-CN': { ...orgZh, ...settingsZh, ...residentZh }, en: { ...orgEn, ...settingsEn, ...residentEn } }
/* -- end W2 -- */

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
  messages: { 'zh-CN': { ...zhCN, ...w2['zh-CN'] }, en: { ...en, ...w2.en } },
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
