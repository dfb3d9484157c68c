/* domain/kpi/kpi.h: ticket figures: the staff dashboard (GET /stats/tickets) and the
 * public disclosure board of a project (信息公示: promises and last month's KPIs). */
#ifndef AJ_KPI_H
#define AJ_KPI_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "domain/core/core.h"
#include "domain/sla/sla.h"

#define KPI_MAX_DAYS 366

/* A count under a name (a top-level category). */
typedef struct kpi_count {
    const char *name;
    int64_t count;
} kpi_count;

/* An on-time share: met of total; no rate when total is 0. */
typedef struct kpi_rate {
    int64_t total, met;
} kpi_rate;

typedef struct kpi_day {
    int64_t day; /* local date, days since 1970-01-01 */
    int64_t created, resolved;
} kpi_day;

typedef struct kpi_stats {
    int64_t generated_at;
    int offset; /* the UTC offset days and hours are counted in */
    int days;
    int64_t created_today, open, overdue, on_hold, resolved_today;
    /* By milestone (sla_milestone order): the milestones due in the window
     * whose outcome is known (met, or past due), plus those met ahead of a due
     * time still to come; on hold before its due time a milestone is neither. */
    kpi_rate sla[SLA_NMILESTONES];
    kpi_count *by_category; /* tickets reported in the window, most first */
    size_t ncategories;
    int64_t by_hour[24];  /* tickets reported in the window by local hour */
    kpi_day *daily;       /* the window's days, oldest first */
    size_t ndaily;
    int64_t rated, rating_sum;           /* ratings given in the window */
    int64_t complaints, valid, closed;   /* complaints reported in the window */
} kpi_stats;

/* The dashboard over the last `days` local days (today included) for staff:
 * project_id 0 means all the caller's projects. Residents AJ_EFORBIDDEN; a
 * project outside the caller's scope AJ_ENOTFOUND. Days and hours are counted
 * in the project's time zone (with no project given, the zone of the caller's
 * first project). Resolutions, ratings and milestones count for tickets
 * reported since KPI_LOOKBACK_DAYS before the window: there being no index on
 * when they happened, that bounds the rows read, and in practice it holds
 * every ticket still being worked on (a complaint's 3 working days, holds). */
#define KPI_LOOKBACK_DAYS 31
int kpi_ticket_stats(db *c, const actor *who, int64_t project_id, int days, int64_t now,
                     arena *a, kpi_stats *out, aj_error *err);

typedef struct kpi_item {
    const char *name, *standard;
} kpi_item;

typedef struct kpi_promise {
    const char *kind, *priority, *text;
} kpi_promise;

/* The disclosure board: for the tickets reported in the last calendar month
 * (in the project's zone; cancelled ones left out): how many; the share of
 * response and resolution milestones met on time (of those whose outcome is
 * known); the share of valid complaints closed; the share of ratings of 4 or
 * 5; complaints by top-level category. Nothing in it names a person or a room. */
typedef struct kpi_disclosure {
    const char *code, *name;
    char month[8]; /* "2026-10" */
    const kpi_item *items;
    size_t nitems;
    kpi_promise *promises;
    size_t npromises;
    int64_t tickets;
    kpi_rate response, resolution, closure;
    int64_t rated, satisfied;
    kpi_count *complaints;
    size_t ncomplaints;
} kpi_disclosure;

/* No login needed: an active project by its code, AJ_ENOTFOUND otherwise. */
int kpi_disclosure_get(db *c, const char *code, int64_t now, arena *a, kpi_disclosure *out,
                       aj_error *err);

/* A policy in words: "紧急维修：15分钟内响应，30分钟内到场，24小时内修复". */
const char *kpi_promise_text(const sla_policy *p, arena *a);

#endif
