/* api/patrol/patrol_rounds.c: HTTP face of a round's scans: what a checkpoint's QR opens,
 * the check-in, a round's scans, and the month's figures. */
#include <sodium.h>
#include <string.h>

#include "api/jv.h"
#include "api/out.h"
#include "api/patrol/patrol_api.h"
#include "base/clock.h"

static json_t *patrol_rounds_scan_json(const patrol_scan *s, int off)
{
    return json_pack("{s:I, s:I, s:I, s:o, s:o, s:b, s:o, s:b}", "id", (json_int_t)s->id,
                     "task_id", (json_int_t)s->task_id, "checkpoint_id",
                     (json_int_t)s->checkpoint_id, "scanned_at", out_time(s->scanned_at, off),
                     "distance_m", s->distance_m >= 0 ? json_integer(s->distance_m) : json_null(),
                     "far", s->far, "flags", json_loads(s->flags, 0, NULL), "finished", s->finished);
}

/* GET /checkpoints/{token}: the checkpoint and the caller's open round that includes it. */
void api_patrol_checkpoint(req *r)
{
    patrol_checkpoint cp;
    int64_t task_id;
    if (patrol_checkpoint_by_token(r->db, &r->who, req_param(r, "token"), &r->a, &cp, &r->err) ||
        patrol_open_round(r->db, &r->who, &cp, &task_id, &r->err))
        return reply_error(r);
    json_t *o = json_pack("{s:I, s:o, s:o}", "project_id", (json_int_t)cp.project_id, "checkpoint",
                          api_patrol_checkpoint_json(&cp), "open_round", json_null());
    if (task_id) {
        task t;
        if (task_get(r->db, &r->who, task_id, &r->a, &t, &r->err)) {
            json_decref(o);
            return reply_error(r);
        }
        json_decref(t.items);
        json_object_set_new(o, "open_round",
                            json_pack("{s:I, s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)t.id,
                                      "project_id", (json_int_t)t.project_id, "title", t.title,
                                      "state", t.state, "starts_at",
                                      out_time(t.starts_at, t.tz_offset), "due_at",
                                      out_time(t.due_at, t.tz_offset)));
    }
    reply_json(r, 200, o);
    reply_header(r, "Cache-Control", "private, no-store");
}

static const char *const patrol_rounds_fields[] = {"token", "lat", "lng", "photos", "note", NULL};

/* POST /tasks/{id}/checkins {"token","lat","lng","photos","note"} → 201 the scan. */
void api_patrol_checkin(req *r)
{
    int64_t id;
    json_t *b;
    patrol_scan_input in = {0};
    patrol_scan s;
    int has_lat = 0, has_lng = 0, present;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, patrol_rounds_fields, &r->err) ||
        jv_str(b, "token", JV_REQUIRED, 64, &in.token, &r->err) ||
        jv_num(b, "lat", 0, -90, 90, &in.lat, &has_lat, &r->err) ||
        jv_num(b, "lng", 0, -180, 180, &in.lng, &has_lng, &r->err) ||
        jv_str(b, "note", 0, 1000, &in.note, &r->err) ||
        jv_ids(b, "photos", 0, TASK_MAX_PHOTOS, &r->a, &in.photos, &in.nphotos, &present, &r->err))
        return reply_error(r);
    if (has_lat != has_lng) {
        aj_fail(&r->err, AJ_EINVAL, has_lat ? "lng" : "lat", "须同时给出 lat 和 lng");
        return reply_error(r);
    }
    in.has_point = has_lat && has_lng;
    /* the device: a digest of the session, so two phones on one round show, and the
     * session's own hash is kept nowhere else */
    if (r->session_hash) {
        unsigned char h[8];
        char hex[17];
        crypto_generichash(h, sizeof h, (const unsigned char *)r->session_hash,
                           strlen(r->session_hash), NULL, 0);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        in.device = arena_strdup(&r->a, hex);
    }
    if (patrol_checkin(r->db, &r->who, id, &in, &r->a, &s, &r->err)) return reply_error(r);
    reply_json(r, 201, patrol_rounds_scan_json(&s, out_project_tz(r, s.project_id)));
}

/* GET /tasks/{id}/checkins: the round's scans in order. */
void api_patrol_scans(req *r)
{
    int64_t id;
    patrol_scan *items;
    size_t n;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (patrol_scans_of(r->db, &r->who, id, &r->a, &items, &n, &r->err)) return reply_error(r);
    int off = n ? out_project_tz(r, items[0].project_id) : CLOCK_TZ_DEFAULT;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, patrol_rounds_scan_json(&items[i], off));
    reply_json(r, 200, json_pack("{s:o}", "items", arr));
}

/* GET /stats/patrols?project_id=&month=YYYY-MM (default: this month). */
void api_patrol_stats(req *r)
{
    int64_t project_id = 0, from, to;
    int present = 0;
    const char *month = NULL;
    patrol_stats s;
    if (!req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &project_id, &present) ||
        !req_query_text_or_reply(r, "month", &month))
        return;
    if (!present) {
        aj_fail(&r->err, AJ_EINVAL, "project_id", "缺少必填参数 project_id");
        return reply_error(r);
    }
    int off = out_project_tz(r, project_id);
    char cur[8];
    if (!month) {
        char day[16];
        clock_format_date((clock_now() + off) / 86400, day, sizeof day);
        memcpy(cur, day, 7);
        cur[7] = 0;
        month = cur;
    }
    if (clock_month_range(month, off, &from, &to)) {
        aj_fail(&r->err, AJ_EINVAL, "month", "month 须为 YYYY-MM");
        return reply_error(r);
    }
    if (patrol_stats_get(r->db, &r->who, project_id, from, to, &s, &r->err)) return reply_error(r);
    json_t *o = json_pack(
        "{s:I, s:s, s:{s:I, s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I}}",
        "project_id", (json_int_t)project_id, "month", month, "rounds", "due",
        (json_int_t)s.rounds_due, "done", (json_int_t)s.done, "late", (json_int_t)s.late, "missed",
        (json_int_t)s.missed, "open", (json_int_t)s.open, "checkpoints", "due",
        (json_int_t)s.checkpoints_due, "scanned", (json_int_t)s.checkpoints_scanned, "missed",
        (json_int_t)s.checkpoints_missed, "flags", "far", (json_int_t)s.far, "speed",
        (json_int_t)s.speed, "device", (json_int_t)s.device, "burst", (json_int_t)s.burst);
    reply_json(r, 200, o);
}

/* GET /patrols/board?project_id=&day=YYYY-MM-DD (default today at the project). */
void api_patrol_board(req *r)
{
    int64_t project_id, days;
    int off;
    if (!req_staff_or_reply(r) || !out_project_day_or_reply(r, "day", &project_id, &days, &off))
        return;
    int64_t from = days * 86400 - off;
    patrol_board_round *rs;
    size_t n;
    if (patrol_board_get(r->db, &r->who, project_id, from, from + 86400, &r->a, &rs, &n, &r->err))
        return reply_error(r);
    int64_t now = clock_now();
    int64_t tot[8] = {0}; /* rounds, done, late, missed, open, checkpoints, scanned, flagged */
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const patrol_board_round *x = &rs[i];
        int off_r = x->tz_offset;
        int closed = !strcmp(x->state, "done") || !strcmp(x->state, "late") ||
                     !strcmp(x->state, "missed") || !strcmp(x->state, "skipped");
        tot[0]++;
        tot[1] += !strcmp(x->state, "done");
        tot[2] += !strcmp(x->state, "late");
        tot[3] += !strcmp(x->state, "missed");
        tot[4] += !closed;
        tot[5] += x->checkpoints;
        tot[6] += x->scanned;
        tot[7] += x->far + x->speed + x->device + x->burst;
        /* a closed round's unscanned checkpoints are its misses; an open one's are to do */
        int64_t missed = closed && x->checkpoints > x->scanned ? x->checkpoints - x->scanned : 0;
        json_t *o = json_pack(
            "{s:I, s:I, s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:I, s:I, s:I, s:b, s:{s:I, s:I, s:I, s:I}}",
            "id", (json_int_t)x->id, "plan_id", (json_int_t)x->plan_id, "title", x->title,
            "assignee_id", x->assignee_id ? json_integer(x->assignee_id) : json_null(),
            "assignee_name", *x->assignee_name ? json_string(x->assignee_name) : json_null(),
            "state", x->state, "starts_at", out_time(x->starts_at, off_r), "due_at",
            out_time(x->due_at, off_r), "last_scan_at", out_time(x->last_scan_at, off_r),
            "checkpoints", (json_int_t)x->checkpoints, "scanned", (json_int_t)x->scanned, "missed",
            (json_int_t)missed, "overdue", !closed && x->due_at <= now, "flags", "far",
            (json_int_t)x->far, "speed", (json_int_t)x->speed, "device", (json_int_t)x->device,
            "burst", (json_int_t)x->burst);
        json_array_append_new(arr, o);
    }
    char ymd[16];
    clock_format_date(days, ymd, sizeof ymd);
    json_t *o = json_pack("{s:I, s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}}", "project_id",
                          (json_int_t)project_id, "day", ymd, "totals", "rounds", (json_int_t)tot[0],
                          "done", (json_int_t)tot[1], "late", (json_int_t)tot[2], "missed",
                          (json_int_t)tot[3], "open", (json_int_t)tot[4], "checkpoints",
                          (json_int_t)tot[5], "scanned", (json_int_t)tot[6], "flagged",
                          (json_int_t)tot[7]);
    json_object_set_new(o, "rounds", arr);
    reply_json(r, 200, o);
    reply_header(r, "Cache-Control", "private, no-store");
}
