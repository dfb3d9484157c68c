/* api/identity/auth.c: log in and out, one-time codes, and who am I. */
#include <stdio.h>

#include "api/identity/identity_api.h"
#include "api/org/org_api.h"
#include "api/jv.h"
#include "api/out.h"
#include "base/clock.h"
#include "domain/identity/identity.h"
#include "http/server.h"

/* The caller as /me shows it: their record, role, visible projects and, for
 * a resident, their rooms. NULL with r->err set on failure. */
static json_t *auth_user_json(req *r, const actor *who)
{
    json_t *me;
    if (who->role == ROLE_RESIDENT) {
        resident rs;
        if (resident_get(r->db, who, who->resident_id, &r->a, &rs, &r->err)) return NULL;
        int off = out_project_tz(r, rs.project_id);
        me = residents_json(&rs, off);
        json_object_set_new(me, "resident_id", json_integer(rs.id));
        json_object_set_new(me, "id", json_integer(who->id));
        json_object_set_new(me, "username", json_string(rs.phone));
        json_t *rooms = json_array();
        for (size_t i = 0; i < rs.nrooms; i++) {
            room rm;
            if (room_get(r->db, who, rs.room_ids[i], &r->a, &rm, &r->err) == 0)
                json_array_append_new(rooms, rooms_json(&rm, off));
        }
        json_object_set_new(me, "rooms", rooms);
    } else {
        staff st;
        if (staff_get(r->db, who, who->id, &r->a, &st, &r->err)) return NULL;
        me = api_staff_json(&st);
    }
    project_filter f = {.active = 1};
    page_req pg = {.after = 0, .limit = 200};
    project *items;
    size_t n;
    int more;
    int64_t total;
    if (project_list(r->db, who, &f, &pg, &r->a, &items, &n, &more, &total, &r->err)) {
        json_decref(me);
        return NULL;
    }
    json_t *ps = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(ps, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)items[i].id,
                                            "code", items[i].code, "name", items[i].name));
    json_object_set_new(me, "projects", ps);
    json_object_set_new(me, "role", json_string(actor_role_name(who->role)));
    return me;
}

static void auth_reply_session(req *r, const session_new *s)
{
    actor who = {0};
    json_t *user;
    if (session_actor(r->db, s->user_id, &who, &r->err)) return reply_error(r);
    if (!(user = auth_user_json(r, &who))) return reply_error(r);
    r->set_cookie = authn_cookie_header(r, s->token, s->expires_at - clock_now());
    reply_json(r, 200,
               json_pack("{s:s, s:s, s:o}", "token", s->token, "csrf_token", s->csrf, "user", user));
}

static void auth_reply_rate(req *r, const session_new *s)
{
    if (r->err.rc == AJ_ERATE) r->retry_after = arena_printf(&r->a, "%d", s->retry_after);
    reply_error(r);
}

void api_login(req *r)
{
    json_t *b;
    const char *user, *pw;
    session_new s = {0};
    if (!(b = req_json_or_reply(r))) return;
    if (jv_str(b, "username", JV_REQUIRED, 150, &user, &r->err) ||
        jv_str(b, "password", JV_REQUIRED, 256, &pw, &r->err))
        return reply_error(r);
    if (session_login(r->db, user, pw, r->ip, &s, &r->err)) return auth_reply_rate(r, &s);
    auth_reply_session(r, &s);
}

void api_logout(req *r)
{
    if (session_end(r->db, r->session_hash, &r->err)) return reply_error(r);
    r->set_cookie = "anju_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
    reply_status(r, 204);
}

void api_resident_code(req *r)
{
    json_t *b;
    const char *phone;
    session_new s = {0};
    if (!(b = req_json_or_reply(r))) return;
    if (jv_str(b, "phone", JV_REQUIRED, 20, &phone, &r->err)) return reply_error(r);
    if (session_send_code(r->db, phone, r->ip, &s, &r->err)) return auth_reply_rate(r, &s);
    reply_status(r, 204);
}

void api_resident_login(req *r)
{
    json_t *b;
    const char *phone, *code;
    session_new s = {0};
    if (!(b = req_json_or_reply(r))) return;
    if (jv_str(b, "phone", JV_REQUIRED, 20, &phone, &r->err) ||
        jv_str(b, "code", JV_REQUIRED, 12, &code, &r->err))
        return reply_error(r);
    if (session_login_code(r->db, phone, code, r->ip, &s, &r->err)) return auth_reply_rate(r, &s);
    auth_reply_session(r, &s);
}

void api_password_reset(req *r)
{
    json_t *b;
    const char *user, *code, *pw;
    if (!(b = req_json_or_reply(r))) return;
    static const char *const fields[] = {"username", "code", "password", NULL};
    if (jv_only(b, fields, &r->err) || jv_str(b, "username", JV_REQUIRED, 150, &user, &r->err) ||
        jv_str(b, "code", JV_REQUIRED, 12, &code, &r->err) ||
        jv_str(b, "password", JV_REQUIRED, 256, &pw, &r->err))
        return reply_error(r);
    if (password_reset_complete(r->db, user, code, pw, r->ip, &r->err)) return reply_error(r);
    reply_status(r, 204);
}

void api_me_password(req *r)
{
    json_t *b;
    const char *old, *pw;
    static const char *const fields[] = {"old_password", "password", NULL};
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, fields, &r->err) || jv_str(b, "old_password", JV_REQUIRED, 256, &old, &r->err) ||
        jv_str(b, "password", JV_REQUIRED, 256, &pw, &r->err))
        return reply_error(r);
    int retry = 0;
    if (password_change(r->db, &r->who, r->session_hash, old, pw, &retry, &r->err)) {
        if (r->err.rc == AJ_ERATE) r->retry_after = arena_printf(&r->a, "%d", retry > 0 ? retry : 1);
        return reply_error(r);
    }
    reply_status(r, 204);
}

void api_me(req *r)
{
    json_t *me = auth_user_json(r, &r->who);
    if (!me) return reply_error(r);
    reply_json(r, 200, me);
}
