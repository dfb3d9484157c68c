/* fuzz/fuzz_ids.c: the query's list of ids (req_parse_ids: ?ids= of the equipment labels),
 * called as is on every input. A list it takes must be what it promises: 1..max positive
 * ids, from text of digits and single commas only; anything else it must refuse. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/req.h"

#define FUZZ_IDS_MAX 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[512];
    int64_t ids[FUZZ_IDS_MAX];
    size_t n = 0;
    /* a query argument is text: it ends at its first NUL */
    if (size >= sizeof text || memchr(data, 0, size)) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    if (req_parse_ids(text, ids, FUZZ_IDS_MAX, &n) != 0) return 0;
    if (n < 1 || n > FUZZ_IDS_MAX) abort();
    size_t commas = 0;
    for (size_t i = 0; i < size; i++) {
        if (text[i] == ',') {
            if (i == 0 || i + 1 == size || text[i + 1] == ',') abort();
            commas++;
        } else if (text[i] < '0' || text[i] > '9') {
            abort();
        }
    }
    if (commas + 1 != n) abort();
    for (size_t i = 0; i < n; i++)
        if (ids[i] <= 0) abort();
    return 0;
}
