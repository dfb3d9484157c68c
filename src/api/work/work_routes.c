/* api/work/work_routes.c: the routes of the work context (plans and tasks). */
#include "api/work/work_api.h"

#define P "/api/v1"

const route work_routes[] = {
    {"GET", P "/plans", api_plans_list, 0, "List plans"},
    {"POST", P "/plans", api_plans_create, 0, "Create a plan (and its first tasks)"},
    {"GET", P "/plans/{id}", api_plans_get, 0, "Get a plan with its next occurrences"},
    {"PATCH", P "/plans/{id}", api_plans_update, 0,
     "Change or pause a plan (its future unstarted tasks are replaced)"},
    {"GET", P "/stats/tasks", api_tasks_stats, 0,
     "Scheduled work of a week done against planned, per plan (e.g. disinfections 3x a week)"},
    {"GET", P "/tasks", api_tasks_list, 0, "List tasks (mine=1: my tasks), by due time"},
    {"GET", P "/tasks/{id}", api_tasks_get, 0, "Get a task with its checklist and results"},
    {"POST", P "/tasks/{id}/actions/start", api_tasks_start, 0, "Start a task"},
    {"POST", P "/tasks/{id}/actions/skip", api_tasks_skip, 0, "Skip a task, with a reason"},
    {"POST", P "/tasks/{id}/actions/finish", api_tasks_finish, 0,
     "Finish a task (abnormal results open tickets)"},
    {"PUT", P "/tasks/{id}/results/{key}", api_tasks_result, 0,
     "Record the result of one checklist item"},
    {"POST", P "/tasks/{id}/results/{key}/recheck", api_tasks_recheck, 0,
     "Record the re-check (复检结果) of an abnormal item"},
};
const int work_nroutes = (int)(sizeof work_routes / sizeof work_routes[0]);
