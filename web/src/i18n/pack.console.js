// The console's strings: each area's, zh-CN first, English second, the same keys in both.
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

export default {
  'zh-CN': { ...dashboardZh, ...ticketsZh, ...workZh, ...assetsZh, ...orgZh, ...settingsZh },
  en: { ...dashboardEn, ...ticketsEn, ...workEn, ...assetsEn, ...orgEn, ...settingsEn },
}
