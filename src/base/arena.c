/* base/arena.c: per-request bump allocator. */
#include "base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
    arena_block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

static arena_block *arena_block_new(size_t size)
{
    arena_block *b = malloc(sizeof(*b) + size);
    if (!b) abort(); /* out of memory is not a recoverable request error */
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

void arena_init(arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 8192;
}

void *arena_alloc(arena *a, size_t n)
{
    size_t need = (n + 15) & ~(size_t)15;
    arena_block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t sz = need > a->block_size ? need : a->block_size;
        arena_block *nb = arena_block_new(sz);
        /* A big one-off allocation goes behind the current block so the
         * current block's free space stays usable. */
        if (b && need > a->block_size) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

const char *arena_strcut(arena *a, const char *s, size_t max)
{
    if (!s) return "";
    size_t n = strlen(s);
    if (n <= max) return s;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return arena_strndup(a, s, n);
}

char *arena_strdup(arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void *arena_grow(arena *a, void *old, size_t n, size_t *cap, size_t size)
{
    if (old && n < *cap) return old;
    size_t want = *cap ? 2 * *cap : 16;
    void *p = arena_alloc(a, want * size);
    if (old && n) memcpy(p, old, n * size);
    *cap = want;
    return p;
}

void arena_reset(arena *a)
{
    arena_block *b = a->head;
    if (!b) return;
    /* keep the last (oldest) block: it is the usual block size */
    while (b->next) {
        arena_block *n = b->next;
        free(b);
        b = n;
    }
    b->used = 0;
    a->head = b;
}

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
}
