/* fuzz/harness.h: a real anju server in the fuzzer's process, on a fresh
 * SQLite database, and a keep-alive HTTP client to send it one request per input. */
#ifndef AJ_FUZZ_HARNESS_H
#define AJ_FUZZ_HARNESS_H
#include <stddef.h>

/* Starts once; returns the admin's bearer token. */
const char *harness_init(void);
/* The open survey's invitation token (survey 1, the fixtures' one room). */
const char *harness_survey_token(void);
/* Sends one request; returns the status. A 500 or a malformed reply aborts:
 * no input may make the server fail. */
int harness_request(const char *method, const char *target, const char *body, size_t len);

#endif
