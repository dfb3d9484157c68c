/* domain/sla/sla_policy.c: SLA policies in the database and the rules a policy keeps. */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/core/core.h"
#include "domain/sla/sla.h"

/* The canonical lists of ticket kinds and priorities: tickets use these. */
const char *const sla_kinds[] = {"repair", "complaint", "inquiry", "suggestion", "praise", NULL};
const char *const sla_priorities[] = {"emergency", "high", "normal", "scheduled", NULL};

static const char *const sla_policy_notify[] = {"assignee", "manager", "quality", "desk", NULL};

const char *sla_one_of(const char *const *list, const char *s)
{
    for (; s && *list; list++)
        if (strcmp(*list, s) == 0) return *list;
    return NULL;
}

/* ---- the rules ---- */

int sla_target_check(const sla_target *t, const sla_target *before, size_t n, aj_error *err)
{
    if (t->milestone < SLA_RESPOND || t->milestone >= SLA_NMILESTONES)
        return aj_fail(err, AJ_EINVAL, "milestone", "milestone 的取值无效");
    if (t->from < SLA_FROM_REPORTED || t->from > SLA_FROM_APPT_END)
        return aj_fail(err, AJ_EINVAL, "from", "from 的取值无效");
    for (size_t i = 0; i < n; i++)
        if (before[i].milestone == t->milestone)
            return aj_fail(err, AJ_EINVAL, "milestone", "里程碑 %s 重复",
                           sla_milestone_name(t->milestone));
    if (calendar_check_target(t->amount, t->unit, t->clock, err)) return err->rc;
    if (t->amount == 0 && t->from == SLA_FROM_REPORTED)
        return aj_fail(err, AJ_EINVAL, "amount", "时限为 0 只适用于从预约时间起算的里程碑");
    return 0;
}

int sla_escalation_check(const sla_escalation *e, const sla_escalation *before, size_t n,
                         aj_error *err)
{
    if (e->at_percent < 1 || e->at_percent > 1000)
        return aj_fail(err, AJ_EINVAL, "at_percent", "at_percent 须在 1 到 1000 之间");
    if (!sla_one_of(sla_policy_notify, e->notify))
        return aj_fail(err, AJ_EINVAL, "notify", "notify 须为 assignee、manager、quality 或 desk");
    for (size_t i = 0; i < n; i++)
        if (before[i].at_percent == e->at_percent)
            return aj_fail(err, AJ_EINVAL, "at_percent", "at_percent %d 重复", e->at_percent);
    return 0;
}

void sla_policy_set_targets(sla_policy *p, const sla_target *t, size_t n)
{
    p->ntargets = 0;
    for (int m = 0; m < SLA_NMILESTONES; m++)
        for (size_t i = 0; i < n; i++)
            if ((int)t[i].milestone == m && p->ntargets < SLA_NMILESTONES)
                p->targets[p->ntargets++] = t[i];
}

void sla_policy_set_escalations(sla_policy *p, const sla_escalation *e, size_t n)
{
    if (n > SLA_MAX_ESCALATIONS) n = SLA_MAX_ESCALATIONS;
    for (size_t i = 0; i < n; i++) {
        sla_escalation x = {e[i].at_percent, sla_one_of(sla_policy_notify, e[i].notify)};
        size_t j = i;
        for (; j > 0 && p->escalations[j - 1].at_percent > x.at_percent; j--)
            p->escalations[j] = p->escalations[j - 1];
        p->escalations[j] = x;
    }
    p->nescalations = n;
}

/* Names the item: "milestones[1]." before the field the rule reported. */
static int sla_policy_item(aj_error *err, const char *array, size_t i)
{
    char f[sizeof err->field];
    snprintf(f, sizeof f, "%s[%d].%.32s", array, (int)i, err->field);
    memcpy(err->field, f, sizeof f);
    return err->rc;
}

int sla_policy_check_rules(const sla_policy *p, aj_error *err)
{
    if (!sla_one_of(sla_kinds, p->kind)) return aj_fail(err, AJ_EINVAL, "kind", "kind 无效");
    if (!sla_one_of(sla_priorities, p->priority))
        return aj_fail(err, AJ_EINVAL, "priority", "priority 无效");
    if (p->ntargets < 1 || p->ntargets > SLA_NMILESTONES)
        return aj_fail(err, AJ_EINVAL, "milestones", "至少需要一个里程碑");
    if (p->nescalations > SLA_MAX_ESCALATIONS)
        return aj_fail(err, AJ_EINVAL, "escalations", "升级规则过多");
    if (p->category && (!*p->category || strlen(p->category) > SLA_CATEGORY_MAX))
        return aj_fail(err, AJ_EINVAL, "category", "category 无效");
    for (size_t i = 0; i < p->ntargets; i++)
        if (sla_target_check(&p->targets[i], p->targets, i, err))
            return sla_policy_item(err, "milestones", i);
    for (size_t i = 0; i < p->nescalations; i++)
        if (sla_escalation_check(&p->escalations[i], p->escalations, i, err))
            return sla_policy_item(err, "escalations", i);
    return 0;
}

/* ---- the stored text: JSON of the two arrays, as in the API ---- */

json_t *sla_policy_targets_json(const sla_policy *p)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < p->ntargets; i++) {
        const sla_target *t = &p->targets[i];
        json_array_append_new(
            arr, json_pack("{s:s, s:i, s:s, s:s, s:s}", "milestone",
                           sla_milestone_name(t->milestone), "amount", t->amount, "unit",
                           calendar_unit_name(t->unit), "clock", calendar_clock_name(t->clock),
                           "from", sla_anchor_name(t->from)));
    }
    return arr;
}

json_t *sla_policy_escalations_json(const sla_policy *p)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < p->nescalations; i++)
        json_array_append_new(arr, json_pack("{s:i, s:s}", "at_percent",
                                             p->escalations[i].at_percent, "notify",
                                             p->escalations[i].notify));
    return arr;
}

/* A string member, NULL when absent or null: the stored shape is the API's,
 * where clock and from may be left out. */
static int sla_policy_text(json_t *o, const char *key, int required, const char **out,
                           aj_error *err)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? aj_fail(err, AJ_EINVAL, key, "缺少 %s", key) : 0;
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
        return aj_fail(err, AJ_EINVAL, key, "%s 不是字符串", key);
    *out = json_string_value(v);
    return 0;
}

static int sla_policy_number(json_t *o, const char *key, int *out, aj_error *err)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < -(1 << 30) ||
        json_integer_value(v) > 1 << 30)
        return aj_fail(err, AJ_EINVAL, key, "%s 不是整数", key);
    *out = (int)json_integer_value(v);
    return 0;
}

static int sla_policy_only(json_t *o, const char *const *keys, aj_error *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        if (!sla_one_of(keys, k))
            return aj_fail(err, AJ_EINVAL, strlen(k) < sizeof err->field ? k : "", "未知字段");
    }
    return 0;
}

/* One stored target; the same defaults as the API: a workday target runs on
 * the business clock, the rest on the calendar clock, from the report. */
static int sla_policy_target_decode(json_t *o, sla_target *t, aj_error *err)
{
    static const char *const keys[] = {"milestone", "amount", "unit", "clock", "from", NULL};
    const char *ms, *unit, *clock, *from;
    int amount;
    if (!json_is_object(o)) return aj_fail(err, AJ_EINVAL, "", "不是对象");
    if (sla_policy_only(o, keys, err) || sla_policy_text(o, "milestone", 1, &ms, err) ||
        sla_policy_number(o, "amount", &amount, err) ||
        sla_policy_text(o, "unit", 1, &unit, err) || sla_policy_text(o, "clock", 0, &clock, err) ||
        sla_policy_text(o, "from", 0, &from, err))
        return err->rc;
    int m = sla_milestone_parse(ms), u = calendar_unit_parse(unit);
    int c = clock ? calendar_clock_parse(clock) : u == CAL_WORKDAY;
    int f = from ? sla_anchor_parse(from) : SLA_FROM_REPORTED;
    const char *bad = m < 0   ? "milestone"
                      : u < 0 ? "unit"
                      : c < 0 ? "clock"
                      : f < 0 ? "from"
                              : NULL;
    if (bad) return aj_fail(err, AJ_EINVAL, bad, "%s 的取值无效", bad);
    *t = (sla_target){.milestone = (sla_milestone)m, .amount = amount, .unit = (cal_unit)u,
                      .clock = (cal_clock)c, .from = (sla_anchor)f};
    return 0;
}

static int sla_policy_escalation_decode(json_t *o, sla_escalation *e, aj_error *err)
{
    static const char *const keys[] = {"at_percent", "notify", NULL};
    const char *notify;
    if (!json_is_object(o)) return aj_fail(err, AJ_EINVAL, "", "不是对象");
    if (sla_policy_only(o, keys, err) || sla_policy_number(o, "at_percent", &e->at_percent, err) ||
        sla_policy_text(o, "notify", 1, &notify, err))
        return err->rc;
    e->notify = notify; /* canonical once set: sla_policy_set_escalations */
    return 0;
}

int sla_policy_decode(sla_policy *p, const char *milestones, const char *escalations,
                      aj_error *err)
{
    json_t *ms = json_loads(milestones, 0, NULL);
    json_t *es = escalations ? json_loads(escalations, 0, NULL) : json_array();
    sla_target t[SLA_NMILESTONES];
    sla_escalation e[SLA_MAX_ESCALATIONS];
    size_t nt = json_array_size(ms), ne = json_array_size(es);
    int rc = 0;
    if (!json_is_array(ms) || nt < 1 || nt > SLA_NMILESTONES)
        rc = aj_fail(err, AJ_EINVAL, "milestones", "milestones 须为 1 到 %d 项的数组",
                     SLA_NMILESTONES);
    else if (!json_is_array(es) || ne > SLA_MAX_ESCALATIONS)
        rc = aj_fail(err, AJ_EINVAL, "escalations", "escalations 须为至多 %d 项的数组",
                     SLA_MAX_ESCALATIONS);
    for (size_t i = 0; !rc && i < nt; i++)
        if (sla_policy_target_decode(json_array_get(ms, i), &t[i], err) ||
            sla_target_check(&t[i], t, i, err))
            rc = sla_policy_item(err, "milestones", i);
    for (size_t i = 0; !rc && i < ne; i++)
        if (sla_policy_escalation_decode(json_array_get(es, i), &e[i], err) ||
            sla_escalation_check(&e[i], e, i, err))
            rc = sla_policy_item(err, "escalations", i);
    /* Sets before the JSON goes: notify is read from it. */
    if (!rc) {
        sla_policy_set_targets(p, t, nt);
        sla_policy_set_escalations(p, e, ne);
    }
    json_decref(ms);
    json_decref(es);
    return rc;
}

/* ---- policies in the database ---- */

#define SLA_POLICY_COLS                                                                        \
    "id, project_id, kind, priority, category, milestones, escalations, active, created_at,"   \
    " updated_at"

/* Parsed targets and escalations of the policies read lately, keyed by their
 * stored text: every ticket create reads its policies, and parsing their
 * JSON was a tenth of a create. Matched by content, not by id or time, so a
 * policy changed here or by another process is simply parsed again. */
#define SLA_POLICY_PARSED_SLOTS 64
#define SLA_POLICY_PARSED_TEXT 1024

typedef struct sla_policy_parsed {
    int64_t id; /* 0: free */
    char milestones[SLA_POLICY_PARSED_TEXT], escalations[SLA_POLICY_PARSED_TEXT];
    sla_target targets[SLA_NMILESTONES];
    size_t ntargets;
    sla_escalation esc[SLA_MAX_ESCALATIONS];
    size_t nesc;
} sla_policy_parsed;

static pthread_mutex_t sla_policy_parsed_mu = PTHREAD_MUTEX_INITIALIZER;
static sla_policy_parsed sla_policy_parsed_cache[SLA_POLICY_PARSED_SLOTS];

static int sla_policy_parsed_get(sla_policy *p, const char *ms, const char *es)
{
    sla_policy_parsed *e = &sla_policy_parsed_cache[(uint64_t)p->id % SLA_POLICY_PARSED_SLOTS];
    pthread_mutex_lock(&sla_policy_parsed_mu);
    int hit = e->id == p->id && strcmp(e->milestones, ms) == 0 && strcmp(e->escalations, es) == 0;
    if (hit) {
        memcpy(p->targets, e->targets, sizeof p->targets);
        p->ntargets = e->ntargets;
        memcpy(p->escalations, e->esc, sizeof p->escalations);
        p->nescalations = e->nesc;
    }
    pthread_mutex_unlock(&sla_policy_parsed_mu);
    return hit;
}

static void sla_policy_parsed_put(const sla_policy *p, const char *ms, const char *es)
{
    if (strlen(ms) >= SLA_POLICY_PARSED_TEXT || strlen(es) >= SLA_POLICY_PARSED_TEXT) return;
    sla_policy_parsed *e = &sla_policy_parsed_cache[(uint64_t)p->id % SLA_POLICY_PARSED_SLOTS];
    pthread_mutex_lock(&sla_policy_parsed_mu);
    e->id = p->id;
    strcpy(e->milestones, ms);
    strcpy(e->escalations, es);
    memcpy(e->targets, p->targets, sizeof e->targets);
    e->ntargets = p->ntargets;
    memcpy(e->esc, p->escalations, sizeof e->esc);
    e->nesc = p->nescalations;
    pthread_mutex_unlock(&sla_policy_parsed_mu);
}

static int sla_policy_read(db_rows *r, arena *a, sla_policy *p, aj_error *err)
{
    *p = (sla_policy){.id = db_int(r, 0),
                      .project_id = db_null(r, 1) ? 0 : db_int(r, 1),
                      .kind = arena_strdup(a, db_text(r, 2)),
                      .priority = arena_strdup(a, db_text(r, 3)),
                      .category = db_null(r, 4) ? NULL : arena_strdup(a, db_text(r, 4)),
                      .active = (int)db_int(r, 7),
                      .created_at = db_int(r, 8),
                      .updated_at = db_int(r, 9)};
    const char *mtext = db_text(r, 5), *etext = db_text(r, 6);
    if (sla_policy_parsed_get(p, mtext, etext)) return 0;
    aj_error e2 = {0};
    if (sla_policy_decode(p, mtext, etext, &e2))
        return aj_fail(err, AJ_EDB, NULL, "SLA 策略 %lld 的存储内容无效：%s：%s",
                       (long long)p->id, e2.field, e2.message);
    sla_policy_parsed_put(p, mtext, etext);
    return 0;
}

/* Reads every row of r into a growing array. */
static int sla_policy_read_all(db_rows *r, arena *a, sla_policy **items, size_t *n,
                               aj_error *err)
{
    size_t cap = 0;
    *items = NULL;
    *n = 0;
    while (db_next(r)) {
        *items = arena_grow(a, *items, *n, &cap, sizeof **items);
        if (sla_policy_read(r, a, &(*items)[(*n)++], err)) {
            db_done(r);
            return err->rc;
        }
    }
    return db_end(r, err);
}

/* "水电" covers "水电" and "水电/漏水"; NULL covers everything. */
static size_t sla_policy_category_score(const char *policy, const char *ticket)
{
    if (!policy) return 1;
    if (!ticket) return 0;
    size_t n = strlen(policy);
    if (strncmp(policy, ticket, n) != 0 || (ticket[n] && ticket[n] != '/')) return 0;
    return 2 + n;
}

int sla_policy_find(db *c, int64_t project_id, const char *kind, const char *priority,
                    const char *category, arena *a, sla_policy *out, aj_error *err)
{
    sla_policy *items;
    size_t n;
    db_rows *r = db_query(c,
                          "SELECT " SLA_POLICY_COLS " FROM sla_policies WHERE active = 1"
                          " AND kind = $1 AND priority = $2"
                          " AND (project_id IS NULL OR project_id = $3)",
                          DB_ARGS(DB_TEXT(kind), DB_TEXT(priority), DB_INT(project_id)), err);
    if (!r || sla_policy_read_all(r, a, &items, &n, err)) return err->rc;
    size_t best = 0, best_score = 0;
    for (size_t i = 0; i < n; i++) {
        size_t cs = sla_policy_category_score(items[i].category, category);
        /* Project beats company default; then the longest matching category. */
        size_t score = cs ? (items[i].project_id ? 1000 : 0) + cs : 0;
        if (score > best_score) {
            best_score = score;
            best = i;
        }
    }
    if (!best_score)
        return aj_fail(err, AJ_ENOTFOUND, NULL, "没有适用于 %s/%s 的 SLA 策略", kind, priority);
    *out = items[best];
    return 0;
}

int sla_policy_effective(db *c, int64_t project_id, arena *a, sla_policy **items, size_t *n,
                         aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT " SLA_POLICY_COLS " FROM sla_policies WHERE active = 1"
                          " AND (project_id IS NULL OR project_id = $1)"
                          " ORDER BY CASE WHEN project_id IS NULL THEN 1 ELSE 0 END, id",
                          DB_ARGS(DB_INT(project_id)), err);
    if (!r) return err->rc;
    size_t cap = 0;
    *items = NULL;
    *n = 0;
    while (db_next(r)) {
        sla_policy p;
        aj_error e = {0};
        /* A stored policy the rules refuse applies to no ticket (sla_policy_find
         * fails on it): it is not in force. */
        if (sla_policy_read(r, a, &p, &e) || sla_policy_check_rules(&p, &e)) continue;
        /* Rows come project-specific first: a default for the same key is shadowed. */
        int shadowed = 0;
        for (size_t i = 0; i < *n; i++)
            shadowed |= !strcmp((*items)[i].kind, p.kind) &&
                        !strcmp((*items)[i].priority, p.priority) &&
                        !strcmp((*items)[i].category ? (*items)[i].category : "",
                                p.category ? p.category : "");
        if (shadowed) continue;
        *items = arena_grow(a, *items, *n, &cap, sizeof **items);
        (*items)[(*n)++] = p;
    }
    return db_end(r, err);
}

int sla_policy_list(db *c, const actor *who, arena *a, sla_policy **items, size_t *n,
                    aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    db_rows *r = db_query(c,
                          "SELECT " SLA_POLICY_COLS " FROM sla_policies"
                          " WHERE CAST($1 AS BIGINT) = 1"
                          " OR project_id IS NULL OR project_id IN"
                          " (SELECT project_id FROM staff_projects WHERE user_id = $2)"
                          " ORDER BY id",
                          DB_ARGS(DB_INT(actor_is_company_wide(who)), DB_INT(who->id)), err);
    if (!r) return err->rc;
    return sla_policy_read_all(r, a, items, n, err);
}

int sla_policy_get(db *c, const actor *who, int64_t id, arena *a, sla_policy *out,
                   aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    db_rows *r = db_query(c, "SELECT " SLA_POLICY_COLS " FROM sla_policies WHERE id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found && sla_policy_read(r, a, out, err)) {
        db_done(r);
        return err->rc;
    }
    if (db_end(r, err)) return err->rc;
    if (!found || (out->project_id && actor_can_see_project(c, who, out->project_id, err)))
        return aj_fail(err, AJ_ENOTFOUND, NULL, "SLA 策略不存在");
    return 0;
}

static int sla_policy_check(db *c, const sla_policy *p, aj_error *err)
{
    if (sla_policy_check_rules(p, err)) return err->rc;
    if (p->project_id) {
        int64_t one;
        int rc = db_scalar(c, "SELECT 1 FROM projects WHERE id = $1",
                           DB_ARGS(DB_INT(p->project_id)), &one, err);
        if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_EINVAL, "project_id", "项目不存在");
        if (rc) return rc;
    }
    return 0;
}

/* What the audit row records: the policy as written, without its times. */
static json_t *sla_policy_audit_json(const sla_policy *p, int64_t id)
{
    return json_pack("{s:I, s:o, s:s, s:s, s:o, s:o, s:o, s:b}", "id", (json_int_t)id,
                     "project_id", p->project_id ? json_integer(p->project_id) : json_null(),
                     "kind", p->kind, "priority", p->priority, "category",
                     p->category ? json_string(p->category) : json_null(), "milestones",
                     sla_policy_targets_json(p), "escalations", sla_policy_escalations_json(p),
                     "active", p->active);
}

int sla_policy_save(db *c, const actor *who, int64_t id, const sla_policy *in, arena *a,
                    sla_policy *out, aj_error *err)
{
    if (actor_require(who, err, ROLE_ADMIN, 0)) return err->rc;
    if (sla_policy_check(c, in, err)) return err->rc;
    json_t *ms = sla_policy_targets_json(in), *es = sla_policy_escalations_json(in);
    char *mss = json_dumps(ms, JSON_COMPACT), *ess = json_dumps(es, JSON_COMPACT);
    json_decref(ms);
    json_decref(es);
    int64_t now = clock_now(), n = 0;
    db_val args[] = {DB_INT(id),
                     DB_OPT_INT(in->project_id, in->project_id),
                     DB_TEXT(in->kind),
                     DB_TEXT(in->priority),
                     DB_TEXT(in->category),
                     DB_TEXT(mss),
                     DB_TEXT(ess),
                     DB_INT(in->active ? 1 : 0),
                     DB_INT(now)};
    int rc = db_begin(c, err);
    if (rc) goto out;
    if (!id) {
        rc = db_scalar(c,
                       "INSERT INTO sla_policies (project_id, kind, priority, category, milestones,"
                       " escalations, active, created_at, updated_at)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                       8, args + 1, &id, err);
    } else {
        n = db_exec(c,
                    "UPDATE sla_policies SET project_id = $2, kind = $3, priority = $4,"
                    " category = $5, milestones = $6, escalations = $7, active = $8,"
                    " updated_at = $9 WHERE id = $1",
                    9, args, err);
        rc = n < 0 ? (int)n : n == 0 ? aj_fail(err, AJ_ENOTFOUND, NULL, "SLA 策略不存在") : 0;
    }
    if (rc == AJ_ECONFLICT)
        aj_fail(err, AJ_ECONFLICT, "category", "同一项目、类型、优先级和分类已有 SLA 策略");
    if (!rc) {
        json_t *ch = sla_policy_audit_json(in, id);
        const char *action = n == 0 ? "create" : in->active ? "update" : "deactivate";
        rc = audit_append(c, who, action, "sla_policy", id, ch, err);
        json_decref(ch);
    }
    if (rc || (rc = db_commit(c, err))) {
        db_rollback(c);
        rc = err->rc;
        goto out;
    }
    rc = sla_policy_get(c, who, id, a, out, err);
out:
    free(mss);
    free(ess);
    return rc;
}
