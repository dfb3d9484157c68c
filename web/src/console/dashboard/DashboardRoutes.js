// Console routes of 工作台 (the dashboard): the console's home screen, today's
// figures and the user's own open tickets. A child route of the console shell
// (auth 'staff' inherited); its lazy chunk loads ECharts only after the figures.
export const routes = [
  {
    path: '',
    name: 'workbench',
    component: () => import('./WorkbenchView.vue'),
    meta: { titleKey: 'nav.dashboard', icon: 'Odometer', menu: true },
  },
]
export default routes
