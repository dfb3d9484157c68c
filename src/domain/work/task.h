/* domain/work/task.h: tasks (任务), one per planned occurrence, and what is done with them:
 * start, a result per checklist item (问题描述 + 处理措施 when abnormal), finish (each
 * abnormal result opens a ticket), skip, and the re-check (复检结果) later. */
#ifndef AJ_TASK_H
#define AJ_TASK_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "domain/core/core.h"

#define TASK_MAX_PHOTOS 9

typedef struct task {
    int64_t id, plan_id, project_id, equipment_id, assignee_id; /* 0: none */
    const char *kind, *title, *state, *skip_reason;
    int64_t starts_at, due_at, started_at, finished_at, missed_at, created_at, updated_at;
    int tz_offset, plan_version;
    json_t *items; /* task_get only: the checklist with each result; the caller decrefs */
    const char *checklist;
    const char *buildings; /* a spot check's drawn buildings, JSON [{id,name}]; NULL: none */
    int64_t score;         /* an inspection's 0–100 once finished; -1: none */
} task;

/* Whether key is an item of t's checklist and how many items are required, kept per
 * (plan, version) once read (task_checklist.c); -1 when memory ran out. */
int task_checklist_facts(const task *t, const char *key, int *known, size_t *need);

typedef struct task_filter {
    int64_t project_id, plan_id, assignee_id, equipment_id;
    const char *kind;
    const char *states[6];
    size_t nstates;
    int mine, unassigned; /* unassigned: tasks nobody was found for (the manager's to give) */
    int64_t due_from, due_to; /* 0: open */
} task_filter;

typedef struct task_result_input {
    int ok, has_ok;
    json_t *value; /* borrowed; NULL when absent */
    const char *note, *measure;
    int64_t *photos;
    size_t nphotos;
    int has_photos;
} task_result_input;

int task_get(db *c, const actor *who, int64_t id, arena *a, task *out, aj_error *err);
/* task_get without the items (out->items NULL): the row, its checklist text and scope. */
int task_load(db *c, const actor *who, int64_t id, arena *a, task *out, aj_error *err);
/* Ordered by due time, then id; the cursor is the last task's id. */
int task_list(db *c, const actor *who, const task_filter *f, const page_req *pg, arena *a,
              task **items, size_t *n, int *more, aj_error *err);
int task_state_known(const char *s);

/* task_action.c. Each returns the task as it is afterwards in *out (task_get). */
int task_start(db *c, const actor *who, int64_t id, arena *a, task *out, aj_error *err);
int task_skip(db *c, const actor *who, int64_t id, const char *reason, arena *a, task *out,
              aj_error *err);
int task_finish(db *c, const actor *who, int64_t id, arena *a, task *out, aj_error *err);
int task_result_put(db *c, const actor *who, int64_t id, const char *key,
                    const task_result_input *in, arena *a, task *out, aj_error *err);
/* A scan of a round's checkpoint (the patrol context's check-in), in the caller's
 * transaction: item key answered normal with value (JSON text), note and photos (a JSON
 * array of file ids, checked by the caller); the task started; when every required item
 * is answered the task is finished (done, late after due_at) and *finished = 1.
 * AJ_ETRANSITION when the task is no longer open, AJ_EINVAL field key for no such item. */
int task_checkin_in(db *c, const actor *who, const task *t, const char *key, const char *value,
                    const char *note, const char *photos, int64_t now, int *finished,
                    aj_error *err);
/* task_stats.c: per plan, the tasks due in [from, to) of a project (of one kind, or any
 * with kind NULL): planned, done on time, late, missed, skipped, still open. Staff who see
 * the project. At most TASK_STATS_MAX plans. */
#define TASK_STATS_MAX 500
typedef struct task_plan_stats {
    int64_t plan_id;
    const char *title, *area, *kind;
    int64_t planned, done, late, missed, skipped, open;
} task_plan_stats;
int task_stats_by_plan(db *c, const actor *who, int64_t project_id, const char *kind,
                       int64_t from, int64_t to, arena *a, task_plan_stats **rows, size_t *n,
                       aj_error *err);

/* task_alert.c: a patrol round still scheduled TASK_ALERT_AFTER seconds after its start
 * (its window still open) notifies the project's managers (kind task_late) and sends a
 * live "task" event with alert "unstarted" — once per round, each in its own
 * transaction. *alerted: the rounds alerted by this call. */
#define TASK_ALERT_AFTER 600
int task_alert_unstarted(db *c, int64_t now, int64_t *alerted, aj_error *err);
/* The quality context (above this one) scores a finished inspection and raises its
 * failed items as rectifications instead of tickets; it registers this at start. Called in
 * task_finish's transaction for a task of kind inspection: items is the checklist with its
 * results (borrowed: the hook sets "rectification_id" on the result of each item it raised,
 * and task_finish keeps it on the item); *score 0..100, or -1 when nothing was answered. */
typedef int (*task_inspection_fn)(db *c, const actor *who, int64_t task_id, int64_t project_id,
                                  int64_t plan_id, json_t *items, int64_t *score, aj_error *err);
void task_on_inspection_finish(task_inspection_fn fn);
int task_recheck(db *c, const actor *who, int64_t id, const char *key, int ok, const char *note,
                 arena *a, task *out, aj_error *err);

#endif
