// Console routes of 设置 (settings): SLA policies and the working-day
// calendar. Child routes of the console shell; the shell's menu entry links
// to '/settings', which opens the SLA tab.
export const routes = [
  {
    path: 'settings',
    component: () => import('./SettingsLayout.vue'),
    meta: { titleKey: 'settings.title' },
    children: [
      { path: '', name: 'settings', redirect: { name: 'settings-sla' } },
      {
        path: 'sla',
        name: 'settings-sla',
        component: () => import('./SlaPoliciesView.vue'),
        meta: { titleKey: 'settings.tabs.sla', tab: 'sla' },
      },
      {
        path: 'calendar',
        name: 'settings-calendar',
        component: () => import('./CalendarView.vue'),
        meta: { titleKey: 'settings.tabs.calendar', tab: 'calendar' },
      },
    ],
  },
]
export default routes
