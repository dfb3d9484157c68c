// Public pages (no login), under /p/ and /q/ (what a QR label opens): a QR code on a community's notice board
// opens /p/{project code}, its disclosure board (信息公示). Keep these free of
// Element Plus and Vant so they load instantly on any phone. The exceptions are
// /s/{token}, a survey invitation (SMS, door slip): the resident's own survey form,
// so Vant and the resident strings, inside the resident pages' wrapper; and
// /s/p/{id}, a survey's lobby poster, which opens the same form per room.
import { loadPack } from '../i18n/packs.js'

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
  {
    // a survey's lobby poster (its QR code): a phone proof, then that phone's rooms' forms
    path: '/s/p/:id',
    component: () => import('../resident/ResidentRoot.vue'),
    beforeEnter: () => loadPack('resident').then(() => true),
    children: [
      {
        path: '',
        name: 'public-poster',
        component: () => import('./PublicPoster.vue'),
      },
    ],
  },
  {
    path: '/s/:token',
    component: () => import('../resident/ResidentRoot.vue'),
    beforeEnter: () => loadPack('resident').then(() => true),
    children: [
      {
        path: '',
        name: 'public-survey',
        component: () => import('./PublicSurvey.vue'),
      },
    ],
  },
]
