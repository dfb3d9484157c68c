/* domain/assets/equipment_labels.c: the printable QR labels of equipment: the pieces to
 * print (picked or the whole book), each a label of core's sheet (label_sheet.c) with its
 * code, name, location and the QR code of its /q/e/{token} address. */
#include "domain/assets/equipment_sql.h"

#include <stdlib.h>
#include <string.h>

static int equipment_labels_by_id(const void *k, const void *e)
{
    int64_t a = *(const int64_t *)k, b = ((const equipment *)e)->id;
    return a < b ? -1 : a > b;
}

int equipment_labels_pdf(db *c, const actor *who, int64_t project_id, const int64_t *ids,
                         size_t nids, const char *base_url, arena *a, buf *out, size_t *count,
                         aj_error *err)
{
    *count = 0;
    if (equipment_scope(c, who, project_id, err)) return err->rc;
    if (nids > EQUIPMENT_LABELS_MAX)
        return aj_fail(err, AJ_EINVAL, "ids", "一次最多打印 %d 个标签", EQUIPMENT_LABELS_MAX);
    /* The project's book once (by id when picking, by code for all), then the picks. */
    db_rows *r = db_query(c,
                          ids ? "SELECT " EQUIPMENT_COLS " FROM equipment e WHERE e.project_id = $1"
                                " ORDER BY e.id"
                              : "SELECT " EQUIPMENT_COLS " FROM equipment e WHERE e.project_id = $1"
                                " AND e.status <> 'retired' ORDER BY e.code, e.id",
                          DB_ARGS(DB_INT(project_id)), err);
    if (!r) return err->rc;
    size_t cap = 64, n = 0;
    equipment *all = arena_alloc(a, cap * sizeof *all);
    while (db_next(r)) {
        all = arena_grow(a, all, n, &cap, sizeof *all);
        equipment_read(r, a, &all[n++]);
    }
    if (db_end(r, err)) return err->rc;
    const equipment *items = all;
    if (ids) {
        equipment *pick = arena_alloc(a, (nids ? nids : 1) * sizeof *pick);
        for (size_t i = 0; i < nids; i++) {
            const equipment *e = bsearch(&ids[i], all, n, sizeof *all, equipment_labels_by_id);
            if (!e)
                return aj_fail(err, AJ_EINVAL, "ids", "设备 %lld 不存在或不属于该项目",
                               (long long)ids[i]);
            pick[i] = *e;
        }
        items = pick;
        n = nids;
    }
    if (!n) return aj_fail(err, AJ_EINVAL, "ids", "没有可打印标签的设备");
    if (n > EQUIPMENT_LABELS_MAX)
        return aj_fail(err, AJ_EINVAL, "ids", "一次最多打印 %d 个标签，请用 ids 分批",
                       EQUIPMENT_LABELS_MAX);
    label_item *labels = arena_alloc(a, n * sizeof *labels);
    for (size_t i = 0; i < n; i++)
        labels[i] = (label_item){.code = items[i].code, .name = items[i].name,
                                 .place = items[i].location,
                                 .url = arena_printf(a, "%s/q/e/%s", base_url, items[i].qr_token)};
    if (label_sheet_pdf(labels, n, "设备标签", "扫码报修 · Scan to report", out, err)) return err->rc;
    *count = n;
    return 0;
}
