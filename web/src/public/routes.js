// Public pages (no login), under /p/ and /q/ (what a QR label opens): a QR code on a community's notice board
// opens /p/{project code}, its disclosure board (信息公示). Keep these free of
// Element Plus and Vant so they load instantly on any phone.
export default [
  {
    path: '/p',
    children: [
      {
        path: '',
        name: 'public-home',
        component: () => import('./PublicHome.vue'),
      },
      {
        path: ':code',
        name: 'public-disclosure',
        component: () => import('./PublicDisclosure.vue'),
      },
    ],
  },
  {
    path: '/q/e/:token',
    name: 'public-equipment',
    component: () => import('./EquipmentReport.vue'),
  },
]
