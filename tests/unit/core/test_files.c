/* tests/unit/test_files.c: uploads in the domain: typing by content, the blob on
 * disk stored once, who sees a file (project scope and ticket link), on both backends. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbtest.h"
#include "domain/core/file.h"

static const unsigned char png[] = {
    0x89, 'P',  'N',  'G',  '\r', '\n', 0x1a, '\n', 0x00, 0x00, 0x00, 0x0d, 'I',  'H',
    'D',  'R',  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00,
    0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 'I',  'D',  'A',  'T',  0x78,
    0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92,
    0xef, 0x00, 0x00, 0x00, 0x00, 'I',  'E',  'N',  'D',  0xae, 0x42, 0x60, 0x82,
};
static const char webp[] = "RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00"
                           "\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00";
static const char pdf[] =
    "%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n";
/* A 1x1 grey baseline JPEG (JFIF, standard luminance tables). */
static const unsigned char jpeg[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x08, 0x06, 0x06, 0x07, 0x06, 0x05, 0x08,
    0x07, 0x07, 0x07, 0x09, 0x09, 0x08, 0x0a, 0x0c, 0x14, 0x0d, 0x0c, 0x0b, 0x0b, 0x0c, 0x19, 0x12,
    0x13, 0x0f, 0x14, 0x1d, 0x1a, 0x1f, 0x1e, 0x1d, 0x1a, 0x1c, 0x1c, 0x20, 0x24, 0x2e, 0x27, 0x20,
    0x22, 0x2c, 0x23, 0x1c, 0x1c, 0x28, 0x37, 0x29, 0x2c, 0x30, 0x31, 0x34, 0x34, 0x34, 0x1f, 0x27,
    0x39, 0x3d, 0x38, 0x32, 0x3c, 0x2e, 0x33, 0x34, 0x32, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01,
    0x00, 0x01, 0x01, 0x01, 0x11, 0x00, 0xff, 0xc4, 0x00, 0x1f, 0x00, 0x00, 0x01, 0x05, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04,
    0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0xff, 0xc4, 0x00, 0xb5, 0x10, 0x00, 0x02, 0x01, 0x03,
    0x03, 0x02, 0x04, 0x03, 0x05, 0x05, 0x04, 0x04, 0x00, 0x00, 0x01, 0x7d, 0x01, 0x02, 0x03, 0x00,
    0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32,
    0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72,
    0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34, 0x35,
    0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55,
    0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75,
    0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94,
    0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2,
    0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9,
    0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6,
    0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xff, 0xda,
    0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0xfb, 0xd3, 0xff, 0xd9,
};

static void setup(void) { cr_assert_geq(sodium_init(), 0); }

Test(files, sniffs_by_content, .init = setup)
{
    const struct {
        const void *data;
        size_t len;
        const char *mime;
    } ok[] = {
        {png, sizeof png, "image/png"},
        {webp, sizeof webp - 1, "image/webp"},
        {pdf, sizeof pdf - 1, "application/pdf"},
        {jpeg, sizeof jpeg, "image/jpeg"},
    };
    aj_error err = {0};
    const char *mime;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        cr_assert_eq(file_sniff(ok[i].data, ok[i].len, &mime, &err), 0, "%s: %s", ok[i].mime,
                     err.message);
        cr_assert_str_eq(mime, ok[i].mime);
    }
    const char *bad[] = {
        "<!DOCTYPE html><html><script>alert(1)</script></html>",
        "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
        "GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        "plain text",
        "RIFF\x10\x00\x00\x00WAVEfmt ",
        "\x1f\x8b\x08\x00\x00\x00\x00\x00",
        "PK\x03\x04\x14\x00\x00\x00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        cr_assert_eq(file_sniff(bad[i], strlen(bad[i]), &mime, &err), AJ_EINVAL, "case %zu", i);
        cr_assert_str_eq(err.field, "file");
        cr_assert(strstr(err.message, "JPEG") && strstr(err.message, "PDF"), "%s", err.message);
    }
}

/* One refused upload: 422 on "file", and no type handed back. */
static void refused(const void *data, size_t len, const char *why, const char *case_name)
{
    aj_error err = {0};
    const char *mime = "unset";
    cr_assert_eq(file_sniff(data, len, &mime, &err), AJ_EINVAL, "%s: accepted", case_name);
    cr_assert_str_eq(err.field, "file", "%s", case_name);
    cr_assert_null(mime, "%s", case_name);
    cr_assert(strstr(err.message, why), "%s: %s", case_name, err.message);
}

/* Starting with a type's magic is not being of that type (issue 11): the
 * header must decode, and a PDF must not carry a script or a launch. */
Test(files, content_must_decode, .init = setup)
{
    unsigned char buf[512];
    /* JPEG magic, then HTML: libmagic says image/jpeg */
    static const char html_jpeg[] = "\xff\xd8\xff\xe0<html><body><script>alert(document.cookie)"
                                    "</script></body></html>\n";
    refused(html_jpeg, sizeof html_jpeg - 1, "无法解码", "jpeg magic + html");
    /* a JPEG cut before its scan, and one whose frame has no width */
    refused(jpeg, 200, "无法解码", "truncated jpeg");
    memcpy(buf, jpeg, sizeof jpeg);
    for (size_t i = 0; i + 1 < sizeof jpeg; i++)
        if (buf[i] == 0xff && buf[i + 1] == 0xc0) buf[i + 7] = buf[i + 8] = 0;
    refused(buf, sizeof jpeg, "无法解码", "jpeg of width 0");
    /* PNG: a changed IHDR byte breaks its CRC; without IEND it never ends */
    memcpy(buf, png, sizeof png);
    buf[19] = 2;
    refused(buf, sizeof png, "无法解码", "png with a bad IHDR crc");
    refused(png, sizeof png - 12, "无法解码", "png without IEND");
    /* WebP: a RIFF that claims more than there is, or no image chunk */
    refused(webp, 20, "无法解码", "truncated webp");
    static const char webp_empty[] = "RIFF\x14\x00\x00\x00WEBPJUNK\x08\x00\x00\x00\x00\x00\x00\x00"
                                     "\x00\x00\x00\x00";
    refused(webp_empty, sizeof webp_empty - 1, "无法解码", "webp without an image");
    /* PDFs with script or launch actions, also behind #xx escapes */
    const char *active[] = {
        "%PDF-1.4\n1 0 obj <</Type /Catalog /OpenAction 2 0 R>> endobj\n"
        "2 0 obj <</S /JavaScript /JS (app.alert(1))>> endobj\n%%EOF\n",
        "%PDF-1.4\n1 0 obj <</Type /Catalog /OpenAction <</S/J#61vaScript/J#53(x)>> >> endobj\n%%EOF\n",
        "%PDF-1.4\n1 0 obj <</Type /Catalog /AA <</O <</S /Launch /F (calc.exe)>> >> >> endobj\n%%EOF\n",
    };
    for (size_t i = 0; i < sizeof active / sizeof active[0]; i++)
        refused(active[i], strlen(active[i]), "脚本", "active pdf");
    /* a name that only begins like one is another name */
    static const char benign[] = "%PDF-1.4\n1 0 obj <</Type /Catalog /JSON 1 /OpenAction [3 0 R /Fit]>>"
                                 " endobj\n%%EOF\n";
    aj_error err = {0};
    const char *mime;
    cr_assert_eq(file_sniff(benign, sizeof benign - 1, &mime, &err), 0, "%s", err.message);
    cr_assert_str_eq(mime, "application/pdf");
}

static int64_t add(db *c, const char *sql, int n, const db_val *args)
{
    aj_error err = {0};
    int64_t id = 0;
    cr_assert_eq(db_scalar(c, sql, n, args, &id, &err), 0, "%s: %s", sql, err.message);
    return id;
}

static int64_t add_user(db *c, const char *name, const char *role)
{
    return add(c,
               "INSERT INTO users (username, role, name, created_at, updated_at)"
               " VALUES ($1, $2, $1, 0, 0) RETURNING id",
               DB_ARGS(DB_TEXT(name), DB_TEXT(role)));
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void check_backend(db_kind kind)
{
    db *c = dbtest_open(kind);
    if (!c) return;
    aj_error err = {0};
    arena a;
    arena_init(&a, 4096);
    char dir[] = "/tmp/anju-files-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));

    int64_t p1 = add(c,
                     "INSERT INTO projects (code, name, created_at, updated_at)"
                     " VALUES ('F1', 'p1', 0, 0) RETURNING id",
                     DB_NOARGS);
    int64_t p2 = add(c,
                     "INSERT INTO projects (code, name, created_at, updated_at)"
                     " VALUES ('F2', 'p2', 0, 0) RETURNING id",
                     DB_NOARGS);
    actor desk = {.id = add_user(c, "desk1", "desk"), .role = ROLE_DESK};
    actor tech2 = {.id = add_user(c, "tech2", "technician"), .role = ROLE_TECHNICIAN};
    actor quality = {.id = add_user(c, "q", "quality"), .role = ROLE_QUALITY};
    actor res = {.id = add_user(c, "13800000009", "resident"), .role = ROLE_RESIDENT};
    actor sys = {.id = 0, .role = ROLE_ADMIN};
    add(c, "INSERT INTO staff_projects (user_id, project_id) VALUES ($1, $2) RETURNING user_id",
        DB_ARGS(DB_INT(desk.id), DB_INT(p1)));
    add(c, "INSERT INTO staff_projects (user_id, project_id) VALUES ($1, $2) RETURNING user_id",
        DB_ARGS(DB_INT(tech2.id), DB_INT(p2)));
    int64_t b = add(c,
                    "INSERT INTO buildings (project_id, name, floors, created_at, updated_at)"
                    " VALUES ($1, 'b', 5, 0, 0) RETURNING id",
                    DB_ARGS(DB_INT(p1)));
    int64_t room = add(c,
                       "INSERT INTO rooms (project_id, building_id, floor, number, created_at,"
                       " updated_at) VALUES ($1, $2, 1, '101', 0, 0) RETURNING id",
                       DB_ARGS(DB_INT(p1), DB_INT(b)));
    res.resident_id = add(c,
                          "INSERT INTO residents (user_id, project_id, name, phone, kind,"
                          " created_at, updated_at) VALUES ($1, $2, 'r', '13800000009',"
                          " 'owner', 0, 0) RETURNING id",
                          DB_ARGS(DB_INT(res.id), DB_INT(p1)));
    add(c, "INSERT INTO resident_rooms (resident_id, room_id) VALUES ($1, $2) RETURNING room_id",
        DB_ARGS(DB_INT(res.resident_id), DB_INT(room)));

    /* stored under its hash, once; every upload its own row */
    file_rec f, g, h;
    cr_assert_eq(file_create(c, &desk, dir, png, sizeof png, p1, &a, &f, &err), 0, "%s",
                 err.message);
    cr_assert_str_eq(f.mime, "image/png");
    cr_assert_eq(f.size, (int64_t)sizeof png);
    char path[512], sub[512], tmp[512];
    snprintf(path, sizeof path, "%s/files/%.2s/%s", dir, f.sha256, f.sha256 + 2);
    snprintf(sub, sizeof sub, "%s/files/%.2s", dir, f.sha256);
    snprintf(tmp, sizeof tmp, "%s/files/tmp", dir);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "%s", path);
    cr_assert_eq(st.st_size, (off_t)sizeof png);
    cr_assert_eq(file_create(c, &res, dir, png, sizeof png, 0, &a, &g, &err), 0, "%s", err.message);
    cr_assert_neq(g.id, f.id);
    cr_assert_str_eq(g.sha256, f.sha256);
    cr_assert_eq(count_entries(sub), 1);
    cr_assert_eq(count_entries(tmp), 0);
    int64_t rows;
    cr_assert_eq(db_scalar(c, "SELECT COUNT(*) FROM audit_log WHERE entity = 'file'", DB_NOARGS,
                           &rows, &err),
                 0);
    cr_assert_eq(rows, 2);

    /* refused: another project, an empty file, a wrong type (nothing written) */
    cr_assert_eq(file_create(c, &desk, dir, pdf, sizeof pdf - 1, p2, &a, &h, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "project_id");
    cr_assert_eq(file_create(c, &desk, dir, pdf, 0, 0, &a, &h, &err), AJ_EINVAL);
    cr_assert_eq(file_create(c, &desk, dir, "<svg/>", 6, 0, &a, &h, &err), AJ_EINVAL);
    cr_assert_eq(count_entries(tmp), 0);
    cr_assert_eq(db_scalar(c, "SELECT COUNT(*) FROM files", DB_NOARGS, &rows, &err), 0);
    cr_assert_eq(rows, 2);

    /* who sees what */
    cr_assert_eq(file_can_see(c, &desk, f.id, &err), 0);
    cr_assert_eq(file_can_see(c, &quality, f.id, &err), 0);
    cr_assert_eq(file_can_see(c, &sys, f.id, &err), 0);
    cr_assert_eq(file_can_see(c, &tech2, f.id, &err), AJ_ENOTFOUND);
    cr_assert_eq(file_can_see(c, &res, f.id, &err), AJ_ENOTFOUND);
    cr_assert_eq(file_can_see(c, &res, g.id, &err), 0, "the uploader");
    cr_assert_eq(file_can_see(c, &desk, g.id, &err), AJ_ENOTFOUND,
                 "no project: the uploader's own");
    cr_assert_eq(file_can_see(c, &desk, g.id + 100, &err), AJ_ENOTFOUND);
    actor anon = {0};
    cr_assert_eq(file_can_see(c, &anon, f.id, &err), AJ_ENOTFOUND);

    /* attached to a ticket of the resident's room: the resident and the ticket's
     * project staff see it too. The fixture writes 004's tickets table directly. */
    int64_t cat = 0, ticket = 0;
    aj_error terr = {0};
    int have_tickets =
        db_scalar(c, "SELECT id FROM categories WHERE path = '水电/漏水'", DB_NOARGS, &cat,
                  &terr) == 0 &&
        db_scalar(c,
                  "INSERT INTO tickets (no, project_id, kind, priority, category_id, status, title,"
                  " room_id, channel, reported_at, created_at, updated_at) VALUES ('BX-1', $1,"
                  " 'repair', 'normal', $2, 'new', 't', $3, 'phone', 0, 0, 0) RETURNING id",
                  DB_ARGS(DB_INT(p2), DB_INT(cat), DB_INT(room)), &ticket, &terr) == 0;
    if (have_tickets) {
        file_rec t;
        cr_assert_eq(file_create(c, &quality, dir, webp, sizeof webp - 1, 0, &a, &t, &err), 0);
        cr_assert_eq(file_can_see(c, &res, t.id, &err), AJ_ENOTFOUND);
        cr_assert_eq(file_can_see(c, &tech2, t.id, &err), AJ_ENOTFOUND);
        cr_assert_eq(db_exec(c, "INSERT INTO ticket_photos (ticket_id, file_id) VALUES ($1, $2)",
                             DB_ARGS(DB_INT(ticket), DB_INT(t.id)), &err),
                     1, "%s", err.message);
        cr_assert_eq(file_can_see(c, &res, t.id, &err), 0, "resident of the ticket's room");
        cr_assert_eq(file_can_see(c, &tech2, t.id, &err), 0, "staff of the ticket's project");
        cr_assert_eq(file_can_see(c, &desk, t.id, &err), AJ_ENOTFOUND, "staff of another project");
    } else {
        fprintf(stderr, "test_files: ticket link not checked (%s)\n", terr.message);
    }

    /* reading back; a blob gone from disk is an internal error, not a 404 */
    int fd;
    cr_assert_eq(file_get(c, &desk, f.id, &a, &h, &err), 0);
    cr_assert_eq(file_open(dir, &h, &fd, &err), 0, "%s", err.message);
    unsigned char back[sizeof png + 1];
    cr_assert_eq(read(fd, back, sizeof back), (ssize_t)sizeof png);
    cr_assert_eq(memcmp(back, png, sizeof png), 0);
    close(fd);
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(file_open(dir, &h, &fd, &err), AJ_EDB);
    cr_assert_eq(fd, -1);

    arena_free(&a);
    dbtest_close(c);
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

Test(files, store_and_scope_sqlite, .init = setup) { check_backend(DB_SQLITE); }
Test(files, store_and_scope_pg, .init = setup) { check_backend(DB_PG); }
