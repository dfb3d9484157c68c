/* base/token.c: random label tokens (see token.h). */
#include "base/token.h"

#include <sodium.h>

int token_new(char out[TOKEN_LEN])
{
    unsigned char raw[16];
    if (sodium_init() < 0) return -1;
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, TOKEN_LEN, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return 0;
}
