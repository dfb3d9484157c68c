/* api/core/core_routes.c: the routes of the core context (health, metrics, the API document, files, notifications, jobs, the live stream). */
#include "api/core/core_api.h"

#define P "/api/v1"

const route core_routes[] = {
    {"GET", "/healthz", api_healthz, ROUTE_PUBLIC, "Liveness and database check"},
    {"GET", "/readyz", api_readyz, ROUTE_PUBLIC, "Readiness for a load balancer"},
    {"GET", "/metrics", api_metrics, ROUTE_PUBLIC, "Prometheus metrics (token or admin)"},
    {"GET", P "/openapi.json", api_openapi, ROUTE_PUBLIC, "This API as OpenAPI 3"},
    {"POST", P "/files", api_files_upload, ROUTE_UPLOAD, "Upload a photo or PDF (multipart)"},
    {"GET", P "/files/{id}", api_files_get, 0, "Download a file"},
    {"GET", P "/notifications", api_notifications_list, 0,
     "The caller's notifications, newest first, with the unread count"},
    {"POST", P "/notifications/read-all", api_notifications_read_all, 0,
     "Mark all the caller's notifications read"},
    {"POST", P "/notifications/{id}/read", api_notifications_read, 0,
     "Mark one of the caller's notifications read"},
    {"GET", P "/jobs", api_jobs_list, 0, "Scheduled jobs with their last run (admin)"},
    {"POST", P "/jobs/{name}/run", api_jobs_run, 0, "Run a job now and return its run (admin)"},
    {"GET", P "/stream", api_stream, 0, "Live updates (server-sent events)"},
};
const int core_nroutes = (int)(sizeof core_routes / sizeof core_routes[0]);
