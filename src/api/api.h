/* api/api.h: the HTTP handlers, one file per resource. */
#ifndef AJ_API_H
#define AJ_API_H
#include "http/req.h"

/* system.c */
void api_healthz(req *r);
void api_metrics(req *r);
void api_openapi(req *r);

/* auth.c */
void api_login(req *r);
void api_logout(req *r);
void api_resident_code(req *r);
void api_resident_login(req *r);
void api_me(req *r);

/* projects.c */
void api_projects_list(req *r);
void api_projects_create(req *r);
void api_projects_get(req *r);
void api_projects_update(req *r);

/* buildings.c */
void api_buildings_list(req *r);
void api_buildings_create(req *r);
void api_buildings_get(req *r);
void api_buildings_update(req *r);

/* rooms.c */
void api_rooms_list(req *r);
void api_rooms_create(req *r);
void api_rooms_get(req *r);
void api_rooms_update(req *r);

/* residents.c */
void api_residents_list(req *r);
void api_residents_create(req *r);
void api_residents_get(req *r);
void api_residents_update(req *r);
void api_residents_password(req *r);

/* staff.c */
void api_staff_list(req *r);
void api_staff_create(req *r);
void api_staff_get(req *r);
void api_staff_update(req *r);

/* -- calendars and SLA policies: calendars.c, sla_policies.c -- */
void api_calendars_get(req *r);
void api_calendars_set_day(req *r);
void api_calendars_drop_day(req *r);
void api_calendars_due(req *r);
void api_sla_policies_list(req *r);
void api_sla_policies_create(req *r);
void api_sla_policies_get(req *r);
void api_sla_policies_update(req *r);

/* -- tickets, files, notifications, stream, public: tickets.c ... -- */
/* tickets.c, categories.c */
void api_tickets_list(req *r);
void api_tickets_create(req *r);
void api_tickets_get(req *r);
void api_tickets_action(req *r);
void api_tickets_candidates(req *r);
void api_categories_list(req *r);
void api_categories_create(req *r);
void api_categories_update(req *r);

/* files.c */
void api_files_upload(req *r);
void api_files_get(req *r);

/* -- notifications and jobs -- */
/* notifications.c */
void api_notifications_list(req *r);
void api_notifications_read(req *r);
void api_notifications_read_all(req *r);
/* jobs.c */
void api_jobs_list(req *r);
void api_jobs_run(req *r);

/* -- stream and export -- */
/* stream.c, export.c */
void api_stream(req *r);
void api_tickets_export(req *r);
/* tickets.c: the list's filters from the query string (also the export's);
 * 0 when replied (422 with the field). */
#include "domain/tickets/tickets.h"
int api_tickets_filter_or_reply(req *r, ticket_filter *f);

/* -- stats and public disclosure -- */
/* stats.c, public.c */
void api_stats_tickets(req *r);
void api_public_disclosure(req *r);
/* A share rounded to four places, or null when total is 0 (stats.c). */
json_t *stats_rate(int64_t met, int64_t total);

/* serializers shared between resources */
#include "domain/org/org.h"
json_t *projects_json(const project *p);
/* off: the UTC offset to show times in (out_project_tz) */
json_t *buildings_json(const building *b, int off);
json_t *rooms_json(const room *rm, int off);
json_t *residents_json(const resident *rs, int off);
json_t *api_staff_json(const staff *s);

#endif
