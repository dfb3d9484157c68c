// The invitation link's calls (/s/{token}, no login): the survey it opens and its answer.
import { api } from '../api.js'

// GET /public/surveys/{token} → {survey_id, title, project_name, state, dimensions,
// questions, answered, anonymous, closes_at}; 404 for an unknown token or a draft.
export function getSurveyLink(token) {
  return api.get(`/public/surveys/${encodeURIComponent(token)}`)
}

// POST /public/surveys/{token}/responses {answers, comments} → 201 {answered: true};
// 409 when answered or closed, 422 for bad answers.
export function answerSurveyLink(token, body) {
  return api.post(`/public/surveys/${encodeURIComponent(token)}/responses`, body)
}
