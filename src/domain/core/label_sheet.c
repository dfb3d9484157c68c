/* domain/core/label_sheet.c: printable QR labels — an A4 PDF, 3 x 8 labels a page, each
 * with a code, a name, a place, a hint and the QR code of an address (libqrencode), drawn
 * with cairo and pango in Noto Sans CJK. The equipment book's labels and the patrol
 * checkpoints' are this one sheet. A poster is the same drawing at another scale: one QR
 * code across most of an A4 page, for a lobby's notice board (a survey's). */
#include "domain/core/label_sheet.h"

#include "base/buf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <malloc.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

/* Points (1/72 inch). A4 with a 5 mm margin that printers can reach. */
#define LABELS_MM (72.0 / 25.4)
#define LABELS_PAGE_W (210 * LABELS_MM)
#define LABELS_PAGE_H (297 * LABELS_MM)
#define LABELS_MARGIN (5 * LABELS_MM)
#define LABELS_COLS 3
#define LABELS_ROWS 8
#define LABELS_W ((LABELS_PAGE_W - 2 * LABELS_MARGIN) / LABELS_COLS)
#define LABELS_H ((LABELS_PAGE_H - 2 * LABELS_MARGIN) / LABELS_ROWS)
#define LABELS_PAD (2 * LABELS_MM)
#define LABELS_FONT "Noto Sans CJK SC"

typedef struct label_sheet_doc {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoContext *ctx;
    PangoLayout *code, *name, *place, *hint;
} label_sheet_doc;

/* One font map for the process, and one sheet drawn at a time: pango's default
 * map is one per thread, each holding its own copy of the fonts' data once it
 * has drawn CJK text; labels are printed now and then, never in a hurry. */
static pthread_mutex_t label_sheet_lock = PTHREAD_MUTEX_INITIALIZER;
static PangoFontMap *label_sheet_fonts;
static pthread_once_t label_sheet_once = PTHREAD_ONCE_INIT;

/* The PDF's font subsetting reads each CJK font's CFF table (some 16 MB) into
 * one allocation. glibc's default raises its mmap threshold after such a block
 * is freed, so the next ones come from a thread's heap and stay there (some
 * 30 MB a worker thread, for good). A fixed threshold keeps blocks over 1 MiB
 * mapped on their own and given back when freed. Process-wide, set once. */
static void label_sheet_malloc(void) { mallopt(M_MMAP_THRESHOLD, 1 << 20); }

static cairo_status_t label_sheet_write(void *closure, const unsigned char *data,
                                             unsigned int len)
{
    buf_append(closure, (const char *)data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* A layout of the document's for one kind of text: font, width, at most lines. */
static PangoLayout *label_sheet_layout(PangoContext *ctx, const char *font, double width,
                                            int lines)
{
    PangoLayout *l = pango_layout_new(ctx);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    pango_layout_set_height(l, -lines);
    return l;
}

/* Draws text at (x, y) and returns the height it took. */
static double label_sheet_text(cairo_t *cr, PangoLayout *l, const char *text, double x,
                                    double y)
{
    int w, h;
    pango_layout_set_text(l, text, -1);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

/* The QR code of url as a square of side size at (x, y), quiet zone included:
 * one pixel a module, scaled without smoothing (a small image in the PDF, not a
 * path of hundreds of rectangles: a tenth of the bytes and of the time). */
static int label_sheet_qr(cairo_t *cr, const char *url, double x, double y, double size)
{
    QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return -1;
    int w = q->width, side = w + 8; /* four modules of quiet zone on each side */
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
    unsigned char *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    cairo_surface_flush(img);
    for (int row = 0; row < side; row++) {
        uint32_t *line = (uint32_t *)(void *)(px + row * stride);
        for (int col = 0; col < side; col++) {
            int in = row >= 4 && row < w + 4 && col >= 4 && col < w + 4;
            int dark = in && (q->data[(row - 4) * w + (col - 4)] & 1);
            line[col] = dark ? 0x000000u : 0xFFFFFFu;
        }
    }
    cairo_surface_mark_dirty(img);
    QRcode_free(q);
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, size / side, size / side);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
    return 0;
}

static int label_sheet_one(label_sheet_doc *d, const label_item *e, const char *hint, double x,
                           double y)
{
    cairo_t *cr = d->cr;
    /* a hairline to cut along on plain paper */
    cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
    cairo_set_line_width(cr, 0.3);
    cairo_rectangle(cr, x, y, LABELS_W, LABELS_H);
    cairo_stroke(cr);
    double qr = LABELS_H - 2 * LABELS_PAD;
    if (label_sheet_qr(cr, e->url, x + LABELS_PAD, y + LABELS_PAD, qr)) return -1;
    double tx = x + 2 * LABELS_PAD + qr, ty = y + LABELS_PAD + 2;
    cairo_set_source_rgb(cr, 0, 0, 0);
    ty += label_sheet_text(cr, d->code, e->code, tx, ty) + 2;
    ty += label_sheet_text(cr, d->name, e->name, tx, ty) + 2;
    cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
    if (e->place && *e->place) label_sheet_text(cr, d->place, e->place, tx, ty);
    cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
    label_sheet_text(cr, d->hint, hint, tx,
                          y + LABELS_H - LABELS_PAD - 9);
    return 0;
}

static void label_sheet_close(label_sheet_doc *d)
{
    PangoLayout *ls[] = {d->code, d->name, d->place, d->hint};
    for (size_t i = 0; i < sizeof ls / sizeof ls[0]; i++)
        if (ls[i]) g_object_unref(ls[i]);
    if (d->ctx) g_object_unref(d->ctx);
    if (d->cr) cairo_destroy(d->cr);
    if (d->surface) {
        cairo_surface_finish(d->surface);
        cairo_surface_destroy(d->surface);
    }
}

/* The sheets of labels of items (n > 0) into out. */
static int label_sheet_render(const label_item *items, size_t n, const char *title,
                              const char *hint, buf *out, aj_error *err)
{
    label_sheet_doc d = {0};
    d.surface = cairo_pdf_surface_create_for_stream(label_sheet_write, out, LABELS_PAGE_W,
                                                    LABELS_PAGE_H);
    cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_CREATOR, "Anju 安居");
    d.cr = cairo_create(d.surface);
    if (!label_sheet_fonts) label_sheet_fonts = pango_cairo_font_map_new();
    d.ctx = pango_font_map_create_context(label_sheet_fonts);
    pango_cairo_update_context(d.cr, d.ctx);
    double tw = LABELS_W - 3 * LABELS_PAD - (LABELS_H - 2 * LABELS_PAD);
    d.code = label_sheet_layout(d.ctx, LABELS_FONT " Bold 9.5", tw, 1);
    d.name = label_sheet_layout(d.ctx, LABELS_FONT " 8", tw, 2);
    d.place = label_sheet_layout(d.ctx, LABELS_FONT " 6.5", tw, 2);
    d.hint = label_sheet_layout(d.ctx, LABELS_FONT " 5", tw, 1);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        size_t k = i % (LABELS_COLS * LABELS_ROWS);
        if (i && !k) cairo_show_page(d.cr);
        double x = LABELS_MARGIN + (double)(k % LABELS_COLS) * LABELS_W;
        double y = LABELS_MARGIN + (double)(k / LABELS_COLS) * LABELS_H;
        rc = label_sheet_one(&d, &items[i], hint, x, y);
    }
    cairo_status_t st = cairo_status(d.cr);
    label_sheet_close(&d);
    if (rc) return aj_fail(err, AJ_EINVAL, NULL, "二维码生成失败");
    if (st != CAIRO_STATUS_SUCCESS)
        return aj_fail(err, AJ_EDB, NULL, "标签生成失败：%s", cairo_status_to_string(st));
    return 0;
}

int label_sheet_pdf(const label_item *items, size_t n, const char *title, const char *hint,
                    buf *out, aj_error *err)
{
    if (!n) return aj_fail(err, AJ_EINVAL, NULL, "没有可打印的标签");
    pthread_once(&label_sheet_once, label_sheet_malloc);
    pthread_mutex_lock(&label_sheet_lock);
    int rc = label_sheet_render(items, n, title, hint, out, err);
    pthread_mutex_unlock(&label_sheet_lock);
    return rc;
}

/* A centred block of text in font at y, width w; returns the height it took. */
static double label_sheet_centred(label_sheet_doc *d, const char *font, const char *text, double y,
                                  int lines)
{
    double w = LABELS_PAGE_W - 2 * 20 * LABELS_MM;
    PangoLayout *l = label_sheet_layout(d->ctx, font, w, lines);
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    double h = label_sheet_text(d->cr, l, text, 20 * LABELS_MM, y);
    g_object_unref(l);
    return h;
}

static int label_sheet_render_poster(const label_poster *p, buf *out, aj_error *err)
{
    label_sheet_doc d = {0};
    d.surface = cairo_pdf_surface_create_for_stream(label_sheet_write, out, LABELS_PAGE_W,
                                                    LABELS_PAGE_H);
    cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_TITLE, p->title);
    cairo_pdf_surface_set_metadata(d.surface, CAIRO_PDF_METADATA_CREATOR, "Anju 安居");
    d.cr = cairo_create(d.surface);
    if (!label_sheet_fonts) label_sheet_fonts = pango_cairo_font_map_new();
    d.ctx = pango_font_map_create_context(label_sheet_fonts);
    pango_cairo_update_context(d.cr, d.ctx);
    double y = 22 * LABELS_MM, qr = 120 * LABELS_MM;
    cairo_set_source_rgb(d.cr, 0.1, 0.1, 0.1);
    y += label_sheet_centred(&d, LABELS_FONT " 16", p->heading, y, 1) + 4 * LABELS_MM;
    y += label_sheet_centred(&d, LABELS_FONT " Bold 22", p->title, y, 2) + 2 * LABELS_MM;
    if (p->subtitle && *p->subtitle) y += label_sheet_centred(&d, LABELS_FONT " 13", p->subtitle, y, 1);
    y += 8 * LABELS_MM;
    int rc = label_sheet_qr(d.cr, p->url, (LABELS_PAGE_W - qr) / 2, y, qr);
    y += qr + 8 * LABELS_MM;
    cairo_set_source_rgb(d.cr, 0.15, 0.15, 0.15);
    for (size_t i = 0; !rc && i < p->nlines && i < LABEL_POSTER_LINES; i++)
        y += label_sheet_centred(&d, LABELS_FONT " 13", p->lines[i], y, 2) + 2 * LABELS_MM;
    cairo_set_source_rgb(d.cr, 0.45, 0.45, 0.45);
    if (!rc && p->footer) label_sheet_centred(&d, LABELS_FONT " 9", p->footer, LABELS_PAGE_H - 20 * LABELS_MM, 2);
    cairo_status_t st = cairo_status(d.cr);
    label_sheet_close(&d);
    if (rc) return aj_fail(err, AJ_EINVAL, NULL, "二维码生成失败");
    if (st != CAIRO_STATUS_SUCCESS)
        return aj_fail(err, AJ_EDB, NULL, "海报生成失败：%s", cairo_status_to_string(st));
    return 0;
}

int label_sheet_poster(const label_poster *p, buf *out, aj_error *err)
{
    pthread_once(&label_sheet_once, label_sheet_malloc);
    pthread_mutex_lock(&label_sheet_lock);
    int rc = label_sheet_render_poster(p, out, err);
    pthread_mutex_unlock(&label_sheet_lock);
    return rc;
}
