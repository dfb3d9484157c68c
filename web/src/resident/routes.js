// Resident phone pages (Vant), under /m/. Keep this area light: it is opened
// on phones over mobile networks; never import Element Plus or ECharts here.
export default [
  {
    path: '/m',
    component: () => import('./ResidentRoot.vue'),
    children: [
      {
        path: '',
        name: 'resident-home',
        component: () => import('./ResidentHome.vue'),
        meta: { auth: 'resident' },
      },
      {
        path: 'login',
        name: 'resident-login',
        component: () => import('./ResidentLogin.vue'),
        meta: { auth: 'guest' },
      },
      {
        // ?kind=repair|complaint|inquiry|suggestion|praise
        path: 'report',
        name: 'resident-report',
        component: () => import('./ResidentReport.vue'),
        meta: { auth: 'resident' },
      },
      {
        path: 'tickets',
        name: 'resident-tickets',
        component: () => import('./ResidentTickets.vue'),
        meta: { auth: 'resident' },
      },
      {
        path: 'visitors',
        name: 'resident-visitors',
        component: () => import('./ResidentVisitors.vue'),
        meta: { auth: 'resident' },
      },
      {
        // 我的反馈: the latest closed survey's scores and the plans from residents' voices
        path: 'feedback',
        name: 'resident-feedback',
        component: () => import('./ResidentFeedback.vue'),
        meta: { auth: 'resident' },
      },
      {
        path: 'password',
        name: 'resident-password',
        component: () => import('./ResidentPassword.vue'),
        meta: { auth: 'resident' },
      },
      {
        // 满意度调查 for one of my rooms: ?room_id=
        path: 'surveys/:id(\\d+)',
        name: 'resident-survey',
        component: () => import('./ResidentSurvey.vue'),
        meta: { auth: 'resident' },
      },
      {
        path: 'tickets/:id(\\d+)',
        name: 'resident-ticket',
        component: () => import('./ResidentTicket.vue'),
        meta: { auth: 'resident' },
      },
    ],
  },
]
