// Every API call of the console's organisation screens (projects, buildings,
// rooms, residents, departments, staff, the Excel import), one function each. Lists take
// the API's query ({limit, cursor, with_total, q, active, …}) and answer
// {items, next_cursor, total?}; create and update answer the record.
import { api } from '../../api.js'

// ---- projects ----
export function listProjects(query) {
  return api.get('/projects', { query })
}

export function createProject(body) {
  return api.post('/projects', body)
}

export function updateProject(id, body) {
  return api.patch(`/projects/${id}`, body)
}

// ---- buildings ----
export function listBuildings(projectId, query) {
  return api.get(`/projects/${projectId}/buildings`, { query })
}

export function createBuilding(projectId, body) {
  return api.post(`/projects/${projectId}/buildings`, body)
}

export function updateBuilding(id, body) {
  return api.patch(`/buildings/${id}`, body)
}

// ---- rooms ----
export function listRooms(projectId, query) {
  return api.get(`/projects/${projectId}/rooms`, { query })
}

export function getRoom(id) {
  return api.get(`/rooms/${id}`)
}

export function createRoom(projectId, body) {
  return api.post(`/projects/${projectId}/rooms`, body)
}

export function updateRoom(id, body) {
  return api.patch(`/rooms/${id}`, body)
}

// ---- residents ----
export function listResidents(projectId, query) {
  return api.get(`/projects/${projectId}/residents`, { query })
}

export function createResident(projectId, body) {
  return api.post(`/projects/${projectId}/residents`, body)
}

export function updateResident(id, body) {
  return api.patch(`/residents/${id}`, body)
}

export function setResidentPassword(id, password) {
  return api.post(`/residents/${id}/password`, { password })
}

// ---- departments (部门: name, function, parent) ----
export function listDepartments(query) {
  return api.get('/departments', { query })
}

export function createDepartment(body) {
  return api.post('/departments', body)
}

export function updateDepartment(id, body) {
  return api.patch(`/departments/${id}`, body)
}

// ---- staff ----
export function listStaff(query) {
  return api.get('/staff', { query })
}

export function createStaff(body) {
  return api.post('/staff', body)
}

export function updateStaff(id, body) {
  return api.patch(`/staff/${id}`, body)
}

// Sends the member a one-time code by SMS to set a new password themselves
// (a manager may not set another person's password). → { phone_hint, expires_at }.
export function startStaffPasswordReset(id) {
  return api.post(`/staff/${id}/password-reset`)
}

// ---- categories (the skills a technician may have) ----
export function listCategories() {
  return api.get('/categories')
}
