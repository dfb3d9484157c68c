// vue-i18n setup: zh-CN by default, English switchable; the choice is kept in
// localStorage and mirrored to <html lang> and the page title.
import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN.js'
import en from './en.js'
// Each area's strings live in its folder; zh-CN first, English second, the
// same keys in both.
import dashboardZh from '../console/dashboard/i18n.zh-CN.js'
import dashboardEn from '../console/dashboard/i18n.en.js'
import ticketsZh from '../console/tickets/i18n.zh-CN.js'
import ticketsEn from '../console/tickets/i18n.en.js'
import workZh from '../console/work/i18n.zh-CN.js'
import workEn from '../console/work/i18n.en.js'
import assetsZh from '../console/assets/i18n.zh-CN.js'
import assetsEn from '../console/assets/i18n.en.js'
import orgZh from '../console/org/i18n.zh-CN.js'
import orgEn from '../console/org/i18n.en.js'
import settingsZh from '../console/settings/i18n.zh-CN.js'
import settingsEn from '../console/settings/i18n.en.js'
import residentZh from '../resident/i18n.zh-CN.js'
import residentEn from '../resident/i18n.en.js'
import staffZh from '../staff/i18n.zh-CN.js'
import staffEn from '../staff/i18n.en.js'
import publicZh from '../public/i18n.zh-CN.js'
import publicEn from '../public/i18n.en.js'

// Every area owns its own top-level keys, so one spread merges them.
const messages = {
  'zh-CN': { ...zhCN, ...dashboardZh, ...ticketsZh, ...workZh, ...assetsZh, ...orgZh, ...settingsZh, ...residentZh, ...staffZh, ...publicZh },
  en: { ...en, ...dashboardEn, ...ticketsEn, ...workEn, ...assetsEn, ...orgEn, ...settingsEn, ...residentEn, ...staffEn, ...publicEn },
}

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
