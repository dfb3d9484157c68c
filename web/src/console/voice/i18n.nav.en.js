// 满意度's menu entry in English, in the console pack; the rest loads with the area (i18n.en.js).
export default { voice: { nav: { surveys: 'Satisfaction', improvements: 'Improvement plans', meetings: 'Meetings' } } }
