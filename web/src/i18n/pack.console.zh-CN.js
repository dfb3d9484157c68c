// The console's zh-CN strings: each area's, under its own top-level keys.
import dashboard from '../console/dashboard/i18n.zh-CN.js'
import tickets from '../console/tickets/i18n.zh-CN.js'
import work from '../console/work/i18n.zh-CN.js'
import assets from '../console/assets/i18n.zh-CN.js'
import patrol from '../console/patrol/i18n.zh-CN.js'
import quality from '../console/quality/i18n.zh-CN.js'
import org from '../console/org/i18n.zh-CN.js'
import settings from '../console/settings/i18n.zh-CN.js'

export default { ...dashboard, ...tickets, ...work, ...assets, ...patrol, ...quality, ...org, ...settings }
