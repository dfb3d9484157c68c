// Console routes of 工单 (work orders): the queue, 我的工单 (the same screen
// filtered to the user), one ticket, and 来电登记 (desk intake). Child routes
// of the console shell (auth 'staff' inherited); meta.menu puts a screen in
// the side menu, meta.roles limits who sees the entry (the server enforces
// the rest). Every screen is its own lazy chunk.
const TicketQueue = () => import('./TicketQueue.vue')

export const routes = [
  {
    path: 'tickets',
    name: 'tickets',
    component: TicketQueue,
    meta: { titleKey: 'nav.queue', icon: 'Tickets', menu: true },
  },
  {
    path: 'my-tickets',
    name: 'my-tickets',
    component: TicketQueue,
    props: { mine: true },
    meta: { titleKey: 'nav.mine', icon: 'Checked', menu: true },
  },
  {
    path: 'tickets/:id(\\d+)',
    name: 'ticket',
    component: () => import('./TicketDetail.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { titleKey: 'nav.queue', menuPath: '/tickets' },
  },
  {
    path: 'intake',
    name: 'intake',
    component: () => import('./DeskIntake.vue'),
    meta: {
      titleKey: 'nav.intake',
      icon: 'PhoneFilled',
      menu: true,
      roles: ['desk', 'manager', 'admin', 'quality'],
    },
  },
]
export default routes
