/* domain/assets/equipment_sql.h: what the rooms of the equipment book share (equipment.c,
 * equipment_downtime.c, equipment_stats.c, equipment_history.c, equipment_labels.c);
 * not for other contexts. */
#ifndef AJ_EQUIPMENT_SQL_H
#define AJ_EQUIPMENT_SQL_H
#include "domain/assets/assets.h"

/* Read by equipment_read in this order. */
#define EQUIPMENT_COLS                                                                         \
    "e.id, e.project_id, e.code, e.name, e.class, e.location, COALESCE(e.building_id, 0),"     \
    " e.model, e.maker, e.serial, e.installed_on, e.warranty_until, e.vendor, e.criticality,"  \
    " e.status, e.qr_token, COALESCE(e.retired_at, 0), e.created_at, e.updated_at,"            \
    " (SELECT pz.timezone FROM projects pz WHERE pz.id = e.project_id)"

void equipment_read(db_rows *r, arena *a, equipment *e);
/* 0 when who may see the project's equipment: staff of it, or company-wide;
 * AJ_ENOTFOUND for anyone else (residents included). */
int equipment_scope(db *c, const actor *who, int64_t project_id, aj_error *err);
/* Who may change the book: admin, manager or technician (工程); AJ_EFORBIDDEN. */
int equipment_writer(const actor *who, aj_error *err);
/* equipment_scope, then equipment_writer. */
int equipment_scope_write(db *c, const actor *who, int64_t project_id, aj_error *err);
/* The row alone, for a writer inside its transaction (no scope check). */
int equipment_load(db *c, int64_t id, arena *a, equipment *out, aj_error *err);

#endif
