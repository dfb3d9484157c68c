/* domain/identity/sms_tencent.c: 腾讯云短信 SendSms (API 3.0, version 2021-01-11), a
 * JSON POST signed with TC3-HMAC-SHA256: a canonical request hashed, a key derived
 * from the secret by date, service and "tc3_request" (Tencent Cloud API, "Signature v3"). */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/webclient.h"
#include "domain/identity/sms.h"

#define SMS_TENCENT_ENDPOINT "https://sms.tencentcloudapi.com/"
#define SMS_TENCENT_CTYPE "application/json; charset=utf-8"

static void sms_tencent_hmac(const unsigned char *key, size_t klen, const char *msg,
                             unsigned char out[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, klen);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, strlen(msg));
    crypto_auth_hmacsha256_final(&st, out);
}

static void sms_tencent_sha256_hex(const char *s, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)s, n);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* The hex signature of payload for host at ts (seconds, UTC). */
static void sms_tencent_sign(const char *secret, const char *host, long long ts,
                             const char *date, const char *payload, arena *a, char sig[65])
{
    char ph[65], ch[65];
    sms_tencent_sha256_hex(payload, strlen(payload), ph);
    buf c;
    buf_init(&c, a);
    buf_printf(&c, "POST\n/\n\ncontent-type:%s\nhost:%s\n\ncontent-type;host\n%s",
               SMS_TENCENT_CTYPE, host, ph);
    sms_tencent_sha256_hex(c.s, c.len, ch);
    buf s;
    buf_init(&s, a);
    buf_printf(&s, "TC3-HMAC-SHA256\n%lld\n%s/sms/tc3_request\n%s", ts, date, ch);
    buf k;
    buf_init(&k, a);
    buf_printf(&k, "TC3%s", secret);
    unsigned char kd[32], ks[32], kr[32], m[32];
    sms_tencent_hmac((const unsigned char *)k.s, k.len, date, kd);
    sms_tencent_hmac(kd, sizeof kd, "sms", ks);
    sms_tencent_hmac(ks, sizeof ks, "tc3_request", kr);
    sms_tencent_hmac(kr, sizeof kr, s.s, m);
    sodium_bin2hex(sig, 65, m, sizeof m);
}

int sms_tencent_send(const sms_config *cfg, const char *template_id, const char *phone,
                     const char *code, int minutes, arena *a, aj_error *err)
{
    long long ts = (long long)clock_now();
    time_t t = (time_t)ts;
    struct tm tm;
    gmtime_r(&t, &tm);
    char date[16], mins[16], e164[40];
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    snprintf(mins, sizeof mins, "%d", minutes);
    /* E.164: a mainland number without its country code gets +86. */
    snprintf(e164, sizeof e164, "%s%.30s", phone[0] == '+' ? "" : "+86", phone);
    /* Templates take the code as {1} and its lifetime in minutes as {2}
     * ("您的验证码为{1}，{2}分钟内有效"). */
    json_t *body = json_pack("{s:[s], s:s, s:s, s:s, s:[s,s]}", "PhoneNumberSet", e164,
                             "SmsSdkAppId", cfg->app_id, "SignName", cfg->sign, "TemplateId",
                             template_id, "TemplateParamSet", code, mins);
    char *bj = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!bj) return aj_fail(err, AJ_EDB, NULL, "cannot write the SMS request");
    const char *payload = arena_strdup(a, bj);
    free(bj);

    const char *url = cfg->endpoint ? cfg->endpoint : SMS_TENCENT_ENDPOINT;
    const char *host = webclient_host(a, url);
    char sig[65];
    sms_tencent_sign(cfg->key_secret, host, ts, date, payload, a, sig);
    buf auth, hts, hreg, hhost;
    buf_init(&auth, a);
    buf_printf(&auth,
               "Authorization: TC3-HMAC-SHA256 Credential=%s/%s/sms/tc3_request,"
               " SignedHeaders=content-type;host, Signature=%s",
               cfg->key_id, date, sig);
    buf_init(&hts, a);
    buf_printf(&hts, "X-TC-Timestamp: %lld", ts);
    buf_init(&hreg, a);
    buf_printf(&hreg, "X-TC-Region: %s", cfg->region ? cfg->region : "ap-guangzhou");
    buf_init(&hhost, a);
    buf_printf(&hhost, "Host: %s", host);
    const char *headers[] = {auth.s, "Content-Type: " SMS_TENCENT_CTYPE, hhost.s,
                             "X-TC-Action: SendSms", hts.s, "X-TC-Version: 2021-01-11",
                             hreg.s, NULL};
    webclient_reply rep;
    if (webclient_send("POST", url, headers, payload, strlen(payload), a, &rep, err))
        return err->rc;
    /* {"Response":{"SendStatusSet":[{"Code":"Ok",…}],"RequestId":…}}, or
     * {"Response":{"Error":{"Code":…,"Message":…},"RequestId":…}}. */
    json_t *j = json_loads(rep.body.s, 0, NULL);
    json_t *r = json_object_get(j, "Response");
    json_t *e = json_object_get(r, "Error");
    json_t *st = json_array_get(json_object_get(r, "SendStatusSet"), 0);
    const char *c = json_string_value(json_object_get(e ? e : st, "Code"));
    const char *m = json_string_value(json_object_get(e ? e : st, "Message"));
    int rc = 0;
    if (rep.status != 200 || e || !c || strcmp(c, "Ok") != 0)
        rc = aj_fail(err, AJ_EUPSTREAM, NULL, "tencent answered %ld %s: %s", rep.status,
                     c ? c : "(no Code)", m ? m : "");
    json_decref(j);
    return rc;
}
