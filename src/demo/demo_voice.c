/* demo/demo_voice.c: the demo company's quarterly satisfaction surveys (满意度调查): four
 * quarters per project with the seeds' eight dimensions, the last still open; every
 * occupied room invited, 25–45 % answering, anonymous as the product keeps them (the
 * building and the day, a random id, the tallies). Scores move from quarter to quarter;
 * in the second project 绿化养护 falls under 85 in the second quarter: its close raises the
 * plan (the product's own improvement_raise_for_survey), which the demo carries through
 * analysis, approval and its measures to effective, re-measured by the third quarter's
 * survey. The same for a seed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/token.h"
#include "demo/demo.h"
#include "demo/demo_batch.h"
#include "demo/demo_rng.h"

#include "domain/voice/voice.h"

#define DEMO_VOICE_QUARTERS 4
#define DEMO_VOICE_DIMS 8
#define DEMO_VOICE_MAXB 64

/* The mean (1–5) residents give dimension d in quarter k of project p. */
static double demo_voice_mean(int p, int d, int k)
{
    static const double base[DEMO_VOICE_DIMS] = {4.65, 4.55, 4.58, 4.62, 4.6, 4.6, 4.55, 4.62};
    double m = base[d] + 0.03 * k - 0.03 * (p % 3);
    if (p == 1 && d == 5) m = (double[]){4.55, 4.15, 4.6, 4.62}[k]; /* 绿化养护 */
    return m;
}

/* An answer of mean m (4..5): one in 12 a low 1–3, the rest 4 or 5 in the share that
 * makes the mean. */
static int demo_voice_value(demo_rng *rng, double m)
{
    if (demo_rng_pct(rng, 0.08)) return demo_rng_int(rng, 1, 3);
    return demo_rng_pct(rng, (m - 0.16) / 0.92 - 4) ? 5 : 4;
}

static const char *const demo_voice_comments[] = {
    "希望夜间巡逻再加强一些", "电梯偶尔有异响，麻烦多检查", "垃圾清运很及时，点赞",
    "地库灯光有几处不亮", "客服态度很好，报修很快就来了", "希望多组织一些社区活动",
    "快递柜旁边经常堆放杂物", "楼道消毒很认真，辛苦了"};
static const char *const demo_voice_greening[] = {"草坪好久没修剪了", "中心花园有几棵树枯了",
                                                  "绿化带里有黄土裸露，下雨就脏"};

typedef struct demo_voice_room {
    int64_t id, building;
} demo_voice_room;

static int demo_voice_survey(db *c, demo_rng *rng, int p, int64_t project_id, int k, int64_t now,
                             const demo_voice_room *rooms, size_t nrooms, demo_stats *st,
                             aj_error *err)
{
    int64_t opens = now - (int64_t)(DEMO_VOICE_QUARTERS - 1 - k) * 91 * 86400 - 8 * 86400;
    int64_t closes = opens + 21 * 86400;
    int open = closes > now;
    char day[16], period[24], title[96];
    clock_format_date((opens + 8 * 3600) / 86400, day, sizeof day);
    int month = atoi(day + 5);
    snprintf(period, sizeof period, "%.4s-Q%d", day, (month - 1) / 3 + 1);
    snprintf(title, sizeof title, "%.4s年第%d季度业主满意度调查", day, (month - 1) / 3 + 1);
    json_t *dj = survey_default_dimensions(), *qj = survey_default_questions();
    char *dims = json_dumps(dj, JSON_COMPACT), *qs = json_dumps(qj, JSON_COMPACT);
    json_decref(dj);
    json_decref(qj);
    int64_t sid;
    int rc = db_scalar(c,
                       "INSERT INTO surveys (project_id, title, period, opens_at, closes_at, dimensions,"
                       " questions, state, invited, responses, opened_at, closed_at, created_at, updated_at)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0, $4, $9, $10, $4) RETURNING id",
                       DB_ARGS(DB_INT(project_id), DB_TEXT(title), DB_TEXT(period), DB_INT(opens),
                               DB_INT(closes), DB_TEXT(dims), DB_TEXT(qs), DB_TEXT(open ? "open" : "closed"),
                               open ? DB_NULLV : DB_INT(closes), DB_INT(opens - 3 * 86400)),
                       &sid, err);
    free(dims);
    free(qs);
    if (rc) return rc;
    /* answering: 25–45 % of the rooms by the close; an open survey as far as it has got */
    double rate = 0.25 + 0.2 * demo_rng_unit(rng);
    if (open) rate *= (double)(now - opens) / (double)(closes - opens);
    static int64_t tally[DEMO_VOICE_MAXB][DEMO_VOICE_DIMS][5];
    int64_t bids[DEMO_VOICE_MAXB];
    int nb = 0;
    memset(tally, 0, sizeof tally);
    demo_batch inv, resp;
    demo_batch_init(&inv, c, "INSERT INTO survey_invitations (survey_id, room_id, building_id, token, answered) VALUES ",
                    "(?, ?, ?, ?, ?)", NULL);
    demo_batch_init(&resp, c, "INSERT INTO survey_responses (id, survey_id, building_id, day, answers, comments) VALUES ",
                    "(?, ?, ?, ?, ?, ?)", NULL);
    int64_t answered = 0;
    for (size_t i = 0; i < nrooms && !rc; i++) {
        char token[TOKEN_LEN];
        if (token_new(token)) return aj_fail(err, AJ_EDB, NULL, "随机数不可用");
        int yes = demo_rng_pct(rng, rate);
        if ((rc = DEMO_ROW(&inv, err, DB_INT(sid), DB_INT(rooms[i].id), DB_INT(rooms[i].building),
                           DB_TEXT(token), DB_INT(yes))))
            break;
        if (!yes) continue;
        int b = 0;
        while (b < nb && bids[b] != rooms[i].building) b++;
        if (b == nb) {
            if (nb == DEMO_VOICE_MAXB) continue;
            bids[nb++] = rooms[i].building;
        }
        char answers[160], comments[200] = "{}";
        size_t used = (size_t)snprintf(answers, sizeof answers, "{");
        for (int d = 0; d < DEMO_VOICE_DIMS; d++) {
            int v = demo_voice_value(rng, demo_voice_mean(p, d, k));
            tally[b][d][v - 1]++;
            used += (size_t)snprintf(answers + used, sizeof answers - used, "%s\"q%d\":%d", d ? "," : "", d + 1, v);
        }
        snprintf(answers + used, sizeof answers - used, "}");
        if (demo_rng_pct(rng, 1.0 / 6))
            snprintf(comments, sizeof comments, "{\"q9\":\"%s\"}",
                     p == 1 && k == 1 && demo_rng_pct(rng, 0.6) ? DEMO_RNG_PICK(rng, demo_voice_greening)
                                                                : DEMO_RNG_PICK(rng, demo_voice_comments));
        int64_t at = opens + (int64_t)(demo_rng_unit(rng) * (double)((open ? now : closes) - opens));
        clock_format_date((at + 8 * 3600) / 86400, day, sizeof day);
        int64_t rid = (int64_t)(demo_rng_next(rng) & ((UINT64_C(1) << 52) - 1)) | 1;
        rc = DEMO_ROW(&resp, err, DB_INT(rid), DB_INT(sid), DB_INT(rooms[i].building), DB_TEXT(day),
                      DB_TEXT(answers), DB_TEXT(comments));
        answered++;
    }
    if (!rc) rc = demo_batch_flush(&inv, err);
    if (!rc) rc = demo_batch_flush(&resp, err);
    demo_batch tal;
    demo_batch_init(&tal, c, "INSERT INTO survey_tallies (survey_id, building_id, question, value, n) VALUES ",
                    "(?, ?, ?, ?, ?)", NULL);
    for (int b = 0; b < nb && !rc; b++)
        for (int d = 0; d < DEMO_VOICE_DIMS && !rc; d++)
            for (int v = 0; v < 5 && !rc; v++) {
                if (!tally[b][d][v]) continue;
                char q[16];
                snprintf(q, sizeof q, "q%d", d + 1);
                rc = DEMO_ROW(&tal, err, DB_INT(sid), DB_INT(bids[b]), DB_TEXT(q), DB_INT(v + 1),
                              DB_INT(tally[b][d][v]));
            }
    if (!rc) rc = demo_batch_flush(&tal, err);
    if (!rc && db_exec(c,
                       "INSERT INTO survey_coverage (survey_id, building_id, invited, responses)"
                       " SELECT survey_id, building_id, COUNT(*), SUM(answered) FROM survey_invitations"
                       " WHERE survey_id = $1 GROUP BY survey_id, building_id",
                       DB_ARGS(DB_INT(sid)), err) < 0)
        rc = err->rc;
    if (!rc && db_exec(c, "UPDATE surveys SET invited = $2, responses = $3 WHERE id = $1",
                       DB_ARGS(DB_INT(sid), DB_INT((int64_t)nrooms), DB_INT(answered)), err) < 0)
        rc = err->rc;
    st->surveys++;
    st->survey_responses += (int)answered;
    /* a closed survey's weak dimensions raise their plans as a close does */
    int64_t raised = 0;
    actor sys = actor_system("demo");
    if (!rc && !open) rc = improvement_raise_for_survey(c, &sys, sid, closes, &raised, err);
    st->improvements += (int)raised;
    return rc;
}

/* The second project's 绿化养护 plan carried to effective: analysed two days after it was
 * raised (the cause, three measures for 绿化部 and 品质部), approved by the project manager
 * the next day, its measures done within three weeks, checked against the next survey. */
static int demo_voice_carry(db *c, aj_error *err)
{
    static const char *const sql[] = {
        "INSERT INTO improvement_measures (improvement_id, seq, text, owner_id, department, due_at, done, done_at)"
        " SELECT x.id, m.seq, m.text, (SELECT MIN(u.id) FROM users u JOIN staff_projects sp ON sp.user_id = u.id"
        "  JOIN departments d ON d.id = u.department_id WHERE sp.project_id = x.project_id AND d.name = m.dept),"
        " m.dept, x.created_at + m.days * 86400, 1, x.created_at + (m.days - 2) * 86400"
        " FROM improvements x, (SELECT 1 AS seq, '草坪每两周修剪一次，枯死苗木一周内补植' AS text, '绿化部' AS dept, 14 AS days"
        "  UNION ALL SELECT 2, '中心花园及绿化带黄土裸露处覆盖草皮或树皮', '绿化部', 21"
        "  UNION ALL SELECT 3, '品质部每周抽查绿化养护并拍照公示', '品质部', 21) m"
        " WHERE x.source = 'survey' AND x.metric_key = 'greening' AND x.state = 'draft'",
        "INSERT INTO improvement_notes (improvement_id, seq, note, done, by_id, at)"
        " SELECT m.improvement_id, m.seq, '已完成：' || m.text, 1, m.owner_id, m.done_at FROM improvement_measures m"
        " JOIN improvements x ON x.id = m.improvement_id WHERE x.source = 'survey' AND x.state = 'draft'",
        "UPDATE improvements SET state = 'effective',"
        " cause = '绿化外包单位养护频次不足，枯死苗木未及时补植，缺少日常检查',"
        " analysed_by = (SELECT MIN(u.id) FROM users u WHERE u.role = 'quality'),"
        " approved_by = (SELECT MIN(u.id) FROM users u JOIN staff_projects sp ON sp.user_id = u.id"
        "  WHERE sp.project_id = improvements.project_id AND u.role = 'manager'),"
        " approved_at = created_at + 3 * 86400, checked_at = created_at + 80 * 86400,"
        " checked_by = (SELECT MIN(u.id) FROM users u WHERE u.role = 'quality'),"
        " check_value = (SELECT 25.0 * SUM(t.n * (t.value - 1)) / SUM(t.n) FROM survey_tallies t"
        "  JOIN surveys s ON s.id = t.survey_id WHERE s.project_id = improvements.project_id AND t.question = 'q6'"
        "  AND s.state = 'closed' AND s.opens_at > improvements.created_at"
        "  AND s.opens_at = (SELECT MIN(s2.opens_at) FROM surveys s2 WHERE s2.project_id = improvements.project_id"
        "   AND s2.state = 'closed' AND s2.opens_at > improvements.created_at)),"
        " updated_at = created_at + 80 * 86400"
        " WHERE source = 'survey' AND metric_key = 'greening' AND state = 'draft'",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        if (db_exec(c, sql[i], DB_NOARGS, err) < 0) return err->rc;
    return 0;
}

int demo_voice_run(db *c, int64_t now, demo_stats *st, aj_error *err)
{
    int64_t projects[DEMO_MAX_PROJECTS];
    int np;
    if (demo_project_ids(c, projects, &np, err)) return err->rc;
    demo_rng rng = {.s = 20261203};
    int rc = 0;
    for (int p = 0; p < np && !rc; p++) {
        db_rows *r = db_query(c,
                     "SELECT r.id, r.building_id FROM rooms r WHERE r.project_id = $1 AND r.active = 1"
                     " AND EXISTS (SELECT 1 FROM resident_rooms x WHERE x.room_id = r.id) ORDER BY r.id",
                     DB_ARGS(DB_INT(projects[p])), err);
        if (!r) return err->rc;
        demo_voice_room *rooms = NULL;
        size_t n = 0, cap = 0;
        while (db_next(r)) {
            if (n == cap) rooms = realloc(rooms, sizeof *rooms * (cap = cap ? cap * 2 : 256));
            rooms[n++] = (demo_voice_room){db_int(r, 0), db_int(r, 1)};
        }
        rc = db_end(r, err) ? err->rc : 0;
        for (int k = 0; k < DEMO_VOICE_QUARTERS && !rc; k++)
            rc = demo_voice_survey(c, &rng, p, projects[p], k, now, rooms, n, st, err);
        free(rooms);
    }
    return rc ? rc : demo_voice_carry(c, err);
}
