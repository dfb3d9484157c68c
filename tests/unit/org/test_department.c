/* tests/unit/org/test_department.c: how a staff member's department text finds its record
 * (exact name, old short word, the one department of the word's function) and
 * department_function_of, the helper rules read instead of a spelling. Both backends. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
