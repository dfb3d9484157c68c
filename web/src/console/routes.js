// Staff console routes (Element Plus). Screens are children of the shell
// route; each one is its own lazy chunk. meta.menu puts a screen in the side
// menu; meta.roles limits who sees the menu entry (the server enforces the
// rest). Organisation and settings bring their own route lists.
import * as orgModule from './org/OrgRoutes.js'
import * as settingsModule from './settings/SettingsRoutes.js'

const list = (m) => (Array.isArray(m.routes) ? m.routes : Array.isArray(m.default) ? m.default : [])
export const orgRoutes = list(orgModule)
export const settingsRoutes = list(settingsModule)

const TicketQueue = () => import('./views/TicketQueue.vue')

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
        children: [
          {
            path: '',
            name: 'workbench',
            component: () => import('./views/WorkbenchView.vue'),
            meta: { titleKey: 'nav.dashboard', icon: 'Odometer', menu: true },
          },
          {
            path: 'tickets',
            name: 'tickets',
            component: TicketQueue,
            meta: { titleKey: 'nav.queue', icon: 'Tickets', menu: true },
          },
          {
            path: 'my-tickets',
            name: 'my-tickets',
            component: TicketQueue,
            props: { mine: true },
            meta: { titleKey: 'nav.mine', icon: 'Checked', menu: true },
          },
          {
            path: 'tickets/:id(\\d+)',
            name: 'ticket',
            component: () => import('./views/TicketDetail.vue'),
            props: (route) => ({ id: Number(route.params.id) }),
            meta: { titleKey: 'nav.queue', menuPath: '/tickets' },
          },
          {
            path: 'intake',
            name: 'intake',
            component: () => import('./views/DeskIntake.vue'),
            meta: {
              titleKey: 'nav.intake',
              icon: 'PhoneFilled',
              menu: true,
              roles: ['desk', 'manager', 'admin', 'quality'],
            },
          },
          ...orgRoutes,
          ...settingsRoutes,
        ],
      },
    ],
  },
]
