// Console routes of 巡更 (patrols): 今日巡更 (today's rounds of the project, live as
// guards scan, a miss announced at once) and 巡更路线 (the routes and their
// checkpoints, the QR labels to print). Child routes of the console shell;
// meta.menu puts a screen in the side menu. Guards walk the rounds on the phone (/w/).
export const routes = [
  {
    path: 'patrol',
    name: 'patrol-board',
    component: () => import('./PatrolBoard.vue'),
    meta: { titleKey: 'patrol.nav.board', icon: 'Guide', menu: true, roles: ['admin', 'manager', 'quality', 'desk'] },
  },
  {
    path: 'patrol/routes',
    name: 'patrol-routes',
    component: () => import('./RoutesView.vue'),
    meta: { titleKey: 'patrol.nav.routes', icon: 'Location', menu: true, roles: ['admin', 'manager', 'quality', 'desk'] },
  },
]
export default routes
