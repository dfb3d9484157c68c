/* api/tickets/tickets.c: HTTP face of work orders: create, read, list, actions and
 * the dispatch picker. */
#include <string.h>

#include "api/tickets/tickets_api.h"
#include "api/jv.h"
#include "api/out.h"
#include "base/clock.h"
#include "domain/tickets/tickets.h"

/* An id field: null for 0 (none). */
static void tickets_jid(buf *b, const char *key, int64_t id)
{
    if (id) buf_jint(b, key, id);
    else buf_jnull(b, key);
}

/* A yes/no/unknown field: null below 0. */
static void tickets_jtri(buf *b, const char *key, int v)
{
    if (v < 0) buf_jnull(b, key);
    else buf_jbool(b, key, v);
}

/* The fields every view of a ticket has (lists and full reads), written
 * straight into the reply: building and freeing a json_t tree was a third
 * of a ticket read. */
static void tickets_write_base(buf *b, const ticket *t, int64_t now)
{
    int off = t->tz_offset;
    buf_jint(b, "id", t->id);
    buf_jstr(b, "no", t->no);
    buf_jint(b, "project_id", t->project_id);
    buf_jstr(b, "kind", t->kind);
    buf_jstr(b, "priority", t->priority);
    buf_jstr(b, "category", t->category);
    buf_jint(b, "category_id", t->category_id);
    buf_jstr(b, "status", t->status);
    buf_jstr(b, "title", t->title);
    buf_jstr(b, "description", t->description);
    tickets_jid(b, "room_id", t->room_id);
    tickets_jid(b, "resident_id", t->resident_id);
    tickets_jid(b, "equipment_id", t->equipment_id);
    buf_jstr(b, "channel", t->channel);
    tickets_jid(b, "assignee_id", t->assignee_id);
    buf_jstr(b, "assignee_name", t->assignee_name);
    out_jtime(b, "reported_at", t->reported_at, off);
    out_jtime(b, "created_at", t->created_at, off);
    out_jtime(b, "updated_at", t->updated_at, off);
    out_jtime(b, "resolved_at", t->resolved_at, off);
    out_jtime(b, "closed_at", t->closed_at, off);
    out_jtime(b, "appointment_start", t->appointment_start, off);
    out_jtime(b, "appointment_end", t->appointment_end, off);
    buf_jint(b, "reopen_count", t->reopen_count);
    tickets_jtri(b, "valid_complaint", t->valid_complaint);
    tickets_jid(b, "rating", t->rating);
    tickets_jid(b, "repeat_of", t->repeat_of);
    buf_jint(b, "version", t->version);
    out_jtime(b, "next_due_at", t->next_due_at, off);
    buf_jbool(b, "overdue", t->next_due_at && t->next_due_at < now);
}

/* A ticket in full: base fields, every time and note, visit, photos, SLA
 * milestones and the event log. */
static void tickets_write(buf *b, const ticket *t)
{
    int64_t now = clock_now();
    int off = t->tz_offset;
    buf_putc(b, '{');
    tickets_write_base(b, t, now);
    out_jtime(b, "accepted_at", t->accepted_at, off);
    out_jtime(b, "assigned_at", t->assigned_at, off);
    out_jtime(b, "arrived_at", t->arrived_at, off);
    out_jtime(b, "contacted_at", t->contacted_at, off);
    out_jtime(b, "cancelled_at", t->cancelled_at, off);
    buf_jstr(b, "held_from", t->held_from);
    buf_jstr(b, "hold_reason", t->hold_reason);
    out_jtime(b, "hold_until", t->hold_until, off);
    buf_jstr(b, "contact_note", t->contact_note);
    buf_jstr(b, "findings", t->findings);
    buf_jstr(b, "resolution", t->resolution);
    buf_jstr(b, "cancel_reason", t->cancel_reason);
    buf_jstr(b, "rating_comment", t->rating_comment);
    tickets_jid(b, "created_by", t->created_by);
    if (t->visit_at) {
        buf_jkey(b, "visit");
        buf_putc(b, '{');
        out_jtime(b, "at", t->visit_at, off);
        tickets_jid(b, "by", t->visit_by);
        tickets_jtri(b, "satisfied", t->visit_satisfied);
        buf_jbool(b, "unreachable", t->visit_unreachable);
        buf_jstr(b, "note", t->visit_note);
        buf_putc(b, '}');
    } else {
        buf_jnull(b, "visit");
    }
    buf_jkey(b, "photos");
    buf_putc(b, '[');
    for (size_t i = 0; i < t->nphotos; i++) {
        if (i) buf_putc(b, ',');
        buf_printf(b, "%lld", (long long)t->photos[i]);
    }
    buf_putc(b, ']');
    buf_jkey(b, "sla");
    buf_putc(b, '[');
    for (size_t i = 0; i < t->nsla; i++) {
        const sla_clock_row *row = &t->sla[i];
        /* An unplanned row has no due time to show (sla.h, SLA_DUE_UNPLANNED). */
        int64_t due = row->due_at == SLA_DUE_UNPLANNED ? 0 : row->due_at;
        if (i) buf_putc(b, ',');
        buf_putc(b, '{');
        buf_jstr(b, "milestone", sla_milestone_name(row->milestone));
        out_jtime(b, "due_at", due, off);
        out_jtime(b, "met_at", row->met_at, off);
        buf_jstr(b, "state", sla_state_name(sla_state_at(row, now)));
        buf_putc(b, '}');
    }
    buf_putc(b, ']');
    buf_jkey(b, "events");
    buf_putc(b, '[');
    for (size_t i = 0; i < t->nevents; i++) {
        const ticket_event *e = &t->events[i];
        if (i) buf_putc(b, ',');
        buf_putc(b, '{');
        buf_jint(b, "id", e->id);
        out_jtime(b, "at", e->at, off);
        tickets_jid(b, "actor_id", e->actor_id);
        buf_jstr(b, "action", e->action);
        buf_jstr(b, "from", e->from);
        buf_jstr(b, "to", e->to);
        buf_jstr(b, "note", e->note);
        /* Stored JSON, written back only if it still parses. */
        json_t *data = e->data ? json_loads(e->data, 0, NULL) : NULL;
        buf_jkey(b, "data");
        if (data) buf_json(b, data);
        else buf_append(b, "null", 4);
        json_decref(data);
        buf_putc(b, '}');
    }
    buf_putc(b, ']');
    buf_putc(b, '}');
}

static void tickets_reply(req *r, int status, const ticket *t)
{
    buf b;
    buf_init(&b, NULL);
    buf_reserve(&b, 4096); /* a ticket with its SLA and a few events */
    tickets_write(&b, t);
    reply_buf(r, status, &b);
}

static const char *const tickets_fields[] = {
    "project_id", "kind",        "priority", "category",    "title",
    "description", "room_id",    "resident_id", "channel",  "reported_at",
    "appointment_start", "appointment_end", "photos", "equipment_id", NULL};

static int tickets_input(req *r, json_t *b, ticket_input *in)
{
    aj_error *err = &r->err;
    *in = (ticket_input){0};
    int has_photos;
    if (jv_only(b, tickets_fields, err) ||
        jv_int(b, "project_id", 0, 1, INT64_MAX, &in->project_id, &in->has_project, err) ||
        jv_str(b, "kind", 0, 16, &in->kind, err) || jv_str(b, "priority", 0, 16, &in->priority, err) ||
        jv_str(b, "category", 0, 100, &in->category, err) ||
        jv_str(b, "title", 0, 200, &in->title, err) ||
        jv_str(b, "description", 0, 4000, &in->description, err) ||
        jv_int(b, "room_id", 0, 1, INT64_MAX, &in->room_id, &in->has_room, err) ||
        jv_int(b, "resident_id", 0, 1, INT64_MAX, &in->resident_id, &in->has_resident, err) ||
        jv_int(b, "equipment_id", 0, 1, INT64_MAX, &in->equipment_id, &in->has_equipment, err) ||
        jv_str(b, "channel", 0, 16, &in->channel, err) ||
        jv_time(b, "reported_at", JV_OPTIONAL, &in->reported_at, err) ||
        jv_time(b, "appointment_start", JV_OPTIONAL, &in->appointment_start, err) ||
        jv_time(b, "appointment_end", JV_OPTIONAL, &in->appointment_end, err) ||
        jv_ids(b, "photos", 0, TICKET_MAX_PHOTOS, &r->a, &in->photos, &in->nphotos, &has_photos,
               err))
        return err->rc;
    return 0;
}

void api_tickets_create(req *r)
{
    json_t *b;
    ticket_input in;
    ticket t;
    if (!(b = req_json_or_reply(r))) return;
    if (tickets_input(r, b, &in) || ticket_create(r->db, &r->who, &in, &r->a, &t, &r->err))
        return reply_error(r);
    tickets_reply(r, 201, &t);
}

void api_tickets_get(req *r)
{
    int64_t id;
    ticket t;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (ticket_get(r->db, &r->who, id, &r->a, &t, &r->err)) return reply_error(r);
    tickets_reply(r, 200, &t);
}

/* The fields each action reads (note is free text on the event). */
static const char *const tickets_f_note[] = {"note", "version", NULL};
static const char *const tickets_f_assign[] = {"assignee_id", "note", "version", NULL};
static const char *const tickets_f_investigate[] = {"findings", "valid", "note", "version", NULL};
static const char *const tickets_f_hold[] = {"reason", "until", "version", NULL};
static const char *const tickets_f_resolve[] = {"resolution", "version", NULL};
static const char *const tickets_f_rate[] = {"score", "comment", "version", NULL};
static const char *const tickets_f_visit[] = {"satisfied", "note", "unreachable", "version", NULL};
static const char *const tickets_f_reason[] = {"reason", "version", NULL};
static const char *const tickets_f_comment[] = {"text", "version", NULL};

static const struct {
    const char *action;
    const char *const *fields;
} tickets_actions[] = {
    {"accept", tickets_f_note},     {"assign", tickets_f_assign},
    {"arrive", tickets_f_note},     {"contact", tickets_f_note},
    {"investigate", tickets_f_investigate}, {"hold", tickets_f_hold},
    {"resume", tickets_f_note},     {"resolve", tickets_f_resolve},
    {"rate", tickets_f_rate},       {"visit", tickets_f_visit},
    {"close", tickets_f_note},      {"reopen", tickets_f_reason},
    {"cancel", tickets_f_reason},   {"comment", tickets_f_comment},
};

static int tickets_action_input(req *r, json_t *b, const char *const *fields,
                                ticket_action_input *in)
{
    aj_error *err = &r->err;
    int has;
    *in = (ticket_action_input){0};
    if (!b) return 0;
    if (jv_only(b, fields, err) ||
        jv_int(b, "assignee_id", 0, 1, INT64_MAX, &in->assignee_id, &in->has_assignee, err) ||
        jv_str(b, "note", 0, 2000, &in->note, err) || jv_str(b, "reason", 0, 500, &in->reason, err) ||
        jv_str(b, "findings", 0, 4000, &in->findings, err) ||
        jv_str(b, "resolution", 0, 4000, &in->resolution, err) ||
        jv_str(b, "comment", 0, 1000, &in->comment, err) ||
        jv_str(b, "text", 0, 2000, &in->text, err) ||
        jv_bool(b, "valid", 0, &in->valid, &in->has_valid, err) ||
        jv_bool(b, "satisfied", 0, &in->satisfied, &in->has_satisfied, err) ||
        jv_bool(b, "unreachable", 0, &in->unreachable, &in->has_unreachable, err) ||
        jv_int(b, "score", 0, 1, 5, &in->score, &in->has_score, err) ||
        jv_time(b, "until", JV_OPTIONAL, &in->until, err) ||
        jv_int(b, "version", 0, 1, INT64_MAX, &in->version, &has, err))
        return err->rc;
    return 0;
}

void api_tickets_action(req *r)
{
    int64_t id;
    const char *action = req_param(r, "action");
    const char *const *fields = NULL;
    json_t *b = NULL;
    ticket_action_input in;
    ticket t;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    for (size_t i = 0; i < sizeof tickets_actions / sizeof tickets_actions[0]; i++)
        if (action && !strcmp(action, tickets_actions[i].action)) fields = tickets_actions[i].fields;
    if (!fields) return reply_fail(r, AJ_ENOTFOUND, NULL, "未知操作");
    /* Actions without fields may come without a body. */
    if ((r->body_len || r->too_large) && !(b = req_json_or_reply(r))) return;
    if (tickets_action_input(r, b, fields, &in)) return reply_error(r);
    if (ticket_act(r->db, &r->who, id, action, &in, &r->a, &t, &r->err)) return reply_error(r);
    tickets_reply(r, 200, &t);
}

void api_tickets_candidates(req *r)
{
    int64_t id;
    dispatch_candidate *items;
    size_t n;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (dispatch_ticket_candidates(r->db, &r->who, id, &r->a, &items, &n, &r->err)) return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:b, s:I}", "id",
                                             (json_int_t)items[i].id, "name", items[i].name,
                                             "role", items[i].role, "on_duty", items[i].on_duty,
                                             "open", (json_int_t)items[i].open));
    reply_json(r, 200, json_pack("{s:o}", "items", arr));
}

/* status=a,b,c, s already checked as text */
static int tickets_query_statuses_or_reply(req *r, const char *s, ticket_filter *f)
{
    if (!s) return 1;
    if (strlen(s) > 200) {
        reply_fail(r, AJ_EINVAL, "status", "status 过长");
        return 0;
    }
    char *copy = arena_strdup(&r->a, s), *save = NULL;
    for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        if (f->nstatuses == TICKET_MAX_STATUSES) {
            reply_fail(r, AJ_EINVAL, "status", "status 最多 %d 项", TICKET_MAX_STATUSES);
            return 0;
        }
        f->statuses[f->nstatuses++] = p;
    }
    if (!f->nstatuses) {
        reply_fail(r, AJ_EINVAL, "status", "status 不能为空");
        return 0;
    }
    return 1;
}

/* -- stream and export: the filters, shared by the list and the export -- */

int api_tickets_filter_or_reply(req *r, ticket_filter *f)
{
    int64_t overdue = 0;
    const char *status;
    *f = (ticket_filter){0};
    if (!req_query_text_or_reply(r, "kind", &f->kind) ||
        !req_query_text_or_reply(r, "priority", &f->priority) ||
        !req_query_text_or_reply(r, "category", &f->category) ||
        !req_query_text_or_reply(r, "q", &f->q) ||
        !req_query_text_or_reply(r, "status", &status) ||
        !req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &f->project_id, NULL) ||
        !req_query_int_or_reply(r, "assignee_id", 1, INT64_MAX, &f->assignee_id, NULL) ||
        !req_query_int_or_reply(r, "room_id", 1, INT64_MAX, &f->room_id, NULL) ||
        !req_query_int_or_reply(r, "equipment_id", 1, INT64_MAX, &f->equipment_id, NULL) ||
        !req_query_int_or_reply(r, "overdue", 0, 1, &overdue, NULL) ||
        !req_query_time_or_reply(r, "from", &f->from) ||
        !req_query_time_or_reply(r, "to", &f->to) ||
        !tickets_query_statuses_or_reply(r, status, f))
        return 0;
    f->overdue = (int)overdue;
    return 1;
}

void api_tickets_list(req *r)
{
    page_req pg;
    ticket_filter f;
    ticket *items;
    size_t n;
    int more;
    int64_t total = 0;
    if (!out_page_or_reply(r, &pg) || !api_tickets_filter_or_reply(r, &f)) return;
    if (ticket_list(r->db, &r->who, &f, &pg, &r->a, &items, &n, &more, &total, &r->err))
        return reply_error(r);
    int64_t now = clock_now();
    buf arr;
    buf_init(&arr, NULL);
    buf_putc(&arr, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) buf_putc(&arr, ',');
        buf_putc(&arr, '{');
        tickets_write_base(&arr, &items[i], now);
        buf_putc(&arr, '}');
    }
    buf_putc(&arr, ']');
    out_page_reply_buf(r, &arr, more, n ? items[n - 1].id : 0, &pg, total);
}
