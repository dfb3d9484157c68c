/* domain/assets/equipment_export.c: the equipment book as an .xlsx sheet (台账导出).
 *
 * The columns are the ones the console's Excel import reads, under the same
 * Chinese headers and with the same words for class, criticality and status,
 * so an exported book can be edited and imported back. Rows come from
 * equipment_list page by page (the same filters and scope as the list); each
 * page's building and project names are read in one query each over the
 * page's id range. */
#include <string.h>

#include "domain/assets/equipment_sql.h"

#define EE_PAGE 200

enum {
    EE_CODE, EE_NAME, EE_CLASS, EE_CRIT, EE_STATUS, EE_BUILDING, EE_LOCATION, EE_MODEL,
    EE_MAKER, EE_SERIAL, EE_INSTALLED, EE_WARRANTY, EE_VENDOR, EE_PROJECT, EE_NCOLS
};

static const xlsx_col ee_cols[EE_NCOLS] = {
    [EE_CODE] = {"编号", 14},     [EE_NAME] = {"名称", 24},       [EE_CLASS] = {"类别", 9},
    [EE_CRIT] = {"重要程度", 9},  [EE_STATUS] = {"状态", 7},      [EE_BUILDING] = {"楼栋", 10},
    [EE_LOCATION] = {"位置", 20}, [EE_MODEL] = {"型号", 14},      [EE_MAKER] = {"厂家", 16},
    [EE_SERIAL] = {"出厂编号", 16}, [EE_INSTALLED] = {"安装日期", 11},
    [EE_WARRANTY] = {"保修截止", 11}, [EE_VENDOR] = {"维保单位", 18}, [EE_PROJECT] = {"项目", 16},
};

/* In the order of equipment_classes, equipment_criticalities, equipment_statuses. */
static const char *const ee_class_words[] = {"电梯", "消防", "给排水", "供配电", "暖通空调",
                                             "照明", "门禁", "监控",   "其他"};
static const char *const ee_crit_words[] = {"重要设备", "一般"};
static const char *const ee_status_words[] = {"在用", "停机", "报废"};

static const char *equipment_export_word(const char *v, const char *const *keys,
                                         const char *const *words)
{
    for (size_t i = 0; v && keys[i]; i++)
        if (!strcmp(v, keys[i])) return words[i];
    return v;
}

typedef struct ee_names {
    int64_t *id;
    const char **name;
    size_t n;
} ee_names;

static const char *equipment_export_name(const ee_names *m, int64_t id)
{
    for (size_t i = 0; id && i < m->n; i++)
        if (m->id[i] == id) return m->name[i];
    return NULL;
}

/* The names of the buildings (or projects) of the equipment with ids from..to. */
static int equipment_export_names(db *c, const char *sql, int64_t from, int64_t to, arena *a,
                                  ee_names *out, aj_error *err)
{
    size_t cap = 16;
    *out = (ee_names){arena_alloc(a, cap * sizeof(int64_t)), arena_alloc(a, cap * sizeof(char *)), 0};
    db_rows *r = db_query(c, sql, DB_ARGS(DB_INT(from), DB_INT(to)), err);
    if (!r) return err->rc;
    while (db_next(r)) {
        if (out->n == cap) {
            int64_t *id = arena_alloc(a, 2 * cap * sizeof(int64_t));
            const char **name = arena_alloc(a, 2 * cap * sizeof(char *));
            memcpy(id, out->id, cap * sizeof(int64_t));
            memcpy(name, out->name, cap * sizeof(char *));
            *out = (ee_names){id, name, out->n};
            cap *= 2;
        }
        out->id[out->n] = db_int(r, 0);
        out->name[out->n++] = arena_strdup(a, db_text(r, 1));
    }
    return db_end(r, err);
}

static void equipment_export_write(xlsx_sheet *s, const equipment *e, const ee_names *buildings,
                                   const ee_names *projects)
{
    xlsx_sheet_str(s, EE_CODE, e->code);
    xlsx_sheet_str(s, EE_NAME, e->name);
    xlsx_sheet_str(s, EE_CLASS, equipment_export_word(e->cls, equipment_classes, ee_class_words));
    xlsx_sheet_str(s, EE_CRIT,
                   equipment_export_word(e->criticality, equipment_criticalities, ee_crit_words));
    xlsx_sheet_str(s, EE_STATUS,
                   equipment_export_word(e->status, equipment_statuses, ee_status_words));
    xlsx_sheet_str(s, EE_BUILDING, equipment_export_name(buildings, e->building_id));
    xlsx_sheet_str(s, EE_LOCATION, e->location);
    xlsx_sheet_str(s, EE_MODEL, e->model);
    xlsx_sheet_str(s, EE_MAKER, e->maker);
    xlsx_sheet_str(s, EE_SERIAL, e->serial);
    xlsx_sheet_day(s, EE_INSTALLED, e->installed_on);
    xlsx_sheet_day(s, EE_WARRANTY, e->warranty_until);
    xlsx_sheet_str(s, EE_VENDOR, e->vendor);
    xlsx_sheet_str(s, EE_PROJECT, equipment_export_name(projects, e->project_id));
    xlsx_sheet_next(s);
}

int equipment_export(db *c, const actor *who, const equipment_filter *f, const char *data_dir,
                     int64_t max_rows, arena *a, const char **path, int64_t *rows, aj_error *err)
{
    static const char sql_buildings[] =
        "SELECT b.id, b.name FROM buildings b WHERE b.id IN (SELECT building_id FROM equipment"
        " WHERE id BETWEEN $1 AND $2 AND building_id IS NOT NULL)";
    static const char sql_projects[] =
        "SELECT p.id, p.name FROM projects p WHERE p.id IN (SELECT project_id FROM equipment"
        " WHERE id BETWEEN $1 AND $2)";
    *path = NULL;
    *rows = 0;
    arena page;
    arena_init(&page, 1 << 16);
    page_req pg = {.after = 0, .limit = EE_PAGE, .want_total = 1};
    equipment *items;
    size_t n;
    int more;
    int64_t total = 0;
    xlsx_sheet s;
    /* The first page, with the count: too many rows is refused before a byte is written. */
    if (equipment_list(c, who, f, &pg, &page, &items, &n, &more, &total, err)) goto fail_page;
    if (total > max_rows) {
        aj_fail(err, AJ_EINVAL, NULL, "符合条件的设备有 %lld 台，超过导出上限 %lld 台，请缩小筛选范围",
                (long long)total, (long long)max_rows);
        goto fail_page;
    }
    if (xlsx_sheet_open(&s, data_dir, "设备台账", ee_cols, EE_NCOLS, a, err)) goto fail_page;
    for (;;) {
        ee_names buildings = {0}, projects = {0};
        if (n && (equipment_export_names(c, sql_buildings, items[0].id, items[n - 1].id, &page,
                                         &buildings, err) ||
                  equipment_export_names(c, sql_projects, items[0].id, items[n - 1].id, &page,
                                         &projects, err)))
            goto fail_book;
        for (size_t i = 0; i < n && *rows < max_rows; i++, (*rows)++)
            equipment_export_write(&s, &items[i], &buildings, &projects);
        if (xlsx_sheet_check(&s, err)) goto fail_book;
        if (!more || *rows >= max_rows) break;
        pg = (page_req){.after = items[n - 1].id, .limit = EE_PAGE};
        arena_reset(&page);
        if (equipment_list(c, who, f, &pg, &page, &items, &n, &more, &total, err)) goto fail_book;
    }
    if (xlsx_sheet_close(&s, err)) goto fail_page;
    arena_free(&page);
    *path = s.path;
    return 0;

fail_book:
    xlsx_sheet_abort(&s);
fail_page:
    arena_free(&page);
    *rows = 0;
    return err->rc ? err->rc : AJ_EDB;
}
