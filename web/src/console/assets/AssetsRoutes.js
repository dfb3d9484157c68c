// Console routes of 设备台账 (the equipment book): the list with its filters and
// figures, each piece's record, history, downtime and PM in a drawer. Child
// routes of the console shell; meta.menu puts the screen in the side menu.
export const routes = [
  {
    path: 'equipment',
    name: 'assets-equipment',
    component: () => import('./EquipmentView.vue'),
    meta: { titleKey: 'assets.nav.equipment', icon: 'Monitor', menu: true, roles: ['admin', 'manager', 'quality', 'technician', 'desk'] },
  },
]
export default routes
