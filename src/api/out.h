/* api/out.h: pieces of JSON replies shared by the resources: times, pages. */
#ifndef AJ_OUT_H
#define AJ_OUT_H
#include <jansson.h>
#include <stdint.h>

#include "base/clock.h"
#include "domain/org/org.h"
#include "http/req.h"


json_t *out_time(int64_t t, int offset); /* RFC 3339 string, or null for 0 */
json_t *out_str(const char *s);          /* string, or null for NULL */
/* The same as a field written into a buf object (buf_jkey). */
void out_jtime(buf *b, const char *key, int64_t t, int offset);
/* The UTC offset of a project the caller can see, for showing its records'
 * times; CLOCK_TZ_DEFAULT when it cannot be read. */
int out_project_tz(req *r, int64_t project_id);
/* Reads limit (1..200, default 50), cursor and with_total; 422 on junk. */
int out_page_or_reply(req *r, page_req *pg);
/* {"items":items,"next_cursor":…} (steals items), for a list that adds fields of its own. */
json_t *out_page_json(json_t *items, int more, int64_t last_id);
/* Replies {"items":items,"next_cursor":…,"total"?} (steals items). */
void out_page_reply(req *r, json_t *items, int more, int64_t last_id, const page_req *pg,
                    int64_t total);
/* The same with the items array already written into b as "[…]" (takes b). */
void out_page_reply_buf(req *r, buf *items, int more, int64_t last_id, const page_req *pg,
                        int64_t total);
/* A project's day from the query: project_id (required) and `key` (YYYY-MM-DD at the
 * project; default today there); *days the day's number, *offset the project's UTC offset,
 * so the day starts at *days * 86400 - *offset. 422 on junk. */
int out_project_day_or_reply(req *r, const char *key, int64_t *project_id, int64_t *days,
                             int *offset);
/* A project's month from the query: project_id (required) and month (YYYY-MM at the
 * project; default this month there) as [*from, *to) and its text in month[8]. */
int out_project_month_or_reply(req *r, int64_t *project_id, int64_t *from, int64_t *to,
                               char month[8]);
/* The "active" query filter: -1 when absent; 422 unless 0/1/true/false. */
int out_active_or_reply(req *r, int *active);

/* The address printed QR labels open: --public-url, else the Host the caller reached us
 * at (names, addresses and a port only), else the listen address. No trailing slash. */
const char *out_public_base(req *r);

#endif
