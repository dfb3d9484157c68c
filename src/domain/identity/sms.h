/* domain/identity/sms.h: the SMS channel for one-time codes. Drivers: "aliyun"
 * (阿里云短信 SendSms), "tencent" (腾讯云短信 SendSms), "log" (the message goes to
 * the server log: a developer's machine only) and "none" (every send fails). */
#ifndef AJ_SMS_H
#define AJ_SMS_H
#include "base/arena.h"
#include "base/error.h"

typedef struct sms_config {
    const char *driver;   /* "aliyun", "tencent", "log", "none" */
    const char *endpoint; /* NULL: the provider's public endpoint */
    const char *key_id, *key_secret;
    const char *sign;           /* 短信签名, as approved by the provider */
    const char *template_login; /* template code (Aliyun SMS_…) or id (Tencent) */
    const char *template_reset; /* NULL: template_login */
    const char *app_id;         /* Tencent's SmsSdkAppId */
    const char *region;         /* NULL: cn-hangzhou / ap-guangzhou */
} sms_config;

/* What a code is for: picks the template and the log line's wording. */
typedef enum sms_purpose { SMS_LOGIN_CODE, SMS_RESET_CODE } sms_purpose;

/* Takes the channel's settings (copied) and checks a gateway has what it needs:
 * an unknown driver, or a gateway without keys, sign or template, is refused
 * (AJ_EINVAL, field names the setting) so a server does not start half set up. */
int sms_configure(const sms_config *cfg, aj_error *err);
const char *sms_driver_name(void);

/* Sends the code (and its lifetime, in minutes) to phone. A gateway's refusal
 * or silence fails with AJ_EUPSTREAM and a message fit for the user; the
 * gateway's own words go to the log. */
int sms_send_code(const char *phone, sms_purpose purpose, const char *code, int minutes,
                  aj_error *err);

/* The drivers (sms_aliyun.c, sms_tencent.c): one request to the gateway. A
 * refusal is AJ_EUPSTREAM with the gateway's code and message in err. */
int sms_aliyun_send(const sms_config *cfg, const char *template_code, const char *phone,
                    const char *code, arena *a, aj_error *err);
int sms_tencent_send(const sms_config *cfg, const char *template_id, const char *phone,
                     const char *code, int minutes, arena *a, aj_error *err);

#endif
