/* fuzz/fuzz_query.c: query strings of the list routes. The first byte picks
 * the route; the rest becomes the query, with bytes that cannot stand in a
 * request line percent-encoded (so '%', '&' and '=' reach the parser as is). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static const char *const fuzz_paths[] = {
    "/api/v1/projects",          "/api/v1/projects/1/buildings", "/api/v1/projects/1/rooms",
    "/api/v1/projects/1/residents", "/api/v1/staff",             "/api/v1/projects/1",
    /* -- tickets list and export -- */
    "/api/v1/tickets", "/api/v1/tickets.xlsx",
    /* -- the equipment book: list, figures, labels (?ids=) -- */
    "/api/v1/equipment", "/api/v1/stats/equipment", "/api/v1/equipment/labels.pdf",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char target[8192];
    harness_init();
    if (size < 1 || size > 2000) return 0;
    size_t n = sizeof fuzz_paths / sizeof fuzz_paths[0];
    int len = snprintf(target, sizeof target, "%s?", fuzz_paths[data[0] % n]);
    for (size_t i = 1; i < size; i++) {
        unsigned char c = data[i];
        if (c > 0x20 && c < 0x7f && c != '#')
            target[len++] = (char)c;
        else
            len += snprintf(target + len, sizeof target - (size_t)len, "%%%02X", c);
    }
    target[len] = 0;
    harness_request("GET", target, "", 0);
    return 0;
}
