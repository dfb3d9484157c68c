// The console's zh-CN strings: each area's, under its own top-level keys.
import dashboard from '../console/dashboard/i18n.zh-CN.js'
import tickets from '../console/tickets/i18n.zh-CN.js'
import work from '../console/work/i18n.zh-CN.js'
import assets from '../console/assets/i18n.zh-CN.js'
import patrol from '../console/patrol/i18n.zh-CN.js'
import quality from '../console/quality/i18n.zh-CN.js'
import voice from '../console/voice/i18n.nav.zh-CN.js' // the menu entry only: the rest is packs.js's voice
import org from '../console/org/i18n.zh-CN.js'
import settings from '../console/settings/i18n.zh-CN.js'

export default { ...dashboard, ...tickets, ...work, ...assets, ...patrol, ...quality, ...voice, ...org, ...settings }
