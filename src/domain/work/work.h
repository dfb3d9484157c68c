/* domain/work/work.h: the work context's public header: the one engine of scheduled work
 * — plans (RRULE via libical, window, checklist, assignment rule), the tasks made from
 * them by the `plans` job, and their results. Other contexts include this header only. */
#ifndef AJ_WORK_CTX_H
#define AJ_WORK_CTX_H
#include "domain/work/plan.h"
#include "domain/work/plan_gen.h"
#include "domain/work/plan_rule.h"
#include "domain/work/task.h"

#endif
