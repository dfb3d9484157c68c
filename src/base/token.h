/* base/token.h: the random tokens printed in QR labels (equipment, patrol checkpoints):
 * 16 random bytes (libsodium), URL-safe base64 without padding — 22 characters. */
#ifndef AJ_TOKEN_H
#define AJ_TOKEN_H

#define TOKEN_LEN 32 /* buffer size, with room to spare for the 22 characters and NUL */

/* 0, or -1 when the system has no randomness to give (libsodium failed to start). */
int token_new(char out[TOKEN_LEN]);

#endif
