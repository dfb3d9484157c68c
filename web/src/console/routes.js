// Staff console routes (Element Plus). Add new screens as children of the
// shell route; each one is its own lazy chunk.
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
            meta: { titleKey: 'shell.workbench', icon: 'Odometer', menu: true },
          },
        ],
      },
    ],
  },
]
