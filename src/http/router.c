/* http/router.c: the route table and dispatch: match, authenticate, call. */
#include <string.h>

#include "api/api.h"
#include "http/server.h"

#define P "/api/v1"

static const route router_routes[] = {
    {"GET", "/healthz", api_healthz, ROUTE_PUBLIC, "Liveness and database check"},
    {"GET", "/metrics", api_metrics, ROUTE_PUBLIC, "Prometheus metrics"},
    {"GET", P "/openapi.json", api_openapi, ROUTE_PUBLIC, "This API as OpenAPI 3"},

    {"POST", P "/auth/login", api_login, ROUTE_PUBLIC, "Log in with username and password"},
    {"POST", P "/auth/logout", api_logout, 0, "End the session"},
    {"POST", P "/auth/resident/code", api_resident_code, ROUTE_PUBLIC, "Send a one-time code"},
    {"POST", P "/auth/resident/login", api_resident_login, ROUTE_PUBLIC, "Log in with a code"},
    {"GET", P "/me", api_me, 0, "The caller, role, projects and rooms"},

    {"GET", P "/projects", api_projects_list, 0, "List projects"},
    {"POST", P "/projects", api_projects_create, 0, "Create a project"},
    {"GET", P "/projects/{id}", api_projects_get, 0, "Get a project"},
    {"PATCH", P "/projects/{id}", api_projects_update, 0, "Update or deactivate a project"},

    {"GET", P "/projects/{id}/buildings", api_buildings_list, 0, "List buildings"},
    {"POST", P "/projects/{id}/buildings", api_buildings_create, 0, "Create a building"},
    {"GET", P "/buildings/{id}", api_buildings_get, 0, "Get a building"},
    {"PATCH", P "/buildings/{id}", api_buildings_update, 0, "Update or deactivate a building"},

    {"GET", P "/projects/{id}/rooms", api_rooms_list, 0, "List rooms"},
    {"POST", P "/projects/{id}/rooms", api_rooms_create, 0, "Create a room"},
    {"GET", P "/rooms/{id}", api_rooms_get, 0, "Get a room"},
    {"PATCH", P "/rooms/{id}", api_rooms_update, 0, "Update or deactivate a room"},

    {"GET", P "/projects/{id}/residents", api_residents_list, 0, "List residents"},
    {"POST", P "/projects/{id}/residents", api_residents_create, 0, "Register a resident"},
    {"GET", P "/residents/{id}", api_residents_get, 0, "Get a resident"},
    {"PATCH", P "/residents/{id}", api_residents_update, 0, "Update or deactivate a resident"},
    {"POST", P "/residents/{id}/password", api_residents_password, 0,
     "Set a resident's initial password"},

    {"GET", P "/staff", api_staff_list, 0, "List staff"},
    {"POST", P "/staff", api_staff_create, 0, "Create a staff member"},
    {"GET", P "/staff/{id}", api_staff_get, 0, "Get a staff member"},
    {"PATCH", P "/staff/{id}", api_staff_update, 0, "Update or deactivate a staff member"},

    /* -- calendars and SLA policies -- */
    {"GET", P "/sla-policies", api_sla_policies_list, 0, "List SLA policies"},
    {"POST", P "/sla-policies", api_sla_policies_create, 0, "Create an SLA policy"},
    {"GET", P "/sla-policies/{id}", api_sla_policies_get, 0, "Get an SLA policy"},
    {"PATCH", P "/sla-policies/{id}", api_sla_policies_update, 0,
     "Update or deactivate an SLA policy"},
    {"GET", P "/calendars/{id}", api_calendars_get, 0, "Get a working-day calendar and its days"},
    {"PUT", P "/calendars/{id}/days/{date}", api_calendars_set_day, 0,
     "Set a day override (holiday or workday)"},
    {"DELETE", P "/calendars/{id}/days/{date}", api_calendars_drop_day, 0,
     "Drop a day override"},
    {"GET", P "/calendars/{id}/due", api_calendars_due, 0,
     "Due time of a target on this calendar"},

    /* -- tickets, files, notifications, stream, public -- */
    {"GET", P "/tickets", api_tickets_list, 0, "List and search work orders"},
    {"POST", P "/tickets", api_tickets_create, 0, "Create a work order"},
    {"GET", P "/tickets/{id}", api_tickets_get, 0, "Get a work order with its SLA and events"},
    {"POST", P "/tickets/{id}/actions/{action}", api_tickets_action, 0,
     "Act on a work order (state machine)"},
    {"GET", P "/tickets/{id}/candidates", api_tickets_candidates, 0,
     "Staff automatic dispatch could choose, with their open load"},
    {"GET", P "/categories", api_categories_list, 0, "The ticket category tree"},
    {"POST", P "/categories", api_categories_create, 0, "Create a ticket category"},
    {"PATCH", P "/categories/{id}", api_categories_update, 0, "Update or deactivate a category"},
    {"POST", P "/files", api_files_upload, ROUTE_UPLOAD, "Upload a photo or PDF (multipart)"},
    {"GET", P "/files/{id}", api_files_get, 0, "Download a file"},

    /* -- notifications and jobs -- */
    {"GET", P "/notifications", api_notifications_list, 0,
     "The caller's notifications, newest first, with the unread count"},
    {"POST", P "/notifications/read-all", api_notifications_read_all, 0,
     "Mark all the caller's notifications read"},
    {"POST", P "/notifications/{id}/read", api_notifications_read, 0,
     "Mark one of the caller's notifications read"},
    {"GET", P "/jobs", api_jobs_list, 0, "Scheduled jobs with their last run (admin)"},
    {"POST", P "/jobs/{name}/run", api_jobs_run, 0, "Run a job now and return its run (admin)"},

    /* -- stream and export -- */
    {"GET", P "/stream", api_stream, 0, "Live updates (server-sent events)"},
    {"GET", P "/tickets.xlsx", api_tickets_export, 0,
     "Export work orders as an Excel sheet (same filters as the list)"},

    /* -- stats and public disclosure -- */
    {"GET", P "/stats/tickets", api_stats_tickets, 0, "Dashboard figures of work orders"},
    {"GET", P "/public/projects/{code}/disclosure", api_public_disclosure, ROUTE_PUBLIC,
     "A project's disclosure board: promises and last month's KPIs (no login)"},
};

const route *router_table(int *count)
{
    *count = (int)(sizeof router_routes / sizeof router_routes[0]);
    return router_routes;
}

/* Compares path with pattern character by character; a {name} segment of the
 * pattern captures one non-empty segment of the path. Most patterns differ
 * from the path within their first characters after "/api/v1/", and a
 * request walks the table up to its route, so a mismatch must be cheap. */
static int router_path_matches(req *r, const char *pattern, const char *path)
{
    int n = 0;
    const char *p = pattern, *s = path;
    while (*p) {
        if (*p == '{' && p > pattern && p[-1] == '/') {
            const char *pe = strchr(p, '}'), *se = s;
            while (*se && *se != '/') se++;
            if (!pe || se == s || n >= REQ_MAX_PARAMS) return 0;
            if (r) {
                r->pname[n] = arena_strndup(&r->a, p + 1, (size_t)(pe - p - 1));
                r->pval[n] = arena_strndup(&r->a, s, (size_t)(se - s));
            }
            n++;
            p = pe + 1;
            s = se;
            continue;
        }
        if (*p != *s) return 0;
        p++;
        s++;
    }
    if (*s) return 0;
    if (r) r->nparams = n;
    return 1;
}

const route *router_match(req *r, const char *method, const char *path, int *path_known)
{
    int n;
    const route *t = router_table(&n);
    *path_known = 0;
    for (int i = 0; i < n; i++) {
        if (!router_path_matches(NULL, t[i].pattern, path)) continue;
        if (strcmp(t[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(t[i].method, "GET") == 0)) {
            router_path_matches(r, t[i].pattern, path);
            return &t[i];
        }
        *path_known = 1;
    }
    return NULL;
}

void router_dispatch(req *r)
{
    if (!r->route) {
        int known = 0;
        router_match(r, r->method, r->path, &known);
        if (known) return reply_fail(r, AJ_EMETHOD, NULL, "不支持的请求方法");
        if (strncmp(r->path, "/api/", 5) == 0)
            return reply_fail(r, AJ_ENOTFOUND, NULL, "接口不存在");
        if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
            return reply_fail(r, AJ_EMETHOD, NULL, "不支持的请求方法");
        return static_serve(r, r->cfg->web_dir);
    }
    r->db = server_db();
    if (!r->db) return reply_fail(r, AJ_EBUSY, NULL, "数据库暂不可用");
    /* A read request's statements (session, record, its parts) share one
     * snapshot and, on SQLite, one round of locks instead of one per statement
     * (public routes such as /healthz are single statements: left alone).
     * A handler that writes anyway ends it by db_begin. */
    int reading = !(r->route->flags & ROUTE_PUBLIC) &&
                  (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD"));
    if (reading && db_read_begin(r->db, &r->err)) return reply_error(r);
    if ((r->route->flags & ROUTE_PUBLIC) || authn_resolve_or_reply(r)) r->route->fn(r);
    db_read_end(r->db);
    /* A handler that returned inside a transaction must not leave it open. */
    if (db_in_tx(r->db)) db_rollback(r->db);
}
