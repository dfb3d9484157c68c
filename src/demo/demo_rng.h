/* demo/demo_rng.h: the demo's seeded generator (splitmix64), shared by
 * demo.c, demo_tickets.c and demo_life.c. Never rand() or the clock: the same
 * seed must give the same rows, so a bug report can name a seed. Each caller
 * seeds its own streams (demo.c: the seed itself; demo_tickets.c: one stream
 * per ticket, see demo_tickets_seed). */
#ifndef AJ_DEMO_RNG_H
#define AJ_DEMO_RNG_H
#include <math.h>
#include <stdint.h>

typedef struct demo_rng {
    uint64_t s;
} demo_rng;

static inline uint64_t demo_rng_next(demo_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* lo..hi inclusive; the modulo bias is below 2^-40 for ranges this small. */
static inline int demo_rng_int(demo_rng *r, int lo, int hi)
{
    return lo + (int)(demo_rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* One element of a static array, drawn evenly. */
#define DEMO_RNG_PICK(r, a) ((a)[demo_rng_int((r), 0, (int)(sizeof(a) / sizeof((a)[0])) - 1)])

static inline double demo_rng_unit(demo_rng *r)
{
    return (double)(demo_rng_next(r) >> 11) * 0x1p-53;
}

static inline int demo_rng_pct(demo_rng *r, double p) { return demo_rng_unit(r) < p; }

/* Log-uniform in [lo, hi] seconds: most work is quick, some takes long. */
static inline int64_t demo_rng_span(demo_rng *r, int64_t lo, int64_t hi)
{
    if (lo < 1) lo = 1;
    if (hi <= lo) return lo;
    return (int64_t)((double)lo * exp(demo_rng_unit(r) * log((double)hi / (double)lo)));
}

#endif
