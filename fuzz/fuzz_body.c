/* fuzz/fuzz_body.c: request bodies of the organisation routes. The first byte
 * picks the route, the rest is the body. */
#include <stddef.h>
#include <stdint.h>

#include "harness.h"

static const struct {
    const char *method, *path;
} fuzz_routes[] = {
    {"POST", "/api/v1/projects"},
    {"PATCH", "/api/v1/projects/1"},
    {"POST", "/api/v1/projects/1/buildings"},
    {"PATCH", "/api/v1/buildings/1"},
    {"POST", "/api/v1/projects/1/rooms"},
    {"PATCH", "/api/v1/rooms/1"},
    {"POST", "/api/v1/projects/1/residents"},
    {"PATCH", "/api/v1/residents/1"},
    {"POST", "/api/v1/residents/1/password"},
    {"POST", "/api/v1/staff"},
    {"PATCH", "/api/v1/staff/1"},
    {"POST", "/api/v1/auth/resident/code"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness_init();
    if (size < 1) return 0;
    size_t n = sizeof fuzz_routes / sizeof fuzz_routes[0];
    size_t i = data[0] % n;
    harness_request(fuzz_routes[i].method, fuzz_routes[i].path, (const char *)data + 1, size - 1);
    return 0;
}
