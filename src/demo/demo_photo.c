/* demo/demo_photo.c: the demo's site photos (现场照片): a cleaning or greening round asks
 * for a photo, so its past results carry one. A camera is not at hand, so each is drawn —
 * a plain scene of the place (floor, wall, a door or a lawn) in its colours, with the
 * watermark a property app stamps on a site photo (what, where, 安居) — as a real PNG, stored
 * like an upload (domain/core/file.c) and tied to its project. */
#include <cairo.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "base/buf.h"
#include "demo/demo.h"

#include "domain/core/core.h"

#define DEMO_PHOTO_W 480
#define DEMO_PHOTO_H 360
#define DEMO_PHOTO_FONT "Noto Sans CJK SC"

static cairo_status_t demo_photo_write(void *closure, const unsigned char *data, unsigned int n)
{
    buf_append((buf *)closure, (const char *)data, n);
    return CAIRO_STATUS_SUCCESS;
}

static void demo_photo_text(cairo_t *cr, PangoFontMap *fonts, const char *font, const char *text,
                            double x, double y)
{
    PangoContext *ctx = pango_font_map_create_context(fonts);
    pango_cairo_update_context(cr, ctx);
    PangoLayout *l = pango_layout_new(ctx);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(l, fd);
    pango_layout_set_text(l, text, -1);
    cairo_set_source_rgba(cr, 0, 0, 0, 0.55); /* a shadow keeps it readable on any scene */
    cairo_move_to(cr, x + 1.5, y + 1.5);
    pango_cairo_show_layout(cr, l);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    pango_font_description_free(fd);
    g_object_unref(l);
    g_object_unref(ctx);
}

int demo_photo_make(db *c, const char *data_dir, int64_t project_id, const demo_photo *p,
                    arena *a, int64_t *file_id, aj_error *err)
{
    static PangoFontMap *fonts;
    if (!fonts) fonts = pango_cairo_font_map_new();
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, DEMO_PHOTO_W, DEMO_PHOTO_H);
    cairo_t *cr = cairo_create(s);
    double r = ((p->wall >> 16) & 255) / 255.0, g = ((p->wall >> 8) & 255) / 255.0,
           b = (p->wall & 255) / 255.0;
    /* the wall, lit from above; the floor (or lawn) below the horizon */
    cairo_pattern_t *wall = cairo_pattern_create_linear(0, 0, 0, DEMO_PHOTO_H * 0.62);
    cairo_pattern_add_color_stop_rgb(wall, 0, r * 1.05, g * 1.05, b * 1.05);
    cairo_pattern_add_color_stop_rgb(wall, 1, r * 0.8, g * 0.8, b * 0.8);
    cairo_set_source(cr, wall);
    cairo_paint(cr);
    cairo_pattern_destroy(wall);
    double fr = ((p->floor >> 16) & 255) / 255.0, fg = ((p->floor >> 8) & 255) / 255.0,
           fb = (p->floor & 255) / 255.0;
    cairo_pattern_t *floor = cairo_pattern_create_linear(0, DEMO_PHOTO_H * 0.62, 0, DEMO_PHOTO_H);
    cairo_pattern_add_color_stop_rgb(floor, 0, fr * 0.75, fg * 0.75, fb * 0.75);
    cairo_pattern_add_color_stop_rgb(floor, 1, fr, fg, fb);
    cairo_set_source(cr, floor);
    cairo_rectangle(cr, 0, DEMO_PHOTO_H * 0.62, DEMO_PHOTO_W, DEMO_PHOTO_H * 0.38);
    cairo_fill(cr);
    /* a door (or a lift's doors) in the wall */
    if (p->door) {
        cairo_set_source_rgb(cr, 0.62, 0.64, 0.66);
        cairo_rectangle(cr, DEMO_PHOTO_W * 0.38, DEMO_PHOTO_H * 0.18, DEMO_PHOTO_W * 0.24,
                        DEMO_PHOTO_H * 0.44);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0.45, 0.47, 0.5);
        cairo_set_line_width(cr, 2);
        cairo_move_to(cr, DEMO_PHOTO_W * 0.5, DEMO_PHOTO_H * 0.18);
        cairo_line_to(cr, DEMO_PHOTO_W * 0.5, DEMO_PHOTO_H * 0.62);
        cairo_stroke(cr);
    }
    /* the watermark band */
    cairo_set_source_rgba(cr, 0, 0, 0, 0.35);
    cairo_rectangle(cr, 0, DEMO_PHOTO_H - 78, DEMO_PHOTO_W, 78);
    cairo_fill(cr);
    demo_photo_text(cr, fonts, DEMO_PHOTO_FONT " Bold 17", p->title, 16, DEMO_PHOTO_H - 72);
    demo_photo_text(cr, fonts, DEMO_PHOTO_FONT " 11", p->place, 16, DEMO_PHOTO_H - 36);
    demo_photo_text(cr, fonts, DEMO_PHOTO_FONT " 10", "安居 · 现场照片", DEMO_PHOTO_W - 130,
                    DEMO_PHOTO_H - 34);
    cairo_destroy(cr);
    buf png;
    buf_init(&png, a);
    cairo_status_t st = cairo_surface_write_to_png_stream(s, demo_photo_write, &png);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS)
        return aj_fail(err, AJ_EDB, NULL, "演示照片生成失败：%s", cairo_status_to_string(st));
    actor sys = actor_system("demo");
    file_rec f;
    if (file_create_in(c, &sys, data_dir, png.s, png.len, project_id, a, &f, err)) return err->rc;
    *file_id = f.id;
    return 0;
}
