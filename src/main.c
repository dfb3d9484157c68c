/* main.c: command-line dispatch: anju serve | migrate | demo | user | backup | audit | version. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/log.h"
#include "db/db.h"
#include "domain/core/audit.h"
#include "domain/calendar/calendar.h"
#include "demo/demo.h"
#include "domain/identity/password.h"
#include "domain/identity/sms.h"
#include "domain/org/staff.h"
#include "http/server.h"
#include "jobs/scheduler.h"

#define ANJU_VERSION "0.1.0"

static void main_usage(void)
{
    fputs("usage:\n"
          "  anju serve   [--db URL] [--listen 127.0.0.1:8080] [--data DIR] [--threads N] [--quiet]\n"
          "               [--no-jobs]   (no scheduler thread; ANJU_JOBS=0 too)\n"
          "  anju migrate [--db URL]\n"
          "  anju demo    [--db URL] [--seed N] [--scale small|medium|large]\n"
          "  anju user add --username U --role ROLE [--name N] [--department D] [--project CODE]...\n"
          "               (password on stdin)\n"
          "  anju calendar import FILE [--id N]  (chinese-days JSON or iCalendar .ics)\n"
          "  anju backup  [--db URL] --out FILE\n"
          "  anju audit verify [--db URL]\n"
          "  anju jobs run NAME [--db URL] [--now RFC3339]   (NAME: sweep)\n"
          "  anju version\n"
          "--db takes sqlite:PATH (default sqlite:var/anju.db) or postgresql://...; ANJU_DB too.\n",
          stderr);
}

/* Value of "--name V" among rest[], or NULL. */
static const char *main_opt(const char **rest, int n, const char *name)
{
    for (int i = 0; i + 1 < n; i++)
        if (strcmp(rest[i], name) == 0) return rest[i + 1];
    return NULL;
}

/* Every flag in rest[] (from index from) must be one of the allowed ones. */
static int main_check_opts(const char **rest, int n, int from, const char *const *allowed)
{
    for (int i = from; i < n; i++) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(rest[i], *a) == 0) ok = 1;
        if (!ok || i + 1 >= n) {
            fprintf(stderr, "anju: unexpected argument '%s'\n", rest[i]);
            return -1;
        }
        i++;
    }
    return 0;
}

static void main_mkdirs_for(const char *url)
{
    /* sqlite:var/anju.db needs var/ */
    if (strncmp(url, "sqlite:", 7) != 0) return;
    char path[1024];
    snprintf(path, sizeof path, "%s", url + 7);
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            mkdir(path, 0755);
            *p = '/';
        }
    }
}

static db *main_open(const config *cfg, int migrate)
{
    aj_error err = {0};
    main_mkdirs_for(cfg->db_url);
    db *c = db_open(cfg->db_url, &err);
    if (!c) {
        fprintf(stderr, "anju: %s\n", err.message);
        return NULL;
    }
    if (migrate && (db_migrate(c, &err) || calendar_seed(c, &err))) {
        fprintf(stderr, "anju: migration failed: %s\n", err.message);
        db_close(c);
        return NULL;
    }
    return c;
}

static int main_read_password(char *out, size_t n)
{
    if (!fgets(out, (int)n, stdin)) return -1;
    out[strcspn(out, "\r\n")] = 0;
    return 0;
}

/* The first admin: from ANJU_ADMIN_PASSWORD when no admin exists yet. */
static void main_bootstrap_admin(db *c)
{
    aj_error err = {0};
    int64_t n = 0;
    if (staff_count_admins(c, &n, &err) || n > 0) return;
    const char *pw = getenv("ANJU_ADMIN_PASSWORD");
    if (!pw || !*pw) {
        log_info("no admin user yet: set ANJU_ADMIN_PASSWORD and restart, or run "
                 "`anju user add --username admin --role admin` with the password on stdin");
        return;
    }
    actor sys = {.id = 0, .role = ROLE_ADMIN, .ip = "", .request_id = "bootstrap"};
    staff_input in = {.username = "admin", .password = pw, .name = "系统管理员", .role = "admin",
                      .department = "管理"};
    staff out;
    arena a;
    arena_init(&a, 4096);
    if (staff_create(c, &sys, &in, &a, &out, &err))
        log_error("cannot create admin: %s", err.message);
    else
        log_info("created user admin (role admin)");
    arena_free(&a);
}

static int main_serve(config *cfg)
{
    db *c = main_open(cfg, 1);
    if (!c) return 1;
    main_bootstrap_admin(c);
    db_close(c);
    log_set_quiet(cfg->quiet);
    sms_set_driver(cfg->sms_driver);
    return server_run(cfg);
}

static int main_demo(config *cfg, const char **rest, int n)
{
    static const char *const opts[] = {"--seed", "--scale", NULL};
    if (main_check_opts(rest, n, 1, opts)) return 2;
    const char *seed = main_opt(rest, n, "--seed"), *scale = main_opt(rest, n, "--scale");
    demo_scale sc = DEMO_SMALL;
    if (scale && strcmp(scale, "small") == 0) sc = DEMO_SMALL;
    else if (scale && strcmp(scale, "medium") == 0) sc = DEMO_MEDIUM;
    else if (scale && strcmp(scale, "large") == 0) sc = DEMO_LARGE;
    else if (scale) {
        fprintf(stderr, "anju: --scale is small, medium or large\n");
        return 2;
    }
    db *c = main_open(cfg, 1);
    if (!c) return 1;
    const char *pw = getenv("ANJU_DEMO_PASSWORD");
    if (!pw || !*pw) pw = "anju2026";
    demo_stats st = {0};
    aj_error err = {0};
    int rc = demo_run(c, seed ? strtoull(seed, NULL, 10) : 1, sc, pw, &st, &err);
    db_close(c);
    if (rc == AJ_ECONFLICT) {
        fprintf(stderr, "anju demo: the database already has data; nothing changed\n");
        return 0;
    }
    if (rc) {
        fprintf(stderr, "anju demo: %s\n", err.message);
        return 1;
    }
    printf("demo data: %d projects, %d buildings, %d rooms, %d residents, %d staff,"
           " %d tickets (%d open)\n",
           st.projects, st.buildings, st.rooms, st.residents, st.staff, st.tickets,
           st.open_tickets);
    return 0;
}

static int main_user(config *cfg, const char **rest, int n)
{
    static const char *const opts[] = {"--username", "--role", "--name", "--department",
                                       "--project", "--phone", NULL};
    if (n < 2 || strcmp(rest[1], "add") != 0) {
        main_usage();
        return 2;
    }
    if (main_check_opts(rest, n, 2, opts)) return 2;
    const char *user = main_opt(rest, n, "--username"), *role = main_opt(rest, n, "--role");
    if (!user || !role) {
        fprintf(stderr, "anju user add: --username and --role are required\n");
        return 2;
    }
    char pw[256];
    if (main_read_password(pw, sizeof pw)) {
        fprintf(stderr, "anju user add: give the password on stdin\n");
        return 2;
    }
    db *c = main_open(cfg, 1);
    if (!c) return 1;
    arena a;
    arena_init(&a, 4096);
    aj_error err = {0};
    int64_t ids[64];
    size_t nids = 0;
    int rc = 0;
    for (int i = 2; i + 1 < n && !rc; i++) {
        if (strcmp(rest[i], "--project") != 0) continue;
        if (nids >= 64 || project_id_by_code(c, rest[i + 1], &ids[nids++], &err)) {
            fprintf(stderr, "anju user add: unknown project %s\n", rest[i + 1]);
            rc = 1;
        }
    }
    actor sys = {.id = 0, .role = ROLE_ADMIN, .ip = "", .request_id = "cli"};
    const char *name = main_opt(rest, n, "--name");
    staff_input in = {.username = user, .password = pw, .name = name ? name : user, .role = role,
                      .department = main_opt(rest, n, "--department"),
                      .phone = main_opt(rest, n, "--phone"), .project_ids = ids,
                      .nprojects = nids, .has_projects = nids > 0};
    staff out;
    if (!rc && staff_create(c, &sys, &in, &a, &out, &err)) {
        fprintf(stderr, "anju user add: %s%s%s\n", err.message, err.field[0] ? " — field " : "",
                err.field);
        rc = 1;
    }
    if (!rc) printf("created user %s (id %lld, role %s)\n", user, (long long)out.id, role);
    sodium_memzero(pw, sizeof pw);
    arena_free(&a);
    db_close(c);
    return rc;
}

/* anju calendar import FILE [--id N]: official days into a calendar (default 1). */
static int main_calendar(config *cfg, const char **rest, int n)
{
    static const char *const opts[] = {"--id", NULL};
    if (n < 3 || strcmp(rest[1], "import") != 0) {
        main_usage();
        return 2;
    }
    if (main_check_opts(rest, n, 3, opts)) return 2;
    const char *ids = main_opt(rest, n, "--id");
    char *end = NULL;
    long long id = ids ? strtoll(ids, &end, 10) : 1;
    if (id <= 0 || (ids && *end)) {
        fprintf(stderr, "anju calendar import: --id takes a positive number\n");
        return 2;
    }
    FILE *f = fopen(rest[2], "rb");
    if (!f) {
        perror(rest[2]);
        return 1;
    }
    size_t cap = 1 << 16, len = 0;
    char *data = malloc(cap);
    size_t got;
    while (data && (got = fread(data + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap && cap < (64u << 20)) data = realloc(data, cap *= 2);
        else if (len == cap) break;
    }
    fclose(f);
    if (!data) return 1;
    db *c = main_open(cfg, 1);
    if (!c) {
        free(data);
        return 1;
    }
    actor sys = {.id = 0, .role = ROLE_ADMIN, .ip = "", .request_id = "cli"};
    aj_error err = {0};
    int imported = 0;
    int rc = calendar_import(c, &sys, id, data, len, &imported, &err);
    free(data);
    db_close(c);
    if (rc) {
        fprintf(stderr, "anju calendar import: %s\n", err.message);
        return 1;
    }
    printf("calendar %lld: imported %d days\n", id, imported);
    return 0;
}

static int main_backup(config *cfg, const char **rest, int n)
{
    static const char *const opts[] = {"--out", NULL};
    if (main_check_opts(rest, n, 1, opts)) return 2;
    const char *out = main_opt(rest, n, "--out");
    if (!out) {
        fprintf(stderr, "anju backup: --out FILE is required\n");
        return 2;
    }
    db *c = main_open(cfg, 0);
    if (!c) return 1;
    aj_error err = {0};
    int rc = db_backup(c, cfg->db_url, out, &err);
    db_close(c);
    if (rc) {
        fprintf(stderr, "anju backup: %s\n", err.message);
        return 1;
    }
    printf("backup written to %s\n", out);
    return 0;
}

static int main_audit(config *cfg, const char **rest, int n)
{
    if (n < 2 || strcmp(rest[1], "verify") != 0) {
        main_usage();
        return 2;
    }
    db *c = main_open(cfg, 0);
    if (!c) return 1;
    int64_t rows, bad;
    char msg[256];
    int rc = audit_verify(c, &rows, &bad, msg, sizeof msg);
    db_close(c);
    if (rc < 0) {
        fprintf(stderr, "anju audit verify: cannot read the audit log\n");
        return 1;
    }
    printf("audit log: %s\n", msg);
    return rc ? 3 : 0;
}

/* -- jobs: anju jobs run NAME [--now T]: one run now, for ops and tests.
 * --now runs the whole process as of T (the clock's ANJU_FAKE_NOW hook), so
 * what the job does through ticket actions is stamped with T too. Prints the
 * run as JSON; exit 0 ok, 1 failed, 3 when the job is running elsewhere. -- */
static int main_jobs(config *cfg, const char **rest, int n)
{
    static const char *const opts[] = {"--now", NULL};
    if (n < 3 || strcmp(rest[1], "run") != 0) {
        main_usage();
        return 2;
    }
    if (main_check_opts(rest, n, 3, opts)) return 2;
    const char *at = main_opt(rest, n, "--now");
    if (at) {
        int64_t t;
        char v[32];
        if (clock_parse_rfc3339(at, &t) || t <= 0) {
            fprintf(stderr, "anju jobs run: --now takes an RFC 3339 time with an offset\n");
            return 2;
        }
        snprintf(v, sizeof v, "%lld", (long long)t);
        setenv("ANJU_FAKE_NOW", v, 1); /* before anything reads the clock */
    }
    if (!scheduler_known(rest[2])) {
        fprintf(stderr, "anju jobs run: no job named %s (jobs: sweep)\n", rest[2]);
        return 2;
    }
    db *c = main_open(cfg, 1);
    if (!c) return 1;
    arena a;
    arena_init(&a, 4096);
    job_run run;
    aj_error err = {0};
    int rc = scheduler_run(c, NULL, rest[2], "cli", clock_now(), &a, &run, &err), code = 0;
    if (rc) {
        fprintf(stderr, "anju jobs run: %s\n", err.message);
        code = rc == AJ_ECONFLICT ? 3 : 1;
    } else {
        char now[40];
        clock_format(run.now, 8 * 3600, now, sizeof now);
        json_t *stats = json_loads(run.stats, 0, NULL);
        json_t *o = json_pack("{s:I, s:s, s:b, s:s, s:o, s:o}", "id", (json_int_t)run.id, "name",
                              run.name, "ok", run.ok == 1, "now", now, "stats",
                              stats ? stats : json_object(), "error",
                              run.error ? json_string(run.error) : json_null());
        char *text = json_dumps(o, JSON_COMPACT);
        printf("%s\n", text);
        free(text);
        json_decref(o);
        code = run.ok == 1 ? 0 : 1;
    }
    arena_free(&a);
    db_close(c);
    return code;
}

int main(int argc, char **argv)
{
    config cfg;
    const char *rest[64];
    int n = 64;
    if (sodium_init() < 0) {
        fprintf(stderr, "anju: libsodium failed to start\n");
        return 1;
    }
    if (argc < 2) {
        main_usage();
        return 2;
    }
    if (config_load(&cfg, argc - 1, argv + 1, rest, &n)) return 2;
    const char *cmd = n > 0 ? rest[0] : "";
    if (strcmp(cmd, "serve") == 0 && n == 1) return main_serve(&cfg);
    if (strcmp(cmd, "migrate") == 0 && n == 1) {
        db *c = main_open(&cfg, 1);
        if (!c) return 1;
        printf("schema version %d\n", db_schema_version(c));
        db_close(c);
        return 0;
    }
    if (strcmp(cmd, "demo") == 0) return main_demo(&cfg, rest, n);
    if (strcmp(cmd, "user") == 0) return main_user(&cfg, rest, n);
    if (strcmp(cmd, "calendar") == 0) return main_calendar(&cfg, rest, n);
    if (strcmp(cmd, "backup") == 0) return main_backup(&cfg, rest, n);
    if (strcmp(cmd, "audit") == 0) return main_audit(&cfg, rest, n);
    if (strcmp(cmd, "jobs") == 0) return main_jobs(&cfg, rest, n);
    if (strcmp(cmd, "version") == 0) {
        printf("anju %s\n", ANJU_VERSION);
        return 0;
    }
    main_usage();
    return 2;
}
