/* domain/identity/sms.c: the SMS channel: settings, the driver switch, the log driver. */
#include "domain/identity/sms.h"

#include <string.h>

#include "base/log.h"

static sms_config sms_cfg = {.driver = "none"};

static int sms_need(const char *v, const char *setting, aj_error *err)
{
    if (v && *v) return 0;
    return aj_fail(err, AJ_EINVAL, setting, "SMS driver '%s' needs %s", sms_cfg.driver, setting);
}

int sms_configure(const sms_config *cfg, aj_error *err)
{
    sms_config c = *cfg;
    if (!c.driver) c.driver = "none";
    if (!c.template_reset || !*c.template_reset) c.template_reset = c.template_login;
    int gateway = strcmp(c.driver, "aliyun") == 0 || strcmp(c.driver, "tencent") == 0;
    if (!gateway && strcmp(c.driver, "log") != 0 && strcmp(c.driver, "none") != 0)
        return aj_fail(err, AJ_EINVAL, "ANJU_SMS",
                       "unknown SMS driver '%s' (aliyun, tencent, log or none)", c.driver);
    sms_cfg.driver = c.driver;
    if (gateway && (sms_need(c.key_id, "ANJU_SMS_KEY_ID", err) ||
                    sms_need(c.key_secret, "ANJU_SMS_KEY_SECRET", err) ||
                    sms_need(c.sign, "ANJU_SMS_SIGN", err) ||
                    sms_need(c.template_login, "ANJU_SMS_TEMPLATE", err) ||
                    (strcmp(c.driver, "tencent") == 0 &&
                     sms_need(c.app_id, "ANJU_SMS_APP_ID", err)))) {
        sms_cfg.driver = "none";
        return err->rc;
    }
    sms_cfg = c;
    return 0;
}

const char *sms_driver_name(void) { return sms_cfg.driver; }

int sms_send_code(const char *phone, sms_purpose purpose, const char *code, int minutes,
                  aj_error *err)
{
    const char *d = sms_cfg.driver;
    if (strcmp(d, "log") == 0) {
        if (purpose == SMS_RESET_CODE)
            log_info("sms to %s: 【安居】您的密码重置验证码是 %s，%d 分钟内有效。如非本人操作请联系管理员。",
                     phone, code, minutes);
        else
            log_info("sms to %s: 【安居】您的登录验证码是 %s，%d 分钟内有效。", phone, code, minutes);
        return 0;
    }
    if (strcmp(d, "none") == 0) {
        log_error("sms to %s not sent: no SMS channel is configured (ANJU_SMS)", phone);
        return aj_fail(err, AJ_EUPSTREAM, NULL, "短信通道未配置，无法发送验证码，请联系物业");
    }
    const char *tpl = purpose == SMS_RESET_CODE ? sms_cfg.template_reset : sms_cfg.template_login;
    arena a;
    arena_init(&a, 4096);
    aj_error e = {0};
    int rc = strcmp(d, "aliyun") == 0
                 ? sms_aliyun_send(&sms_cfg, tpl, phone, code, &a, &e)
                 : sms_tencent_send(&sms_cfg, tpl, phone, code, minutes, &a, &e);
    arena_free(&a);
    if (!rc) {
        log_info("sms to %s sent through %s", phone, d);
        return 0;
    }
    /* The gateway's words (a quota, a template not approved, a bad key) are for the
     * operator; the user hears that the code did not go. */
    log_error("sms to %s through %s failed: %s", phone, d, e.message);
    return aj_fail(err, AJ_EUPSTREAM, NULL, "短信发送失败，请稍后再试");
}
