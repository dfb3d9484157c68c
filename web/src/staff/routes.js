// Staff phone pages (Vant), under /w/: 我的任务, one task answered item by
// item (a patrol round: its checkpoints and their scans), 扫码 (a QR on a
// device opens its task, a checkpoint's its check-in page /w/c/{token}), the
// ticket an abnormal finding opened, and 整改 (the rectifications an
// inspection raised: submitted by the department, re-checked by quality). For technicians, guards and cleaners on site — any
// staff may use them. Keep this area light like /m/: never import Element Plus
// or ECharts here; the QR decoder loads only on the scan page.
export default [
  {
    path: '/w',
    component: () => import('./StaffRoot.vue'),
    children: [
      {
        path: '',
        name: 'staff-tasks',
        component: () => import('./StaffTasks.vue'),
        meta: { auth: 'staff' },
      },
      {
        path: 'login',
        name: 'staff-login',
        component: () => import('./StaffLogin.vue'),
        meta: { auth: 'guest' },
      },
      {
        path: 'tasks/:id(\\d+)',
        name: 'staff-task',
        component: () => import('./StaffTask.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { auth: 'staff' },
      },
      {
        path: 'c/:token([A-Za-z0-9_-]+)',
        name: 'staff-checkpoint',
        component: () => import('./StaffCheckpoint.vue'),
        props: (route) => ({ token: String(route.params.token) }),
        meta: { auth: 'staff' },
      },
      {
        path: 'visitors',
        name: 'staff-visitors',
        component: () => import('./StaffVisitors.vue'),
        meta: { auth: 'staff' },
      },
      {
        path: 'scan',
        name: 'staff-scan',
        component: () => import('./StaffScan.vue'),
        meta: { auth: 'staff' },
      },
      {
        path: 'rectifications',
        name: 'staff-rectifications',
        component: () => import('./StaffRectifications.vue'),
        meta: { auth: 'staff' },
      },
      {
        path: 'rectifications/:id(\\d+)',
        name: 'staff-rectification',
        component: () => import('./StaffRectification.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { auth: 'staff' },
      },
      {
        path: 'tickets/:id(\\d+)',
        name: 'staff-ticket',
        component: () => import('./StaffTicket.vue'),
        props: (route) => ({ id: Number(route.params.id) }),
        meta: { auth: 'staff' },
      },
    ],
  },
]
