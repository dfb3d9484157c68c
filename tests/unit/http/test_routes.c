/* tests/unit/test_routes.c: the route table and docs/openapi.json agree, path by
 * path and method by method, and the router matches patterns correctly. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "http/server.h"

extern const char openapi_json[];

/* The table serve installs (cli/cmd_serve.c). */
static void routes_install(void)
{
    int n;
    const route *t = api_routes(&n);
    router_use(t, n);
}

Test(routes, openapi_matches_route_table, .init = routes_install)
{
    json_error_t e;
    json_t *doc = json_loads(openapi_json, 0, &e);
    cr_assert_not_null(doc, "docs/openapi.json: %s", e.text);
    json_t *paths = json_object_get(doc, "paths");
    int n;
    const route *t = router_table(&n);
    size_t documented = 0;
    for (int i = 0; i < n; i++) {
        json_t *item = json_object_get(paths, t[i].pattern);
        cr_assert_not_null(item, "route %s %s is not in docs/openapi.json", t[i].method, t[i].pattern);
        char m[16];
        size_t k;
        for (k = 0; t[i].method[k] && k < sizeof m - 1; k++) m[k] = (char)(t[i].method[k] | 0x20);
        m[k] = 0;
        cr_assert_not_null(json_object_get(item, m), "%s %s is not in docs/openapi.json",
                           t[i].method, t[i].pattern);
    }
    const char *path;
    json_t *item;
    json_object_foreach(paths, path, item) {
        const char *method;
        json_t *op;
        json_object_foreach(item, method, op) {
            if (!strcmp(method, "parameters")) continue;
            int found = 0;
            for (int i = 0; i < n; i++)
                if (!strcmp(t[i].pattern, path) && !strcasecmp(t[i].method, method)) found = 1;
            cr_assert(found, "docs/openapi.json has %s %s, which no route serves", method, path);
            documented++;
        }
    }
    cr_assert_eq(documented, (size_t)n);
    json_decref(doc);
}

Test(routes, matching, .init = routes_install)
{
    req r;
    memset(&r, 0, sizeof r);
    arena_init(&r.a, 1024);
    int known;
    const route *rt = router_match(&r, "GET", "/api/v1/projects/42", &known);
    cr_assert_not_null(rt);
    cr_assert_str_eq(rt->pattern, "/api/v1/projects/{id}");
    cr_assert_str_eq(req_param(&r, "id"), "42");
    cr_assert_null(router_match(&r, "DELETE", "/api/v1/projects/42", &known));
    cr_assert(known);
    cr_assert_null(router_match(&r, "GET", "/api/v1/projects/42/nope", &known));
    cr_assert_not(known);
    cr_assert_null(router_match(&r, "GET", "/api/v1/projects//buildings", &known));
    cr_assert_null(router_match(&r, "GET", "/api/v1/projects/", &known));
    rt = router_match(&r, "GET", "/api/v1/projects/7/rooms", &known);
    cr_assert_not_null(rt);
    cr_assert_str_eq(req_param(&r, "id"), "7");
    arena_free(&r.a);
}
