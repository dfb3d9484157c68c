/* fuzz/fuzz_ticket.c: bodies of POST /tickets and of every ticket action. The
 * first byte picks the route (its low 4 bits: 0-1 create, 2-15 the 14
 * actions), the second which of the newest tickets an action is aimed at, the
 * rest is the body.
 *
 * Tickets move through the state machine as inputs act on them, so every so
 * often a fresh ticket of each kind is created to act on. Ticket ids are
 * counted, not read: the database is new and ids are given in order, so the
 * newest id is the number of creations that answered 201. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

static const char *const fuzz_actions[] = {
    "accept", "assign", "arrive", "contact", "investigate", "hold",   "resume",
    "resolve", "rate",  "visit",  "close",   "reopen",      "cancel", "comment",
};

/* A fresh ticket of each kind every FUZZ_FRESH inputs. */
#define FUZZ_FRESH 64
static const char *const fuzz_fresh[] = {
    "{\"project_id\":1,\"kind\":\"repair\",\"category\":\"水电/漏水\",\"title\":\"厨房漏水\","
    "\"channel\":\"phone\",\"room_id\":1,\"resident_id\":1}",
    "{\"project_id\":1,\"kind\":\"complaint\",\"category\":\"噪音\",\"title\":\"夜间噪音\","
    "\"channel\":\"phone\",\"room_id\":1}",
    "{\"project_id\":1,\"kind\":\"inquiry\",\"priority\":\"high\",\"category\":\"收费\","
    "\"title\":\"物业费咨询\",\"channel\":\"walk_in\"}",
    "{\"project_id\":1,\"kind\":\"repair\",\"priority\":\"emergency\",\"category\":\"电梯\","
    "\"title\":\"电梯困人\",\"channel\":\"phone\"}",
};

static long fuzz_tickets; /* creations that answered 201 = the newest ticket id */
static unsigned long fuzz_inputs;

static void fuzz_create(const char *body, size_t len)
{
    if (harness_request("POST", "/api/v1/tickets", body, len) == 201) fuzz_tickets++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[96];
    harness_init();
    if (fuzz_inputs++ % FUZZ_FRESH == 0)
        for (size_t i = 0; i < sizeof fuzz_fresh / sizeof fuzz_fresh[0]; i++)
            fuzz_create(fuzz_fresh[i], strlen(fuzz_fresh[i]));
    if (size < 2) return 0;
    const char *body = (const char *)data + 2;
    size_t len = size - 2;
    unsigned route = data[0] & 15u;
    if (route < 2) {
        fuzz_create(body, len);
        return 0;
    }
    /* One of the eight newest tickets; now and then one that does not exist. */
    long back = data[1] % 9;
    long id = back == 8 ? fuzz_tickets + 1000 : fuzz_tickets - back;
    if (id < 1) id = 1;
    snprintf(path, sizeof path, "/api/v1/tickets/%ld/actions/%s", id, fuzz_actions[route - 2]);
    harness_request("POST", path, body, len);
    return 0;
}
