/* domain/assets/assets.h: the equipment book's public header (设施设备台账): equipment
 * (equipment.c), downtime periods (equipment_downtime.c), the figures
 * (equipment_stats.c), a piece of equipment's history (equipment_history.c) and its QR
 * labels (equipment_labels.c), the book as Excel (equipment_export.c), and the PM plans each
 * class ships (equipment_templates.c).
 * Other contexts include this header, never the rooms'.
 *
 * The work context (plans and tasks) sits below this one: it cannot include this
 * header. What the book shows of its tasks comes through two seams offered here,
 * equipment_stats_pm_hook and equipment_history_hook, whose function types use
 * nothing of this header (base, db and jansson types only), so a work function can
 * match them as declared in work.h, and one line in this context registers it. */
#ifndef AJ_ASSETS_CTX_H
#define AJ_ASSETS_CTX_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/page.h"
#include "domain/core/core.h"
#include "domain/tickets/tickets.h"
#include "domain/work/work.h"

/* Enumerations (NULL-terminated): classes (elevator 电梯, fire 消防, water
 * 给排水/二次供水, power 供配电, hvac 暖通, lighting 照明, access 门禁, cctv 监控,
 * other), criticality (major 重大设备, normal), status. */
#define EQUIPMENT_NCLASSES 9
extern const char *const equipment_classes[];
extern const char *const equipment_criticalities[];
extern const char *const equipment_statuses[];

typedef struct equipment {
    int64_t id, project_id;
    const char *code, *name, *cls, *location;
    int64_t building_id; /* 0: none */
    const char *model, *maker, *serial; /* NULL: not recorded */
    const char *installed_on, *warranty_until; /* "YYYY-MM-DD" or NULL */
    const char *vendor;                        /* 维保单位, NULL: not recorded */
    const char *criticality, *status, *qr_token;
    int64_t retired_at, created_at, updated_at;
    int tz_offset; /* the project's, for showing times */
} equipment;

/* A create or a change. Strings NULL and has_* 0 when not given; for the
 * fields that may be cleared (has_x with x NULL, building_id 0) that clears. */
typedef struct equipment_input {
    int64_t project_id;
    int has_project;
    const char *code, *name, *cls, *criticality, *status;
    const char *location, *model, *maker, *serial, *installed_on, *warranty_until, *vendor;
    int has_location, has_model, has_maker, has_serial, has_installed_on, has_warranty_until,
        has_vendor;
    int64_t building_id;
    int has_building;
} equipment_input;

typedef struct equipment_filter {
    int64_t project_id, building_id; /* 0: any */
    const char *cls, *status, *q;    /* q: part of the code or the name */
} equipment_filter;

/* Staff see the equipment of their projects (company-wide roles: all);
 * residents and anyone else nothing (AJ_ENOTFOUND for a record, AJ_EFORBIDDEN for
 * a list). Admins, managers and technicians (工程) of the project create and
 * change it. code is unique within a project (AJ_ECONFLICT, field code); status
 * may be set to in_service or retired, never down (that is a downtime period). */
int equipment_create(db *c, const actor *who, const equipment_input *in, arena *a,
                     equipment *out, aj_error *err);
int equipment_get(db *c, const actor *who, int64_t id, arena *a, equipment *out, aj_error *err);
int equipment_update(db *c, const actor *who, int64_t id, const equipment_input *in, arena *a,
                     equipment *out, aj_error *err);
/* By id ascending; pg->after is the last id seen. */
int equipment_list(db *c, const actor *who, const equipment_filter *f, const page_req *pg,
                   arena *a, equipment **items, size_t *n, int *more, int64_t *total,
                   aj_error *err);

/* What a QR label's token answers (GET /q/e/{token}): anyone gets what a fault
 * report needs; staff who see the project get the whole record (full = 1).
 * AJ_ENOTFOUND for an unknown token, and for anyone but such staff when the
 * equipment is retired. */
typedef struct equipment_qr {
    int full;
    equipment e;
} equipment_qr;
int equipment_by_token(db *c, const actor *who, const char *token, arena *a, equipment_qr *out,
                       aj_error *err);

/* ---- fault reports from a label (equipment_report.c) ---- */

/* A fault reported by whoever scanned the label: staff of the project and residents of
 * it report as themselves (a resident's ticket is on their room, so it is theirs to
 * follow); anyone else reports anonymously with a phone proved by code (otp.h), and the
 * ticket is the system's, with that phone in its description for the call back. */
typedef struct equipment_report_input {
    const char *description; /* required, up to 500 characters */
    const char *phone;       /* the proved phone of an anonymous report, else NULL */
    int trapped;             /* an elevator with someone inside: 电梯/困人, emergency */
    int64_t *photos;         /* uploads the reporter may see (never anonymous ones) */
    size_t nphotos;
} equipment_report_input;

/* 1 when who must prove a phone to report on this equipment (not staff of its project,
 * not a resident of it), 0 when not; <0 a database error in err. */
int equipment_report_anonymous(db *c, const actor *who, const equipment_qr *q, aj_error *err);
/* The checks that need no database, made before a code is used up (AJ_EINVAL with field):
 * a description, trapped on lifts only, and for an anonymous report (equipment_report_
 * anonymous's answer) a phone and no photos. */
int equipment_report_check(const equipment_qr *q, const equipment_report_input *in,
                           int anonymous, aj_error *err);
/* Opens the repair ticket on the equipment (one transaction, the ticket's own): category
 * from the class (电梯, 消防, 给排水 …), emergency when someone is trapped, high on major
 * equipment. anonymous is equipment_report_anonymous's answer for who, and the phone then
 * proved: the system opens the ticket with that phone in it. */
int equipment_report(db *c, const actor *who, const equipment_qr *q,
                     const equipment_report_input *in, int anonymous, arena *a, ticket *out,
                     aj_error *err);

/* ---- downtime (equipment_downtime.c) ---- */

typedef struct equipment_downtime {
    int64_t id, equipment_id, started_at, ended_at; /* ended_at 0: still down */
    const char *cause;
    int64_t ticket_id, created_by; /* 0: none */
} equipment_downtime;

/* Opens a period (status -> down): started_at 0 is now, never in the future nor
 * before the end of an earlier period (422, field started_at); a ticket named
 * must be of the equipment's project (422, field ticket_id). Already down, or
 * retired: AJ_ECONFLICT. Who may: admin, manager, technician of the project. */
int equipment_downtime_open(db *c, const actor *who, int64_t equipment_id, int64_t started_at,
                            const char *cause, int64_t ticket_id, arena *a,
                            equipment_downtime *out, aj_error *err);
/* Ends the open period (status -> in_service): ended_at 0 is now; before the
 * period's start or in the future: 422, field ended_at. Not down: AJ_ECONFLICT. */
int equipment_downtime_restore(db *c, const actor *who, int64_t equipment_id, int64_t ended_at,
                               arena *a, equipment_downtime *out, aj_error *err);

/* ---- figures (equipment_stats.c) ---- */

/* A period [start, end); end 0 is still open. */
typedef struct equipment_period {
    int64_t start, end;
} equipment_period;
/* Seconds of the periods inside [from, to), each clipped to it; an open period
 * runs to `to`. Pure. */
int64_t equipment_stats_clip(const equipment_period *p, size_t n, int64_t from, int64_t to);
/* The intact rate 完好率 = 1 - downtime / (units x length of [from, to)): 0 and
 * *rate, or -1 when there is nothing to divide by (no units, an empty period).
 * Clamped to [0, 1]. Pure. */
int equipment_stats_intact_rate(int64_t units, int64_t downtime_s, int64_t from, int64_t to,
                                double *rate);

/* Preventive-maintenance figures (the work context's tasks). The source calls
 * each once per piece of equipment of the project with PM tasks due in
 * [from, to): how many were due, done by their due time, missed. */
typedef void (*equipment_pm_each)(void *ctx, int64_t equipment_id, int64_t due,
                                  int64_t on_time, int64_t missed);
typedef int (*equipment_pm_source)(db *c, int64_t project_id, int64_t from, int64_t to,
                                   equipment_pm_each each, void *ctx, aj_error *err);
/* The extension point for PM figures: until a source is registered, pm_due,
 * pm_on_time and pm_missed are unknown ("no data yet"). */
void equipment_stats_pm_hook(equipment_pm_source fn);

typedef struct equipment_class_stats {
    const char *cls;
    int64_t units, downtime_s;
    int has_rate;
    double intact_rate;
    int has_pm;
    int64_t pm_due, pm_on_time, pm_missed;
} equipment_class_stats;

typedef struct equipment_stats {
    char month[8];            /* "2026-10" */
    int64_t from, to;         /* the period counted: the month, up to now */
    int offset;
    equipment_class_stats classes[EQUIPMENT_NCLASSES];
    equipment_class_stats total; /* cls "all" */
    /* Major equipment's downtime, this year to the period's end vs the same
     * dates a year before. */
    int64_t major_this_s, major_last_s;
    int64_t ytd_from, ytd_to, last_from, last_to;
    int has_pm;
} equipment_stats;

/* month NULL: the current one in the project's zone. Staff of the project. */
int equipment_stats_get(db *c, const actor *who, int64_t project_id, const char *month,
                        int64_t now, arena *a, equipment_stats *out, aj_error *err);

/* ---- history (equipment_history.c) ---- */

/* One entry of a piece of equipment's history: type "ticket", "downtime", or
 * what a registered source adds ("task" from the work context, "alarm" later);
 * at is when it happened (a ticket's report, a period's start, a task's due). */
typedef struct equipment_history_item {
    const char *type;
    int64_t id, at;
    json_t *fields; /* owned by the history (equipment_history_free) */
} equipment_history_item;

/* An extra source of history entries for one piece of equipment: calls each
 * for its entries older than `before` (0: any), newest first, at most limit;
 * each takes fields. */
typedef void (*equipment_history_each)(void *ctx, const char *type, int64_t id, int64_t at,
                                       json_t *fields);
typedef int (*equipment_history_source)(db *c, int64_t equipment_id, int64_t before, int limit,
                                        equipment_history_each each, void *ctx, aj_error *err);
/* The extension point for the tasks of the work context (type "task", with their
 * results) and later the alarms of devices/: up to 4 sources. */
void equipment_history_hook(equipment_history_source fn);

typedef struct equipment_history {
    equipment_history_item *items;
    size_t n;
    int more;
    int tz_offset; /* the equipment's project's */
} equipment_history;

/* Newest first, at most limit (1..500), entries before `before` (0: any). */
int equipment_history_get(db *c, const actor *who, int64_t id, int64_t before, int limit,
                          arena *a, equipment_history *out, aj_error *err);
void equipment_history_free(equipment_history *h);

/* ---- the book as Excel (equipment_export.c) ---- */

#define EQUIPMENT_EXPORT_MAX_ROWS 100000

/* Writes the equipment who sees under f (the list's filters and scope, by id) to
 * a new .xlsx file under data_dir/tmp, named in *path (from a); the caller sends
 * and removes it. The columns and words are those the console's import reads.
 * More than max_rows pieces is AJ_EINVAL and writes nothing; *rows: written. */
int equipment_export(db *c, const actor *who, const equipment_filter *f, const char *data_dir,
                     int64_t max_rows, arena *a, const char **path, int64_t *rows, aj_error *err);

/* ---- QR labels (equipment_labels.c) ---- */

#define EQUIPMENT_LABELS_MAX 1000

/* An A4 PDF of labels (code, name, location, QR of base_url "/q/e/" token),
 * 24 to a page, into out (a heap or arena buf). ids: those pieces, in that
 * order (each of the project, else 422 field ids); NULL: the project's
 * equipment not retired, by code. base_url: "https://wy.example.com", no
 * trailing slash. Staff of the project. */
int equipment_labels_pdf(db *c, const actor *who, int64_t project_id, const int64_t *ids,
                         size_t nids, const char *base_url, arena *a, buf *out, size_t *count,
                         aj_error *err);

/* ---- default PM plans per class (equipment_templates.c) ---- */

/* A template: key, the class it serves, a word the unit's name must hold (NULL: any
 * unit of the class; "水箱" picks the tanks among the water equipment), the plan's
 * title (zh-CN, en), RRULE, window, assignment role, ticket category of its findings
 * and checklist (JSON text as the API takes it). */
typedef struct equipment_template {
    const char *key, *cls, *name_has, *title, *title_en, *rrule;
    int window_minutes;
    const char *role, *category, *checklist;
} equipment_template;

/* The catalogue, in the order it is shown. */
void equipment_templates_all(const equipment_template **items, size_t *n);
const equipment_template *equipment_templates_find(const char *key); /* NULL: unknown */
/* The units of a project a template covers by default: its class, not retired, the
 * name holding name_has; at most PLAN_MAX_EQUIPMENT. */
int equipment_templates_units(db *c, const equipment_template *t, int64_t project_id, arena *a,
                              int64_t **ids, size_t *n, aj_error *err);

typedef struct equipment_template_use {
    const char *key;
    int64_t project_id;
    const char *title;       /* NULL: the template's */
    int64_t dtstart;         /* 0: now */
    json_t *assign;          /* NULL: {"role": the template's} */
    int64_t *equipment_ids;  /* with has_equipment; else the template's default units */
    size_t nequipment;
    int has_equipment;
} equipment_template_use;

/* Makes the template a plan of the project (plan_create: its rights, checks and first
 * tasks, one transaction). AJ_ENOTFOUND for an unknown key or a project out of sight;
 * AJ_EINVAL field equipment_ids when the project has no unit it could cover. */
int equipment_templates_apply(db *c, const actor *who, const equipment_template_use *use,
                              arena *a, plan *out, aj_error *err);

#endif
