/* domain/sla/sla_policy.c: SLA policies in the database and the rules a policy keeps. */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/core/core.h"
#include "domain/sla/sla.h"

#define SLA_POLICY_CATEGORY_MAX 100

static const char *const sla_policy_kinds[] = {"repair", "complaint", "inquiry", "suggestion",
                                               "praise", NULL};
static const char *const sla_policy_priorities[] = {"emergency", "high", "normal", "scheduled",
                                                    NULL};
static const char *const sla_policy_notify[] = {"assignee", "manager", "quality", "desk", NULL};

static const char *sla_policy_one_of(const char *const *list, const char *s)
{
    for (; s && *list; list++)
        if (strcmp(*list, s) == 0) return *list;
    return NULL;
}

/* ---- policies: JSON ---- */

static json_t *sla_policy_time_json(int64_t t)
{
    if (!t) return json_null();
    char s[32];
    clock_format(t, CLOCK_TZ_DEFAULT, s, sizeof s);
    return json_string(s);
}

static json_t *sla_policy_targets_json(const sla_policy *p)
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

static json_t *sla_policy_escalations_json(const sla_policy *p)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < p->nescalations; i++)
        json_array_append_new(arr, json_pack("{s:i, s:s}", "at_percent",
                                             p->escalations[i].at_percent, "notify",
                                             p->escalations[i].notify));
    return arr;
}

json_t *sla_policy_to_json(const sla_policy *p)
{
    return json_pack("{s:I, s:o, s:s, s:s, s:o, s:o, s:o, s:b, s:o, s:o}", "id",
                     (json_int_t)p->id, "project_id",
                     p->project_id ? json_integer(p->project_id) : json_null(), "kind", p->kind,
                     "priority", p->priority, "category",
                     p->category ? json_string(p->category) : json_null(), "milestones",
                     sla_policy_targets_json(p), "escalations", sla_policy_escalations_json(p), "active",
                     p->active, "created_at", sla_policy_time_json(p->created_at), "updated_at",
                     sla_policy_time_json(p->updated_at));
}

/* 422 for a key of o not in keys; field is prefix + key. */
static int sla_policy_only(json_t *o, const char *const *keys, const char *prefix, aj_error *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        const char *const *p = keys;
        while (*p && strcmp(*p, k) != 0) p++;
        if (!*p) {
            char f[64];
            snprintf(f, sizeof f, "%s%s", prefix, k);
            return aj_fail(err, AJ_EINVAL, f, "未知字段 %s", f);
        }
    }
    return 0;
}

static int sla_policy_int_field(json_t *o, const char *key, const char *prefix, int required,
                         int64_t min, int64_t max, int64_t *out, int *present, aj_error *err)
{
    json_t *v = json_object_get(o, key);
    char f[64];
    snprintf(f, sizeof f, "%s%s", prefix, key);
    *present = 0;
    if (!v || json_is_null(v))
        return required ? aj_fail(err, AJ_EINVAL, f, "缺少必填字段 %s", f) : 0;
    if (!json_is_integer(v)) return aj_fail(err, AJ_EINVAL, f, "%s 必须是整数", f);
    if (json_integer_value(v) < min || json_integer_value(v) > max)
        return aj_fail(err, AJ_EINVAL, f, "%s 须在 %lld 到 %lld 之间", f, (long long)min,
                       (long long)max);
    *out = json_integer_value(v);
    *present = 1;
    return 0;
}

/* A string field that must be one of list (or parse >= 0); *out NULL when absent. */
static int sla_policy_str_field(json_t *o, const char *key, const char *prefix, int required,
                         const char **out, aj_error *err)
{
    json_t *v = json_object_get(o, key);
    char f[64];
    snprintf(f, sizeof f, "%s%s", prefix, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? aj_fail(err, AJ_EINVAL, f, "缺少必填字段 %s", f) : 0;
    if (!json_is_string(v) || !json_string_length(v))
        return aj_fail(err, AJ_EINVAL, f, "%s 必须是非空字符串", f);
    *out = json_string_value(v);
    return 0;
}

static int sla_policy_targets_parse(json_t *arr, sla_policy *p, aj_error *err)
{
    static const char *const keys[] = {"milestone", "amount", "unit", "clock", "from", NULL};
    if (!json_is_array(arr) || json_array_size(arr) < 1 || json_array_size(arr) > SLA_NMILESTONES)
        return aj_fail(err, AJ_EINVAL, "milestones", "milestones 须为 1 到 %d 项的数组",
                       SLA_NMILESTONES);
    sla_target t[SLA_NMILESTONES];
    int seen = 0;
    size_t n = json_array_size(arr);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        char pre[32];
        snprintf(pre, sizeof pre, "milestones[%d].", (int)i);
        const char *ms, *unit, *clock, *from;
        int64_t amount;
        int present;
        if (!json_is_object(o))
            return aj_fail(err, AJ_EINVAL, "milestones", "milestones 的每一项须为对象");
        if (sla_policy_only(o, keys, pre, err) || sla_policy_str_field(o, "milestone", pre, 1, &ms, err) ||
            sla_policy_int_field(o, "amount", pre, 1, 0, 1 << 24, &amount, &present, err) ||
            sla_policy_str_field(o, "unit", pre, 1, &unit, err) ||
            sla_policy_str_field(o, "clock", pre, 0, &clock, err) ||
            sla_policy_str_field(o, "from", pre, 0, &from, err))
            return err->rc;
        int m = sla_milestone_parse(ms), u = calendar_unit_parse(unit);
        int c = clock ? calendar_clock_parse(clock) : u == CAL_WORKDAY;
        int f = from ? sla_anchor_parse(from) : SLA_FROM_REPORTED;
        char field[64];
        const char *bad = m < 0 ? "milestone" : u < 0 ? "unit" : c < 0 ? "clock" : f < 0 ? "from"
                                                                                          : NULL;
        if (bad) {
            snprintf(field, sizeof field, "%s%s", pre, bad);
            return aj_fail(err, AJ_EINVAL, field, "%s 的取值无效", field);
        }
        if (seen & (1 << m)) {
            snprintf(field, sizeof field, "%smilestone", pre);
            return aj_fail(err, AJ_EINVAL, field, "里程碑 %s 重复", ms);
        }
        seen |= 1 << m;
        if (calendar_check_target((int)amount, (cal_unit)u, (cal_clock)c, err)) {
            snprintf(field, sizeof field, "%s%.16s", pre, err->field);
            snprintf(err->field, sizeof err->field, "%s", field);
            return err->rc;
        }
        if (amount == 0 && f == SLA_FROM_REPORTED) {
            snprintf(field, sizeof field, "%samount", pre);
            return aj_fail(err, AJ_EINVAL, field, "时限为 0 只适用于从预约时间起算的里程碑");
        }
        t[i] = (sla_target){.milestone = (sla_milestone)m, .amount = (int)amount,
                            .unit = (cal_unit)u, .clock = (cal_clock)c, .from = (sla_anchor)f};
    }
    /* Kept in milestone order: respond, assign, arrive, contact, resolve. */
    p->ntargets = 0;
    for (int m = 0; m < SLA_NMILESTONES; m++)
        for (size_t i = 0; i < n; i++)
            if ((int)t[i].milestone == m) p->targets[p->ntargets++] = t[i];
    return 0;
}

static int sla_policy_escalations_parse(json_t *arr, sla_policy *p, aj_error *err)
{
    static const char *const keys[] = {"at_percent", "notify", NULL};
    if (!json_is_array(arr) || json_array_size(arr) > SLA_MAX_ESCALATIONS)
        return aj_fail(err, AJ_EINVAL, "escalations", "escalations 须为至多 %d 项的数组",
                       SLA_MAX_ESCALATIONS);
    sla_escalation e[SLA_MAX_ESCALATIONS];
    size_t n = json_array_size(arr);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        char pre[32], field[64];
        snprintf(pre, sizeof pre, "escalations[%d].", (int)i);
        int64_t pct;
        int present;
        const char *notify;
        if (!json_is_object(o))
            return aj_fail(err, AJ_EINVAL, "escalations", "escalations 的每一项须为对象");
        if (sla_policy_only(o, keys, pre, err) ||
            sla_policy_int_field(o, "at_percent", pre, 1, 1, 1000, &pct, &present, err) ||
            sla_policy_str_field(o, "notify", pre, 1, &notify, err))
            return err->rc;
        if (!(notify = sla_policy_one_of(sla_policy_notify, notify))) {
            snprintf(field, sizeof field, "%snotify", pre);
            return aj_fail(err, AJ_EINVAL, field, "notify 须为 assignee、manager、quality 或 desk");
        }
        for (size_t j = 0; j < i; j++)
            if (e[j].at_percent == (int)pct) {
                snprintf(field, sizeof field, "%sat_percent", pre);
                return aj_fail(err, AJ_EINVAL, field, "at_percent %d 重复", (int)pct);
            }
        e[i] = (sla_escalation){.at_percent = (int)pct, .notify = notify};
    }
    /* Ascending by share, so bit i of a row's escalated means the same step. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && e[j - 1].at_percent > e[j].at_percent; j--) {
            sla_escalation tmp = e[j];
            e[j] = e[j - 1];
            e[j - 1] = tmp;
        }
    memcpy(p->escalations, e, n * sizeof e[0]);
    p->nescalations = n;
    return 0;
}

int sla_policy_from_json(json_t *body, int partial, arena *a, sla_policy *out, aj_error *err)
{
    static const char *const keys[] = {"id",          "project_id", "kind",       "priority",
                                       "category",    "milestones", "escalations", "active",
                                       "created_at",  "updated_at", NULL};
    if (!json_is_object(body)) return aj_fail(err, AJ_EINVAL, NULL, "请求体须为对象");
    if (!partial) *out = (sla_policy){.active = 1};
    if (sla_policy_only(body, keys, "", err)) return err->rc;
    json_t *v;
    if ((v = json_object_get(body, "project_id"))) {
        if (json_is_null(v)) out->project_id = 0;
        else if (json_is_integer(v) && json_integer_value(v) > 0)
            out->project_id = json_integer_value(v);
        else return aj_fail(err, AJ_EINVAL, "project_id", "project_id 须为 null 或项目编号");
    }
    const char *kind, *priority;
    if (sla_policy_str_field(body, "kind", "", !partial, &kind, err) ||
        sla_policy_str_field(body, "priority", "", !partial, &priority, err))
        return err->rc;
    if (kind && !(out->kind = sla_policy_one_of(sla_policy_kinds, kind)))
        return aj_fail(err, AJ_EINVAL, "kind",
                       "kind 须为 repair、complaint、inquiry、suggestion 或 praise");
    if (priority && !(out->priority = sla_policy_one_of(sla_policy_priorities, priority)))
        return aj_fail(err, AJ_EINVAL, "priority",
                       "priority 须为 emergency、high、normal 或 scheduled");
    if ((v = json_object_get(body, "category"))) {
        if (json_is_null(v)) out->category = NULL;
        else if (!json_is_string(v) || !json_string_length(v) ||
                 json_string_length(v) > SLA_POLICY_CATEGORY_MAX ||
                 strlen(json_string_value(v)) != json_string_length(v))
            return aj_fail(err, AJ_EINVAL, "category", "category 须为 null 或 1 到 %d 字节的字符串",
                           SLA_POLICY_CATEGORY_MAX);
        else out->category = arena_strdup(a, json_string_value(v));
    }
    if ((v = json_object_get(body, "milestones"))) {
        if (sla_policy_targets_parse(v, out, err)) return err->rc;
    } else if (!partial) {
        return aj_fail(err, AJ_EINVAL, "milestones", "缺少必填字段 milestones");
    }
    if ((v = json_object_get(body, "escalations")) && !json_is_null(v) &&
        sla_policy_escalations_parse(v, out, err))
        return err->rc;
    if ((v = json_object_get(body, "active"))) {
        if (!json_is_boolean(v)) return aj_fail(err, AJ_EINVAL, "active", "active 必须是 true 或 false");
        out->active = json_is_true(v);
    }
    return 0;
}

/* ---- policies: storage ---- */

#define SLA_POLICY_COLS                                                                               \
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
    json_t *ms = json_loads(mtext, 0, NULL), *es = json_loads(etext, 0, NULL);
    aj_error e2 = {0};
    int bad = sla_policy_targets_parse(ms, p, &e2) || sla_policy_escalations_parse(es, p, &e2);
    json_decref(ms);
    json_decref(es);
    if (bad) return aj_fail(err, AJ_EDB, NULL, "SLA 策略 %lld 的存储内容无效：%s",
                            (long long)p->id, e2.message);
    sla_policy_parsed_put(p, mtext, etext);
    return 0;
}

/* Reads every row of r into a growing array. */
static int sla_policy_read_all(db_rows *r, arena *a, sla_policy **items, size_t *n,
                               aj_error *err)
{
    size_t cap = 16;
    int rc;
    *items = arena_alloc(a, cap * sizeof **items);
    *n = 0;
    while ((rc = db_next(r)) == 1) {
        if (*n == cap) {
            sla_policy *g = arena_alloc(a, 2 * cap * sizeof *g);
            memcpy(g, *items, cap * sizeof *g);
            *items = g;
            cap *= 2;
        }
        if (sla_policy_read(r, a, &(*items)[(*n)++], err)) {
            db_done(r);
            return err->rc;
        }
    }
    db_done(r);
    return rc < 0 ? aj_fail(err, rc, NULL, "读取 SLA 策略失败") : 0;
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

int sla_policy_list(db *c, const actor *who, arena *a, sla_policy **items, size_t *n,
                    aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    db_rows *r = db_query(c,
                          "SELECT " SLA_POLICY_COLS " FROM sla_policies WHERE CAST($1 AS BIGINT) = 1"
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
    int found = db_next(r) == 1, rc = found ? sla_policy_read(r, a, out, err) : 0;
    db_done(r);
    if (rc) return rc;
    if (!found || (out->project_id && actor_can_see_project(c, who, out->project_id, err)))
        return aj_fail(err, AJ_ENOTFOUND, NULL, "SLA 策略不存在");
    return 0;
}

static int sla_policy_check(db *c, const sla_policy *p, aj_error *err)
{
    if (!sla_policy_one_of(sla_policy_kinds, p->kind)) return aj_fail(err, AJ_EINVAL, "kind", "kind 无效");
    if (!sla_policy_one_of(sla_policy_priorities, p->priority))
        return aj_fail(err, AJ_EINVAL, "priority", "priority 无效");
    if (p->ntargets < 1 || p->ntargets > SLA_NMILESTONES)
        return aj_fail(err, AJ_EINVAL, "milestones", "至少需要一个里程碑");
    if (p->nescalations > SLA_MAX_ESCALATIONS)
        return aj_fail(err, AJ_EINVAL, "escalations", "升级规则过多");
    if (p->category && (!*p->category || strlen(p->category) > SLA_POLICY_CATEGORY_MAX))
        return aj_fail(err, AJ_EINVAL, "category", "category 无效");
    for (size_t i = 0; i < p->ntargets; i++)
        if (calendar_check_target(p->targets[i].amount, p->targets[i].unit, p->targets[i].clock,
                                  err))
            return err->rc;
    if (p->project_id) {
        int64_t one;
        int rc = db_scalar(c, "SELECT 1 FROM projects WHERE id = $1",
                           DB_ARGS(DB_INT(p->project_id)), &one, err);
        if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_EINVAL, "project_id", "项目不存在");
        if (rc) return rc;
    }
    return 0;
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
        sla_policy tmp = *in;
        tmp.id = id;
        json_t *ch = sla_policy_to_json(&tmp);
        json_object_del(ch, "created_at");
        json_object_del(ch, "updated_at");
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
