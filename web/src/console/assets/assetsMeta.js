// The equipment book's enumerations as the API spells them (API-quality.md
// "Equipment"), in the order the screens show them.
export const CLASSES = ['elevator', 'fire', 'water', 'power', 'hvac', 'lighting', 'access', 'cctv', 'other']
export const STATUSES = ['in_service', 'down', 'retired']
export const STATUS_TAG = { in_service: 'success', down: 'danger', retired: 'info' }
export const INTACT_TARGET = 0.98 // 设备完好率 ≥ 98 % (the seeds)
// Admins, managers and technicians (工程) change the book; the server says the rest.
export function mayEdit(user) {
  return ['admin', 'manager', 'technician'].includes(user?.role)
}
