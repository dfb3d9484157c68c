/* api/assets/equipment_api.c: HTTP face of equipment: the records, the Excel export,
 * what a QR label opens, downtime and restore, the history. */
#include "api/assets/assets_api.h"
#include "domain/work/work.h"
#include "api/export_reply.h"
#include "api/jv.h"
#include "api/out.h"
#include "base/clock.h"
#include "base/log.h"

static json_t *equipment_api_id(int64_t id) { return id ? json_integer(id) : json_null(); }

json_t *api_equipment_json(const equipment *e)
{
    int off = e->tz_offset;
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)e->id,
                          "project_id", (json_int_t)e->project_id, "code", e->code, "name",
                          e->name, "class", e->cls, "location", e->location, "building_id",
                          equipment_api_id(e->building_id));
    json_object_set_new(o, "model", out_str(e->model));
    json_object_set_new(o, "maker", out_str(e->maker));
    json_object_set_new(o, "serial", out_str(e->serial));
    json_object_set_new(o, "installed_on", out_str(e->installed_on));
    json_object_set_new(o, "warranty_until", out_str(e->warranty_until));
    json_object_set_new(o, "vendor", out_str(e->vendor));
    json_object_set_new(o, "criticality", json_string(e->criticality));
    json_object_set_new(o, "status", json_string(e->status));
    json_object_set_new(o, "qr_token", json_string(e->qr_token));
    json_object_set_new(o, "retired_at", out_time(e->retired_at, off));
    json_object_set_new(o, "created_at", out_time(e->created_at, off));
    json_object_set_new(o, "updated_at", out_time(e->updated_at, off));
    return o;
}

/* A field that may be cleared: JSON null clears it (*has = 1, *out NULL). */
static int equipment_api_opt(json_t *b, const char *key, size_t maxlen, const char **out,
                             int *has, aj_error *err)
{
    json_t *v = json_object_get(b, key);
    *has = v != NULL;
    *out = NULL;
    if (!v || json_is_null(v)) return 0;
    return jv_str(b, key, JV_OPTIONAL, maxlen, out, err);
}

static const char *const equipment_api_fields[] = {
    "project_id", "code",   "name",         "class",          "location",
    "building_id", "model", "maker",        "serial",         "installed_on",
    "warranty_until", "vendor", "criticality", "status", NULL};

static int equipment_api_input(json_t *b, equipment_input *in, aj_error *err)
{
    *in = (equipment_input){0};
    json_t *bld = json_object_get(b, "building_id");
    if (jv_only(b, equipment_api_fields, err) ||
        jv_int(b, "project_id", 0, 1, INT64_MAX, &in->project_id, &in->has_project, err) ||
        jv_str(b, "code", 0, 40, &in->code, err) || jv_str(b, "name", 0, 100, &in->name, err) ||
        jv_str(b, "class", 0, 16, &in->cls, err) ||
        jv_str(b, "criticality", 0, 16, &in->criticality, err) ||
        jv_str(b, "status", 0, 16, &in->status, err) ||
        equipment_api_opt(b, "location", 200, &in->location, &in->has_location, err) ||
        equipment_api_opt(b, "model", 100, &in->model, &in->has_model, err) ||
        equipment_api_opt(b, "maker", 100, &in->maker, &in->has_maker, err) ||
        equipment_api_opt(b, "serial", 100, &in->serial, &in->has_serial, err) ||
        equipment_api_opt(b, "installed_on", 10, &in->installed_on, &in->has_installed_on, err) ||
        equipment_api_opt(b, "warranty_until", 10, &in->warranty_until, &in->has_warranty_until,
                          err) ||
        equipment_api_opt(b, "vendor", 100, &in->vendor, &in->has_vendor, err))
        return err->rc;
    if (bld && !json_is_null(bld) &&
        jv_int(b, "building_id", 0, 1, INT64_MAX, &in->building_id, &in->has_building, err))
        return err->rc;
    if (bld && json_is_null(bld)) in->has_building = 1; /* building_id 0: cleared */
    return 0;
}

/* The list's filters (GET /equipment and /equipment.xlsx); 422 on junk. */
static int equipment_api_filter_or_reply(req *r, equipment_filter *f)
{
    *f = (equipment_filter){0};
    return req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &f->project_id, NULL) &&
           req_query_int_or_reply(r, "building_id", 1, INT64_MAX, &f->building_id, NULL) &&
           req_query_text_or_reply(r, "class", &f->cls) &&
           req_query_text_or_reply(r, "status", &f->status) &&
           req_query_text_or_reply(r, "q", &f->q);
}

void api_equipment_list(req *r)
{
    page_req pg;
    equipment_filter f;
    equipment *items;
    size_t n;
    int more;
    int64_t total = 0;
    if (!req_staff_or_reply(r) || !out_page_or_reply(r, &pg) ||
        !equipment_api_filter_or_reply(r, &f))
        return;
    if (equipment_list(r->db, &r->who, &f, &pg, &r->a, &items, &n, &more, &total, &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, api_equipment_json(&items[i]));
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, total);
}

/* GET /equipment.xlsx: the list's filters as the import's sheet. */
void api_equipment_export(req *r)
{
    equipment_filter f;
    const char *path;
    int64_t rows;
    if (!req_staff_or_reply(r) || !equipment_api_filter_or_reply(r, &f) ||
        !export_reply_begin_or_reply(r))
        return;
    int rc = equipment_export(r->db, &r->who, &f, r->cfg->data_dir,
                              export_reply_max_rows(EQUIPMENT_EXPORT_MAX_ROWS), &r->a, &path,
                              &rows, &r->err);
    export_reply_end();
    if (rc == AJ_EDB) log_error("export %s: %s", r->request_id, r->err.message);
    if (rc) return reply_error(r);
    export_reply_send(r, path, "equipment", rows);
}

void api_equipment_create(req *r)
{
    json_t *b;
    equipment_input in;
    equipment e;
    if (!(b = req_json_or_reply(r))) return;
    if (equipment_api_input(b, &in, &r->err) ||
        equipment_create(r->db, &r->who, &in, &r->a, &e, &r->err))
        return reply_error(r);
    reply_json(r, 201, api_equipment_json(&e));
}

void api_equipment_get(req *r)
{
    int64_t id;
    equipment e;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (equipment_get(r->db, &r->who, id, &r->a, &e, &r->err)) return reply_error(r);
    reply_json(r, 200, api_equipment_json(&e));
}

void api_equipment_update(req *r)
{
    int64_t id;
    json_t *b;
    equipment_input in;
    equipment e;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (equipment_api_input(b, &in, &r->err) ||
        equipment_update(r->db, &r->who, id, &in, &r->a, &e, &r->err))
        return reply_error(r);
    reply_json(r, 200, api_equipment_json(&e));
}

/* GET /q/e/{token}, no login: what a fault report needs; staff who see the
 * project get the record as well. */
void api_equipment_qr(req *r)
{
    equipment_qr q;
    if (equipment_by_token(r->db, &r->who, req_param(r, "token"), &r->a, &q, &r->err))
        return reply_error(r);
    json_t *o = json_pack("{s:I, s:I, s:s, s:s}", "project_id", (json_int_t)q.e.project_id,
                          "equipment_id", (json_int_t)q.e.id, "name", q.e.name, "location",
                          q.e.location);
    json_object_set_new(o, "class", json_string(q.e.cls));
    /* whether a fault report needs a phone proved by code (POST .../code first) */
    int anonymous = equipment_report_anonymous(r->db, &r->who, &q, &r->err);
    if (anonymous < 0) {
        json_decref(o);
        return reply_error(r);
    }
    json_object_set_new(o, "needs_phone", json_boolean(anonymous));
    if (q.full) {
        json_object_set_new(o, "equipment", api_equipment_json(&q.e));
        /* staff scanning a label go to the task at hand: the equipment's open task due
         * soonest (the plan/task engine's), or null */
        task_filter f = {.equipment_id = q.e.id, .states = {"in_progress", "scheduled", "missed"},
                         .nstates = 3};
        page_req pg = {.limit = 1};
        task *t;
        size_t n;
        int more;
        if (task_list(r->db, &r->who, &f, &pg, &r->a, &t, &n, &more, &r->err)) {
            json_decref(o);
            return reply_error(r);
        }
        json_object_set_new(o, "open_task",
                            n ? json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)t[0].id, "title",
                                          t[0].title, "state", t[0].state, "due_at",
                                          out_time(t[0].due_at, t[0].tz_offset))
                              : json_null());
    }
    reply_json(r, 200, o);
    /* the answer depends on who asks */
    reply_header(r, "Cache-Control", "private, no-store");
}

static void equipment_api_period_reply(req *r, const equipment_downtime *d)
{
    equipment e;
    if (equipment_get(r->db, &r->who, d->equipment_id, &r->a, &e, &r->err))
        return reply_error(r);
    int off = e.tz_offset;
    int64_t end = d->ended_at ? d->ended_at : clock_now();
    json_t *o = json_pack("{s:I, s:I, s:o, s:o, s:s, s:o, s:f, s:o}", "id", (json_int_t)d->id,
                          "equipment_id", (json_int_t)d->equipment_id, "started_at",
                          out_time(d->started_at, off), "ended_at", out_time(d->ended_at, off),
                          "cause", d->cause, "ticket_id", equipment_api_id(d->ticket_id), "hours",
                          (double)(end - d->started_at) / 3600.0, "equipment",
                          api_equipment_json(&e));
    reply_json(r, d->ended_at ? 200 : 201, o);
}

static const char *const equipment_api_f_down[] = {"started_at", "cause", "ticket_id", NULL};
static const char *const equipment_api_f_restore[] = {"ended_at", NULL};

void api_equipment_downtime(req *r)
{
    int64_t id, started_at, ticket_id = 0;
    const char *cause = NULL;
    int has;
    json_t *b;
    equipment_downtime d;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, equipment_api_f_down, &r->err) ||
        jv_time(b, "started_at", JV_OPTIONAL, &started_at, &r->err) ||
        jv_str(b, "cause", JV_REQUIRED, 500, &cause, &r->err) ||
        jv_int(b, "ticket_id", 0, 1, INT64_MAX, &ticket_id, &has, &r->err) ||
        equipment_downtime_open(r->db, &r->who, id, started_at, cause, ticket_id, &r->a, &d,
                                &r->err))
        return reply_error(r);
    equipment_api_period_reply(r, &d);
}

void api_equipment_restore(req *r)
{
    int64_t id, ended_at = 0;
    json_t *b = NULL;
    equipment_downtime d;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    /* ended_at is optional: the action may come without a body */
    if ((r->body_len || r->too_large) && !(b = req_json_or_reply(r))) return;
    if ((b && (jv_only(b, equipment_api_f_restore, &r->err) ||
               jv_time(b, "ended_at", JV_OPTIONAL, &ended_at, &r->err))) ||
        equipment_downtime_restore(r->db, &r->who, id, ended_at, &r->a, &d, &r->err))
        return reply_error(r);
    equipment_api_period_reply(r, &d);
}

void api_equipment_history(req *r)
{
    int64_t id, before = 0, limit = 100;
    equipment_history h;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!req_query_time_or_reply(r, "before", &before) ||
        !req_query_int_or_reply(r, "limit", 1, 500, &limit, NULL))
        return;
    if (equipment_history_get(r->db, &r->who, id, before, (int)limit, &r->a, &h, &r->err))
        return reply_error(r);
    int off = h.tz_offset;
    json_t *arr = json_array();
    for (size_t i = 0; i < h.n; i++) {
        const equipment_history_item *it = &h.items[i];
        json_t *o = json_pack("{s:s, s:I, s:o}", "type", it->type, "id", (json_int_t)it->id, "at",
                              out_time(it->at, off));
        json_object_update(o, it->fields);
        json_array_append_new(arr, o);
    }
    json_t *more = h.more && h.n ? out_time(h.items[h.n - 1].at, off) : json_null();
    equipment_history_free(&h);
    reply_json(r, 200, json_pack("{s:o, s:o}", "items", arr, "next_before", more));
}
