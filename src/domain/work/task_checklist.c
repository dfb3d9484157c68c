/* domain/work/task_checklist.c: what a check-in needs to know of its task's checklist —
 * whether a key is one of its items, how many items are required — without parsing the
 * checklist each time. A patrol round of 100 checkpoints carries some 15 KB of checklist, and
 * parsing it was a third of a check-in's CPU. A plan version's checklist never changes (a
 * changed plan is a new version; history is never rewritten), so its facts are kept per
 * (plan, version) in a small direct-mapped table shared by the threads. A slot also keeps
 * the text's length and FNV-1a hash, a twentieth of a parse, so a slot never answers for
 * another text (another database in the same process, as the tests and fuzzers have). */
#include "domain/work/task.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define TASK_CHECKLIST_SLOTS 64

typedef struct task_checklist_slot {
    int64_t plan_id; /* 0: empty */
    int version;
    size_t len;
    uint64_t hash;
    size_t need, nkeys;
    char **keys; /* sorted; owned by the slot */
} task_checklist_slot;

static task_checklist_slot task_checklist_slots[TASK_CHECKLIST_SLOTS];
static pthread_mutex_t task_checklist_lock = PTHREAD_MUTEX_INITIALIZER;

static int task_checklist_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void task_checklist_clear(task_checklist_slot *s)
{
    for (size_t i = 0; i < s->nkeys; i++) free(s->keys[i]);
    free(s->keys);
    *s = (task_checklist_slot){0};
}

/* s holds the facts of checklist; -1 (s empty) when memory ran out. */
static int task_checklist_fill(task_checklist_slot *s, const char *checklist)
{
    json_t *list = json_loads(checklist ? checklist : "[]", 0, NULL);
    size_t n = json_array_size(list), i;
    json_t *it;
    s->keys = calloc(n ? n : 1, sizeof *s->keys);
    if (!s->keys) {
        json_decref(list);
        return -1;
    }
    json_array_foreach(list, i, it)
    {
        const char *key = json_string_value(json_object_get(it, "key"));
        s->need += json_is_true(json_object_get(it, "required"));
        if (!key) continue;
        if (!(s->keys[s->nkeys] = strdup(key))) {
            json_decref(list);
            task_checklist_clear(s);
            return -1;
        }
        s->nkeys++;
    }
    json_decref(list);
    qsort(s->keys, s->nkeys, sizeof *s->keys, task_checklist_cmp);
    return 0;
}

static uint64_t task_checklist_hash(const char *s, size_t *len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++) h = (h ^ *p) * 0x100000001b3ull;
    *len = (size_t)(p - (const unsigned char *)s);
    return h;
}

int task_checklist_facts(const task *t, const char *key, int *known, size_t *need)
{
    task_checklist_slot tmp = {0}, *s;
    int cached = t->plan_id != 0;
    size_t len;
    uint64_t hash = task_checklist_hash(t->checklist ? t->checklist : "", &len);
    pthread_mutex_lock(&task_checklist_lock);
    s = cached ? &task_checklist_slots[(uint64_t)(t->plan_id * 131 + t->plan_version) % TASK_CHECKLIST_SLOTS] : &tmp;
    if (!cached || s->plan_id != t->plan_id || s->version != t->plan_version || s->len != len || s->hash != hash) {
        task_checklist_clear(s);
        if (task_checklist_fill(s, t->checklist)) {
            pthread_mutex_unlock(&task_checklist_lock);
            return -1;
        }
        s->plan_id = t->plan_id;
        s->version = t->plan_version;
        s->len = len;
        s->hash = hash;
    }
    *need = s->need;
    *known = bsearch(&key, s->keys, s->nkeys, sizeof *s->keys, task_checklist_cmp) != NULL;
    if (!cached) task_checklist_clear(s);
    pthread_mutex_unlock(&task_checklist_lock);
    return 0;
}
