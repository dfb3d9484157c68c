/* demo/demo_tickets.c: a year of demo work orders ending now, for the demo
 * projects' residents and staff: seasonal issues, channels, the whole life of
 * each ticket as events, SLA rows from the real policies and calendar.
 *
 * Each ticket draws from its own generator, seeded by (seed, project, day,
 * number), so a ticket is the same whenever the demo runs; "now" only cuts its
 * life short: what would happen later has not happened yet, which leaves the
 * last days' tickets open in every state, some of them overdue. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/calendar/calendar.h"
#include "domain/tickets/tickets.h"
#include "demo/demo.h"
#include "demo/demo_tickets.h"
#include "domain/sla/sla.h"

/* ---- the word tables only the generator reads ---- */

/* How often an issue of each season (S_*) comes up by month, Jan..Dec. */
static const float dt_seasons[S_NSEASONS][12] = {
    [S_FLAT] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    /* air conditioning, overloaded circuits, water pressure at peak use, mosquitoes */
    [S_SUMMER] = {.4f, .4f, .5f, .7f, 1.1f, 1.7f, 2.4f, 2.4f, 1.4f, .8f, .5f, .4f},
    /* heating, frozen pipes, batteries that will not charge */
    [S_WINTER] = {2.4f, 2.1f, 1.1f, .5f, .2f, .1f, .1f, .1f, .2f, .6f, 1.5f, 2.2f},
    /* the plum rains (梅雨) of June and July, summer storms and typhoons */
    [S_RAIN] = {.5f, .6f, .9f, 1.1f, 1.5f, 2.6f, 2.3f, 1.7f, 1.1f, .7f, .5f, .5f},
    /* pests, pets and growing hedges */
    [S_SPRING] = {.4f, .5f, 1.3f, 1.8f, 1.7f, 1.3f, 1.1f, 1, 1, .9f, .6f, .4f},
    /* renovation: after the Spring Festival and in 金九银十 (also spiked after holidays) */
    [S_RENO] = {.6f, .4f, 1.5f, 1.5f, 1.1f, .9f, .8f, .9f, 1.3f, 1.4f, 1.1f, .7f},
    /* the yearly property fee bill in January, parking renewals in July */
    [S_FEE] = {2.2f, 1.2f, .8f, .7f, .7f, 1, 1.6f, 1, .8f, .8f, .8f, 1.3f},
    /* only around the Spring Festival (see demo_tickets.c) */
    [S_FEST] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    /* long nights: a dead lamp is noticed */
    [S_DARK] = {1.4f, 1.2f, 1, .8f, .7f, .6f, .6f, .7f, .9f, 1.1f, 1.3f, 1.5f},
};

static const char *const dt_places[] = {"厨房", "卫生间", "主卧", "次卧", "客厅", "阳台", "书房"};

/* The share of each kind among all tickets, per mille. */
static const int dt_kind_share[DT_NKINDS] = {700, 120, 110, 45, 25};

/* The known trades: category skills and staff skills meet here as bits. */
static const char *const dt_skill_names[] = {"电工", "水工", "电梯", "空调", "门窗", "消防",
                                             "弱电", "土建", "绿化", "保洁", "秩序"};

/* Shared with demo_life.c (declared in demo_tickets.h). */
const char *const dt_kinds[DT_NKINDS] = {"repair", "complaint", "inquiry", "suggestion",
                                         "praise"};

static const char *const dt_prefix[DT_NKINDS] = {"BX", "TS", "ZX", "JY", "BY"};

/* A ticket of the day before it is drawn: its time decides the order. */
typedef struct dt_draft {
    int64_t at;
    int pi, k;
} dt_draft;

/* One stream per ticket (see the top), apart from the base data's (demo.c
 * seeds its one stream with the seed itself). */
static demo_rng demo_tickets_seed(uint64_t seed, uint64_t a, uint64_t b)
{
    demo_rng r = {seed ^ 0x7469636b65747321ull}; /* "tickets!": not the base data's stream */
    r.s ^= demo_rng_next(&r) + a;
    r.s ^= demo_rng_next(&r) + b;
    return r;
}

/* ---- what the demo has: projects, homes, staff, categories ---- */

/* The trade's bit in the skill masks (0: not a trade dispatch knows). */
static unsigned demo_tickets_skill_bit(const char *s)
{
    for (int k = 0; s && k < (int)(sizeof dt_skill_names / sizeof *dt_skill_names); k++)
        if (!strcmp(s, dt_skill_names[k])) return 1u << k;
    return 0;
}

static unsigned demo_tickets_skill_bits(const char *json)
{
    json_t *a = json_loads(json, 0, NULL);
    unsigned bits = 0;
    for (size_t i = 0; json_is_array(a) && i < json_array_size(a); i++)
        bits |= demo_tickets_skill_bit(json_string_value(json_array_get(a, i)));
    json_decref(a);
    return bits;
}

/* Room for one more in a malloc'd array of *cap: 0, or -1 out of memory. */
static int demo_tickets_grow(void *arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) return 0;
    void *g = realloc(*(void **)arr, (*cap = *cap ? 2 * *cap : 1024) * size);
    if (!g) return -1;
    *(void **)arr = g;
    return 0;
}

/* ---- a ticket from its generator ---- */

static void demo_tickets_fill(char *out, size_t n, const char *text, const char *place)
{
    size_t len = 0;
    for (const char *s = text; *s && len + 1 < n;) {
        if (!strncmp(s, "{p}", 3)) {
            len += (size_t)snprintf(out + len, n - len, "%s", place);
            if (len >= n) len = n - 1;
            s += 3;
        } else {
            out[len++] = *s++;
        }
    }
    out[len] = 0;
}

/* When in its local day a ticket comes in: mornings and evenings, few at night. */
static int64_t demo_tickets_time_of_day(demo_rng *r)
{
    static const float hours[24] = {1,   .6f, .4f, .3f, .3f, .5f, 1.2f, 2.5f, 5,    7, 7, 6,
                                    4,   4,   5.5f, 5.5f, 5,  5,   5,    6,    6.5f, 5, 3, 1.8f};
    float total = 0;
    for (int h = 0; h < 24; h++) total += hours[h];
    float u = (float)demo_rng_unit(r) * total;
    int h = 0;
    while (h < 23 && (u -= hours[h]) > 0) h++;
    return h * DT_HOUR + demo_rng_int(r, 0, DT_HOUR - 1);
}

static int demo_tickets_month(int64_t day)
{
    int y, m, d;
    clock_civil_from_days(day, &y, &m, &d);
    return m - 1;
}

/* Today's mix of issues in a project: the season, the festival, the weeks after a holiday. */
static void demo_tickets_mix(dt_ctx *x, dt_proj *p, int i)
{
    int month = demo_tickets_month(x->first_day + i);
    unsigned f = p->flags[i];
    for (int t = 0; t < DT_NTPL; t++) {
        const dt_tpl *tp = &dt_tpls[t];
        float w = x->cats[t].id ? tp->weight * dt_seasons[tp->season][month] : 0;
        if (tp->season == S_FEST && !(f & DF_FEST)) w = 0;
        if (tp->season == S_RENO) w *= f & DF_AFTER_BIG ? 2.5f : f & DF_AFTER ? 1.6f : 1;
        p->weight[t] = w;
    }
}

static int demo_tickets_pick_tpl(dt_tk *t, int kind)
{
    float total = 0;
    for (int i = 0; i < DT_NTPL; i++)
        if (dt_tpls[i].kind == kind) total += t->p->weight[i];
    float u = (float)demo_rng_unit(&t->r) * total;
    int last = -1;
    for (int i = 0; i < DT_NTPL; i++) {
        if (dt_tpls[i].kind != kind || t->p->weight[i] <= 0) continue;
        last = i;
        if ((u -= t->p->weight[i]) <= 0) return i;
    }
    return last;
}

/* A complaint a resident raised 2-25 days ago, raised again. */
static const dt_recent *demo_tickets_pick_recent(dt_tk *t)
{
    int cand[DT_RECENT], n = 0;
    for (int i = 0; i < t->p->nrecent; i++) {
        int64_t age = t->reported - t->p->recent[i].reported;
        if (age >= 2 * DT_DAY && age <= 25 * DT_DAY) cand[n++] = i;
    }
    return n ? &t->p->recent[cand[demo_rng_int(&t->r, 0, n - 1)]] : NULL;
}

static const char *demo_tickets_channel(dt_tk *t)
{
    static const char *const names[] = {"phone", "app", "wechat", "walk_in"};
    static const int share[DT_NKINDS][4] = {
        {34, 30, 24, 12}, {40, 28, 20, 12}, {45, 20, 15, 20}, {20, 40, 30, 10}, {15, 30, 25, 30}};
    int u = demo_rng_int(&t->r, 0, 99);
    for (int i = 0; i < 4; i++)
        if ((u -= share[t->kind][i]) < 0) return names[i];
    return "phone";
}

/* Draws what the ticket is about, who reported it, how and when. 0: nothing to file. */
static int demo_tickets_build(dt_ctx *x, dt_tk *t, int64_t reported)
{
    dt_proj *p = t->p;
    int i = (int)((reported + p->off) / DT_DAY - x->first_day);
    int u = demo_rng_int(&t->r, 0, 999), kind = 0;
    while (kind < DT_NKINDS - 1 && (u -= dt_kind_share[kind]) >= 0) kind++;
    t->kind = kind;
    t->tpl = demo_tickets_pick_tpl(t, kind);
    if (t->tpl < 0) return 0;
    const dt_tpl *tp = &dt_tpls[t->tpl];
    int prio = demo_rng_int(&t->r, 0, 99);
    t->priority = kind == DT_REPAIR ? (prio < tp->urgent ? "emergency"
                                       : prio < tp->urgent + tp->sched ? "scheduled"
                                                                        : "normal")
                  : (kind == DT_COMPLAINT || kind == DT_INQUIRY) && prio < tp->urgent ? "high"
                                                                                        : "normal";
    const char *place =
        dt_places[demo_rng_int(&t->r, 0, (int)(sizeof dt_places / sizeof *dt_places) - 1)];
    t->which = demo_rng_int(&t->r, 0, 2); /* a title and the description written for it */
    demo_tickets_fill(t->title, sizeof t->title, tp->title[t->which], place);
    demo_tickets_fill(t->desc, sizeof t->desc, tp->desc[t->which], place);
    t->desk = demo_life_pick(t, T_DESK, 0);
    if (!t->desk) t->desk = demo_life_pick(t, T_MANAGER, 0);
    if (tp->pub && kind == DT_REPAIR && demo_rng_pct(&t->r, 0.3)) {
        t->channel = "patrol"; /* a guard on the round found it */
        t->created_by = demo_life_pick(t, T_GUARD, 0);
    } else {
        for (int tries = 0; tries < 10 && !t->room && p->nhomes; tries++) {
            const dt_home *h = &p->homes[demo_rng_int(&t->r, 0, p->nhomes - 1)];
            if (h->since > reported) continue;
            t->room = h->room, t->resident = h->resident, t->user = h->user;
        }
        t->channel = t->room ? demo_tickets_channel(t) : "phone";
        int online = !strcmp(t->channel, "app") || !strcmp(t->channel, "wechat");
        t->created_by = online ? t->user : t->desk;
    }
    if (kind == DT_COMPLAINT && demo_rng_pct(&t->r, 0.10)) {
        const dt_recent *rc = demo_tickets_pick_recent(t);
        if (rc) {
            t->tpl = rc->tpl;
            t->room = rc->room, t->resident = rc->resident, t->user = rc->user;
            t->which = rc->which;
            snprintf(t->title, sizeof t->title, "再次反映：%s", rc->title);
            demo_tickets_fill(t->desc, sizeof t->desc, "上次反映的问题一直没有解决，", "");
            size_t n = strlen(t->desc);
            demo_tickets_fill(t->desc + n, sizeof t->desc - n, dt_tpls[t->tpl].desc[t->which], place);
            t->priority = demo_rng_pct(&t->r, 0.5) ? "high" : "normal";
            t->channel = demo_rng_pct(&t->r, 0.6) ? "phone" : "app";
            t->created_by = !strcmp(t->channel, "app") ? t->user : t->desk;
        }
    }
    if (!strcmp(t->priority, "scheduled")) {
        int64_t day = (reported + p->off) / DT_DAY + demo_rng_int(&t->r, 1, 3);
        t->appt_start = day * DT_DAY - p->off + demo_rng_int(&t->r, 9, 16) * DT_HOUR;
        t->appt_end = t->appt_start + 2 * DT_HOUR;
    }
    /* Summer peaks and the Spring Festival's thin staffing strain every team. */
    int month = demo_tickets_month(x->first_day + i);
    t->q = p->quality - (month == 6 || month == 7 ? 0.03 : 0) -
           (i >= 0 && i < DT_DAYS && (p->flags[i] & DF_SPRING) ? 0.05 : 0);
    return 1;
}


static uint64_t demo_tickets_seen_slot(dt_ctx *x, int64_t key)
{
    uint64_t h = (uint64_t)key * 0x9e3779b97f4a7c15ull, mask = x->nseen_cap - 1;
    for (h &= mask; x->seen[h].key && x->seen[h].key != key; h = (h + 1) & mask) {}
    return h;
}

static int demo_tickets_insert(dt_ctx *x, dt_tk *t, aj_error *err)
{
    dt_proj *p = t->p;
    int64_t local = (t->reported + p->off) / DT_DAY;
    int idx = (int)(local - x->first_day) + 2, y, m, d;
    if (idx < 0 || idx >= DT_DAYS + 4) return aj_fail(err, AJ_EDB, NULL, "demo: day out of range");
    clock_civil_from_days(local, &y, &m, &d);
    snprintf(t->no, sizeof t->no, "%s-%04d%02d%02d-%04d", dt_prefix[t->kind], y, m, d,
             ++x->numbers[t->kind][idx]);
    int64_t last = t->ev[t->nev - 1].at, id;
#define DT_OPT(v) DB_OPT_INT((v) != 0, (v))
#define DT_TRI(v) DB_OPT_INT((v) >= 0, (v))
    db_val a[] = {DB_TEXT(t->no), DB_INT(p->id), DB_TEXT(dt_kinds[t->kind]), DB_TEXT(t->priority),
                  DB_INT(x->cats[t->tpl].id), DB_TEXT(t->status), DB_TEXT(t->held_from),
                  DB_TEXT(t->title), DB_TEXT(t->desc), DT_OPT(t->room), DT_OPT(t->resident),
                  DB_TEXT(t->channel), DT_OPT(t->assignee), DB_INT(t->reported),
                  DT_OPT(t->appt_start), DT_OPT(t->appt_end), DT_OPT(t->accepted),
                  DT_OPT(t->assigned), DT_OPT(t->arrived), DT_OPT(t->contacted),
                  DT_OPT(t->resolved), DT_OPT(t->closed), DT_OPT(t->cancelled),
                  DB_TEXT(t->hold_reason), DB_NULLV, DB_TEXT(t->contact_note),
                  DB_TEXT(t->findings), DT_TRI(t->valid), DB_TEXT(t->resolution),
                  DB_TEXT(t->cancel_reason), DT_OPT(t->rating), DB_TEXT(t->rating_comment),
                  DT_OPT(t->rated), DT_OPT(t->visit_at), t->visit_at ? DT_OPT(t->desk) : DB_NULLV,
                  DT_TRI(t->visit_satisfied), DB_TEXT(t->visit_note), DB_INT(t->visit_unreachable),
                  DB_INT(t->reopen_count), DT_OPT(t->repeat_of), DT_OPT(t->pol ? t->pol->id : 0),
                  DT_OPT(t->created_by), DB_INT(t->reported), DB_INT(last), DB_INT(t->version)};
    if (db_scalar(x->c,
                  "INSERT INTO tickets (no, project_id, kind, priority, category_id, status,"
                  " held_from, title, description, room_id, resident_id, channel, assignee_id,"
                  " reported_at, appointment_start, appointment_end, accepted_at, assigned_at,"
                  " arrived_at, contacted_at, resolved_at, closed_at, cancelled_at, hold_reason,"
                  " hold_until, contact_note, findings, valid_complaint, resolution, cancel_reason,"
                  " rating, rating_comment, rated_at, visit_at, visit_by, visit_satisfied,"
                  " visit_note, visit_unreachable, reopen_count, repeat_of, policy_id, created_by,"
                  " created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                  " $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,"
                  " $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39,"
                  " $40, $41, $42, $43, $44, $45) RETURNING id",
                  (int)(sizeof a / sizeof a[0]), a, &id, err))
        return err->rc;
    for (int i = 0; i < t->nev; i++) {
        const dt_ev *e = &t->ev[i];
        if (DEMO_ROW(&x->events, err, DB_INT(id), DB_INT(i + 1), DB_INT(e->at), DT_OPT(e->actor),
                     DB_TEXT(e->action), DB_TEXT(e->from), DB_TEXT(e->to), DB_TEXT(e->note),
                     DB_TEXT(e->data[0] ? e->data : NULL)))
            return err->rc;
    }
    for (size_t i = 0; i < t->nrows; i++) {
        const sla_clock_row *r = &t->rows[i];
        if (DEMO_ROW(&x->sla, err, DB_INT(id), DB_TEXT(sla_milestone_name(r->milestone)),
                     DB_INT(r->started_at), DB_INT(r->due_at), DT_OPT(r->met_at),
                     DT_OPT(r->paused_at), DB_TEXT(calendar_clock_name(r->clock)),
                     DB_INT(r->escalated), DT_OPT(t->breached[i])))
            return err->rc;
    }
    if (demo_tickets_grow(&x->search, &x->scap, x->ns, sizeof *x->search))
        return aj_fail(err, AJ_EDB, NULL, "out of memory");
    x->search[x->ns++] = (dt_search){id, arena_strdup(&x->day, t->title),
                                      arena_strdup(&x->day, t->desc)};
    x->st->tickets++;
    x->st->open_tickets += ticket_is_open(t->status);
    /* What a later complaint about the same room and category links to. */
    if (t->kind == DT_COMPLAINT && t->room && !t->cancelled) {
        dt_seen *s = &x->seen[demo_tickets_seen_slot(x, t->room * 8192 + x->cats[t->tpl].id)];
        *s = (dt_seen){.key = t->room * 8192 + x->cats[t->tpl].id, .id = id, .reported = t->reported};
        snprintf(s->no, sizeof s->no, "%s", t->no);
        dt_recent *rc = &p->recent[p->nrecent < DT_RECENT ? p->nrecent++
                                                          : demo_rng_int(&t->r, 0, DT_RECENT - 1)];
        *rc = (dt_recent){.id = id, .room = t->room, .resident = t->resident, .user = t->user,
                          .reported = t->reported, .tpl = t->tpl, .which = t->which};
        const char *again = "再次反映：", *title = t->title;
        if (!strncmp(title, again, strlen(again))) title += strlen(again);
        snprintf(rc->title, sizeof rc->title, "%s", title);
    }
    return 0;
}

/* One ticket: drawn, lived up to now, written. */
static int demo_tickets_ticket(dt_ctx *x, dt_proj *p, int64_t day, int k, aj_error *err)
{
    dt_tk *t = x->tk;
    memset(t, 0, sizeof *t);
    t->r = demo_tickets_seed(x->seed, (uint64_t)(p - x->p) << 32 | (uint64_t)day, (uint64_t)k);
    t->p = p;
    int64_t reported = day * DT_DAY - p->off + demo_tickets_time_of_day(&t->r);
    t->reported = reported;
    if (reported > x->now || !demo_tickets_build(x, t, reported)) return 0;
    t->status = "new";
    t->valid = t->visit_satisfied = -1;
    t->version = 1;
    t->stuck = demo_rng_pct(&t->r, 0.012);
    t->tp = &dt_tpls[t->tpl];
    t->pol = demo_life_policy(x, t);
    aj_error e = {0};
    if (t->pol && sla_plan(t->pol, &p->cal, reported, t->appt_start, t->appt_end, t->rows,
                           &t->nrows, &e))
        t->pol = NULL, t->nrows = 0; /* e.g. a year whose holidays are not published */
    t->ev[t->nev++] = (dt_ev){.at = reported, .actor = t->created_by, .action = "create", .to = "new"};
    if (t->kind == DT_COMPLAINT && t->room) {
        const dt_seen *s = &x->seen[demo_tickets_seen_slot(x, t->room * 8192 + x->cats[t->tpl].id)];
        if (s->key && reported - s->reported <= 30 * DT_DAY) {
            t->repeat_of = s->id;
            snprintf(t->repeat_note, sizeof t->repeat_note, "30 天内同一房屋同类投诉，关联 %s", s->no);
            dt_ev *ev = &t->ev[t->nev++];
            *ev = (dt_ev){.at = reported, .action = "repeat", .note = t->repeat_note};
            snprintf(ev->data, sizeof ev->data, "{\"repeat_of\":%" PRId64 "}", s->id);
        }
    }
    if (demo_rng_pct(&t->r, 0.02)) { /* withdrawn, or a duplicate the desk merged */
        int own = t->created_by == t->user && t->user && demo_rng_pct(&t->r, 0.5);
        if (!own &&
            !demo_life_do(x, t, "accept", reported + demo_rng_span(&t->r, DT_MIN, 12 * DT_MIN),
                          t->desk, NULL, NULL))
            return demo_tickets_insert(x, t, err);
        demo_life_do(x, t, "cancel",
                     t->ev[t->nev - 1].at + demo_rng_span(&t->r, 3 * DT_MIN, 2 * DT_HOUR),
                     own ? t->user : t->desk,
                     own ? "问题已自行解决，撤销报事" : "重复报事，已合并处理", NULL);
    } else if (t->kind == DT_REPAIR) {
        demo_life_repair(x, t);
    } else if (t->kind == DT_COMPLAINT) {
        demo_life_complaint(x, t);
    } else {
        demo_life_other(x, t);
    }
    demo_life_settle(t);
    return demo_tickets_insert(x, t, err);
}

/* ---- the demo's people and calendar ---- */

static int demo_tickets_proj_index(dt_ctx *x, int64_t id)
{
    for (int i = 0; i < x->np; i++)
        if (x->p[i].id == id) return i;
    return -1;
}

static int demo_tickets_load(dt_ctx *x, aj_error *err)
{
    db_rows *r = db_query(x->c, "SELECT id, timezone FROM projects WHERE active = 1 ORDER BY id",
                          DB_NOARGS, err);
    if (!r) return err->rc;
    while (db_next(r) && x->np < DT_MAXPROJ) {
        dt_proj *p = &x->p[x->np++];
        p->id = db_int(r, 0);
        p->off = clock_tz_offset_or_default(db_text(r, 1));
    }
    if (db_end(r, err)) return err->rc;
    r = db_query(x->c,
                 "SELECT rm.project_id, rr.room_id, rs.id, rs.user_id, rs.created_at"
                 " FROM resident_rooms rr JOIN residents rs ON rs.id = rr.resident_id"
                 " JOIN rooms rm ON rm.id = rr.room_id WHERE rs.active = 1 AND rm.active = 1"
                 " ORDER BY rm.project_id, rr.room_id, rs.id",
                 DB_NOARGS, err);
    if (!r) return err->rc;
    while (db_next(r)) {
        int i = demo_tickets_proj_index(x, db_int(r, 0));
        if (i < 0) continue;
        dt_proj *p = &x->p[i];
        if (demo_tickets_grow(&p->homes, &p->hcap, (size_t)p->nhomes, sizeof *p->homes)) break;
        p->homes[p->nhomes++] = (dt_home){db_int(r, 1), db_int(r, 2), db_int(r, 3), db_int(r, 4)};
    }
    if (db_end(r, err)) return err->rc;
    r = db_query(x->c,
                 "SELECT sp.project_id, u.id, u.role, u.skills, u.created_at FROM staff_projects sp"
                 " JOIN users u ON u.id = sp.user_id WHERE u.active = 1 AND u.role <> 'resident'"
                 " ORDER BY sp.project_id, u.id",
                 DB_NOARGS, err);
    if (!r) return err->rc;
    static const char *const roles[] = {"technician", "guard", "cleaner", "desk", "manager"};
    while (db_next(r)) {
        int i = demo_tickets_proj_index(x, db_int(r, 0)), team = T_OTHER;
        for (int k = 0; k < 5; k++)
            if (!strcmp(db_text(r, 2), roles[k])) team = k;
        if (i < 0 || team == T_OTHER) continue;
        dt_proj *p = &x->p[i];
        if (demo_tickets_grow(&p->staff, &p->scap, (size_t)p->nstaff, sizeof *p->staff)) break;
        p->staff[p->nstaff++] =
            (dt_staff){db_int(r, 1), db_int(r, 4), demo_tickets_skill_bits(db_text(r, 3)), team};
    }
    if (db_end(r, err)) return err->rc;
    /* The templates' categories in this database, with the skills dispatch looks for. */
    for (int t = 0; t < DT_NTPL; t++) {
        category cat;
        const char **skills;
        size_t n;
        aj_error e = {0};
        if (category_find(x->c, dt_tpls[t].cat, &x->a, &cat, &e) ||
            category_skills(x->c, cat.id, &x->a, &skills, &n, &e))
            continue; /* an edited tree: the issue is left out */
        x->cats[t].id = cat.id;
        for (size_t k = 0; k < n; k++) x->cats[t].skills |= demo_tickets_skill_bit(skills[k]);
    }
    return 0;
}

static const calendar_day *demo_tickets_cal_day(const calendar *cal, int64_t day)
{
    size_t lo = 0, hi = cal->ndays;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cal->days[mid].day < day) lo = mid + 1;
        else hi = mid;
    }
    return lo < cal->ndays && cal->days[lo].day == day ? &cal->days[lo] : NULL;
}

/* Holidays of the year from the project's calendar; the Spring Festival's
 * firecrackers; the renovation rush after the long holidays. */
static void demo_tickets_flags(dt_ctx *x, dt_proj *p)
{
    for (int64_t d = x->first_day - 40; d < x->first_day + DT_DAYS; d++) {
        const calendar_day *cd = demo_tickets_cal_day(&p->cal, d), *next = demo_tickets_cal_day(&p->cal, d + 1);
        if (!cd || cd->kind != 'H') continue;
        int spring = !strcmp(cd->name, "春节"), big = spring || !strcmp(cd->name, "国庆节");
        int i = (int)(d - x->first_day);
        if (i >= 0) p->flags[i] |= DF_HOLIDAY | (spring ? DF_SPRING : 0);
        const calendar_day *prev = demo_tickets_cal_day(&p->cal, d - 1);
        if (spring && !(prev && prev->kind == 'H' && !strcmp(prev->name, "春节")))
            for (int k = -1; k <= 16; k++)
                if (i + k >= 0 && i + k < DT_DAYS) p->flags[i + k] |= DF_FEST;
        int ends = !(next && next->kind == 'H' && !strcmp(next->name, cd->name));
        if (ends && (big || !strcmp(cd->name, "劳动节")))
            for (int k = 1; k <= 14; k++)
                if (i + k >= 0 && i + k < DT_DAYS) p->flags[i + k] |= big ? DF_AFTER_BIG : DF_AFTER;
    }
}

/* How busy a day is, before the day's own chance. */
static double demo_tickets_day_factor(dt_ctx *x, const dt_proj *p, int i)
{
    static const double months[12] = {.95, .9, .95, 1, 1, 1.1, 1.2, 1.2, 1.05, 1, .95, 1};
    int64_t day = x->first_day + i;
    int wd = clock_weekday(day);
    double f = months[demo_tickets_month(day)] * (wd == 0 || wd == 6 ? 1.12 : wd == 1 ? 1.05 : 1);
    if (p->flags[i] & DF_SPRING) f *= 0.65; /* many are away for the holiday */
    else if (p->flags[i] & DF_HOLIDAY) f *= 0.9;
    return f;
}

static int demo_tickets_draft_cmp(const void *a, const void *b)
{
    const dt_draft *x = a, *y = b;
    if (x->at != y->at) return x->at < y->at ? -1 : 1;
    if (x->pi != y->pi) return x->pi - y->pi;
    return x->k - y->k;
}

int demo_tickets_run(db *c, uint64_t seed, int64_t now, int target, demo_stats *st,
                     aj_error *err)
{
    dt_ctx *x = calloc(1, sizeof *x);
    dt_draft *drafts = NULL;
    if (!x) return aj_fail(err, AJ_EDB, NULL, "out of memory");
    x->c = c;
    x->seed = seed;
    x->now = now;
    x->st = st;
    arena_init(&x->a, 1 << 16);
    arena_init(&x->tmp, 1 << 16);
    arena_init(&x->day, 1 << 20);
    demo_batch_init(&x->events, c,
                    "INSERT INTO ticket_events (ticket_id, id, at, actor_id, action, from_status,"
                    " to_status, note, data) VALUES ",
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?)", NULL);
    demo_batch_init(&x->sla, c,
                    "INSERT INTO ticket_sla (ticket_id, milestone, started_at, due_at, met_at,"
                    " paused_at, clock, escalated, breached_at) VALUES ",
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?)", NULL);
    /* A year of tickets in one transaction writes the room, assignee and resident
     * indexes in no particular order: a cache that holds their pages spares
     * SQLite writing them out again and again (this connection; set back below). */
    int sqlite = db_kind_of(c) == DB_SQLITE;
    aj_error ignore = {0};
    if (sqlite) db_exec(c, "PRAGMA cache_size = -131072", DB_NOARGS, &ignore);
    int rc = demo_tickets_load(x, err);
    if (rc || !x->np) goto out;
    int64_t homes = 0;
    for (int i = 0; i < x->np; i++) homes += x->p[i].nhomes;
    x->first_day = (now + x->p[0].off) / DT_DAY - (DT_DAYS - 1);
    for (x->nseen_cap = 1024; x->nseen_cap < (size_t)target; x->nseen_cap *= 2) {}
    x->seen = calloc(x->nseen_cap, sizeof *x->seen);
    x->tk = malloc(sizeof *x->tk);
    size_t dcap = 0;
    if (!x->seen || !x->tk) {
        rc = aj_fail(err, AJ_EDB, NULL, "out of memory");
        goto out;
    }
    for (int i = 0; i < x->np; i++) {
        dt_proj *p = &x->p[i];
        demo_rng r = demo_tickets_seed(seed, 0x5155414c, (uint64_t)i);
        p->quality = 0.89 + 0.07 * demo_rng_unit(&r);
        aj_error e = {0};
        if (calendar_load_project(c, p->id, &x->a, &p->cal, &e)) memset(&p->cal, 0, sizeof p->cal);
        demo_tickets_flags(x, p);
        double sum = 0;
        for (int d = 0; d < DT_DAYS; d++) sum += demo_tickets_day_factor(x, p, d);
        p->per_day = homes ? (double)target * p->nhomes / (double)homes / sum : 0;
    }
    for (int d = 0; d < DT_DAYS; d++) {
        size_t n = 0;
        for (int i = 0; i < x->np; i++) {
            dt_proj *p = &x->p[i];
            int64_t day = x->first_day + d;
            demo_rng r = demo_tickets_seed(seed, (uint64_t)i << 32 | (uint64_t)day | 1ull << 63, 0);
            double mu = p->per_day * demo_tickets_day_factor(x, p, d) * (0.85 + 0.3 * demo_rng_unit(&r));
            int count = (int)(mu + demo_rng_unit(&r));
            demo_tickets_mix(x, p, d);
            for (int k = 0; k < count; k++) {
                if (demo_tickets_grow(&drafts, &dcap, n, sizeof *drafts)) {
                    rc = aj_fail(err, AJ_EDB, NULL, "out of memory");
                    goto out;
                }
                /* Only the time decides the order: draw it as demo_tickets_ticket will. */
                demo_rng tr = demo_tickets_seed(seed, (uint64_t)i << 32 | (uint64_t)day, (uint64_t)k);
                drafts[n++] = (dt_draft){day * DT_DAY - p->off + demo_tickets_time_of_day(&tr), i, k};
            }
        }
        qsort(drafts, n, sizeof *drafts, demo_tickets_draft_cmp);
        for (size_t j = 0; j < n; j++)
            if ((rc = demo_tickets_ticket(x, &x->p[drafts[j].pi], x->first_day + d, drafts[j].k, err)))
                goto out;
        /* Search terms a day at a time, in a row: on SQLite a statement that opens
         * a savepoint (most INSERTs here) makes FTS5 write its pending terms out
         * as a segment, which per ticket would be thousands of tiny segments. */
        for (size_t j = 0; j < x->ns; j++) {
            arena_reset(&x->tmp);
            if ((rc = ticket_search_index(c, x->search[j].id, x->search[j].title,
                                          x->search[j].desc, &x->tmp, err)))
                goto out;
        }
        x->ns = 0;
        arena_reset(&x->day);
    }
    if ((rc = demo_batch_flush(&x->events, err)) || (rc = demo_batch_flush(&x->sla, err))) goto out;
    /* The human numbers go on from here: today's next repair is BX-…-(n+1). */
    demo_batch nums;
    demo_batch_init(&nums, c, "INSERT INTO ticket_numbers (prefix, day, n) VALUES ", "(?, ?, ?)",
                    NULL);
    for (int k = 0; k < DT_NKINDS; k++)
        for (int i = 0; i < DT_DAYS + 4; i++) {
            int y, m, d;
            if (!x->numbers[k][i]) continue;
            clock_civil_from_days(x->first_day + i - 2, &y, &m, &d);
            if ((rc = DEMO_ROW(&nums, err, DB_TEXT(dt_prefix[k]), DB_INT(y * 10000 + m * 100 + d),
                               DB_INT(x->numbers[k][i]))))
                goto out;
        }
    rc = demo_batch_flush(&nums, err);
out:
    if (sqlite) db_exec(c, "PRAGMA cache_size = -2000", DB_NOARGS, &ignore);
    for (int i = 0; i < x->np; i++) {
        free(x->p[i].homes);
        free(x->p[i].staff);
    }
    free(x->seen);
    free(x->tk);
    free(drafts);
    arena_free(&x->a);
    arena_free(&x->tmp);
    arena_free(&x->day);
    free(x->search);
    free(x);
    return rc;
}
