// The strings of the workspace pages (src/staff/).
import zh from '../staff/i18n.zh-CN.js'
import en from '../staff/i18n.en.js'

export default { 'zh-CN': zh, en }
