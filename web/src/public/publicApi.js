// The API calls of the public pages (no login), one function each.
import { api } from '../api.js'

// GET /public/projects/{code}/disclosure → the disclosure board's figures.
export function getDisclosure(code) {
  return api.get(`/public/projects/${encodeURIComponent(code)}/disclosure`)
}
