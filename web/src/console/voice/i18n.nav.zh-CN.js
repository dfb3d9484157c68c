// 满意度's menu entry, in the console pack (the menu shows on the first route); the rest of
// the area's strings (i18n.zh-CN.js) load with its first screen.
export default { voice: { nav: { surveys: '满意度', improvements: '改进计划', meetings: '座谈会/神秘客' } } }
