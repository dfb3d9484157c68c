/* domain/core/live.c: the live-event hook (see live.h). */
#include "domain/core/live.h"

#include <stdatomic.h>

static _Atomic(const live_sink *) live_current;

void live_subscribe(const live_sink *sink) { atomic_store(&live_current, sink); }

void live_ticket(const ticket *t, const char *action)
{
    const live_sink *s = atomic_load(&live_current);
    if (s) s->ticket(t, action);
}

void live_notification(int64_t user_id, const json_t *data)
{
    const live_sink *s = atomic_load(&live_current);
    if (s) s->notification(user_id, data);
}

void live_hold(void)
{
    const live_sink *s = atomic_load(&live_current);
    if (s) s->hold();
}

void live_release(int committed)
{
    const live_sink *s = atomic_load(&live_current);
    if (s) s->release(committed);
}
