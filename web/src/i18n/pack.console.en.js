// The console's English strings: each area's, under its own top-level keys.
import dashboard from '../console/dashboard/i18n.en.js'
import tickets from '../console/tickets/i18n.en.js'
import work from '../console/work/i18n.en.js'
import assets from '../console/assets/i18n.en.js'
import patrol from '../console/patrol/i18n.en.js'
import quality from '../console/quality/i18n.en.js'
import voice from '../console/voice/i18n.nav.en.js' // the menu entry only: the rest is packs.js's voice
import org from '../console/org/i18n.en.js'
import settings from '../console/settings/i18n.en.js'

export default { ...dashboard, ...tickets, ...work, ...assets, ...patrol, ...quality, ...voice, ...org, ...settings }
