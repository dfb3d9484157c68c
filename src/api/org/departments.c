/* api/org/departments.c: HTTP face of departments (部门). */
#include "api/org/org_api.h"
#include "api/jv.h"
#include "api/out.h"

json_t *api_departments_json(const department *d)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:b, s:o, s:o}", "id", (json_int_t)d->id, "name",
                          d->name, "function", d->function, "active", d->active, "created_at",
                          out_time(d->created_at, CLOCK_TZ_DEFAULT), "updated_at",
                          out_time(d->updated_at, CLOCK_TZ_DEFAULT));
    json_object_set_new(o, "parent_id", d->parent_id ? json_integer(d->parent_id) : json_null());
    return o;
}

int api_department_ref(json_t *b, const char *key, int64_t *id, int *present, aj_error *err)
{
    json_t *v = json_object_get(b, key);
    *id = 0;
    *present = v != NULL;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return aj_fail(err, AJ_EINVAL, key, "%s 必须是部门编号或 null", key);
    *id = json_integer_value(v);
    return 0;
}

static const char *const departments_fields[] = {"name", "function", "parent_id", "active", NULL};

static int departments_input(json_t *b, department_input *in, aj_error *err)
{
    *in = (department_input){0};
    if (jv_only(b, departments_fields, err) || jv_str(b, "name", 0, 50, &in->name, err) ||
        jv_str(b, "function", 0, 20, &in->function, err) ||
        api_department_ref(b, "parent_id", &in->parent_id, &in->has_parent, err) ||
        jv_bool(b, "active", 0, &in->active, &in->has_active, err))
        return err->rc;
    return 0;
}

void api_departments_list(req *r)
{
    page_req pg;
    department_filter f = {0};
    department *items;
    size_t n;
    int more;
    int64_t total = 0;
    if (!req_query_text_or_reply(r, "function", &f.function) || !out_page_or_reply(r, &pg) ||
        !out_active_or_reply(r, &f.active))
        return;
    if (department_list(r->db, &r->who, &f, &pg, &r->a, &items, &n, &more, &total, &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, api_departments_json(&items[i]));
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, total);
}

void api_departments_create(req *r)
{
    json_t *b;
    department_input in;
    department d;
    if (!(b = req_json_or_reply(r))) return;
    if (departments_input(b, &in, &r->err) ||
        department_create(r->db, &r->who, &in, &r->a, &d, &r->err))
        return reply_error(r);
    reply_json(r, 201, api_departments_json(&d));
}

void api_departments_update(req *r)
{
    int64_t id;
    json_t *b;
    department_input in;
    department d;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (departments_input(b, &in, &r->err) ||
        department_update(r->db, &r->who, id, &in, &r->a, &d, &r->err))
        return reply_error(r);
    reply_json(r, 200, api_departments_json(&d));
}
