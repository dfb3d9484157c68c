/* api/voice/voice_routes.c: the routes of the voice context (satisfaction surveys, improvement plans). */
#include "api/voice/voice_api.h"

#define P "/api/v1"

const route voice_routes[] = {
    {"GET", P "/surveys", api_surveys_list, 0, "Satisfaction surveys (满意度调查) by project and state"},
    {"POST", P "/surveys", api_surveys_create, 0,
     "Draft a survey (the 8 seed dimensions and questions by default)"},
    {"GET", P "/surveys/{id}", api_surveys_get, 0, "Get a survey"},
    {"PATCH", P "/surveys/{id}", api_surveys_update, 0,
     "Change a survey (the questionnaire only in draft)"},
    {"POST", P "/surveys/{id}/actions/{action}", api_surveys_action, 0,
     "open (invite every occupied room) or close"},
    {"GET", P "/surveys/{id}/results", api_surveys_results, 0,
     "Scores per dimension, rates, margin of error, coverage by building, comments"},
    {"GET", P "/surveys/{id}/responses", api_surveys_responses, 0,
     "The answers as kept: building and day, never a room"},
    {"GET", P "/surveys/{id}/links", api_surveys_links, 0,
     "The rooms' invitation links (/s/{token}) for SMS and door slips"},
    {"POST", P "/surveys/{id}/responses", api_surveys_answer, 0, "A resident answers for a room"},
    {"GET", P "/me/surveys", api_me_surveys, 0, "A resident's open surveys not answered yet"},
    {"GET", P "/public/surveys/{token}", api_public_survey_get, ROUTE_PUBLIC,
     "The survey an invitation link opens (no login)"},
    {"POST", P "/public/surveys/{token}/responses", api_public_survey_answer, ROUTE_PUBLIC,
     "Answer through an invitation link (no login)"},
    {"GET", P "/improvements", api_improvements_list, 0, "Improvement plans (改进计划, PDCA) by state and source"},
    {"POST", P "/improvements", api_improvements_create, 0, "Raise an improvement plan"},
    {"GET", P "/improvements/{id}", api_improvements_get, 0, "An improvement plan with its measures and notes"},
    {"POST", P "/improvements/{id}/actions/{action}", api_improvements_action, 0,
     "analyse, approve, reject, progress, check (re-measured from live data), cancel"},
    {"GET", P "/stats/complaint-hotspots", api_complaint_hotspots, 0,
     "The month's Pareto of complaint categories and the plans it proposes"},
    {"GET", P "/public/projects/{code}/improvements", api_public_improvements, ROUTE_PUBLIC,
     "A project's public improvement plans and its latest survey's scores (no login)"},
};
const int voice_nroutes = (int)(sizeof voice_routes / sizeof voice_routes[0]);
