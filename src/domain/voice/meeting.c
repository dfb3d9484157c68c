/* domain/voice/meeting.c: resident meetings (业主座谈会, see meeting.h): the record of a
 * meeting held and its topics, each turned into a ticket (the desk's way, channel meeting)
 * or an improvement plan (source meeting) in one click, the link kept on the topic. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/tickets/tickets.h"
#include "domain/voice/voice.h"

#define MEETING_COLS                                                                           \
    "m.id, m.project_id, m.held_at, m.attendees, COALESCE(m.created_by, 0), m.created_at,"     \
    " m.updated_at, m.title, m.place, m.attendee_note, m.summary,"                             \
    " (SELECT pz.timezone FROM projects pz WHERE pz.id = m.project_id)"

static void meeting_read(db_rows *r, arena *a, meeting *m)
{
    *m = (meeting){.id = db_int(r, 0), .project_id = db_int(r, 1), .held_at = db_int(r, 2),
                   .attendees = db_int(r, 3), .created_by = db_int(r, 4), .created_at = db_int(r, 5),
                   .updated_at = db_int(r, 6), .title = arena_strdup(a, db_text(r, 7)),
                   .place = arena_strdup(a, db_text(r, 8)), .attendee_note = arena_strdup(a, db_text(r, 9)),
                   .summary = arena_strdup(a, db_text(r, 10)),
                   .tz_offset = clock_tz_offset_or_default(db_text(r, 11))};
}

static int meeting_topics(db *c, arena *a, meeting *out, aj_error *err);

static int meeting_load(db *c, int64_t id, arena *a, meeting *out, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT " MEETING_COLS " FROM meetings m WHERE m.id = $1", DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) meeting_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "座谈会记录不存在");
    return meeting_topics(c, a, out, err);
}

/* m's topics in order. */
static int meeting_topics(db *c, arena *a, meeting *out, aj_error *err)
{
    int64_t id = out->id;
    db_rows *r = db_query(c,
                 "SELECT seq, text, COALESCE(ticket_id, 0), COALESCE(improvement_id, 0) FROM meeting_topics"
                 " WHERE meeting_id = $1 ORDER BY seq",
                 DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    size_t cap = 0;
    while (db_next(r)) {
        out->topics = arena_grow(a, out->topics, out->ntopics, &cap, sizeof *out->topics);
        out->topics[out->ntopics++] = (meeting_topic){.seq = (int)db_int(r, 0),
                                                      .text = arena_strdup(a, db_text(r, 1)),
                                                      .ticket_id = db_int(r, 2),
                                                      .improvement_id = db_int(r, 3)};
    }
    return db_end(r, err) ? err->rc : 0;
}

static int meeting_load_for(db *c, const actor *who, int64_t id, arena *a, meeting *out, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (meeting_load(c, id, a, out, err)) return err->rc;
    if (actor_can_see_project(c, who, out->project_id, err))
        return aj_fail(err, AJ_ENOTFOUND, NULL, "座谈会记录不存在");
    return 0;
}

static int meeting_writer(const actor *who, aj_error *err)
{
    return actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, ROLE_DESK, 0);
}

static int meeting_done(db *c, int64_t id, int rc, arena *a, meeting *out, aj_error *err)
{
    if (!rc) rc = meeting_load(c, id, a, out, err);
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    return rc;
}

int meeting_create(db *c, const actor *who, const meeting_input *in, arena *a, meeting *out,
                   aj_error *err)
{
    if (!in->project_id) return aj_fail(err, AJ_EINVAL, "project_id", "缺少必填字段 project_id");
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (meeting_writer(who, err) || actor_can_see_project(c, who, in->project_id, err)) return err->rc;
    int64_t now = clock_now();
    if (!in->held_at || in->held_at > now + 3600)
        return aj_fail(err, AJ_EINVAL, "held_at", "请记录已召开的座谈会（held_at 不能晚于现在）");
    if (!in->title || !*in->title || strlen(in->title) > 100)
        return aj_fail(err, AJ_EINVAL, "title", "主题须为 1 到 100 字节");
    if (in->attendees < 0 || in->attendees > 100000) return aj_fail(err, AJ_EINVAL, "attendees", "参会人数无效");
    if ((in->place && strlen(in->place) > 200) || (in->attendee_note && strlen(in->attendee_note) > 500))
        return aj_fail(err, AJ_EINVAL, in->place && strlen(in->place) > 200 ? "place" : "attendee_note", "过长");
    if (in->summary && strlen(in->summary) > 5000) return aj_fail(err, AJ_EINVAL, "summary", "纪要最多 5000 字节");
    if (in->ntopics > MEETING_MAX_TOPICS) return aj_fail(err, AJ_EINVAL, "topics", "议题最多 %d 条", MEETING_MAX_TOPICS);
    for (size_t i = 0; i < in->ntopics; i++)
        if (!in->topics[i] || !*in->topics[i] || strlen(in->topics[i]) > 1000)
            return aj_fail(err, AJ_EINVAL, "topics", "第 %zu 条议题须为 1 到 1000 字节", i + 1);
    if (db_begin(c, err)) return err->rc;
    int64_t id = 0;
    int rc = db_scalar(c,
                       "INSERT INTO meetings (project_id, held_at, title, place, attendees, attendee_note,"
                       " summary, created_by, created_at, updated_at)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                       DB_ARGS(DB_INT(in->project_id), DB_INT(in->held_at), DB_TEXT(in->title),
                               DB_TEXT(in->place ? in->place : ""), DB_INT(in->attendees),
                               DB_TEXT(in->attendee_note ? in->attendee_note : ""),
                               DB_TEXT(in->summary ? in->summary : ""), DB_OPT_INT(who->id, who->id),
                               DB_INT(now)),
                       &id, err);
    for (size_t i = 0; !rc && i < in->ntopics; i++)
        if (db_exec(c, "INSERT INTO meeting_topics (meeting_id, seq, text) VALUES ($1, $2, $3)",
                    DB_ARGS(DB_INT(id), DB_INT((int64_t)i + 1), DB_TEXT(in->topics[i])), err) < 0)
            rc = err->rc;
    if (!rc) {
        json_t *ch = json_pack("{s:s, s:I}", "title", in->title, "topics", (json_int_t)in->ntopics);
        rc = audit_append(c, who, "create", "meeting", id, ch, err);
        json_decref(ch);
    }
    return meeting_done(c, id, rc, a, out, err);
}

int meeting_get(db *c, const actor *who, int64_t id, arena *a, meeting *out, aj_error *err)
{
    return meeting_load_for(c, who, id, a, out, err);
}

int meeting_list(db *c, const actor *who, int64_t project_id, const page_req *pg, arena *a,
                 meeting **items, size_t *n, int *more, aj_error *err)
{
    *n = 0;
    *more = 0;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (project_id && actor_can_see_project(c, who, project_id, err)) return err->rc;
    db_rows *r = db_query(
        c,
        "SELECT " MEETING_COLS " FROM meetings m WHERE ($1 = 0 OR m.project_id = $1)"
        " AND ($2 = 1 OR m.project_id IN (SELECT sp.project_id FROM staff_projects sp WHERE sp.user_id = $3))"
        " AND m.id > $4 ORDER BY m.id LIMIT $5",
        DB_ARGS(DB_INT(project_id), DB_INT(actor_is_company_wide(who)), DB_INT(who->id), DB_INT(pg->after),
                DB_INT(pg->limit + 1)),
        err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof **items * (size_t)(pg->limit + 1));
    while (db_next(r)) meeting_read(r, a, &(*items)[(*n)++]);
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    /* each with its topics: a page holds at most a hundred meetings of a few topics each */
    for (size_t i = 0; i < *n; i++)
        if (meeting_topics(c, a, &(*items)[i], err)) return err->rc;
    return 0;
}

/* Opens the transaction with the meeting and its topic seq, not yet turned into anything. */
static int meeting_topic_begin(db *c, const actor *who, int64_t id, int seq, arena *a, meeting *m,
                               const meeting_topic **t, aj_error *err)
{
    if (db_begin(c, err)) return err->rc;
    int rc = meeting_load_for(c, who, id, a, m, err);
    if (!rc) rc = meeting_writer(who, err);
    *t = NULL;
    for (size_t i = 0; !rc && i < m->ntopics; i++)
        if (m->topics[i].seq == seq) *t = &m->topics[i];
    if (!rc && !*t) rc = aj_fail(err, AJ_ENOTFOUND, NULL, "没有第 %d 条议题", seq);
    if (!rc && ((*t)->ticket_id || (*t)->improvement_id))
        rc = aj_fail(err, AJ_ETRANSITION, "seq", "该议题已转为%s", (*t)->ticket_id ? "工单" : "改进计划");
    if (rc) db_rollback(c);
    return rc;
}

int meeting_topic_ticket(db *c, const actor *who, int64_t id, int seq, const char *kind,
                         const char *category_path, arena *a, meeting *out, aj_error *err)
{
    meeting m;
    const meeting_topic *t;
    live_hold(); /* the ticket's live event goes out once committed */
    if (meeting_topic_begin(c, who, id, seq, a, &m, &t, err)) {
        live_release(0);
        return err->rc;
    }
    char title[200];
    snprintf(title, sizeof title, "【座谈会】%s", arena_strcut(a, t->text, 150));
    ticket_input in = {.project_id = m.project_id, .has_project = 1, .kind = kind ? kind : "suggestion",
                       .priority = "normal", .category = category_path ? category_path : "其他", .channel = "meeting",
                       .title = title,
                       .description = arena_printf(a, "%s（业主座谈会：%s）", t->text, m.title)};
    ticket tk;
    int rc = ticket_create_in(c, who, &in, a, &tk, err);
    if (!rc && db_exec(c, "UPDATE meeting_topics SET ticket_id = $3 WHERE meeting_id = $1 AND seq = $2",
                       DB_ARGS(DB_INT(id), DB_INT(seq), DB_INT(tk.id)), err) < 0)
        rc = err->rc;
    if (!rc) {
        json_t *ch = json_pack("{s:i, s:I}", "topic", seq, "ticket_id", (json_int_t)tk.id);
        rc = audit_append(c, who, "topic_ticket", "meeting", id, ch, err);
        json_decref(ch);
    }
    if (!rc) ticket_live(&tk, "create");
    rc = meeting_done(c, id, rc, a, out, err);
    live_release(rc == 0);
    return rc;
}

int meeting_topic_plan(db *c, const actor *who, int64_t id, int seq, const char *category_path,
                       arena *a, meeting *out, aj_error *err)
{
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, 0)) return err->rc;
    meeting m;
    const meeting_topic *t;
    if (meeting_topic_begin(c, who, id, seq, a, &m, &t, err)) return err->rc;
    int64_t now = clock_now(), pid = 0;
    char title[160], ref[48];
    snprintf(title, sizeof title, "座谈会议题：%s", arena_strcut(a, t->text, 100));
    snprintf(ref, sizeof ref, "meeting:%lld:%d", (long long)id, seq);
    improvement_input in = {.project_id = m.project_id, .source = "meeting", .source_ref = ref, .title = title,
                            .problem = t->text,
                            .metric_kind = category_path ? "complaint_category" : "kpi",
                            .metric_key = category_path ? category_path : "resident_meeting_topic",
                            .baseline = NAN, .target = category_path ? 0 : 1, .has_target = 1,
                            .due_at = now + IMPROVEMENT_DAYS * 86400, .public_ = 1};
    int rc = improvement_insert(c, who, &in, 0, now, &pid, err);
    if (!rc && db_exec(c, "UPDATE meeting_topics SET improvement_id = $3 WHERE meeting_id = $1 AND seq = $2",
                       DB_ARGS(DB_INT(id), DB_INT(seq), DB_INT(pid)), err) < 0)
        rc = err->rc;
    if (!rc) {
        json_t *ch = json_pack("{s:i, s:I}", "topic", seq, "improvement_id", (json_int_t)pid);
        rc = audit_append(c, who, "topic_plan", "meeting", id, ch, err);
        json_decref(ch);
    }
    return meeting_done(c, id, rc, a, out, err);
}
