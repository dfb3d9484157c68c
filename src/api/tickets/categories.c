/* api/tickets/categories.c: HTTP face of the ticket category tree. */
#include <string.h>

#include "api/tickets/tickets_api.h"
#include "api/jv.h"
#include "api/out.h"
#include "domain/tickets/tickets.h"

static json_t *categories_json(const category *ct)
{
    json_t *skills = json_array();
    for (size_t i = 0; i < ct->nskills; i++) json_array_append_new(skills, json_string(ct->skills[i]));
    return json_pack("{s:I, s:o, s:s, s:s, s:o, s:i, s:b}", "id", (json_int_t)ct->id,
                     "parent_id", ct->parent_id ? json_integer(ct->parent_id) : json_null(),
                     "name", ct->name, "path", ct->path, "skills", skills, "sort", ct->sort,
                     "active", ct->active);
}

void api_categories_list(req *r)
{
    category *items;
    size_t n;
    int64_t all = 0;
    if (!req_query_int_or_reply(r, "all", 0, 1, &all, NULL)) return;
    if (category_list(r->db, (int)all, &r->a, &items, &n, &r->err)) return reply_error(r);
    /* The tree: children follow their parent in the list. */
    json_t *arr = json_array(), *parent = NULL;
    int64_t parent_id = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *o = categories_json(&items[i]);
        if (!items[i].parent_id) {
            json_object_set_new(o, "children", json_array());
            json_array_append(arr, o);
            parent = o;
            parent_id = items[i].id;
            json_decref(o);
        } else if (parent && items[i].parent_id == parent_id) {
            json_array_append_new(json_object_get(parent, "children"), o);
        } else {
            json_decref(o); /* a child of an inactive parent */
        }
    }
    reply_json(r, 200, json_pack("{s:o}", "items", arr));
}

static const char *const categories_fields[] = {"parent_id", "name", "skills", "sort", "active",
                                                NULL};

static int categories_input(req *r, json_t *b, category_input *in)
{
    aj_error *err = &r->err;
    *in = (category_input){0};
    if (jv_only(b, categories_fields, err) ||
        jv_int(b, "parent_id", 0, 1, INT64_MAX, &in->parent_id, &in->has_parent, err) ||
        jv_str(b, "name", 0, 32, &in->name, err) ||
        jv_strs(b, "skills", 0, CATEGORY_MAX_SKILLS, 32, &r->a, &in->skills, &in->nskills,
                &in->has_skills, err) ||
        jv_int(b, "sort", 0, 0, 100000, &in->sort, &in->has_sort, err) ||
        jv_bool(b, "active", 0, &in->active, &in->has_active, err))
        return err->rc;
    return 0;
}

void api_categories_create(req *r)
{
    json_t *b;
    category_input in;
    category ct;
    if (!(b = req_json_or_reply(r))) return;
    if (categories_input(r, b, &in) || category_create(r->db, &r->who, &in, &r->a, &ct, &r->err))
        return reply_error(r);
    reply_json(r, 201, categories_json(&ct));
}

void api_categories_update(req *r)
{
    int64_t id;
    json_t *b;
    category_input in;
    category ct;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (categories_input(r, b, &in) ||
        category_update(r->db, &r->who, id, &in, &r->a, &ct, &r->err))
        return reply_error(r);
    reply_json(r, 200, categories_json(&ct));
}
