/* domain/core/notify.h: in-app notifications (通知): who hears of what (written in
 * the caller's transaction, so a notice exists exactly when its cause does),
 * each user's own list and its read marks. The rows are also the outbox of
 * later SMS/WeChat delivery (channel, delivered_at). */
#ifndef AJ_NOTIFY_H
#define AJ_NOTIFY_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/page.h"
#include "db/db.h"
#include "domain/core/actor.h"

/* Kinds, as stored and shown. */
#define NOTIFY_ASSIGNMENT "assignment"
#define NOTIFY_ESCALATION "escalation"
#define NOTIFY_BREACH "breach"
#define NOTIFY_REOPEN "reopen"
#define NOTIFY_SYSTEM "system"
#define NOTIFY_TASK_LATE "task_late" /* a round not started on time */

/* At most this many recipients for one escalation step (a project's staff of
 * one role are a handful; the cap keeps a misconfigured project from
 * flooding). */
#define NOTIFY_MAX_RECIPIENTS 64

typedef struct notification {
    int64_t id, user_id;
    int64_t project_id, ticket_id; /* 0: none */
    const char *kind, *title, *body;
    const char *ticket_no; /* NULL without a ticket */
    int64_t created_at, read_at; /* read_at 0: unread */
    int tz_offset;               /* the project's, for showing times */
} notification;

/* One notification for user_id, inside the caller's transaction. project_id
 * and ticket_id 0 mean none. */
int notify_create(db *c, int64_t user_id, int64_t project_id, int64_t ticket_id,
                  const char *kind, const char *title, const char *body, int64_t now,
                  aj_error *err);

/* Who an escalation step with policy target `notify` reaches, as user ids
 * (active users only, ascending, at most max):
 *   assignee: the ticket's assignee; while nobody is assigned, the project's
 *             desk (客服), who own an unassigned ticket;
 *   manager, quality, desk: active staff of that role assigned to the project.
 * An unknown target reaches nobody. */
int notify_recipients(db *c, int64_t project_id, int64_t assignee_id, const char *notify,
                      int64_t *ids, size_t max, size_t *n, aj_error *err);

/* The caller's own notifications, newest first (pg->after: the last id seen);
 * unread_only keeps the unread ones. *unread is the caller's unread count. */
int notify_list(db *c, const actor *who, int unread_only, const page_req *pg, arena *a,
                notification **items, size_t *n, int *more, int64_t *unread, aj_error *err);
/* Marks one of the caller's notifications read (once: a second read keeps
 * the first time) and returns it. AJ_ENOTFOUND for anyone else's. */
int notify_read(db *c, const actor *who, int64_t id, arena *a, notification *out,
                aj_error *err);
/* Marks every unread notification of the caller read; *n is how many. */
int notify_read_all(db *c, const actor *who, int64_t *n, aj_error *err);

#endif
