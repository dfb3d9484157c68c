// Staff console routes (Element Plus). The login page, and the shell route
// whose children are the areas' screens: each area (console/<area>/) brings
// its own route list, every screen is its own lazy chunk. meta.menu puts a
// screen in the side menu; meta.roles limits who sees the menu entry (the
// server enforces the rest). Organisation and settings get one menu entry
// each (see ConsoleShell), linking to their first route.
import * as dashboardModule from './dashboard/DashboardRoutes.js'
import * as ticketsModule from './tickets/TicketsRoutes.js'
import * as workModule from './work/WorkRoutes.js'
import * as assetsModule from './assets/AssetsRoutes.js'
import * as patrolModule from './patrol/PatrolRoutes.js'
import * as qualityModule from './quality/QualityRoutes.js'
import * as voiceModule from './voice/VoiceRoutes.js'
import * as orgModule from './org/OrgRoutes.js'
import * as settingsModule from './settings/SettingsRoutes.js'

const list = (m) => (Array.isArray(m.routes) ? m.routes : Array.isArray(m.default) ? m.default : [])
export const dashboardRoutes = list(dashboardModule)
export const ticketsRoutes = list(ticketsModule)
export const workRoutes = list(workModule)
export const assetsRoutes = list(assetsModule)
export const patrolRoutes = list(patrolModule)
export const qualityRoutes = list(qualityModule)
export const voiceRoutes = list(voiceModule)
export const orgRoutes = list(orgModule)
export const settingsRoutes = list(settingsModule)

export default [
  {
    path: '/',
    component: () => import('./ConsoleRoot.vue'),
    children: [
      {
        path: 'login',
        name: 'login',
        component: () => import('./LoginPage.vue'),
        meta: { auth: 'guest' },
      },
      {
        path: '',
        component: () => import('./ConsoleShell.vue'),
        meta: { auth: 'staff' },
        // The menu follows this order: 工作台, the ticket screens, 维保计划 and
        // 任务, 设备台账, 今日巡更 and 巡更路线, 服务标准 and 整改, 满意度, 组织, 设置.
        children: [...dashboardRoutes, ...ticketsRoutes, ...workRoutes, ...assetsRoutes, ...patrolRoutes, ...qualityRoutes, ...voiceRoutes, ...orgRoutes, ...settingsRoutes],
      },
    ],
  },
]
