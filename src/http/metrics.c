/* http/metrics.c: request counters and a latency histogram per rname, in
 * Prometheus text format. Lock-free: a fixed table of atomics per rname. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "http/server.h"

#define METRICS_ROUTES 128
#define METRICS_CODES 8

static const double metrics_bounds[] = {1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000};
#define METRICS_NB (sizeof metrics_bounds / sizeof metrics_bounds[0])

typedef struct metrics_row {
    _Atomic(const char *) rname;
    atomic_uint_fast64_t by_status[METRICS_CODES][2]; /* [i][0] status, [i][1] count */
    atomic_uint_fast64_t hist[METRICS_NB + 1];
    atomic_uint_fast64_t sum_us;
} metrics_row;

static metrics_row metrics_rows[METRICS_ROUTES];

static metrics_row *metrics_row_for(const char *rname)
{
    /* Routes are string constants: look up by pointer, claim a free slot once. */
    for (int i = 0; i < METRICS_ROUTES; i++) {
        const char *cur = atomic_load(&metrics_rows[i].rname);
        if (cur == rname || (cur && strcmp(cur, rname) == 0)) return &metrics_rows[i];
        if (!cur) {
            const char *expect = NULL;
            if (atomic_compare_exchange_strong(&metrics_rows[i].rname, &expect, rname))
                return &metrics_rows[i];
            if (expect == rname || strcmp(expect, rname) == 0) return &metrics_rows[i];
        }
    }
    return NULL;
}

void metrics_observe(const char *rname, int status, double latency_ms)
{
    metrics_row *m = metrics_row_for(rname);
    if (!m) return;
    for (int i = 0; i < METRICS_CODES; i++) {
        uint_fast64_t s = atomic_load(&m->by_status[i][0]);
        if (s == 0) {
            uint_fast64_t zero = 0;
            if (!atomic_compare_exchange_strong(&m->by_status[i][0], &zero, (uint_fast64_t)status))
                s = zero;
            else
                s = (uint_fast64_t)status;
        }
        if (s == (uint_fast64_t)status) {
            atomic_fetch_add(&m->by_status[i][1], 1);
            break;
        }
    }
    size_t b = 0;
    while (b < METRICS_NB && latency_ms > metrics_bounds[b]) b++;
    atomic_fetch_add(&m->hist[b], 1);
    atomic_fetch_add(&m->sum_us, (uint_fast64_t)(latency_ms * 1000.0));
}

void metrics_render(buf *out)
{
    buf b = *out;
    buf_puts(&b, "# HELP anju_http_requests_total HTTP requests by rname and status.\n"
                 "# TYPE anju_http_requests_total counter\n");
    for (int i = 0; i < METRICS_ROUTES; i++) {
        const char *rname = atomic_load(&metrics_rows[i].rname);
        if (!rname) break;
        for (int k = 0; k < METRICS_CODES; k++) {
            uint_fast64_t s = atomic_load(&metrics_rows[i].by_status[k][0]);
            if (!s) break;
            buf_printf(&b, "anju_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n", rname,
                       (unsigned)s,
                       (unsigned long long)atomic_load(&metrics_rows[i].by_status[k][1]));
        }
    }
    buf_puts(&b, "# HELP anju_http_request_duration_ms Request latency.\n"
                 "# TYPE anju_http_request_duration_ms histogram\n");
    for (int i = 0; i < METRICS_ROUTES; i++) {
        const char *rname = atomic_load(&metrics_rows[i].rname);
        if (!rname) break;
        unsigned long long cum = 0;
        for (size_t k = 0; k <= METRICS_NB; k++) {
            cum += atomic_load(&metrics_rows[i].hist[k]);
            if (k < METRICS_NB)
                buf_printf(&b, "anju_http_request_duration_ms_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                           rname, metrics_bounds[k], cum);
            else
                buf_printf(&b, "anju_http_request_duration_ms_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                           rname, cum);
        }
        buf_printf(&b, "anju_http_request_duration_ms_sum{route=\"%s\"} %.3f\n", rname,
                   (double)atomic_load(&metrics_rows[i].sum_us) / 1000.0);
        buf_printf(&b, "anju_http_request_duration_ms_count{route=\"%s\"} %llu\n", rname, cum);
    }
    *out = b;
}
