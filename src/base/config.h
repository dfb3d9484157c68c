/* base/config.h: settings from command-line flags and environment variables. */
#ifndef AJ_CONFIG_H
#define AJ_CONFIG_H

typedef struct config {
    const char *db_url;     /* --db, ANJU_DB; default sqlite:var/anju.db */
    const char *listen;     /* --listen, ANJU_LISTEN; default 127.0.0.1:8080 */
    const char *data_dir;   /* --data, ANJU_DATA; default var */
    const char *web_dir;    /* --web, ANJU_WEB; default web/dist */
    const char *sms_driver; /* ANJU_SMS; default "log" */
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
