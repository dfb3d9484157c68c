/* domain/core/live.h: live events as the domain announces them (a ticket
 * changed, a notification was written, later a patrol miss or an alarm). The
 * server's stream hub (http/sse.c) subscribes when it starts, so domain/ and
 * jobs/ never see HTTP; without a subscriber (the command-line tools) the
 * events go nowhere. An event is a type, its JSON data and who may see it;
 * each context builds its own data (tickets: ticket_live in ticket.c).
 *
 * Inside a transaction, live_hold() keeps this thread's events back until
 * live_release(committed): sent in order if it committed, dropped otherwise.
 * Holds nest; a domain function that writes in its own transaction holds
 * and releases itself, so no caller has to remember to. */
#ifndef AJ_LIVE_H
#define AJ_LIVE_H
#include <jansson.h>
#include <stdint.h>

/* Who an event is for: one user (user_id), or everyone who may see the
 * project's records (its staff, company-wide staff) and the resident named. */
typedef struct live_target {
    int64_t user_id;
    int64_t project_id, resident_id;
} live_target;

typedef struct live_sink {
    void (*publish)(const live_target *to, const char *type, const json_t *data);
    void (*hold)(void);
    void (*release)(int committed);
} live_sink;

/* One subscriber per process; sink must outlive it (a static). */
void live_subscribe(const live_sink *sink);

/* type: a short word ("ticket", "notification"); the caller keeps data. */
void live_publish(const live_target *to, const char *type, const json_t *data);
/* data: {"id","kind","ticket_id","title"}, to user_id's streams only. */
void live_notification(int64_t user_id, const json_t *data);
void live_hold(void);
void live_release(int committed);

#endif
