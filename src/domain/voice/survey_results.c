/* domain/voice/survey_results.c: a survey's results, read from the per-building tallies
 * (how many gave each value to each question), so a survey of 50,000 answers reads a few
 * hundred counts. Per dimension: n, the score (mean of 1–5 mapped linearly, 1 -> 0,
 * 5 -> 100), the satisfaction rate (share of 4 and 5), its ± at 95 % with the
 * finite-population correction, and the previous closed survey's score; the response rate
 * and the survey's margin of error (of a share at p = 0.5, corrected the same way); the
 * coverage by building (under SURVEY_UNDER_SAMPLED % answering: under-sampled); the open
 * answers with their question and dimension. */
#include <math.h>
#include <string.h>

#include "domain/voice/voice.h"

/* sqrt((N - n) / (N - 1)): the finite-population correction; 0 when all answered. */
static double survey_results_fpc(int64_t N, int64_t n)
{
    if (N <= 1 || n >= N) return 0;
    return sqrt((double)(N - n) / (double)(N - 1));
}

typedef struct survey_results_acc {
    int64_t n, satisfied;
    double sum, sumsq;
} survey_results_acc;

/* The dimension scores of survey s into out->dims (tallies summed over the buildings). */
static int survey_results_dims(db *c, const survey *s, arena *a, survey_results *out, aj_error *err)
{
    json_t *dims = json_loads(s->dimensions, 0, NULL), *qs = json_loads(s->questions, 0, NULL);
    size_t nd = json_array_size(dims);
    survey_results_acc *acc = arena_alloc(a, sizeof *acc * (nd ? nd : 1));
    memset(acc, 0, sizeof *acc * (nd ? nd : 1));
    out->dims = arena_alloc(a, sizeof *out->dims * (nd ? nd : 1));
    out->ndims = nd;
    int rc = 0;
    db_rows *r = db_query(c,
                          "SELECT question, value, SUM(n) FROM survey_tallies WHERE survey_id = $1"
                          " GROUP BY question, value",
                          DB_ARGS(DB_INT(s->id)), err);
    if (!r) {
        rc = err->rc;
        goto out;
    }
    while (db_next(r)) {
        const char *q = db_text(r, 0);
        int64_t v = db_int(r, 1), k = db_int(r, 2);
        size_t i, j;
        json_t *it, *d;
        const char *dim = NULL;
        json_array_foreach(qs, i, it) if (!strcmp(json_string_value(json_object_get(it, "key")), q))
            dim = json_string_value(json_object_get(it, "dimension"));
        if (!dim) continue; /* a question since removed from the form (not possible once open) */
        json_array_foreach(dims, j, d) if (!strcmp(json_string_value(json_object_get(d, "key")), dim))
        {
            acc[j].n += k;
            acc[j].satisfied += v >= 4 ? k : 0;
            acc[j].sum += (double)(v * k);
            acc[j].sumsq += (double)(v * v * k);
        }
    }
    if (db_end(r, err)) {
        rc = err->rc;
        goto out;
    }
    double fpc = survey_results_fpc(s->invited, s->responses), total = 0;
    int scored = 0;
    size_t j;
    json_t *d;
    json_array_foreach(dims, j, d)
    {
        survey_dim_result *x = &out->dims[j];
        const survey_results_acc *q = &acc[j];
        *x = (survey_dim_result){.key = arena_strdup(a, json_string_value(json_object_get(d, "key"))),
                                 .label = arena_strdup(a, json_string_value(json_object_get(d, "label"))),
                                 .n = q->n, .score = -1, .margin = -1, .previous = -1};
        if (!q->n) continue;
        double mean = q->sum / (double)q->n;
        x->score = (mean - 1) * 25;
        x->satisfied_rate = (double)q->satisfied / (double)q->n;
        if (q->n >= 2) {
            double var = (q->sumsq - (double)q->n * mean * mean) / (double)(q->n - 1);
            x->margin = 1.96 * sqrt(var > 0 ? var : 0) / sqrt((double)q->n) * fpc * 25;
        }
        total += x->score;
        scored++;
    }
    out->score = scored ? total / scored : -1;
out:
    json_decref(dims);
    json_decref(qs);
    return rc;
}

/* The previous closed survey of the project (opened before this one) and its scores. */
static int survey_results_previous(db *c, const survey *s, arena *a, survey_results *out,
                                   aj_error *err)
{
    int64_t prev = 0;
    int rc = db_scalar(c,
                       "SELECT id FROM surveys WHERE project_id = $1 AND state = 'closed' AND id <> $2"
                       " AND (opens_at < $3 OR (opens_at = $3 AND id < $2))"
                       " ORDER BY opens_at DESC, id DESC LIMIT 1",
                       DB_ARGS(DB_INT(s->project_id), DB_INT(s->id), DB_INT(s->opens_at)), &prev, err);
    if (rc == AJ_ENOTFOUND) return 0;
    if (rc) return rc;
    survey ps;
    survey_results pr = {0};
    if (survey_load(c, prev, a, &ps, err) || survey_results_dims(c, &ps, a, &pr, err)) return err->rc;
    out->previous_id = prev;
    for (size_t i = 0; i < out->ndims; i++)
        for (size_t k = 0; k < pr.ndims; k++)
            if (!strcmp(out->dims[i].key, pr.dims[k].key)) out->dims[i].previous = pr.dims[k].score;
    return 0;
}

static int survey_results_coverage(db *c, const survey *s, arena *a, survey_results *out,
                                   aj_error *err)
{
    db_rows *r = db_query(
        c,
        "SELECT v.building_id, b.name, v.invited, v.responses FROM survey_coverage v"
        " JOIN buildings b ON b.id = v.building_id WHERE v.survey_id = $1 ORDER BY b.name, v.building_id",
        DB_ARGS(DB_INT(s->id)), err);
    if (!r) return err->rc;
    size_t cap = 0;
    while (db_next(r)) {
        out->coverage = arena_grow(a, out->coverage, out->ncoverage, &cap, sizeof *out->coverage);
        survey_coverage *x = &out->coverage[out->ncoverage++];
        *x = (survey_coverage){.building_id = db_int(r, 0), .building = arena_strdup(a, db_text(r, 1)),
                               .invited = db_int(r, 2), .responses = db_int(r, 3)};
        x->under_sampled = x->responses * 100 < x->invited * SURVEY_UNDER_SAMPLED;
    }
    return db_end(r, err) ? err->rc : 0;
}

static int survey_results_comments(db *c, const survey *s, arena *a, survey_results *out,
                                   aj_error *err)
{
    json_t *qs = json_loads(s->questions, 0, NULL);
    db_rows *r = db_query(c,
                          "SELECT comments FROM survey_responses WHERE survey_id = $1 AND comments <> '{}'"
                          " ORDER BY id LIMIT $2",
                          DB_ARGS(DB_INT(s->id), DB_INT(SURVEY_MAX_COMMENTS)), err);
    if (!r) {
        json_decref(qs);
        return err->rc;
    }
    size_t cap = 0;
    while (db_next(r) && out->ncomments < SURVEY_MAX_COMMENTS) {
        json_t *o = json_loads(db_text(r, 0), 0, NULL);
        const char *key;
        json_t *v;
        json_object_foreach(o, key, v)
        {
            const char *text = json_string_value(v);
            if (!text || !*text) continue;
            size_t i;
            json_t *q, *found = NULL;
            json_array_foreach(qs, i, q) if (!strcmp(json_string_value(json_object_get(q, "key")), key)) found = q;
            out->comments = arena_grow(a, out->comments, out->ncomments, &cap, sizeof *out->comments);
            const char *dim = found ? json_string_value(json_object_get(found, "dimension")) : NULL;
            out->comments[out->ncomments++] = (survey_comment){
                .question = arena_strdup(a, key),
                .label = arena_strdup(a, found ? json_string_value(json_object_get(found, "label")) : key),
                .dimension = dim ? arena_strdup(a, dim) : NULL, .text = arena_strdup(a, text)};
        }
        json_decref(o);
    }
    json_decref(qs);
    return db_end(r, err) ? err->rc : 0;
}

int survey_results_get(db *c, const actor *who, int64_t id, arena *a, survey *s,
                       survey_results *out, aj_error *err)
{
    if (survey_get(c, who, id, a, s, err)) return err->rc;
    return survey_results_of(c, s, a, out, err);
}

int survey_results_of(db *c, const survey *s, arena *a, survey_results *out, aj_error *err)
{
    *out = (survey_results){.response_rate = -1, .margin_of_error = -1, .score = -1};
    out->invited = s->invited;
    out->responses = s->responses;
    if (s->invited) out->response_rate = (double)s->responses / (double)s->invited;
    if (s->responses)
        out->margin_of_error = 1.96 * sqrt(0.25 / (double)s->responses) *
                               survey_results_fpc(s->invited, s->responses);
    if (survey_results_dims(c, s, a, out, err) || survey_results_previous(c, s, a, out, err) ||
        survey_results_coverage(c, s, a, out, err) || survey_results_comments(c, s, a, out, err))
        return err->rc;
    return 0;
}
