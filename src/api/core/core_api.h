/* api/core/core_api.h: the HTTP face of the core context: its handlers and its
 * route table (core_routes.c), and what its resources share. */
#ifndef AJ_CORE_API_H
#define AJ_CORE_API_H
#include "http/router.h"

/* system.c */
void api_healthz(req *r);
void api_readyz(req *r);
void api_metrics(req *r);
void api_openapi(req *r);

/* files.c */
void api_files_upload(req *r);
void api_files_get(req *r);

/* notifications.c */
void api_notifications_list(req *r);
void api_notifications_read_all(req *r);
void api_notifications_read(req *r);

/* jobs.c */
void api_jobs_list(req *r);
void api_jobs_run(req *r);

/* stream.c */
void api_stream(req *r);

extern const route core_routes[];
extern const int core_nroutes;

#endif
