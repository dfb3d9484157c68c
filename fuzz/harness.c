/* fuzz/harness.c: the server under test, in process, and a tiny HTTP client. */
#include "harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/api.h"
#include "base/config.h"
#include "base/log.h"
#include "db/db.h"
#include "domain/assets/assets.h"
#include "domain/org/org.h"
#include "domain/identity/identity.h"
#include "domain/voice/voice.h"
#include "http/server.h"

static config harness_cfg;
static char harness_listen[64];
static char harness_dburl[256];
static char harness_token[SESSION_TOKEN_LEN];
static char harness_survey[64]; /* the open survey's one invitation link */
static int harness_port;
static int harness_fd = -1;

static int harness_free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    bind(s, (struct sockaddr *)&sa, sizeof sa);
    getsockname(s, (struct sockaddr *)&sa, &len);
    close(s);
    return ntohs(sa.sin_port);
}

/* Fixtures the routes can point at: project 1 with a building, a room, a resident,
 * a piece of equipment (its labels render for /equipment/labels.pdf). */
static void harness_fixtures(db *c)
{
    aj_error err = {0};
    arena a;
    arena_init(&a, 4096);
    actor sys = {.id = 0, .role = ROLE_ADMIN, .ip = "", .request_id = "fuzz"};
    staff st;
    staff_input si = {.username = "admin", .password = "fuzz-admin-pw", .name = "admin",
                      .role = "admin", .department = "管理"};
    project p;
    project_input pi = {.code = "FUZZ", .name = "模糊测试"};
    building b;
    building_input bi = {.name = "1栋", .floors = 10, .has_floors = 1};
    room rm;
    room_input ri = {.building_id = 1, .has_building_id = 1, .unit = "1单元", .number = "101",
                     .floor = 1, .has_floor = 1};
    int64_t rooms[1] = {1};
    resident rs;
    equipment eq;
    equipment_input ei = {.project_id = 1, .has_project = 1, .code = "DT-01", .name = "1号客梯",
                          .cls = "elevator", .location = "1栋大堂", .has_location = 1};
    resident_input rsi = {.name = "张三", .phone = "13800001111", .kind = "owner",
                          .room_ids = rooms, .nrooms = 1, .has_rooms = 1};
    if (staff_create(c, &sys, &si, &a, &st, &err) || project_create(c, &sys, &pi, &a, &p, &err) ||
        building_create(c, &sys, p.id, &bi, &a, &b, &err) ||
        room_create(c, &sys, p.id, &ri, &a, &rm, &err) ||
        resident_create(c, &sys, p.id, &rsi, &a, &rs, &err) ||
        equipment_create(c, &sys, &ei, &a, &eq, &err)) {
        fprintf(stderr, "fuzz fixtures: %s (%s)\n", err.message, err.field);
        abort();
    }
    /* survey 1, open: the room's invitation link answers (fuzz_survey) */
    survey sv;
    survey_link *links;
    size_t nlinks;
    survey_input svi = {.project_id = p.id, .title = "满意度调查"};
    if (survey_create(c, &sys, &svi, &a, &sv, &err) || survey_open(c, &sys, sv.id, &a, &sv, &err) ||
        survey_links(c, &sys, sv.id, &a, &links, &nlinks, &err) || nlinks != 1) {
        fprintf(stderr, "fuzz fixtures: %s (%s)\n", err.message, err.field);
        abort();
    }
    snprintf(harness_survey, sizeof harness_survey, "%s", links[0].token);
    session_new s;
    if (session_login(c, "admin", "fuzz-admin-pw", "127.0.0.1", &s, &err)) abort();
    memcpy(harness_token, s.token, sizeof harness_token);
    arena_free(&a);
}

const char *harness_init(void)
{
    if (harness_port) return harness_token;
    if (sodium_init() < 0) abort();
    /* static: the config keeps pointing at it as data_dir (S2: was on the stack) */
    static char dir[] = "/tmp/anju-fuzz-XXXXXX";
    if (!mkdtemp(dir)) abort();
    snprintf(harness_dburl, sizeof harness_dburl, "sqlite:%s/fuzz.db", dir);
    aj_error err = {0};
    db *c = db_open(harness_dburl, &err);
    if (!c || db_migrate(c, &err)) abort();
    harness_fixtures(c);
    db_close(c);
    harness_port = harness_free_port();
    snprintf(harness_listen, sizeof harness_listen, "127.0.0.1:%d", harness_port);
    harness_cfg = (config){.db_url = harness_dburl, .listen = harness_listen, .data_dir = dir,
                           .web_dir = "web/dist", .sms_driver = "log", .threads = 1, .quiet = 1};
    log_set_quiet(1);
    /* one-time codes to the (quiet) log, as a developer's server: the code path runs */
    aj_error serr = {0};
    if (sms_configure(&(sms_config){.driver = "log"}, &serr)) abort();
    int nroutes;
    const route *routes = api_routes(&nroutes);
    router_use(routes, nroutes);
    if (!server_start(&harness_cfg)) abort();
    return harness_token;
}

const char *harness_survey_token(void) { return harness_survey; }

static int harness_connect(void)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)harness_port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    /* The server closes after some answers (413, 415, framing errors), so the harness
     * reconnects often: the client side resets instead of lingering in TIME_WAIT (a busy
     * machine ran out of local ports), and a connect that fails for want of a port is
     * retried. A server that is gone still aborts after a second of retries. */
    for (int attempt = 0; attempt < 100; attempt++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) abort();
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            return fd;
        }
        close(fd);
        usleep(10000);
    }
    abort();
}

static int harness_write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads one response; returns its status, or -1 if the connection closed. */
static int harness_read_response(int fd, int *closes)
{
    static char buf[1 << 20];
    size_t len = 0;
    char *end = NULL;
    while (!end) {
        if (len >= sizeof buf - 1) abort();
        ssize_t r = read(fd, buf + len, sizeof buf - 1 - len);
        if (r <= 0) return -1;
        len += (size_t)r;
        buf[len] = 0;
        end = strstr(buf, "\r\n\r\n");
    }
    int status = 0;
    if (sscanf(buf, "HTTP/1.1 %d", &status) != 1) abort();
    const char *cl = strcasestr(buf, "\r\nContent-Length:");
    size_t body = cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0;
    *closes = strcasestr(buf, "\r\nConnection: close") != NULL;
    size_t have = len - (size_t)(end + 4 - buf);
    while (have < body) {
        char tmp[65536];
        size_t want = body - have < sizeof tmp ? body - have : sizeof tmp;
        ssize_t r = read(fd, tmp, want);
        if (r <= 0) return -1;
        have += (size_t)r;
    }
    return status;
}

int harness_request(const char *method, const char *target, const char *body, size_t len)
{
    char head[4096];
    int n = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer %s\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                     method, target, harness_token, len);
    if (n <= 0 || (size_t)n >= sizeof head) return 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (harness_fd < 0) harness_fd = harness_connect();
        int closes = 0, status = -1;
        if (harness_write_all(harness_fd, head, (size_t)n) == 0 &&
            harness_write_all(harness_fd, body, len) == 0)
            status = harness_read_response(harness_fd, &closes);
        if (status < 0 || closes) {
            close(harness_fd);
            harness_fd = -1;
        }
        if (status >= 0) {
            if (status >= 500 && status != 503) {
                fprintf(stderr, "server answered %d to %s %s\n", status, method, target);
                abort();
            }
            return status;
        }
    }
    fprintf(stderr, "server closed the connection on %s %s\n", method, target);
    abort();
}
