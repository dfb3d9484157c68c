/* domain/identity/sms_aliyun.c: 阿里云短信 SendSms (dysmsapi 2017-05-25), an RPC call
 * signed with signature version 1.0: the sorted, percent-encoded query, HMAC-SHA1
 * keyed with "secret&", base64 (Alibaba Cloud SMS, "Signature method"). */
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/webclient.h"
#include "domain/identity/sms.h"

#define SMS_ALIYUN_ENDPOINT "https://dysmsapi.aliyuncs.com/"

typedef struct sms_aliyun_param {
    const char *k, *v;
} sms_aliyun_param;

static int sms_aliyun_cmp(const void *x, const void *y)
{
    return strcmp(((const sms_aliyun_param *)x)->k, ((const sms_aliyun_param *)y)->k);
}

/* The signature of the canonical query q (already encoded, sorted). */
static const char *sms_aliyun_sign(const char *secret, const char *q, arena *a)
{
    buf s;
    buf_init(&s, a);
    buf_printf(&s, "GET&%%2F&%s", webclient_escape(a, q));
    buf k;
    buf_init(&k, a);
    buf_printf(&k, "%s&", secret);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    HMAC(EVP_sha1(), k.s, (int)k.len, (const unsigned char *)s.s, s.len, mac, &n);
    char *b64 = arena_alloc(a, 4 * ((n + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)b64, mac, (int)n);
    return b64;
}

int sms_aliyun_send(const sms_config *cfg, const char *template_code, const char *phone,
                    const char *code, arena *a, aj_error *err)
{
    char ts[24], nonce[33];
    time_t now = (time_t)clock_now();
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(nonce, sizeof nonce, rnd, sizeof rnd);
    json_t *tp = json_pack("{s:s}", "code", code);
    char *tpj = json_dumps(tp, JSON_COMPACT);
    json_decref(tp);
    sms_aliyun_param p[] = {
        {"AccessKeyId", cfg->key_id},
        {"Action", "SendSms"},
        {"Format", "JSON"},
        {"PhoneNumbers", phone},
        {"RegionId", cfg->region ? cfg->region : "cn-hangzhou"},
        {"SignName", cfg->sign},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", nonce},
        {"SignatureVersion", "1.0"},
        {"TemplateCode", template_code},
        {"TemplateParam", arena_strdup(a, tpj ? tpj : "{}")},
        {"Timestamp", ts},
        {"Version", "2017-05-25"},
    };
    free(tpj);
    size_t np = sizeof p / sizeof p[0];
    qsort(p, np, sizeof p[0], sms_aliyun_cmp);
    buf q;
    buf_init(&q, a);
    for (size_t i = 0; i < np; i++)
        buf_printf(&q, "%s%s=%s", i ? "&" : "", webclient_escape(a, p[i].k),
                   webclient_escape(a, p[i].v));
    const char *sig = sms_aliyun_sign(cfg->key_secret, q.s, a);
    buf url;
    buf_init(&url, a);
    buf_printf(&url, "%s?Signature=%s&%s", cfg->endpoint ? cfg->endpoint : SMS_ALIYUN_ENDPOINT,
               webclient_escape(a, sig), q.s);

    webclient_reply rep;
    if (webclient_send("GET", url.s, NULL, NULL, 0, a, &rep, err)) return err->rc;
    /* {"Code":"OK","Message":"OK","BizId":"…","RequestId":"…"}; anything else is a refusal. */
    json_t *j = json_loads(rep.body.s, 0, NULL);
    const char *c = json_string_value(json_object_get(j, "Code"));
    const char *m = json_string_value(json_object_get(j, "Message"));
    int rc = 0;
    if (rep.status != 200 || !c || strcmp(c, "OK") != 0)
        rc = aj_fail(err, AJ_EUPSTREAM, NULL, "aliyun answered %ld %s: %s", rep.status,
                     c ? c : "(no Code)", m ? m : "");
    json_decref(j);
    return rc;
}
