/* domain/core/label_sheet.h: printable QR labels (an A4 PDF, 3 x 8 a page) and posters (one
 * big QR code on an A4 page). */
#ifndef AJ_LABEL_SHEET_H
#define AJ_LABEL_SHEET_H
#include <stddef.h>

#include "base/error.h"

typedef struct label_item {
    const char *code, *name, *place; /* place may be NULL or empty */
    const char *url;                 /* what the QR code holds */
} label_item;

struct buf; /* base/buf.h: not in every file that sees core.h (a common word) */

/* The sheets of n (> 0) labels into out: title is the PDF's, hint the small line under
 * each label's text. One sheet drawn at a time in the process (fonts are shared). */
int label_sheet_pdf(const label_item *items, size_t n, const char *title, const char *hint,
                    struct buf *out, aj_error *err);

/* A poster: one A4 page with a heading, a title, a big QR code of url, up to
 * LABEL_POSTER_LINES lines of instructions under it and a footer (the address in words, for
 * a phone that cannot scan). */
#define LABEL_POSTER_LINES 6
typedef struct label_poster {
    const char *heading, *title, *subtitle, *url, *footer;
    const char *lines[LABEL_POSTER_LINES];
    size_t nlines;
} label_poster;
int label_sheet_poster(const label_poster *p, struct buf *out, aj_error *err);

#endif
