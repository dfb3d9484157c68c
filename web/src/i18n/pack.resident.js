// The strings of the resident pages (src/resident/).
import zh from '../resident/i18n.zh-CN.js'
import en from '../resident/i18n.en.js'

export default { 'zh-CN': zh, en }
