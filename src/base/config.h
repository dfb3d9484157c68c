/* base/config.h: settings from command-line flags and environment variables. */
#ifndef AJ_CONFIG_H
#define AJ_CONFIG_H

typedef struct config {
    const char *db_url;     /* --db, ANJU_DB; default sqlite:var/anju.db */
    const char *listen;     /* --listen, ANJU_LISTEN; default 127.0.0.1:8080 */
    const char *data_dir;   /* --data, ANJU_DATA; default var */
    const char *web_dir;    /* --web, ANJU_WEB; default web/dist */
    /* ANJU_SMS: the SMS channel: "aliyun", "tencent", "log" (codes in the server
     * log) or "none". Unset: "log" with --dev, else "none" (a one-time code in a
     * production log is a login for whoever reads it). */
    const char *sms_driver;
    /* The gateway's settings, from the environment only (a secret on the command
     * line shows in ps): ANJU_SMS_ENDPOINT (default the provider's), ANJU_SMS_KEY_ID,
     * ANJU_SMS_KEY_SECRET, ANJU_SMS_SIGN (短信签名), ANJU_SMS_TEMPLATE (the login
     * code's template), ANJU_SMS_TEMPLATE_RESET (the password reset's; default the
     * login one), ANJU_SMS_APP_ID (Tencent's SmsSdkAppId), ANJU_SMS_REGION. */
    const char *sms_endpoint, *sms_key_id, *sms_key_secret, *sms_sign, *sms_template,
        *sms_template_reset, *sms_app_id, *sms_region;
    int dev;                /* --dev, ANJU_DEV=1: a developer's machine (the log SMS driver) */
    int threads;            /* --threads, ANJU_THREADS; default: one per core */
    int quiet;              /* --quiet: no request log lines */
    int jobs;               /* --no-jobs, ANJU_JOBS=0: no scheduler thread */
    /* --public-url, ANJU_PUBLIC_URL: the address users reach the server at
     * (http:// or https://); https means TLS ends in front of the server and
     * the session cookie is Secure. NULL when unset. */
    const char *public_url;
    int public_https;          /* public_url starts with https:// */
    /* --trusted-proxy, ANJU_TRUSTED_PROXY: comma-separated peer addresses
     * whose X-Forwarded-Proto is believed. NULL: none. */
    const char *trusted_proxy;
    /* --metrics-token, ANJU_METRICS_TOKEN: the bearer token /metrics wants
     * (at least 16 characters); NULL: /metrics answers admin sessions only. */
    const char *metrics_token;
    /* --audit-webhook, ANJU_AUDIT_WEBHOOK: a URL each signed audit checkpoint is
     * POSTed to (a copy out of reach of the database's writer). NULL: none. */
    const char *audit_webhook;
    int per_ip_connections; /* --per-ip-connections, ANJU_PER_IP_CONNECTIONS; default 64 */
    int header_timeout;     /* --header-timeout, ANJU_HEADER_TIMEOUT: seconds a new
                               connection has for its first request's headers; default 10 */
    int body_memory;        /* --body-memory, ANJU_BODY_MEMORY: MiB held for request
                               bodies in flight, all requests together; default 64 */
} config;

/* Fills c from the environment, then from argv flags (flags win). A known
 * flag missing its value is an error: returns -1 and prints why. Every other
 * argument (sub-command words and their own flags) is left in rest[], in order. */
int config_load(config *c, int argc, char **argv, const char **rest, int *nrest);

#endif
