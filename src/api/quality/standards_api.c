/* api/quality/standards_api.c: HTTP face of the service-standards catalogue. */
#include "api/jv.h"
#include "api/out.h"
#include "api/quality/quality_api.h"

static json_t *standards_api_json(const standard *s)
{
    json_t *lv = json_array();
    for (int l = 1; l <= 3; l++)
        if (s->levels & (1 << l)) json_array_append_new(lv, json_integer(l));
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:b, s:I}", "id", (json_int_t)s->id,
                     "department", s->department, "code", s->code, "item", s->item, "requirement",
                     s->requirement, "method", s->method, "weight", (json_int_t)s->weight, "levels",
                     lv, "active", s->active, "version", (json_int_t)s->version);
}

static const char *const standards_api_fields[] = {"department", "code",   "item",   "requirement",
                                                   "method",     "weight", "levels", "active", NULL};

static int standards_api_input(json_t *b, standard_input *in, aj_error *err)
{
    *in = (standard_input){0};
    if (jv_only(b, standards_api_fields, err) ||
        jv_str(b, "department", 0, 40, &in->department, err) ||
        jv_str(b, "code", 0, 40, &in->code, err) || jv_str(b, "item", 0, 200, &in->item, err) ||
        jv_str(b, "requirement", 0, 2000, &in->requirement, err) ||
        jv_str(b, "method", 0, 2000, &in->method, err) ||
        jv_int(b, "weight", 0, 1, 100, &in->weight, &in->has_weight, err) ||
        jv_bool(b, "active", 0, &in->active, &in->has_active, err))
        return err->rc;
    json_t *lv = json_object_get(b, "levels");
    if (lv) {
        size_t i;
        json_t *v;
        if (!json_is_array(lv) || !json_array_size(lv))
            return aj_fail(err, AJ_EINVAL, "levels", "levels 须为非空数组，元素为 1、2 或 3");
        json_array_foreach(lv, i, v)
        {
            json_int_t l = json_is_integer(v) ? json_integer_value(v) : 0;
            if (l < 1 || l > 3) return aj_fail(err, AJ_EINVAL, "levels", "levels 的元素须为 1、2 或 3");
            in->levels |= 1 << l;
        }
        in->has_levels = 1;
    }
    return 0;
}

static json_t *standards_api_array(const standard *items, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, standards_api_json(&items[i]));
    return arr;
}

/* GET /standards?department=&level=&active=&q= */
void api_standards_list(req *r)
{
    standard_filter f = {.active = -1};
    int64_t level = 0;
    standard *items;
    size_t n;
    if (!req_staff_or_reply(r) || !req_query_text_or_reply(r, "department", &f.department) ||
        !req_query_int_or_reply(r, "level", 1, 3, &level, NULL) ||
        !out_active_or_reply(r, &f.active) || !req_query_text_or_reply(r, "q", &f.q))
        return;
    f.level = (int)level;
    if (standard_list(r->db, &r->who, &f, &r->a, &items, &n, &r->err)) return reply_error(r);
    reply_json(r, 200, json_pack("{s:o}", "items", standards_api_array(items, n)));
}

void api_standards_create(req *r)
{
    json_t *b;
    standard_input in;
    standard s;
    if (!(b = req_json_or_reply(r))) return;
    if (standards_api_input(b, &in, &r->err) ||
        standard_create(r->db, &r->who, &in, &r->a, &s, &r->err))
        return reply_error(r);
    reply_json(r, 201, standards_api_json(&s));
}

void api_standards_get(req *r)
{
    int64_t id;
    standard s;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (standard_get(r->db, &r->who, id, &r->a, &s, &r->err)) return reply_error(r);
    reply_json(r, 200, standards_api_json(&s));
}

void api_standards_update(req *r)
{
    int64_t id;
    json_t *b;
    standard_input in;
    standard s;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (standards_api_input(b, &in, &r->err) ||
        standard_update(r->db, &r->who, id, &in, &r->a, &s, &r->err))
        return reply_error(r);
    reply_json(r, 200, standards_api_json(&s));
}

/* GET /public/projects/{code}/standards: no login; what the project promises, by department. */
void api_public_standards(req *r)
{
    standard *items;
    size_t n;
    int level = 0;
    const char *name = NULL;
    if (standard_public(r->db, req_param(r, "code"), &r->a, &items, &n, &level, &name, &r->err))
        return reply_error(r);
    reply_json(r, 200, json_pack("{s:s, s:s, s:i, s:o}", "project_code", req_param(r, "code"),
                                 "project_name", name, "service_level", level, "items",
                                 standards_api_array(items, n)));
    reply_header(r, "Cache-Control", "public, max-age=300");
}
