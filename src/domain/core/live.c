/* domain/core/live.c: the live-event hook (see live.h). */
#include "domain/core/live.h"

#include <stdatomic.h>

static _Atomic(const live_sink *) live_current;

void live_subscribe(const live_sink *sink) { atomic_store(&live_current, sink); }

void live_publish(const live_target *to, const char *type, const json_t *data)
{
    const live_sink *s = atomic_load(&live_current);
    if (s && data) s->publish(to, type, data);
}

void live_notification(int64_t user_id, const json_t *data)
{
    live_target to = {.user_id = user_id};
    if (user_id) live_publish(&to, "notification", data);
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
