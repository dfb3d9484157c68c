/* api/core/stream.c: GET /stream, the live updates: who the caller is decides what
 * the stream carries (http/sse.c holds the streams). */
#include "api/core/core_api.h"
#include "domain/org/org.h"
#include "http/sse.h"

void api_stream(req *r)
{
    sse_scope sc = {.user_id = r->who.id};
    if (r->who.role == ROLE_RESIDENT) {
        /* A resident follows the tickets filed by or for them, nobody else's. */
        if (!r->who.resident_id) return reply_fail(r, AJ_EFORBIDDEN, NULL, "当前角色无权执行此操作");
        sc.resident_id = r->who.resident_id;
    } else if (actor_is_company_wide(&r->who)) {
        sc.all_projects = 1;
    } else if (actor_is_staff(&r->who)) {
        /* The projects as of now; a change takes effect on the next connect
         * (streams end after SSE_LIFETIME_SECONDS and reconnect by themselves). */
        staff st;
        if (staff_get(r->db, &r->who, r->who.id, &r->a, &st, &r->err)) return reply_error(r);
        sc.projects = st.project_ids;
        sc.nprojects = st.nprojects;
    } else {
        return reply_fail(r, AJ_EFORBIDDEN, NULL, "当前角色无权执行此操作");
    }
    const char *last = req_header(r, "Last-Event-ID");
    if (!last) last = req_query(r, "last_event_id");
    sse_open(r, &sc, last);
}
