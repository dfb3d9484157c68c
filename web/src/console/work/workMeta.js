// Plan and task vocabulary the console mirrors from the server (API-quality.md
// "Plans and tasks", src/domain/work/). The server stays the judge: these only
// pick words, colours and which buttons to show.

export const PLAN_KINDS = ['pm', 'patrol', 'cleaning', 'inspection', 'drill', 'training', 'meeting', 'custom']
export const TASK_STATES = ['scheduled', 'in_progress', 'done', 'late', 'missed', 'skipped']
export const OPEN_STATES = ['scheduled', 'in_progress', 'missed'] // may still be worked or skipped
export const ITEM_TYPES = ['check', 'number', 'text', 'photo']
export const LEVELS = ['self', 'cross', 'spot']
export const ASSIGN_MODES = ['none', 'staff_id', 'role', 'department', 'skill']
// assign.role: who a plan may name by role (domain/work/plan.c).
export const ASSIGN_ROLES = ['technician', 'guard', 'cleaner', 'desk', 'quality', 'manager']
// The departments a staff record carries (org/StaffView.vue).
export const DEPARTMENTS = ['客服', '工程', '秩序', '保洁', '绿化', '品质', '管理']

export const STATE_TAG = {
  scheduled: 'info',
  in_progress: 'primary',
  done: 'success',
  late: 'warning',
  missed: 'danger',
  skipped: 'info',
}

// Who may write plans and skip tasks (plan.c, task_action.c).
export function mayManage(user) {
  return ['admin', 'manager', 'quality'].includes(user?.role)
}

// A result is abnormal when ok is false (a number outside its range is
// stored as ok:false by the server).
export function isAbnormal(result) {
  return !!result && result.ok === false
}

// The assignment rule in words: "王师傅" / "角色：技术员" / "部门：工程" / "技能：电工" / "—".
export function assignText(t, te, assign, staffName) {
  const a = assign || {}
  if (a.staff_id) return staffName(a.staff_id) || t('work.assign.staffN', { id: a.staff_id })
  if (a.role) return t('work.assign.byRole', { v: te(`roles.${a.role}`) ? t(`roles.${a.role}`) : a.role })
  if (a.department) return t('work.assign.byDepartment', { v: a.department })
  if (a.skill) return t('work.assign.bySkill', { v: a.skill })
  return t('work.assign.nobody')
}

// 600 → "10小时", 10080 → "7天", 45 → "45分钟".
export function windowText(t, minutes) {
  const m = Number(minutes) || 0
  if (m && m % 1440 === 0) return t('work.window.days', { n: m / 1440 })
  if (m && m % 60 === 0) return t('work.window.hours', { n: m / 60 })
  return t('work.window.minutes', { n: m })
}
