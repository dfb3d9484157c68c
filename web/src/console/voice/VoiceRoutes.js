// Console routes of 满意度 (voice: satisfaction surveys): the surveys of the current project
// (or all the user's) with 新建调查, 发布 and 结束, and one survey's page — the live response
// board, the results by dimension with the charts, the comments, the invitation links.
// Child routes of the console shell; every screen is its own lazy chunk, and the area's
// strings (i18n.<locale>.js) load with its first screen, not with the console's first route.
import { loadPack } from '../../i18n/packs.js'

const strings = () => loadPack('voice').then(() => true)
// 改进计划: one small chunk for both routes (ImprovementsPage.js)
const improvementsPage = () => import('./ImprovementsPage.js')
// 座谈会 / 神秘客: one menu entry, two tabs, one chunk (MeetingsPage.vue), their own strings
const meetingsPage = () => import('./MeetingsPage.vue')
const meetingStrings = () => loadPack('meetings').then(() => true)

export const routes = [
  {
    path: 'voice/surveys',
    name: 'voice-surveys',
    component: () => import('./SurveysView.vue'),
    beforeEnter: strings,
    meta: { titleKey: 'voice.nav.surveys', icon: 'Notebook', menu: true, roles: ['admin', 'manager', 'quality'] },
  },
  {
    path: 'voice/surveys/:id(\\d+)',
    name: 'voice-survey',
    component: () => import('./SurveyView.vue'),
    beforeEnter: strings,
    meta: { titleKey: 'voice.nav.surveys', menuPath: '/voice/surveys', roles: ['admin', 'manager', 'quality'] },
  },
  {
    path: 'voice/improvements',
    name: 'voice-improvements',
    component: improvementsPage,
    beforeEnter: strings,
    meta: { titleKey: 'voice.nav.improvements', icon: 'Finished', menu: true, roles: ['admin', 'manager', 'quality'] },
  },
  {
    path: 'voice/improvements/:id(\\d+)',
    name: 'voice-improvement',
    component: improvementsPage,
    beforeEnter: strings,
    meta: { titleKey: 'voice.nav.improvements', menuPath: '/voice/improvements' },
  },
  {
    path: 'voice/meetings',
    name: 'voice-meetings',
    component: meetingsPage,
    beforeEnter: meetingStrings,
    meta: { titleKey: 'voice.nav.meetings', icon: 'Guide', menu: true, roles: ['admin', 'manager', 'quality', 'desk'] },
  },
  { path: 'voice/mystery', name: 'voice-mystery', component: meetingsPage, beforeEnter: meetingStrings, meta: { menuPath: '/voice/meetings' } },
]
export default routes
