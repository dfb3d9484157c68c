/* api/voice/voice_api.h: the HTTP face of the voice context (the residents' voice):
 * handlers and the route table (voice_routes.c). */
#ifndef AJ_VOICE_API_H
#define AJ_VOICE_API_H
#include <jansson.h>

#include "domain/voice/voice.h"
#include "http/router.h"

/* ---- surveys: the questionnaire, its life, its results (surveys_api.c) ---- */
void api_surveys_list(req *r);
void api_surveys_export(req *r);
void api_surveys_poster(req *r);
void api_public_poster_get(req *r);
void api_public_poster_code(req *r);
void api_public_poster_rooms(req *r);
void api_surveys_create(req *r);
void api_surveys_get(req *r);
void api_surveys_update(req *r);
void api_surveys_action(req *r);
void api_surveys_results(req *r);
void api_surveys_responses(req *r);
void api_surveys_links(req *r);
json_t *surveys_api_json(const survey *s);

/* ---- answering: residents and invitation links (survey_answers_api.c) ---- */
void api_me_surveys(req *r);
void api_surveys_answer(req *r);
void api_public_survey_get(req *r);
void api_public_survey_answer(req *r);

/* ---- improvement plans (improvements_api.c) ---- */
void api_improvements_list(req *r);
void api_improvements_create(req *r);
void api_improvements_get(req *r);
void api_improvements_action(req *r);
void api_public_improvements(req *r);
void api_complaint_hotspots(req *r);

/* ---- meetings and mystery visits (meetings_api.c) ---- */
void api_meetings_list(req *r);
void api_meetings_create(req *r);
void api_meetings_get(req *r);
void api_meetings_topic(req *r);
void api_mystery_list(req *r);
void api_mystery_create(req *r);
void api_mystery_get(req *r);
void api_mystery_plan(req *r);

extern const route voice_routes[];
extern const int voice_nroutes;

#endif
