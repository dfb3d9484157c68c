/* base/arena.h: per-request bump allocator; everything is freed at once. */
#ifndef AJ_ARENA_H
#define AJ_ARENA_H
#include <stdarg.h>
#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
    size_t block_size;
} arena;

void arena_init(arena *a, size_t block_size);
void *arena_alloc(arena *a, size_t n);           /* zeroed, 16-byte aligned */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
/* s cut to at most max bytes on a UTF-8 character boundary (s itself when it fits; "" for
 * NULL): "%.100s" would split a character and the JSON out would refuse the string. */
const char *arena_strcut(arena *a, const char *s, size_t max);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);
/* A growing array on the arena: returns old when n < *cap, else a copy of
 * its n elements of size bytes in a block twice as large (at least 16
 * elements), and updates *cap. The old block is simply left to the arena. */
void *arena_grow(arena *a, void *old, size_t n, size_t *cap, size_t size);
void arena_reset(arena *a);                      /* keep the first block, drop the rest */
void arena_free(arena *a);

#endif
