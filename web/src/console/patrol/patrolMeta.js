// Patrol vocabulary the console mirrors from the server (src/domain/patrol/):
// the flags a scan may carry, who edits routes.

export const FLAGS = ['far', 'speed', 'burst', 'device']
export const FLAG_TAG = { far: 'danger', speed: 'warning', burst: 'warning', device: 'danger' }

// Who may create and change routes (admins, managers, quality; guards on the phone).
export function mayEditRoutes(user) {
  return ['admin', 'manager', 'quality'].includes(user?.role)
}
