/* tests/unit/org/test_department.c: how a staff member's department text finds its record
 * (exact name, old short word, the one department of the word's function) and
 * department_function_of, the helper rules read instead of a spelling; on PostgreSQL, a
 * deactivation racing a member joining. Both backends. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dbtest.h"
#include "domain/org/org.h"

static char dir[64];

static void setup(void)
{
    cr_assert_geq(sodium_init(), 0);
    snprintf(dir, sizeof dir, "/tmp/anju-dept-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    audit_key_dir(dir);
}

static int64_t resolve(db *c, const char *text, const char **name, aj_error *err)
{
    arena a;
    int64_t id = 0;
    static char copy[64];
    arena_init(&a, 1024);
    int rc = department_resolve(c, text, "department", &a, &id, name, err);
    if (!rc) {
        snprintf(copy, sizeof copy, "%s", *name);
        *name = copy;
    }
    arena_free(&a);
    return rc ? -rc : id;
}

static int64_t named(db *c, const char *name)
{
    aj_error err = {0};
    int64_t id = 0;
    cr_assert_eq(db_scalar(c, "SELECT id FROM departments WHERE name = $1 AND active = 1",
                           DB_ARGS(DB_TEXT(name)), &id, &err),
                 0, "%s: %s", name, err.message);
    return id;
}

static void words(db_kind k)
{
    db *c = dbtest_open(k);
    actor sys = actor_system("test");
    aj_error err = {0};
    const char *name = NULL;
    arena a;
    arena_init(&a, 4096);
    cr_assert_eq(resolve(c, "工程部", &name, &err), named(c, "工程部"));
    cr_assert_eq(resolve(c, "工程", &name, &err), named(c, "工程部"));
    cr_assert_str_eq(name, "工程部");
    cr_assert_eq(resolve(c, "管理", &name, &err), named(c, "管理处"));
    cr_assert_eq(resolve(c, "财务", &name, &err), -AJ_EINVAL);
    cr_assert_str_eq(err.field, "department");
    /* 秩序部 renamed 安保部: the old word still finds the one security department */
    int64_t sec = named(c, "秩序部");
    department d;
    department_input ren = {.name = "安保部"};
    cr_assert_eq(department_update(c, &sys, sec, &ren, &a, &d, &err), 0, "%s", err.message);
    cr_assert_eq(resolve(c, "秩序", &name, &err), sec);
    cr_assert_str_eq(name, "安保部");
    /* with a second security department the word no longer says which */
    department_input more = {.name = "护卫队", .function = "security"};
    cr_assert_eq(department_create(c, &sys, &more, &a, &d, &err), 0, "%s", err.message);
    err = (aj_error){0};
    cr_assert_eq(resolve(c, "秩序", &name, &err), -AJ_EINVAL);
    cr_assert_str_eq(err.field, "department");
    cr_assert_eq(resolve(c, "护卫队", &name, &err), d.id);
    arena_free(&a);
    dbtest_close(c);
}
Test(department, old_words_and_names, .init = setup) { words(DB_SQLITE); }
Test(department, old_words_and_names_pg, .init = setup) { words(DB_PG); }

static void function_of(db_kind k)
{
    db *c = dbtest_open(k);
    actor sys = actor_system("test");
    aj_error err = {0};
    arena a;
    arena_init(&a, 4096);
    int64_t eng = named(c, "工程部"), in = 0, out = 0;
    cr_assert_eq(db_scalar(c,
                           "INSERT INTO users (username, role, name, department, department_id,"
                           " created_at, updated_at) VALUES ('t1', 'technician', 't1', '工程部',"
                           " $1, 0, 0) RETURNING id",
                           DB_ARGS(DB_INT(eng)), &in, &err),
                 0, "%s", err.message);
    cr_assert_eq(db_scalar(c,
                           "INSERT INTO users (username, role, name, created_at, updated_at)"
                           " VALUES ('t2', 'technician', 't2', 0, 0) RETURNING id",
                           DB_NOARGS, &out, &err),
                 0, "%s", err.message);
    const char *fn = "unset";
    cr_assert_eq(department_function_of(c, in, &a, &fn, &err), 0, "%s", err.message);
    cr_assert_str_eq(fn, "engineering");
    cr_assert_eq(department_function_of(c, out, &a, &fn, &err), 0, "%s", err.message);
    cr_assert_null(fn);
    cr_assert_eq(department_function_of(c, 999999, &a, &fn, &err), 0, "%s", err.message);
    cr_assert_null(fn);
    /* the function follows the record, whatever the department is called */
    department d;
    department_input ch = {.name = "设备部", .function = "engineering"};
    cr_assert_eq(department_update(c, &sys, eng, &ch, &a, &d, &err), 0, "%s", err.message);
    cr_assert_eq(department_function_of(c, in, &a, &fn, &err), 0, "%s", err.message);
    cr_assert_str_eq(fn, "engineering");
    ch = (department_input){.function = "security"};
    cr_assert_eq(department_update(c, &sys, eng, &ch, &a, &d, &err), 0, "%s", err.message);
    cr_assert_eq(department_function_of(c, in, &a, &fn, &err), 0, "%s", err.message);
    cr_assert_str_eq(fn, "security");
    arena_free(&a);
    dbtest_close(c);
}
Test(department, function_of, .init = setup) { function_of(DB_SQLITE); }
Test(department, function_of_pg, .init = setup) { function_of(DB_PG); }

/* ---- a deactivation racing a new member (PostgreSQL: two connections) ---- */

typedef struct race {
    db *c;
    int64_t dept;
    int done, rc;
    char field[32];
} race;

static void *race_deactivate(void *p)
{
    race *x = p;
    actor sys = actor_system("test");
    aj_error err = {0};
    arena a;
    department d;
    arena_init(&a, 1024);
    department_input off = {.active = 0, .has_active = 1};
    x->rc = department_update(x->c, &sys, x->dept, &off, &a, &d, &err);
    snprintf(x->field, sizeof x->field, "%s", err.field);
    arena_free(&a);
    __atomic_store_n(&x->done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void *race_join(void *p)
{
    race *x = p;
    aj_error err = {0};
    arena a;
    const char *name;
    arena_init(&a, 1024);
    x->rc = db_begin(x->c, &err);
    if (!x->rc) {
        x->rc = department_hold(x->c, x->dept, 0, "department_id", &a, &name, &err);
        db_rollback(x->c);
    }
    snprintf(x->field, sizeof x->field, "%s", err.field);
    arena_free(&a);
    __atomic_store_n(&x->done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

/* A second connection to c's database. */
static db *second(db *c)
{
    aj_error err = {0};
    char url[512];
    db_rows *r = db_query(c, "SELECT current_database()", DB_NOARGS, &err);
    cr_assert_not_null(r, "%s", err.message);
    cr_assert(db_next(r));
    const char *pg = getenv("ANJU_TEST_PG"), *slash = strrchr(pg, '/');
    snprintf(url, sizeof url, "%.*s/%s", (int)(slash - pg), pg, db_text(r, 0));
    db_end(r, &err);
    db *c2 = db_open(url, &err);
    cr_assert_not_null(c2, "%s", err.message);
    return c2;
}

Test(department, deactivation_waits_for_a_member_joining_pg, .init = setup)
{
    db *c = dbtest_open(DB_PG);
    db *c2 = second(c);
    actor sys = actor_system("test");
    aj_error err = {0};
    arena a;
    arena_init(&a, 4096);
    department d;
    department_input in = {.name = "安保部", .function = "security"};
    cr_assert_eq(department_create(c, &sys, &in, &a, &d, &err), 0, "%s", err.message);
    const char *name;
    int64_t uid;
    /* the member joins first and commits while the deactivation waits */
    cr_assert_eq(db_begin(c, &err), 0);
    cr_assert_eq(department_hold(c, d.id, 0, "department_id", &a, &name, &err), 0, "%s", err.message);
    cr_assert_eq(db_scalar(c,
                           "INSERT INTO users (username, role, name, department, department_id,"
                           " created_at, updated_at) VALUES ('g1', 'guard', 'g1', $1, $2, 0, 0)"
                           " RETURNING id",
                           DB_ARGS(DB_TEXT(name), DB_INT(d.id)), &uid, &err),
                 0, "%s", err.message);
    race x = {.c = c2, .dept = d.id};
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, race_deactivate, &x), 0);
    usleep(300 * 1000);
    cr_assert_eq(__atomic_load_n(&x.done, __ATOMIC_SEQ_CST), 0, "the deactivation did not wait");
    cr_assert_eq(db_commit(c, &err), 0, "%s", err.message);
    pthread_join(th, NULL);
    cr_assert_eq(x.rc, AJ_EINVAL);
    cr_assert_str_eq(x.field, "active");
    /* a deactivation in flight first: the joining member waits, then finds it gone */
    cr_assert_eq(db_exec(c, "UPDATE users SET active = 0 WHERE id = $1", DB_ARGS(DB_INT(uid)), &err), 1);
    cr_assert_eq(db_begin(c, &err), 0);
    cr_assert_eq(db_exec(c, "UPDATE departments SET active = 0 WHERE id = $1", DB_ARGS(DB_INT(d.id)), &err), 1);
    race y = {.c = c2, .dept = d.id};
    cr_assert_eq(pthread_create(&th, NULL, race_join, &y), 0);
    usleep(300 * 1000);
    cr_assert_eq(__atomic_load_n(&y.done, __ATOMIC_SEQ_CST), 0, "the member did not wait");
    cr_assert_eq(db_commit(c, &err), 0, "%s", err.message);
    pthread_join(th, NULL);
    cr_assert_eq(y.rc, AJ_EINVAL);
    cr_assert_str_eq(y.field, "department_id");
    arena_free(&a);
    db_close(c2);
    dbtest_close(c);
}
