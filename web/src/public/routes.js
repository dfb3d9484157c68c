// Public pages (no login), under /p/: e.g. a QR code on a notice board that
// opens a project's service information. Placeholder for now; keep these
// free of Element Plus and Vant so they load instantly.
export default [
  {
    path: '/p',
    children: [
      {
        path: '',
        name: 'public-home',
        component: () => import('./PublicHome.vue'),
      },
    ],
  },
]
