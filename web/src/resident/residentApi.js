// Every API call of the resident phone pages (/m/), in one place (the login
// calls are session.js's, through sessionApi.js).
import { api, API_BASE } from '../api.js'

export const MAX_PHOTOS = 9 // TICKET_MAX_PHOTOS on the server

let categoriesCache = null
export function loadCategories() {
  if (!categoriesCache) {
    categoriesCache = api.get('/categories').then(
      (r) => (r && Array.isArray(r.items) ? r.items : []),
      (e) => {
        categoriesCache = null
        throw e
      },
    )
  }
  return categoriesCache
}

export function listTickets(query) {
  return api.get('/tickets', { query })
}

export function getTicket(id) {
  return api.get(`/tickets/${encodeURIComponent(id)}`)
}

export function createTicket(body) {
  return api.post('/tickets', body)
}

export function act(id, action, body) {
  return api.post(`/tickets/${encodeURIComponent(id)}/actions/${action}`, body || {})
}

export function fileUrl(id) {
  return `${API_BASE}/files/${encodeURIComponent(id)}`
}

// Phone cameras take 3–8 MB photos; a 1600 px JPEG is plenty to show a leak
// and uploads in a second over mobile data. Anything the browser cannot
// decode is sent as it is (the server checks the content either way).
const MAX_SIDE = 1600
async function shrink(file) {
  if (!file || !/^image\/(jpeg|png|webp)$/.test(file.type) || file.size < 400 * 1024) return file
  if (typeof createImageBitmap !== 'function') return file
  try {
    const bmp = await createImageBitmap(file)
    const scale = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height))
    const w = Math.round(bmp.width * scale)
    const h = Math.round(bmp.height * scale)
    const canvas = document.createElement('canvas')
    canvas.width = w
    canvas.height = h
    canvas.getContext('2d').drawImage(bmp, 0, 0, w, h)
    bmp.close && bmp.close()
    const blob = await new Promise((ok) => canvas.toBlob(ok, 'image/jpeg', 0.85))
    return blob && blob.size < file.size ? new File([blob], 'photo.jpg', { type: 'image/jpeg' }) : file
  } catch {
    return file
  }
}

export async function uploadPhoto(file, projectId) {
  const body = new FormData()
  body.append('file', await shrink(file))
  if (projectId) body.append('project_id', String(projectId))
  return api.post('/files', body, { timeout: 60000 })
}
