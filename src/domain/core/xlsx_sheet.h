/* domain/core/xlsx_sheet.h: Excel sheets written row by row to a temporary file
 * (libxlsxwriter in constant-memory mode), for the exports: a bold header row that
 * stays in view, sortable dates and times, an autofilter over what was written. */
#ifndef AJ_XLSX_SHEET_H
#define AJ_XLSX_SHEET_H
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"

typedef struct xlsx_col {
    const char *title;
    double width;
} xlsx_col;

typedef struct xlsx_sheet {
    void *wb, *ws, *head, *when, *day; /* libxlsxwriter's, kept out of every includer */
    const char *path;           /* the file, under data_dir/tmp (from the open's arena) */
    uint32_t row;               /* the next row to write (0 is the header) */
    int ncols;
    int rc; /* the first write error (lxw_error), 0: none */
} xlsx_sheet;

/* A new file under data_dir/tmp (made when missing) holding one sheet named name,
 * its header the titles of cols. AJ_EDB when it cannot be made; nothing is left. */
int xlsx_sheet_open(xlsx_sheet *s, const char *data_dir, const char *name, const xlsx_col *cols,
                    int ncols, arena *a, aj_error *err);
/* Ends the current sheet (its autofilter) and starts another in the same file, named name,
 * its header the titles of cols; the cells then go to it. AJ_EDB when it cannot be made. */
int xlsx_sheet_add(xlsx_sheet *s, const char *name, const xlsx_col *cols, int ncols, aj_error *err);
/* Cells of the current row; empty or NULL text, and time 0, leave the cell blank. */
void xlsx_sheet_str(xlsx_sheet *s, int col, const char *v);
void xlsx_sheet_num(xlsx_sheet *s, int col, double v);
void xlsx_sheet_time(xlsx_sheet *s, int col, int64_t t, int offset); /* yyyy-mm-dd hh:mm */
void xlsx_sheet_day(xlsx_sheet *s, int col, const char *ymd);        /* "YYYY-MM-DD" */
void xlsx_sheet_next(xlsx_sheet *s);
/* AJ_EDB once any cell failed (the file is then of no use: abort it). */
int xlsx_sheet_check(const xlsx_sheet *s, aj_error *err);
/* Finishes the file (autofilter over the rows written); s->path names it and the
 * caller sends and removes it. On AJ_EDB the file is gone. */
int xlsx_sheet_close(xlsx_sheet *s, aj_error *err);
/* Closes and removes an unfinished file. */
void xlsx_sheet_abort(xlsx_sheet *s);

#endif
