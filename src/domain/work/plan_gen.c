/* domain/work/plan_gen.c: tasks from plans, ahead of time, and the misses when a window
 * ends. Where the anchors lose occurrences (an assignee off shift, a server that was
 * down, a schedule quietly disabled) this makes each one a row: unassigned if nobody
 * fits, `missed` at once if its window passed while nobody was generating. */
#include "domain/work/plan_gen.h"

#include <jansson.h>
#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "base/log.h"
#include "domain/calendar/calendar.h"
#include "domain/core/core.h"
#include "domain/work/plan.h"
#include "domain/work/plan_rule.h"
#include "domain/work/task.h"

typedef struct plan_gen_plan {
    int64_t id, project_id, dtstart, window, generated_until, horizon;
    int workdays_only, version, offset, spot;
    const char *kind, *title, *rrule, *assign, *equipment;
} plan_gen_plan;

typedef struct plan_gen_person {
    int64_t id, open;
    int on_duty;
} plan_gen_person;

/* Who each (project, rule) resolves to, kept across the plans of one run: a company's
 * 60 plans per project share a handful of rules, and the open-task counts move only by
 * what this run assigns (kept up to date in place). */
typedef struct plan_gen_rule {
    int64_t project_id;
    const char *assign;
    plan_gen_person *people;
    size_t n;
} plan_gen_rule;

typedef struct plan_gen_cache {
    arena *a;
    plan_gen_rule *rules;
    size_t n, cap;
} plan_gen_cache;

static int plan_gen_load(db *c, int64_t id, arena *a, plan_gen_plan *p, aj_error *err)
{
    /* The plan's row locked first (a no-op update: PostgreSQL locks the row, SQLite holds
     * its one writer anyway), so a change to the plan and this fill never interleave: the
     * one that comes second sees the other's tasks and version. */
    if (db_exec(c, "UPDATE plans SET refill_at = refill_at WHERE id = $1", DB_ARGS(DB_INT(id)),
                err) < 0)
        return err->rc;
    db_rows *r = db_query(c,
                          "SELECT p.id, p.project_id, p.dtstart, p.window_minutes,"
                          " p.generated_until, p.horizon, p.workdays_only, p.version, pr.timezone,"
                          " p.kind, p.title, p.rrule, p.assign, p.equipment_ids, COALESCE(p.level, ''),"
                          " p.active FROM plans p JOIN projects pr ON pr.id = p.project_id"
                          " WHERE p.id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = 0;
    if (db_next(r) && db_int(r, 15)) {
        found = 1;
        p->id = db_int(r, 0);
        p->project_id = db_int(r, 1);
        p->dtstart = db_int(r, 2);
        p->window = db_int(r, 3) * 60;
        p->generated_until = db_int(r, 4);
        p->horizon = db_int(r, 5);
        p->workdays_only = (int)db_int(r, 6);
        p->version = (int)db_int(r, 7);
        p->offset = clock_tz_offset_or_default(db_text(r, 8));
        p->kind = arena_strdup(a, db_text(r, 9));
        p->title = arena_strdup(a, db_text(r, 10));
        p->rrule = arena_strdup(a, db_text(r, 11));
        p->assign = arena_strdup(a, db_text(r, 12));
        p->equipment = arena_strdup(a, db_text(r, 13));
        p->spot = !strcmp(p->kind, "inspection") && !strcmp(db_text(r, 14), "spot");
    }
    if (db_end(r, err)) return err->rc;
    return found ? 0 : AJ_ENOTFOUND;
}

/* Who the rule allows, as dispatch would see them: active staff of the project, their
 * duty and their open tasks. */
static int plan_gen_people(db *c, const plan_gen_plan *p, arena *a, plan_gen_person **out,
                           size_t *n, aj_error *err)
{
    *n = 0;
    *out = NULL;
    json_t *rule = json_loads(p->assign, 0, NULL);
    json_t *v;
    const char *cond = NULL;
    db_val arg = DB_NULLV;
    if ((v = json_object_get(rule, "staff_id"))) {
        cond = "u.id = $2";
        arg = DB_INT(json_integer_value(v));
    } else if ((v = json_object_get(rule, "role"))) {
        cond = "u.role = $2";
        arg = DB_TEXT(arena_strdup(a, json_string_value(v)));
    } else if ((v = json_object_get(rule, "department"))) {
        cond = "u.department_id = (SELECT id FROM departments WHERE name = $2 AND active = 1)";
        arg = DB_TEXT(arena_strdup(a, json_string_value(v)));
    } else if ((v = json_object_get(rule, "skill"))) {
        /* skills is a JSON array of words: the quoted word inside it */
        cond = "u.skills LIKE $2";
        arg = DB_TEXT(arena_printf(a, "%%\"%s\"%%", json_string_value(v)));
    }
    json_decref(rule);
    if (!cond) return 0; /* {}: nobody by rule, the manager assigns */
    const char *sql = arena_printf(
        a,
        "SELECT u.id, u.on_duty, (SELECT COUNT(*) FROM tasks t WHERE t.assignee_id = u.id"
        " AND t.state IN ('scheduled', 'in_progress')) FROM users u"
        " JOIN staff_projects sp ON sp.user_id = u.id"
        " WHERE sp.project_id = $1 AND u.active = 1 AND u.role <> 'resident' AND %s ORDER BY u.id",
        cond);
    db_rows *r = db_query(c, sql, DB_ARGS(DB_INT(p->project_id), arg), err);
    if (!r) return err->rc;
    size_t cap = 0;
    while (db_next(r)) {
        *out = arena_grow(a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (plan_gen_person){.id = db_int(r, 0), .on_duty = (int)db_int(r, 1),
                                           .open = db_int(r, 2)};
    }
    return db_end(r, err) ? err->rc : 0;
}

/* The one with the fewest open tasks, on duty first; 0 when nobody fits. */
static int64_t plan_gen_pick(plan_gen_person *people, size_t n)
{
    int any_on_duty = 0;
    for (size_t i = 0; i < n; i++) any_on_duty |= people[i].on_duty;
    plan_gen_person *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (any_on_duty && !people[i].on_duty) continue;
        if (!best || people[i].open < best->open) best = &people[i];
    }
    if (!best) return 0;
    best->open++;
    return best->id;
}

static int plan_gen_fill_cached(db *c, int64_t plan_id, int64_t now, plan_gen_cache *cache,
                                plan_gen_stats *st, aj_error *err);

int plan_gen_fill(db *c, int64_t plan_id, int64_t now, plan_gen_stats *st, aj_error *err)
{
    return plan_gen_fill_cached(c, plan_id, now, NULL, st, err);
}

/* The people of p's rule: from the cache when this run has resolved it already. */
static int plan_gen_rule_people(db *c, const plan_gen_plan *p, plan_gen_cache *cache, arena *a,
                                plan_gen_person **out, size_t *n, aj_error *err)
{
    if (!cache) return plan_gen_people(c, p, a, out, n, err);
    for (size_t i = 0; i < cache->n; i++)
        if (cache->rules[i].project_id == p->project_id && !strcmp(cache->rules[i].assign, p->assign)) {
            *out = cache->rules[i].people;
            *n = cache->rules[i].n;
            return 0;
        }
    if (plan_gen_people(c, p, cache->a, out, n, err)) return err->rc;
    cache->rules = arena_grow(cache->a, cache->rules, cache->n, &cache->cap, sizeof *cache->rules);
    cache->rules[cache->n++] = (plan_gen_rule){.project_id = p->project_id,
                                               .assign = arena_strdup(cache->a, p->assign),
                                               .people = *out, .n = *n};
    return 0;
}

static int plan_gen_fill_cached(db *c, int64_t plan_id, int64_t now, plan_gen_cache *cache,
                                plan_gen_stats *st, aj_error *err)
{
    arena a;
    arena_init(&a, 16384);
    plan_gen_plan p = {0};
    int rc = plan_gen_load(c, plan_id, &a, &p, err);
    if (rc == AJ_ENOTFOUND) rc = 0; /* paused or gone: nothing to make */
    if (rc || !p.id) goto done;
    int64_t from = p.generated_until, to = now + p.horizon, *starts;
    size_t n;
    int capped;
    if (to <= from) goto done;
    if ((rc = plan_rule_expand(p.rrule, p.dtstart, p.offset, from, to, PLAN_GEN_MAX, &a, &starts,
                               &n, &capped, err)))
        goto done;
    if (capped && n) to = starts[n - 1] + 1;
    calendar cal;
    if (p.workdays_only && (rc = calendar_load_project(c, p.project_id, &a, &cal, err))) goto done;
    /* One task per piece of equipment the plan covers, or one without. */
    json_t *eq = json_loads(p.equipment, 0, NULL);
    size_t neq = json_array_size(eq);
    int64_t *equipment = arena_alloc(&a, sizeof(int64_t) * (neq ? neq : 1));
    for (size_t i = 0; i < neq; i++) equipment[i] = json_integer_value(json_array_get(eq, i));
    json_decref(eq);
    if (!neq) neq = 1;
    plan_gen_person *people;
    size_t npeople;
    if ((rc = plan_gen_rule_people(c, &p, cache, &a, &people, &npeople, err))) goto done;
    int64_t made = 0;
    for (size_t i = 0; i < n; i++) {
        if (p.workdays_only) {
            aj_error e = {0};
            int w = calendar_is_workday(&cal, (starts[i] + p.offset) / 86400, &e);
            if (w < 0) {
                /* A year whose official schedule is not out yet: stop here; this
                 * occurrence is made once the year is imported. */
                to = starts[i];
                break;
            }
            if (w == 0) continue;
        }
        int64_t due = starts[i] + p.window;
        for (size_t k = 0; k < neq; k++) {
            int64_t who = plan_gen_pick(people, npeople);
            int missed = due <= now;
            int64_t ch = db_exec(
                c,
                "INSERT INTO tasks (plan_id, plan_version, project_id, kind, title, equipment_id,"
                " assignee_id, starts_at, due_at, state, missed_at, created_at, updated_at)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)"
                " ON CONFLICT (plan_id, starts_at, equipment_id) DO NOTHING",
                DB_ARGS(DB_INT(p.id), DB_INT(p.version), DB_INT(p.project_id), DB_TEXT(p.kind),
                        DB_TEXT(p.title), DB_INT(equipment[k]), DB_OPT_INT(who, who),
                        DB_INT(starts[i]), DB_INT(due), DB_TEXT(missed ? "missed" : "scheduled"),
                        DB_OPT_INT(missed, now), DB_INT(now)),
                err);
            if (ch < 0) {
                rc = (int)ch;
                goto done;
            }
            made += ch;
            if (ch && !who) st->unassigned++;
            if (ch && missed) st->missed++;
        }
    }
    /* a management spot check's buildings are the server's draw, one per new task */
    int64_t drawn;
    if (p.spot && made && (rc = plan_inspect_draw(c, p.id, p.project_id, &drawn, err))) goto done;
    /* Look again when a quarter of the horizon is used up; at once when capped. */
    int64_t refill = capped ? now : to - p.horizon * 3 / 4;
    if (db_exec(c, "UPDATE plans SET generated_until = $2, refill_at = $3 WHERE id = $1",
                DB_ARGS(DB_INT(p.id), DB_INT(to), DB_INT(refill)), err) < 0) {
        rc = err->rc;
        goto done;
    }
    st->plans++;
    st->tasks += made;
done:
    arena_free(&a);
    return rc;
}

int plan_gen_drop_future(db *c, int64_t plan_id, int64_t now, int64_t *n, aj_error *err)
{
    *n = db_exec(c,
                 "DELETE FROM tasks WHERE plan_id = $1 AND state = 'scheduled' AND starts_at > $2"
                 " AND NOT EXISTS (SELECT 1 FROM task_results r WHERE r.task_id = tasks.id)",
                 DB_ARGS(DB_INT(plan_id), DB_INT(now)), err);
    return *n < 0 ? err->rc : 0;
}

/* Tasks whose window ended unfinished: `missed`, each announced to the project's live
 * streams (the console shows a miss at once), one audit row for the run. */
static int plan_gen_mark_missed(db *c, int64_t now, plan_gen_stats *st, aj_error *err)
{
    arena a;
    arena_init(&a, 8192);
    int64_t *ids = NULL, *projects = NULL;
    size_t n = 0, cap = 0, cap2 = 0;
    int rc = 0;
    db_rows *r = db_query(c,
                          "SELECT id, project_id FROM tasks WHERE state IN ('scheduled', 'in_progress')"
                          " AND due_at <= $1 ORDER BY due_at LIMIT 5000",
                          DB_ARGS(DB_INT(now)), err);
    if (!r) {
        rc = err->rc;
        goto done;
    }
    while (db_next(r)) {
        ids = arena_grow(&a, ids, n, &cap, sizeof *ids);
        projects = arena_grow(&a, projects, n, &cap2, sizeof *projects);
        ids[n] = db_int(r, 0);
        projects[n++] = db_int(r, 1);
    }
    if (db_end(r, err) || !n) {
        rc = n ? err->rc : 0;
        goto done;
    }
    live_hold();
    if ((rc = db_begin(c, err))) {
        live_release(0);
        goto done;
    }
    json_t *list = json_array();
    int64_t marked = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t ch = db_exec(c,
                             "UPDATE tasks SET state = 'missed', missed_at = $2, updated_at = $2"
                             " WHERE id = $1 AND state IN ('scheduled', 'in_progress')",
                             DB_ARGS(DB_INT(ids[i]), DB_INT(now)), err);
        if (ch < 0) {
            rc = (int)ch;
            break;
        }
        if (!ch) continue;
        marked++;
        if (json_array_size(list) < 100) json_array_append_new(list, json_integer(ids[i]));
        json_t *d = json_pack("{s:I, s:I, s:s}", "id", (json_int_t)ids[i], "project_id",
                              (json_int_t)projects[i], "state", "missed");
        live_target to = {.project_id = projects[i]};
        live_publish(&to, "task", d);
        json_decref(d);
    }
    if (!rc && marked) {
        actor sys = actor_system("job:plans");
        json_t *chg = json_pack("{s:I, s:o}", "missed", (json_int_t)marked, "task_ids", list);
        list = NULL;
        rc = audit_append(c, &sys, "mark_missed", "task", 0, chg, err);
        json_decref(chg);
    }
    json_decref(list);
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    live_release(rc == 0);
    if (!rc) st->missed += marked;
done:
    arena_free(&a);
    return rc;
}

int plan_gen_run(db *c, int64_t now, plan_gen_stats *st, aj_error *err)
{
    *st = (plan_gen_stats){0};
    arena a;
    arena_init(&a, 8192);
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    db_rows *r = db_query(c,
                          "SELECT id FROM plans WHERE active = 1 AND refill_at <= $1"
                          " ORDER BY refill_at, id LIMIT $2",
                          DB_ARGS(DB_INT(now), DB_INT(PLAN_GEN_PLANS)), err);
    if (!r) {
        arena_free(&a);
        return err->rc;
    }
    while (db_next(r)) {
        ids = arena_grow(&a, ids, n, &cap, sizeof *ids);
        ids[n++] = db_int(r, 0);
    }
    if (db_end(r, err)) {
        arena_free(&a);
        return err->rc;
    }
    /* Plans in batches, one transaction (one durable commit) each: a commit per plan
     * cost 6,000 fsyncs for a company's first fill. A batch that fails is redone one
     * plan per transaction, so one bad plan (logged) holds up no other. */
    plan_gen_cache cache = {.a = &a};
    for (size_t i = 0; i < n; i += PLAN_GEN_BATCH) {
        size_t end = i + PLAN_GEN_BATCH < n ? i + PLAN_GEN_BATCH : n;
        plan_gen_stats bst = *st;
        aj_error e = {0};
        int ok = db_begin(c, &e) == 0 && db_bulk(c, 1, &e) == 0;
        for (size_t k = i; ok && k < end; k++)
            ok = plan_gen_fill_cached(c, ids[k], now, &cache, &bst, &e) == 0;
        if (ok && db_commit(c, &e) == 0) {
            *st = bst;
            continue;
        }
        db_rollback(c);
        cache.n = 0; /* its counts include what was rolled back */
        for (size_t k = i; k < end; k++) {
            e = (aj_error){0};
            if (db_begin(c, &e) || plan_gen_fill(c, ids[k], now, st, &e) || db_commit(c, &e)) {
                db_rollback(c);
                log_error("plans: plan %lld: %s", (long long)ids[k], e.message);
                if (!rc) {
                    rc = e.rc ? e.rc : AJ_EDB;
                    *err = e;
                }
            }
        }
    }
    /* the writer's cache back to its everyday size */
    aj_error be = {0};
    if (n && (db_begin(c, &be) || db_bulk(c, 0, &be) || db_commit(c, &be))) {
        db_rollback(c);
        log_error("plans: cache: %s", be.message);
    }
    arena_free(&a);
    int mrc = plan_gen_mark_missed(c, now, st, err);
    if (!mrc) mrc = task_alert_unstarted(c, now, &st->alerted, err);
    return rc ? rc : mrc;
}
