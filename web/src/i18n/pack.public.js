// The strings of the public pages (src/public/).
import zh from '../public/i18n.zh-CN.js'
import en from '../public/i18n.en.js'

export default { 'zh-CN': zh, en }
