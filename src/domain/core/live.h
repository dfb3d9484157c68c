/* domain/core/live.h: live events as the domain announces them (a ticket changed,
 * a notification was written). The server's stream hub (http/sse.c)
 * subscribes when it starts, so domain/ and jobs/ never see HTTP; without a
 * subscriber (the command-line tools) the events go nowhere.
 *
 * Inside a transaction, live_hold() keeps this thread's events back until
 * live_release(committed): sent in order if it committed, dropped otherwise. */
#ifndef AJ_LIVE_H
#define AJ_LIVE_H
#include <jansson.h>
#include <stdint.h>

#include "domain/tickets/ticket.h"

typedef struct live_sink {
    void (*ticket)(const ticket *t, const char *action);
    void (*notification)(int64_t user_id, const json_t *data);
    void (*hold)(void);
    void (*release)(int committed);
} live_sink;

/* One subscriber per process; sink must outlive it (a static). */
void live_subscribe(const live_sink *sink);

void live_ticket(const ticket *t, const char *action);
/* data: {"id","kind","ticket_id","title"}; the caller keeps its reference. */
void live_notification(int64_t user_id, const json_t *data);
void live_hold(void);
void live_release(int committed);

#endif
