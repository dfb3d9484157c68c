// The survey poster's calls (/s/p/{id}, what the lobby poster's QR code opens; no login):
// the open survey it shows, an SMS code for a phone, and the phone's rooms for the code.
import { api } from '../api.js'

// GET /public/survey-posters/{id} → {survey_id, title, period, project_name, state,
// anonymous, closes_at}; 404 unless the survey is open.
export function getSurveyPoster(id) {
  return api.get(`/public/survey-posters/${encodeURIComponent(id)}`)
}

// POST /public/survey-posters/{id}/code {phone} → 204 for any mainland mobile (a code is
// sent only to a resident's phone on record); 422 field phone; 429 with Retry-After.
export function sendPosterCode(id, phone) {
  return api.post(`/public/survey-posters/${encodeURIComponent(id)}/code`, { phone })
}

// POST /public/survey-posters/{id}/rooms {phone, code} → {survey_id, rooms: [{room, token,
// answered}]}, each token an invitation link's (/s/{token}); 401 field code for a wrong or
// expired code, 404 when the phone has no invited room.
export function posterRooms(id, phone, code) {
  return api.post(`/public/survey-posters/${encodeURIComponent(id)}/rooms`, { phone, code })
}
