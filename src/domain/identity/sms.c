/* domain/identity/sms.c: the SMS channel; a gateway driver comes with notifications. */
#include "domain/identity/sms.h"

#include <string.h>

#include "base/log.h"

static const char *sms_driver = "log";

void sms_set_driver(const char *name) { sms_driver = name; }

int sms_send(const char *phone, const char *text, aj_error *err)
{
    if (strcmp(sms_driver, "log") == 0) {
        log_info("sms to %s: %s", phone, text);
        return 0;
    }
    return aj_fail(err, AJ_EDB, NULL, "SMS driver '%s' is not available", sms_driver);
}
