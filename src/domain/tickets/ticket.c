/* domain/tickets/ticket.c: work orders (工单): create, read and list, with scope, human
 * numbers, SLA rows from the policy and search terms. */
#include "domain/tickets/ticket.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/core/core.h"
#include "domain/calendar/calendar.h"
#include "domain/tickets/category.h"
#include "domain/tickets/ticket_sql.h"

const char *const ticket_channels[] = {"app",        "phone", "walk_in", "wechat", "patrol",
                                       "inspection", "iot",   "system",  "meeting", "box", NULL};
const char *const ticket_statuses[] = {"new",      "accepted", "assigned", "in_progress",
                                       "on_hold",  "resolved", "closed",   "cancelled", NULL};

int ticket_in(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0) return 1;
    return 0;
}

int ticket_is_open(const char *st)
{
    return !strcmp(st, "new") || !strcmp(st, "accepted") || !strcmp(st, "assigned") ||
           !strcmp(st, "in_progress") || !strcmp(st, "on_hold");
}

static const char *ticket_text_or_null(db_rows *r, int col, arena *a)
{
    return db_null(r, col) ? NULL : arena_strdup(a, db_text(r, col));
}

void ticket_read(db_rows *r, arena *a, ticket *t)
{
    memset(t, 0, sizeof *t);
    t->id = db_int(r, 0);
    t->no = arena_strdup(a, db_text(r, 1));
    t->project_id = db_int(r, 2);
    t->kind = arena_strdup(a, db_text(r, 3));
    t->priority = arena_strdup(a, db_text(r, 4));
    t->category_id = db_int(r, 5);
    t->category = arena_strdup(a, db_text(r, 6));
    t->status = arena_strdup(a, db_text(r, 7));
    t->held_from = ticket_text_or_null(r, 8, a);
    t->title = arena_strdup(a, db_text(r, 9));
    t->description = arena_strdup(a, db_text(r, 10));
    t->channel = arena_strdup(a, db_text(r, 11));
    t->room_id = db_int(r, 12);
    t->resident_id = db_int(r, 13);
    t->assignee_id = db_int(r, 14);
    t->reported_at = db_int(r, 15);
    t->appointment_start = db_int(r, 16);
    t->appointment_end = db_int(r, 17);
    t->accepted_at = db_int(r, 18);
    t->assigned_at = db_int(r, 19);
    t->arrived_at = db_int(r, 20);
    t->contacted_at = db_int(r, 21);
    t->resolved_at = db_int(r, 22);
    t->closed_at = db_int(r, 23);
    t->cancelled_at = db_int(r, 24);
    t->hold_reason = ticket_text_or_null(r, 25, a);
    t->hold_until = db_int(r, 26);
    t->contact_note = ticket_text_or_null(r, 27, a);
    t->findings = ticket_text_or_null(r, 28, a);
    t->valid_complaint = (int)db_int(r, 29);
    t->resolution = ticket_text_or_null(r, 30, a);
    t->cancel_reason = ticket_text_or_null(r, 31, a);
    t->rating = (int)db_int(r, 32);
    t->rating_comment = ticket_text_or_null(r, 33, a);
    t->rated_at = db_int(r, 34);
    t->visit_at = db_int(r, 35);
    t->visit_by = db_int(r, 36);
    t->visit_satisfied = (int)db_int(r, 37);
    t->visit_note = ticket_text_or_null(r, 38, a);
    t->visit_unreachable = (int)db_int(r, 39);
    t->reopen_count = (int)db_int(r, 40);
    t->repeat_of = db_int(r, 41);
    t->policy_id = db_int(r, 42);
    t->created_by = db_int(r, 43);
    t->created_at = db_int(r, 44);
    t->updated_at = db_int(r, 45);
    t->version = db_int(r, 46);
    t->tz_offset = clock_tz_offset_or_default(db_text(r, 47));
    t->assignee_name = ticket_text_or_null(r, 48, a);
    t->equipment_id = db_int(r, 49);
}

void ticket_read_next_due(db_rows *r, ticket *t)
{
    t->next_due_at = db_null(r, 50) ? 0 : db_int(r, 50);
    if (t->next_due_at == SLA_DUE_UNPLANNED) t->next_due_at = 0; /* only unplanned rows run */
}

/* The earliest due time among the running, planned milestones; 0 if none. */
static int64_t ticket_next_due(const ticket *t)
{
    int64_t next = 0;
    for (size_t i = 0; i < t->nsla; i++) {
        const sla_clock_row *s = &t->sla[i];
        if (s->met_at || s->paused_at || s->due_at == SLA_DUE_UNPLANNED) continue;
        if (!next || s->due_at < next) next = s->due_at;
    }
    return next;
}

/* Who sees what, as bound values: company-wide, the staff user, the resident. */
void ticket_scope_args(const actor *who, db_val out[3])
{
    out[0] = DB_INT(actor_is_company_wide(who));
    out[1] = DB_INT(who->role == ROLE_RESIDENT ? 0 : who->id);
    out[2] = DB_INT(who->role == ROLE_RESIDENT ? who->resident_id : 0);
}

/* The ticket row alone, within who's scope. */
int ticket_load(db *c, const actor *who, int64_t id, arena *a, ticket *out, aj_error *err)
{
    db_val args[4];
    ticket_scope_args(who, args);
    args[3] = DB_INT(id);
    db_rows *r = db_query(c, "SELECT " TICKET_COLS " FROM tickets t WHERE t.id = $4 AND" TICKET_SCOPE,
                          4, args, err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) ticket_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "工单不存在");
}

int ticket_visible(db *c, const actor *who, int64_t id, aj_error *err)
{
    db_val args[4];
    int64_t one;
    ticket_scope_args(who, args);
    args[3] = DB_INT(id);
    int rc = db_scalar(c, "SELECT 1 FROM tickets t WHERE t.id = $4 AND" TICKET_SCOPE, 4, args,
                       &one, err);
    return rc == AJ_ENOTFOUND ? aj_fail(err, AJ_ENOTFOUND, NULL, "工单不存在") : rc;
}

/* SLA rows, events and photos of a loaded ticket. */
static int ticket_load_details(db *c, arena *a, ticket *t, aj_error *err)
{
    if (sla_rows_load(c, t->id, t->sla, &t->nsla, err)) return err->rc;
    t->next_due_at = ticket_next_due(t);
    db_rows *r = db_query(c,
                          "SELECT id, at, COALESCE(actor_id, 0), action, from_status, to_status,"
                          " note, data FROM ticket_events WHERE ticket_id = $1 ORDER BY id",
                          DB_ARGS(DB_INT(t->id)), err);
    if (!r) return err->rc;
    size_t cap = 16;
    t->events = arena_alloc(a, cap * sizeof(ticket_event));
    t->nevents = 0;
    while (db_next(r)) {
        t->events = arena_grow(a, t->events, t->nevents, &cap, sizeof *t->events);
        ticket_event *e = &t->events[t->nevents++];
        e->id = db_int(r, 0);
        e->at = db_int(r, 1);
        e->actor_id = db_int(r, 2);
        e->action = arena_strdup(a, db_text(r, 3));
        e->from = ticket_text_or_null(r, 4, a);
        e->to = ticket_text_or_null(r, 5, a);
        e->note = ticket_text_or_null(r, 6, a);
        e->data = ticket_text_or_null(r, 7, a);
    }
    if (db_end(r, err)) return err->rc;
    r = db_query(c, "SELECT file_id FROM ticket_photos WHERE ticket_id = $1 ORDER BY file_id",
                 DB_ARGS(DB_INT(t->id)), err);
    if (!r) return err->rc;
    t->photos = arena_alloc(a, TICKET_MAX_PHOTOS * sizeof(int64_t));
    t->nphotos = 0;
    while (db_next(r) && t->nphotos < TICKET_MAX_PHOTOS) t->photos[t->nphotos++] = db_int(r, 0);
    if (db_end(r, err)) return err->rc;
    return 0;
}

int ticket_get(db *c, const actor *who, int64_t id, arena *a, ticket *out, aj_error *err)
{
    int own = !db_in_tx(c); /* inside a request's or an action's transaction: read in it */
    if (own && db_read_begin(c, err)) return err->rc;
    int rc = ticket_load(c, who, id, a, out, err);
    if (rc == 0) rc = ticket_load_details(c, a, out, err);
    if (own) db_read_end(c);
    return rc;
}

int ticket_event_append(db *c, int64_t ticket_id, int64_t actor_id, const char *action,
                        const char *from, const char *to, const char *note, const char *data,
                        int64_t at, aj_error *err)
{
    /* Event ids count within the ticket: the (ticket_id, id) key is the table's only index. */
    int64_t n = db_exec(c,
                        "INSERT INTO ticket_events (ticket_id, id, at, actor_id, action,"
                        " from_status, to_status, note, data) VALUES ($1,"
                        " (SELECT COALESCE(MAX(e.id), 0) + 1 FROM ticket_events e"
                        "  WHERE e.ticket_id = $1), $2, $3, $4, $5, $6, $7, $8)",
                        DB_ARGS(DB_INT(ticket_id), DB_INT(at), DB_OPT_INT(actor_id, actor_id),
                                DB_TEXT(action), DB_TEXT(from), DB_TEXT(to), DB_TEXT(note),
                                DB_TEXT(data)),
                        err);
    return n < 0 ? (int)n : 0;
}

/* ---- create ---------------------------------------------------------------- */

static const char *ticket_prefix(const char *kind)
{
    if (!strcmp(kind, "repair")) return "BX";
    if (!strcmp(kind, "complaint")) return "TS";
    if (!strcmp(kind, "inquiry")) return "ZX";
    if (!strcmp(kind, "suggestion")) return "JY";
    return "BY";
}

/* Reads the project's zone; a deactivated project takes no new work. */
static int ticket_project(db *c, int64_t id, int *offset, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT timezone, active FROM projects WHERE id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r), active = 0;
    if (found) {
        *offset = clock_tz_offset_or_default(db_text(r, 0));
        active = (int)db_int(r, 1);
    }
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "项目不存在");
    if (!active) return aj_fail(err, AJ_EINVAL, "project_id", "项目已停用");
    return 0;
}

/* A resident files for one of their own rooms; the project follows from it. */
static int ticket_resident_room(db *c, const actor *who, ticket_input *in, aj_error *err)
{
    if (in->has_resident && in->resident_id != who->resident_id)
        return aj_fail(err, AJ_EINVAL, "resident_id", "住户只能以本人名义报事");
    db_rows *r = db_query(c,
                          "SELECT rr.room_id, rm.project_id FROM resident_rooms rr"
                          " JOIN rooms rm ON rm.id = rr.room_id"
                          " WHERE rr.resident_id = $1 ORDER BY rr.room_id",
                          DB_ARGS(DB_INT(who->resident_id)), err);
    if (!r) return err->rc;
    int64_t only_room = 0, only_project = 0, room_project = 0;
    int nrooms = 0, mine = 0;
    while (db_next(r)) {
        nrooms++;
        only_room = db_int(r, 0);
        only_project = db_int(r, 1);
        if (in->has_room && db_int(r, 0) == in->room_id) {
            mine = 1;
            room_project = db_int(r, 1);
        }
    }
    if (db_end(r, err)) return err->rc;
    if (in->has_room && !mine)
        return aj_fail(err, AJ_EINVAL, "room_id", "只能为本人绑定的房屋报事");
    if (!in->has_room) {
        if (nrooms == 0) return aj_fail(err, AJ_EINVAL, "room_id", "您尚未绑定房屋");
        if (nrooms > 1) return aj_fail(err, AJ_EINVAL, "room_id", "您绑定了多处房屋，请选择房屋");
        in->room_id = only_room;
        in->has_room = 1;
        room_project = only_project;
    }
    if (in->has_project && in->project_id != room_project)
        return aj_fail(err, AJ_EINVAL, "project_id", "房屋不属于该项目");
    in->project_id = room_project;
    in->has_project = 1;
    in->resident_id = who->resident_id;
    in->has_resident = 1;
    return 0;
}

/* Staff name the project; the room and the resident must be of it. */
static int ticket_staff_refs(db *c, const actor *who, const ticket_input *in, aj_error *err)
{
    if (!in->has_project) return aj_fail(err, AJ_EINVAL, "project_id", "缺少必填字段 project_id");
    if (actor_can_see_project(c, who, in->project_id, err)) return err->rc;
    int64_t pid;
    int rc;
    if (in->has_room) {
        rc = db_scalar(c, "SELECT project_id FROM rooms WHERE id = $1 AND active = 1",
                       DB_ARGS(DB_INT(in->room_id)), &pid, err);
        if (rc && rc != AJ_ENOTFOUND) return rc;
        if (rc || pid != in->project_id)
            return aj_fail(err, AJ_EINVAL, "room_id", "房屋不存在或不属于该项目");
    }
    if (in->has_resident) {
        rc = db_scalar(c, "SELECT project_id FROM residents WHERE id = $1 AND active = 1",
                       DB_ARGS(DB_INT(in->resident_id)), &pid, err);
        if (rc && rc != AJ_ENOTFOUND) return rc;
        if (rc || pid != in->project_id)
            return aj_fail(err, AJ_EINVAL, "resident_id", "住户不存在或不属于该项目");
    }
    return 0;
}

static _Atomic(ticket_equipment_check_fn) ticket_equipment_checker;

void ticket_equipment_check(ticket_equipment_check_fn fn) { atomic_store(&ticket_equipment_checker, fn); }

/* The equipment named must be of the ticket's project (the assets context decides). */
static int ticket_check_equipment(db *c, const ticket_input *in, aj_error *err)
{
    if (!in->has_equipment) return 0;
    ticket_equipment_check_fn fn = atomic_load(&ticket_equipment_checker);
    if (!fn) return aj_fail(err, AJ_EINVAL, "equipment_id", "设备台账不可用");
    return fn(c, in->project_id, in->equipment_id, err);
}

/* Back-dating covers a call taken before it was typed in, not a month's backlog. */
#define TICKET_BACKDATE_MAX (30 * 86400)
#define TICKET_CLOCK_SKEW 60

static int ticket_check_input(const actor *who, ticket_input *in, int64_t now, aj_error *err)
{
    if (!in->kind) return aj_fail(err, AJ_EINVAL, "kind", "缺少必填字段 kind");
    if (!ticket_in(in->kind, sla_kinds))
        return aj_fail(err, AJ_EINVAL, "kind",
                       "kind 须为 repair、complaint、inquiry、suggestion 或 praise");
    if (!in->priority) in->priority = "normal";
    if (!ticket_in(in->priority, sla_priorities))
        return aj_fail(err, AJ_EINVAL, "priority", "priority 须为 emergency、high、normal 或 scheduled");
    if (!in->category) return aj_fail(err, AJ_EINVAL, "category", "缺少必填字段 category");
    if (!in->title) return aj_fail(err, AJ_EINVAL, "title", "缺少必填字段 title");
    if (who->role == ROLE_RESIDENT) {
        if (!in->channel) in->channel = "app";
        if (strcmp(in->channel, "app") && strcmp(in->channel, "wechat"))
            return aj_fail(err, AJ_EINVAL, "channel", "住户报事渠道须为 app 或 wechat");
        if (in->reported_at)
            return aj_fail(err, AJ_EINVAL, "reported_at", "住户不能指定报事时间");
    }
    if (!in->channel) in->channel = "phone";
    if (!ticket_in(in->channel, ticket_channels))
        return aj_fail(err, AJ_EINVAL, "channel",
                       "channel 须为 app、phone、walk_in、wechat、patrol、inspection、iot、system、meeting 或 box");
    if (!in->reported_at) in->reported_at = now;
    if (in->reported_at > now + TICKET_CLOCK_SKEW)
        return aj_fail(err, AJ_EINVAL, "reported_at", "报事时间不能晚于当前时间");
    if (in->reported_at > now) in->reported_at = now;
    if (in->reported_at < now - TICKET_BACKDATE_MAX)
        return aj_fail(err, AJ_EINVAL, "reported_at", "报事时间最多可提前 30 天");
    int scheduled = !strcmp(in->priority, "scheduled");
    if (scheduled && !in->appointment_start)
        return aj_fail(err, AJ_EINVAL, "appointment_start", "预约工单须填写 appointment_start");
    if (scheduled && !in->appointment_end)
        return aj_fail(err, AJ_EINVAL, "appointment_end", "预约工单须填写 appointment_end");
    if (!scheduled && (in->appointment_start || in->appointment_end))
        return aj_fail(err, AJ_EINVAL, in->appointment_start ? "appointment_start" : "appointment_end",
                       "仅预约（scheduled）工单可填写预约时间");
    if (scheduled && in->appointment_end <= in->appointment_start)
        return aj_fail(err, AJ_EINVAL, "appointment_end", "预约结束时间须晚于开始时间");
    if (in->nphotos > TICKET_MAX_PHOTOS)
        return aj_fail(err, AJ_EINVAL, "photos", "照片最多 %d 张", TICKET_MAX_PHOTOS);
    return 0;
}

/* Photos are uploaded first (POST /files); each id must name a file the
 * creator may see, or attaching it would show someone else's upload. */
static int ticket_check_photos(db *c, const actor *who, const ticket_input *in, aj_error *err)
{
    for (size_t i = 0; i < in->nphotos; i++) {
        int rc = file_can_see(c, who, in->photos[i], err);
        if (rc == AJ_ENOTFOUND)
            return aj_fail(err, AJ_EINVAL, "photos", "文件 %lld 不存在", (long long)in->photos[i]);
        if (rc) return rc;
    }
    return 0;
}

/* The latest complaint about the same room and category in the 30 days before. */
static int ticket_find_repeat(db *c, const ticket_input *in, int64_t category_id, arena *a,
                              int64_t *repeat_of, const char **repeat_no, aj_error *err)
{
    *repeat_of = 0;
    if (strcmp(in->kind, "complaint") || !in->has_room) return 0;
    db_rows *r = db_query(c,
                          "SELECT id, no FROM tickets WHERE room_id = $1 AND category_id = $2"
                          " AND reported_at >= $3 AND reported_at <= $4 AND kind = 'complaint'"
                          " AND status <> 'cancelled' ORDER BY reported_at DESC, id DESC LIMIT 1",
                          DB_ARGS(DB_INT(in->room_id), DB_INT(category_id),
                                  DB_INT(in->reported_at - 30 * 86400), DB_INT(in->reported_at)),
                          err);
    if (!r) return err->rc;
    if (db_next(r)) {
        *repeat_of = db_int(r, 0);
        *repeat_no = arena_strdup(a, db_text(r, 1));
    }
    if (db_end(r, err)) return err->rc;
    return 0;
}

int ticket_calendar(db *c, int64_t project_id, int business, arena *a, calendar *cal,
                    aj_error *err)
{
    /* By calendar.h's contract minutes and hours on the calendar clock are plain
     * seconds: only working days and the business clock read the calendar, whose
     * days are most of the cost of a create when loaded. */
    if (business) return calendar_load_project(c, project_id, a, cal, err);
    memset(cal, 0, sizeof *cal);
    return 0;
}

/* The SLA rows of a new ticket: none when no policy applies. */
static int ticket_plan_sla(db *c, const ticket_input *in, const category *cat, arena *a,
                           sla_clock_row *rows, size_t *n, int64_t *policy_id, aj_error *err)
{
    sla_policy pol;
    calendar cal;
    *n = 0;
    *policy_id = 0;
    int rc = sla_policy_find(c, in->project_id, in->kind, in->priority, cat->path, a, &pol, err);
    if (rc == AJ_ENOTFOUND) {
        memset(err, 0, sizeof *err);
        return 0;
    }
    if (rc) return rc;
    *policy_id = pol.id;
    int business = 0;
    for (size_t i = 0; i < pol.ntargets; i++)
        business |= pol.targets[i].clock == CAL_CLOCK_BUSINESS || pol.targets[i].unit == CAL_WORKDAY;
    if (ticket_calendar(c, in->project_id, business, a, &cal, err)) return err->rc;
    return sla_plan(&pol, &cal, in->reported_at, in->appointment_start, in->appointment_end, rows,
                    n, err);
}

static json_t *ticket_create_change(const ticket_input *in, const char *no, int64_t repeat_of)
{
    json_t *ch = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:I}", "no", no, "project_id",
                           (json_int_t)in->project_id, "kind", in->kind, "priority", in->priority,
                           "category", in->category, "title", in->title, "channel", in->channel,
                           "reported_at", (json_int_t)in->reported_at);
    if (in->has_room) json_object_set_new(ch, "room_id", json_integer(in->room_id));
    if (in->has_resident) json_object_set_new(ch, "resident_id", json_integer(in->resident_id));
    if (in->has_equipment) json_object_set_new(ch, "equipment_id", json_integer(in->equipment_id));
    if (repeat_of) json_object_set_new(ch, "repeat_of", json_integer(repeat_of));
    return ch;
}

void ticket_live(const ticket *t, const char *action)
{
    char at[40];
    clock_format(t->updated_at ? t->updated_at : clock_now(), t->tz_offset, at, sizeof at);
    json_t *d = json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)t->id, "no",
                          t->no, "project_id", (json_int_t)t->project_id, "status", t->status,
                          "action", action, "assignee_id",
                          t->assignee_id ? json_integer(t->assignee_id) : json_null(), "at", at);
    live_target to = {.project_id = t->project_id, .resident_id = t->resident_id};
    live_publish(&to, "ticket", d);
    json_decref(d);
}

/* own: this call's own transaction (ticket_create); else inside the caller's
 * (ticket_create_in), which commits, rolls back and announces. */
static int ticket_create_tx(db *c, const actor *who, const ticket_input *input, arena *a,
                            ticket *out, int own, aj_error *err)
{
    ticket_input in = *input;
    int64_t now = clock_now(), policy_id, repeat_of, id, seq;
    int offset = CLOCK_TZ_DEFAULT;
    const char *repeat_no = NULL;
    category cat;
    sla_clock_row rows[SLA_NMILESTONES];
    size_t nrows;
    if (who->role == ROLE_NONE) return aj_fail(err, AJ_EFORBIDDEN, NULL, "当前角色无权执行此操作");
    if (ticket_check_input(who, &in, now, err)) return err->rc;
    /* The checks below read in one snapshot (one set of locks, not one per
     * statement); db_begin ends it. */
    if (db_read_begin(c, err)) return err->rc;
    int rc = who->role == ROLE_RESIDENT ? ticket_resident_room(c, who, &in, err)
                                        : ticket_staff_refs(c, who, &in, err);
    if (!rc && (rc = category_find(c, in.category, a, &cat, err)) == AJ_ENOTFOUND)
        rc = aj_fail(err, AJ_EINVAL, "category", "分类不存在或已停用");
    if (rc || ticket_project(c, in.project_id, &offset, err) ||
        ticket_check_equipment(c, &in, err) || ticket_check_photos(c, who, &in, err) ||
        ticket_find_repeat(c, &in, cat.id, a, &repeat_of, &repeat_no, err) ||
        ticket_plan_sla(c, &in, &cat, a, rows, &nrows, &policy_id, err)) {
        if (own) db_read_end(c);
        return err->rc;
    }

    int y, m, d;
    clock_civil_from_days((now + offset) / 86400, &y, &m, &d);
    int64_t day = (int64_t)y * 10000 + m * 100 + d;
    const char *prefix = ticket_prefix(in.kind);
    if (own && db_begin(c, err)) return err->rc;
    /* One counter row per kind and local day: numbers never repeat or skip within a commit. */
    rc = db_scalar(c,
                   "INSERT INTO ticket_numbers (prefix, day, n) VALUES ($1, $2, 1)"
                   " ON CONFLICT (prefix, day) DO UPDATE SET n = ticket_numbers.n + 1 RETURNING n",
                   DB_ARGS(DB_TEXT(prefix), DB_INT(day)), &seq, err);
    if (rc) goto fail;
    const char *no = arena_printf(a, "%s-%08lld-%04lld", prefix, (long long)day, (long long)seq);
    rc = db_scalar(c,
                   "INSERT INTO tickets (no, project_id, kind, priority, category_id, status, title,"
                   " description, room_id, resident_id, channel, reported_at, appointment_start,"
                   " appointment_end, repeat_of, policy_id, created_by, created_at, updated_at,"
                   " version, equipment_id) VALUES ($1, $2, $3, $4, $5, 'new', $6, $7, $8, $9,"
                   " $10, $11, $12, $13, $14, $15, $16, $17, $17, 1, $18) RETURNING id",
                   DB_ARGS(DB_TEXT(no), DB_INT(in.project_id), DB_TEXT(in.kind),
                           DB_TEXT(in.priority), DB_INT(cat.id), DB_TEXT(in.title),
                           DB_TEXT(in.description ? in.description : ""),
                           DB_OPT_INT(in.has_room, in.room_id),
                           DB_OPT_INT(in.has_resident, in.resident_id), DB_TEXT(in.channel),
                           DB_INT(in.reported_at), DB_OPT_INT(in.appointment_start, in.appointment_start),
                           DB_OPT_INT(in.appointment_end, in.appointment_end),
                           DB_OPT_INT(repeat_of, repeat_of), DB_OPT_INT(policy_id, policy_id),
                           DB_OPT_INT(who->id, who->id), DB_INT(now),
                           DB_OPT_INT(in.has_equipment, in.equipment_id)),
                   &id, err);
    if (rc) goto fail;
    for (size_t i = 0; i < in.nphotos; i++)
        if (db_exec(c, "INSERT INTO ticket_photos (ticket_id, file_id) VALUES ($1, $2)",
                    DB_ARGS(DB_INT(id), DB_INT(in.photos[i])), err) < 0)
            goto fail;
    if (ticket_search_enqueue(c, id, err) ||
        (nrows && sla_rows_save(c, id, rows, nrows, err)) ||
        ticket_event_append(c, id, who->id, "create", NULL, "new", NULL, NULL, now, err))
        goto fail;
    if (repeat_of &&
        ticket_event_append(c, id, 0, "repeat", NULL, NULL,
                            arena_printf(a, "30 天内同一房屋同类投诉，关联 %s", repeat_no),
                            arena_printf(a, "{\"repeat_of\":%lld}", (long long)repeat_of), now,
                            err))
        goto fail;
    if (in.task_id &&
        ticket_event_append(c, id, 0, "source", NULL, NULL,
                            arena_printf(a, "由任务 #%lld 的检查项 %s 异常生成", (long long)in.task_id,
                                         in.task_item ? in.task_item : ""),
                            arena_printf(a, "{\"task_id\":%lld}", (long long)in.task_id), now, err))
        goto fail;
    json_t *ch = ticket_create_change(&in, no, repeat_of);
    rc = audit_append(c, who, "create", "ticket", id, ch, err);
    json_decref(ch);
    /* Read back inside the transaction: on SQLite it runs on the writer's
     * warm connection (db_sqlite.c), where a read after the commit would
     * start on this thread's own, whose cache the write just made stale. */
    if (rc || ticket_get(c, who, id, a, out, err)) goto fail;
    if (!own) return 0;
    if (db_commit(c, err)) goto fail;
    ticket_live(out, "create"); /* to the live streams, once committed */
    return 0;
fail:
    if (own) db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}

int ticket_create(db *c, const actor *who, const ticket_input *input, arena *a, ticket *out,
                  aj_error *err)
{
    return ticket_create_tx(c, who, input, a, out, 1, err);
}

int ticket_create_in(db *c, const actor *who, const ticket_input *input, arena *a, ticket *out,
                     aj_error *err)
{
    if (!db_writing(c)) return aj_fail(err, AJ_EDB, NULL, "ticket_create_in outside a transaction");
    return ticket_create_tx(c, who, input, a, out, 0, err);
}
