/* base/config.c: settings from flags and environment. */
#include "base/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *config_env(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

/* Settings that are refused rather than half-understood. */
static int config_check(config *c)
{
    if (c->public_url) {
        if (strncmp(c->public_url, "https://", 8) != 0 && strncmp(c->public_url, "http://", 7) != 0) {
            fprintf(stderr, "anju: --public-url must start with https:// or http://\n");
            return -1;
        }
        c->public_https = strncmp(c->public_url, "https://", 8) == 0;
    }
    /* A guessable token would open the company-wide counts again (ASVS
     * V2.10.4: service secrets are not weak); 16 characters at the least. */
    if (c->metrics_token && (strlen(c->metrics_token) < 16 || strlen(c->metrics_token) > 128)) {
        fprintf(stderr, "anju: --metrics-token must be 16 to 128 characters\n");
        return -1;
    }
    if (c->audit_webhook && strncmp(c->audit_webhook, "https://", 8) != 0 &&
        strncmp(c->audit_webhook, "http://", 7) != 0) {
        fprintf(stderr, "anju: --audit-webhook must start with https:// or http://\n");
        return -1;
    }
    return 0;
}

int config_load(config *c, int argc, char **argv, const char **rest, int *nrest)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    c->db_url = config_env("ANJU_DB", "sqlite:var/anju.db");
    c->listen = config_env("ANJU_LISTEN", "127.0.0.1:8080");
    c->data_dir = config_env("ANJU_DATA", "var");
    c->web_dir = config_env("ANJU_WEB", "web/dist");
    c->sms_driver = config_env("ANJU_SMS", NULL);
    c->sms_endpoint = config_env("ANJU_SMS_ENDPOINT", NULL);
    c->sms_key_id = config_env("ANJU_SMS_KEY_ID", NULL);
    c->sms_key_secret = config_env("ANJU_SMS_KEY_SECRET", NULL);
    c->sms_sign = config_env("ANJU_SMS_SIGN", NULL);
    c->sms_template = config_env("ANJU_SMS_TEMPLATE", NULL);
    c->sms_template_reset = config_env("ANJU_SMS_TEMPLATE_RESET", NULL);
    c->sms_app_id = config_env("ANJU_SMS_APP_ID", NULL);
    c->sms_region = config_env("ANJU_SMS_REGION", NULL);
    c->dev = strcmp(config_env("ANJU_DEV", "0"), "0") != 0;
    c->threads = atoi(config_env("ANJU_THREADS", "0"));
    /* Four per core: a thread waiting for its group's commit (an fsync)
     * leaves its core to another, and the more writers wait together the
     * fewer commits they share. On 2 cores, ticket creates ran 1,750/s with
     * 4 threads and 2,080/s with 8 (16: 2,155/s); reads measured the same. */
    if (c->threads <= 0) c->threads = ncpu > 0 ? 4 * (int)ncpu : 8;
    c->quiet = 0;
    c->jobs = strcmp(config_env("ANJU_JOBS", "1"), "0") != 0;
    c->public_url = config_env("ANJU_PUBLIC_URL", NULL);
    c->public_https = 0;
    c->trusted_proxy = config_env("ANJU_TRUSTED_PROXY", NULL);
    c->metrics_token = config_env("ANJU_METRICS_TOKEN", NULL);
    c->audit_webhook = config_env("ANJU_AUDIT_WEBHOOK", NULL);
    /* ASVS 4.0 V11.1.4 (anti-automation limits): one address gets a share of
     * the 4,096 connections, a silent connection is dropped well before the
     * 60 s idle timeout, and bodies in flight share one memory budget. */
    c->per_ip_connections = atoi(config_env("ANJU_PER_IP_CONNECTIONS", "64"));
    c->header_timeout = atoi(config_env("ANJU_HEADER_TIMEOUT", "10"));
    c->body_memory = atoi(config_env("ANJU_BODY_MEMORY", "64"));
    if (c->per_ip_connections <= 0) c->per_ip_connections = 64;
    if (c->header_timeout <= 0) c->header_timeout = 10;
    if (c->body_memory <= 0) c->body_memory = 64;

    int max = *nrest;
    *nrest = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        if (strcmp(a, "--quiet") == 0) {
            c->quiet = 1;
            continue;
        }
        if (strcmp(a, "--no-jobs") == 0) {
            c->jobs = 0;
            continue;
        }
        if (strcmp(a, "--dev") == 0) {
            c->dev = 1;
            continue;
        }
        if (strcmp(a, "--db") == 0) dst = &c->db_url;
        else if (strcmp(a, "--listen") == 0) dst = &c->listen;
        else if (strcmp(a, "--data") == 0) dst = &c->data_dir;
        else if (strcmp(a, "--web") == 0) dst = &c->web_dir;
        else if (strcmp(a, "--public-url") == 0) dst = &c->public_url;
        else if (strcmp(a, "--trusted-proxy") == 0) dst = &c->trusted_proxy;
        else if (strcmp(a, "--metrics-token") == 0) dst = &c->metrics_token;
        else if (strcmp(a, "--audit-webhook") == 0) dst = &c->audit_webhook;
        int *num = NULL;
        if (strcmp(a, "--threads") == 0) num = &c->threads;
        else if (strcmp(a, "--per-ip-connections") == 0) num = &c->per_ip_connections;
        else if (strcmp(a, "--header-timeout") == 0) num = &c->header_timeout;
        else if (strcmp(a, "--body-memory") == 0) num = &c->body_memory;
        if (num) {
            if (i + 1 >= argc || atoi(argv[i + 1]) <= 0) {
                fprintf(stderr, "anju: %s needs a positive number\n", a);
                return -1;
            }
            *num = atoi(argv[++i]);
            continue;
        }
        if (dst) {
            if (i + 1 >= argc) {
                fprintf(stderr, "anju: %s needs a value\n", a);
                return -1;
            }
            *dst = argv[++i];
            continue;
        }
        if (*nrest >= max) {
            fprintf(stderr, "anju: too many arguments at '%s'\n", a);
            return -1;
        }
        rest[(*nrest)++] = a;
    }
    if (!c->sms_driver) c->sms_driver = c->dev ? "log" : "none";
    return config_check(c);
}
