// Console routes of 品质 (quality): 品质检查 (the three-level inspections: plans,
// records and scores with the weekly self-check report), 服务标准 (the service-standards catalogue, by
// department and service level; admins and quality edit it) and 整改 (the current
// project's rectifications as a board: 待整改, 待复检, 已通过, 已取消). Child routes
// of the console shell; meta.menu puts a screen in the side menu.
export const routes = [
  {
    path: 'quality/inspections',
    name: 'quality-inspections',
    component: () => import('./InspectionsView.vue'),
    meta: { titleKey: 'quality.nav.insp', icon: 'Checked', menu: true, roles: ['admin', 'manager', 'quality'] },
  },
  {
    path: 'quality/standards',
    name: 'quality-standards',
    component: () => import('./StandardsView.vue'),
    meta: { titleKey: 'quality.nav.standards', icon: 'Notebook', menu: true, roles: ['admin', 'manager', 'quality', 'desk'] },
  },
  {
    path: 'quality/rectifications',
    name: 'quality-rectifications',
    component: () => import('./RectificationsView.vue'),
    meta: { titleKey: 'quality.nav.rect', icon: 'Finished', menu: true, roles: ['admin', 'manager', 'quality'] },
  },
]
export default routes
