/* domain/identity/sms.h: the SMS channel. Drivers: "log" (the message goes to the server log). */
#ifndef AJ_SMS_H
#define AJ_SMS_H
#include "base/error.h"

void sms_set_driver(const char *name);
int sms_send(const char *phone, const char *text, aj_error *err);

#endif
