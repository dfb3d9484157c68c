/* fuzz/fuzz_survey.c: the survey parsers through a real server — a questionnaire (its
 * dimensions and questions) on create and change, and an answer through an invitation
 * link (scale answers, open answers). The first byte picks which. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    harness_init();
    char path[128];
    switch (data[0] % 3) {
    case 0: snprintf(path, sizeof path, "/api/v1/surveys"); break;
    case 1: snprintf(path, sizeof path, "/api/v1/surveys/1"); break;
    default: snprintf(path, sizeof path, "/api/v1/public/surveys/%s/responses", harness_survey_token());
    }
    harness_request(data[0] % 3 == 1 ? "PATCH" : "POST", path, (const char *)data + 1, size - 1);
    return 0;
}
