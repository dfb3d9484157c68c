// Console routes of 组织 (organisation): projects, buildings, rooms, residents,
// departments, staff and the Excel import. Child routes of the console shell (auth 'staff'
// inherited); the shell's menu entry links to '/org', the first route here,
// which opens the projects tab. Every screen is its own lazy chunk, and the
// Excel libraries load only when a sheet is read or a template written.
export const routes = [
  {
    path: 'org',
    component: () => import('./OrgLayout.vue'),
    meta: { titleKey: 'org.title' },
    children: [
      { path: '', name: 'org', redirect: { name: 'org-projects' } },
      {
        path: 'projects',
        name: 'org-projects',
        component: () => import('./ProjectsView.vue'),
        meta: { titleKey: 'org.tabs.projects', tab: 'projects' },
      },
      {
        path: 'buildings',
        name: 'org-buildings',
        component: () => import('./BuildingsView.vue'),
        meta: { titleKey: 'org.tabs.buildings', tab: 'buildings' },
      },
      {
        path: 'rooms',
        name: 'org-rooms',
        component: () => import('./RoomsView.vue'),
        meta: { titleKey: 'org.tabs.rooms', tab: 'rooms' },
      },
      {
        path: 'residents',
        name: 'org-residents',
        component: () => import('./ResidentsView.vue'),
        meta: { titleKey: 'org.tabs.residents', tab: 'residents' },
      },
      {
        path: 'departments',
        name: 'org-departments',
        component: () => import('./DepartmentsView.vue'),
        meta: { titleKey: 'org.tabs.departments', tab: 'departments' },
      },
      {
        path: 'staff',
        name: 'org-staff',
        component: () => import('./StaffView.vue'),
        meta: { titleKey: 'org.tabs.staff', tab: 'staff' },
      },
      {
        path: 'import',
        name: 'org-import',
        component: () => import('./ImportView.vue'),
        meta: { titleKey: 'org.tabs.import', tab: 'import' },
      },
    ],
  },
]
export default routes
