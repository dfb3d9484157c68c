/* fuzz/fuzz_multipart.c: the multipart/form-data parser alone (no server, so it
 * runs fast). Input: a Content-Type line, "\n", then the body; without a
 * newline the whole input is the body under a fixed boundary. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char ct[512] = "multipart/form-data; boundary=XyZ";
    const uint8_t *nl = memchr(data, '\n', size < sizeof ct ? size : sizeof ct);
    size_t skip = 0;
    if (nl) {
        size_t n = (size_t)(nl - data);
        memcpy(ct, data, n);
        ct[n] = 0;
        skip = n + 1;
    }
    /* The body in its own allocation of exactly its size: a read past it is an ASan report. */
    size_t len = size - skip;
    char *body = malloc(len ? len : 1);
    if (!body) return 0;
    memcpy(body, data + skip, len);
    multipart_part parts[8];
    size_t n = 0;
    const char *why = NULL;
    int rc = multipart_parse(body, len, ct, parts, 8, &n, &why);
    if (rc == MULTIPART_OK) {
        if (n > 8) abort();
        for (size_t i = 0; i < n; i++) {
            if (parts[i].data < body || parts[i].data + parts[i].len > body + len) abort();
            if (!parts[i].name[0] || strlen(parts[i].name) >= sizeof parts[i].name) abort();
            if (strlen(parts[i].filename) >= sizeof parts[i].filename) abort();
            if (strlen(parts[i].type) >= sizeof parts[i].type) abort();
        }
    } else if (!why || !*why) {
        abort(); /* every refusal says why */
    }
    size_t count;
    multipart_find(parts, rc == MULTIPART_OK ? n : 0, "file", &count);
    free(body);
    return 0;
}
