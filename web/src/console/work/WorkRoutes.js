// Console routes of 计划与任务 (scheduled work): 维保计划 (the plans, their
// recurrence in words and next occurrences) and 任务 (today's, the overdue and
// the missed tasks, by person) and 保洁 (the week's cleaning and greening
// rounds per plan, planned against done, and their records with photos). Child routes of the console shell (auth
// 'staff' inherited); meta.menu puts a screen in the side menu, meta.roles
// limits who sees the entry (the server enforces the rest). Every screen is
// its own lazy chunk. Front-line staff work their tasks on the phone (/w/).
export const routes = [
  {
    path: 'plans',
    name: 'work-plans',
    component: () => import('./PlansView.vue'),
    meta: { titleKey: 'work.nav.plans', icon: 'Calendar', menu: true, roles: ['admin', 'manager', 'quality'] },
  },
  {
    path: 'tasks',
    name: 'work-tasks',
    component: () => import('./TasksView.vue'),
    meta: { titleKey: 'work.nav.tasks', icon: 'List', menu: true, roles: ['admin', 'manager', 'quality', 'desk'] },
  },
  {
    path: 'cleaning',
    name: 'work-cleaning',
    component: () => import('./CleaningView.vue'),
    meta: { titleKey: 'work.nav.cleaning', icon: 'Finished', menu: true, roles: ['admin', 'manager', 'quality', 'desk'] },
  },
]
export default routes
