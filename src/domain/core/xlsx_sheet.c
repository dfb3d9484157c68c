/* domain/core/xlsx_sheet.c: the exports' sheet writer (see xlsx_sheet.h).
 *
 * Constant-memory mode writes each row to the file as soon as the next one
 * starts, so a sheet of 100,000 rows costs one row in memory; cells of a row
 * must therefore be written left to right within it, which every export does. */
#include "domain/core/xlsx_sheet.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

static void xlsx_sheet_keep(xlsx_sheet *s, lxw_error e)
{
    if (e && !s->rc) s->rc = (int)e;
}

/* data_dir/tmp, made when missing. */
static int xlsx_sheet_tmpdir(const char *data_dir, char *dir, size_t n, aj_error *err)
{
    if (snprintf(dir, n, "%s/tmp", data_dir) >= (int)n)
        return aj_fail(err, AJ_EDB, NULL, "数据目录路径过长");
    if ((mkdir(data_dir, 0750) && errno != EEXIST) || (mkdir(dir, 0700) && errno != EEXIST))
        return aj_fail(err, AJ_EDB, NULL, "无法创建临时目录");
    return 0;
}

/* A new worksheet with its header row frozen in view; nonzero when it cannot be made. */
static int xlsx_sheet_start(xlsx_sheet *s, const char *name, const xlsx_col *cols, int ncols)
{
    lxw_worksheet *ws = workbook_add_worksheet(s->wb, name);
    if (!ws) return 1;
    s->ws = ws;
    s->ncols = ncols;
    for (int i = 0; i < ncols; i++) {
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].width, NULL);
        xlsx_sheet_keep(s, worksheet_write_string(ws, 0, (lxw_col_t)i, cols[i].title, s->head));
    }
    worksheet_freeze_panes(ws, 1, 0);
    s->row = 1;
    return s->rc;
}

static void xlsx_sheet_filter(xlsx_sheet *s)
{
    if (s->row > 1) worksheet_autofilter(s->ws, 0, 0, s->row - 1, (lxw_col_t)(s->ncols - 1));
}

int xlsx_sheet_add(xlsx_sheet *s, const char *name, const xlsx_col *cols, int ncols, aj_error *err)
{
    if (xlsx_sheet_check(s, err)) return err->rc;
    xlsx_sheet_filter(s);
    if (xlsx_sheet_start(s, name, cols, ncols)) return aj_fail(err, AJ_EDB, NULL, "无法创建导出文件");
    return 0;
}

int xlsx_sheet_open(xlsx_sheet *s, const char *data_dir, const char *name, const xlsx_col *cols,
                    int ncols, arena *a, aj_error *err)
{
    char dir[PATH_MAX - 32];
    memset(s, 0, sizeof *s);
    if (xlsx_sheet_tmpdir(data_dir, dir, sizeof dir, err)) return err->rc;
    char *file = arena_printf(a, "%s/export-XXXXXX.xlsx", dir);
    int fd = mkstemps(file, 5);
    if (fd < 0) return aj_fail(err, AJ_EDB, NULL, "无法创建导出文件");
    close(fd);
    s->path = file;
    lxw_workbook_options opt = {.constant_memory = 1, .tmpdir = dir, .use_zip64 = 0};
    lxw_workbook *wb = workbook_new_opt(file, &opt);
    if (!(s->wb = wb)) {
        unlink(file);
        return aj_fail(err, AJ_EDB, NULL, "无法创建导出文件");
    }
    s->head = workbook_add_format(wb);
    s->when = workbook_add_format(wb);
    s->day = workbook_add_format(wb);
    if (!s->head || !s->when || !s->day) {
        xlsx_sheet_abort(s);
        return aj_fail(err, AJ_EDB, NULL, "无法创建导出文件");
    }
    format_set_bold(s->head);
    format_set_bg_color(s->head, 0xDDEBF7);
    format_set_num_format(s->when, "yyyy-mm-dd hh:mm");
    format_set_num_format(s->day, "yyyy-mm-dd");
    if (xlsx_sheet_start(s, name, cols, ncols)) {
        xlsx_sheet_abort(s);
        return aj_fail(err, AJ_EDB, NULL, "无法创建导出文件");
    }
    return 0;
}

void xlsx_sheet_str(xlsx_sheet *s, int col, const char *v)
{
    if (v && *v) xlsx_sheet_keep(s, worksheet_write_string(s->ws, s->row, (lxw_col_t)col, v, NULL));
}

void xlsx_sheet_num(xlsx_sheet *s, int col, double v)
{
    xlsx_sheet_keep(s, worksheet_write_number(s->ws, s->row, (lxw_col_t)col, v, NULL));
}

/* A time as an Excel serial in the given zone: sorts and filters as a date. */
void xlsx_sheet_time(xlsx_sheet *s, int col, int64_t t, int offset)
{
    if (!t) return;
    double serial = (double)(t + offset) / 86400.0 + 25569.0;
    xlsx_sheet_keep(s, worksheet_write_number(s->ws, s->row, (lxw_col_t)col, serial, s->when));
}

void xlsx_sheet_day(xlsx_sheet *s, int col, const char *ymd)
{
    int y, m, d;
    char tail;
    if (!ymd || sscanf(ymd, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return xlsx_sheet_str(s, col, ymd);
    lxw_datetime dt = {.year = y, .month = m, .day = d};
    xlsx_sheet_keep(s, worksheet_write_datetime(s->ws, s->row, (lxw_col_t)col, &dt, s->day));
}

void xlsx_sheet_next(xlsx_sheet *s) { s->row++; }

int xlsx_sheet_check(const xlsx_sheet *s, aj_error *err)
{
    if (!s->rc) return 0;
    return aj_fail(err, AJ_EDB, NULL, "导出文件写入失败：%s", lxw_strerror((lxw_error)s->rc));
}

int xlsx_sheet_close(xlsx_sheet *s, aj_error *err)
{
    if (xlsx_sheet_check(s, err)) {
        xlsx_sheet_abort(s);
        return err->rc;
    }
    xlsx_sheet_filter(s);
    lxw_error e = workbook_close(s->wb);
    s->wb = NULL;
    if (e) {
        unlink(s->path);
        return aj_fail(err, AJ_EDB, NULL, "导出文件写入失败：%s", lxw_strerror(e));
    }
    return 0;
}

void xlsx_sheet_abort(xlsx_sheet *s)
{
    if (s->wb) workbook_close(s->wb);
    s->wb = NULL;
    if (s->path) unlink(s->path);
}
