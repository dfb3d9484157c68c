/* api/core/notifications.c: HTTP face of the caller's own notifications: the list
 * (with the unread count), read one, read all. */

#include "api/core/core_api.h"
#include "api/jv.h"
#include "api/out.h"
#include "domain/core/core.h"

static json_t *notifications_json(const notification *n)
{
    json_t *o = json_pack("{s:I, s:s, s:o, s:o, s:o, s:s, s:s}", "id", (json_int_t)n->id, "kind",
                          n->kind, "project_id",
                          n->project_id ? json_integer(n->project_id) : json_null(), "ticket_id",
                          n->ticket_id ? json_integer(n->ticket_id) : json_null(), "ticket_no",
                          out_str(n->ticket_no), "title", n->title, "body", n->body);
    json_object_set_new(o, "created_at", out_time(n->created_at, n->tz_offset));
    json_object_set_new(o, "read_at", out_time(n->read_at, n->tz_offset));
    return o;
}

/* POSTs here take no fields: an empty body, or an empty object. */
static int notifications_no_body_or_reply(req *r)
{
    static const char *const none[] = {NULL};
    json_t *b;
    if (!r->body_len && !r->too_large) return 1;
    if (!(b = req_json_or_reply(r))) return 0;
    if (jv_only(b, none, &r->err)) {
        reply_error(r);
        return 0;
    }
    return 1;
}

void api_notifications_list(req *r)
{
    page_req pg;
    int64_t unread_only = 0, unread = 0;
    notification *items;
    size_t n;
    int more;
    if (!out_page_or_reply(r, &pg) ||
        !req_query_int_or_reply(r, "unread", 0, 1, &unread_only, NULL))
        return;
    if (notify_list(r->db, &r->who, (int)unread_only, &pg, &r->a, &items, &n, &more, &unread,
                    &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, notifications_json(&items[i]));
    /* The list shape plus the unread count (for the bell). */
    json_t *o = out_page_json(arr, more && n, n ? items[n - 1].id : 0);
    json_object_set_new(o, "unread", json_integer(unread));
    reply_json(r, 200, o);
}

void api_notifications_read(req *r)
{
    int64_t id;
    notification n;
    if (!req_path_id_or_reply(r, "id", &id) || !notifications_no_body_or_reply(r)) return;
    if (notify_read(r->db, &r->who, id, &r->a, &n, &r->err)) return reply_error(r);
    reply_json(r, 200, notifications_json(&n));
}

void api_notifications_read_all(req *r)
{
    int64_t n;
    if (!notifications_no_body_or_reply(r)) return;
    if (notify_read_all(r->db, &r->who, &n, &r->err)) return reply_error(r);
    reply_json(r, 200, json_pack("{s:I}", "read", (json_int_t)n));
}
