/* domain/core/file.c: uploads: the type by content, the blob by SHA-256 on disk, the
 * row with its audit entry, and who may see a file. */
#include "domain/core/file.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <magic.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "domain/core/audit.h"

/* libmagic reads types from the first bytes; more input is only more attacker
 * data for its parsers to walk. */
#define FILE_SNIFF_BYTES (64u << 10)

/* The accepted types and how each begins: magic bytes at 0, and for WebP a
 * RIFF container whose form type follows at 8. */
static const struct {
    const char *mime;
    const char *head;
    size_t head_len;
    const char *at8;
} file_types[] = {
    {"image/jpeg", "\xff\xd8\xff", 3, NULL},
    {"image/png", "\x89PNG\r\n\x1a\n", 8, NULL},
    {"image/webp", "RIFF", 4, "WEBP"},
    {"application/pdf", "%PDF-", 5, NULL},
};

static int file_begins_as(size_t i, const unsigned char *d, size_t len)
{
    if (len < file_types[i].head_len || memcmp(d, file_types[i].head, file_types[i].head_len))
        return 0;
    return !file_types[i].at8 || (len >= 12 && memcmp(d + 8, file_types[i].at8, 4) == 0);
}

static uint32_t file_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t file_le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* JPEG: after SOI, marker segments that fit, up to a frame header (SOFn)
 * with a sane precision, a size and 1-4 components, then a scan header (SOS)
 * with data after it. "\xff\xd8\xff" followed by HTML is none of that. */
static int file_jpeg_ok(const unsigned char *d, size_t len)
{
    size_t i = 2;
    int frame = 0;
    while (i + 4 <= len) {
        if (d[i] != 0xFF) return 0;
        unsigned m = d[i + 1];
        if (m == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (m == 0xD8 || m == 0xD9 || m == 0x00) return 0; /* SOI again, EOI before a scan */
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { /* TEM, RSTn: no length */
            i += 2;
            continue;
        }
        size_t seg = (size_t)d[i + 2] << 8 | d[i + 3];
        const unsigned char *s = d + i + 4;
        if (seg < 2 || seg > len - i - 2) return 0;
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            unsigned h = (unsigned)s[1] << 8 | s[2], w = (unsigned)s[3] << 8 | s[4], nc = s[5];
            if (frame || seg < 8 || s[0] < 2 || s[0] > 16 || !h || !w || nc < 1 || nc > 4 ||
                seg != 8 + 3 * nc)
                return 0;
            frame = 1;
        } else if (m == 0xDA) {
            unsigned ns = seg >= 3 ? s[0] : 0;
            return frame && ns >= 1 && ns <= 4 && seg == 6 + 2 * ns && i + 2 + seg < len;
        }
        i += 2 + seg;
    }
    return 0;
}

static uint32_t file_crc_table[256];

static void file_crc_init(void)
{
    for (uint32_t k = 0; k < 256; k++) {
        uint32_t c = k;
        for (int b = 0; b < 8; b++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        file_crc_table[k] = c;
    }
}

/* PNG's CRC-32 (ISO 3309), by table. */
static uint32_t file_crc32(const unsigned char *p, size_t n)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, file_crc_init);
    uint32_t c = 0xFFFFFFFFu;
    while (n--) c = file_crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* PNG: IHDR first, with legal fields, then chunks that fit with their CRCs
 * right, image data (IDAT), and IEND. */
static int file_png_ok(const unsigned char *d, size_t len)
{
    size_t i = 8;
    int idat = 0;
    while (i + 12 <= len) {
        uint32_t n = file_be32(d + i);
        const unsigned char *type = d + i + 4, *c = d + i + 8;
        if (n > 0x7FFFFFFFu || n > len - i - 12) return 0;
        for (int k = 0; k < 4; k++)
            if (!((type[k] >= 'A' && type[k] <= 'Z') || (type[k] >= 'a' && type[k] <= 'z'))) return 0;
        if (file_crc32(type, n + 4) != file_be32(c + n)) return 0;
        int ihdr = memcmp(type, "IHDR", 4) == 0;
        if ((i == 8) != ihdr) return 0; /* IHDR first, and only there */
        if (ihdr) {
            uint32_t w = file_be32(c), h = file_be32(c + 4);
            unsigned depth = c[8], ct = c[9];
            int depth_ok = ct == 0   ? (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)
                           : ct == 3 ? (depth == 1 || depth == 2 || depth == 4 || depth == 8)
                           : (ct == 2 || ct == 4 || ct == 6) && (depth == 8 || depth == 16);
            if (n != 13 || !w || !h || w > 0x7FFFFFFFu || h > 0x7FFFFFFFu || !depth_ok || c[10] ||
                c[11] || c[12] > 1)
                return 0;
        }
        if (memcmp(type, "IDAT", 4) == 0) idat = 1;
        if (memcmp(type, "IEND", 4) == 0) return idat;
        i += 12 + n;
    }
    return 0;
}

/* One WebP image chunk's header: "VP8 " (a lossy key frame: start code and a
 * size) or "VP8L" (lossless: signature, size, version 0). */
static int file_webp_image_ok(const unsigned char *fourcc, const unsigned char *c, size_t n)
{
    if (memcmp(fourcc, "VP8 ", 4) == 0)
        return n >= 10 && !(c[0] & 1) && c[3] == 0x9D && c[4] == 0x01 && c[5] == 0x2A &&
               ((c[6] | c[7] << 8) & 0x3FFF) && ((c[8] | c[9] << 8) & 0x3FFF);
    if (memcmp(fourcc, "VP8L", 4) == 0) return n >= 5 && c[0] == 0x2F && !(file_le32(c + 1) >> 29);
    return 0;
}

/* WebP: a RIFF that fits the bytes, and a simple image chunk, or an extended
 * header (VP8X) whose chunks fit and hold an image or animation frames. */
static int file_webp_ok(const unsigned char *d, size_t len)
{
    if (len < 20) return 0;
    size_t riff = file_le32(d + 4);
    if (riff < 12 || riff > len - 8) return 0;
    size_t end = 8 + riff, i = 12;
    int extended = memcmp(d + 12, "VP8X", 4) == 0;
    while (i + 8 <= end) {
        size_t n = file_le32(d + i + 4);
        const unsigned char *c = d + i + 8;
        if (n > end - i - 8) return 0;
        if (i == 12 && !extended) return file_webp_image_ok(d + i, c, n);
        if (i == 12 && n < 10) return 0;
        if (i > 12 && (memcmp(d + i, "VP8 ", 4) == 0 || memcmp(d + i, "VP8L", 4) == 0))
            return file_webp_image_ok(d + i, c, n);
        if (i > 12 && memcmp(d + i, "ANMF", 4) == 0) return n >= 16;
        i += 8 + n + (n & 1);
    }
    return 0;
}

/* The PDF names that run code or programs when a viewer opens the file,
 * matched as whole names after their #xx escapes ("/J#61vaScript") are
 * decoded. A name inside a compressed object stream is not seen here: that
 * is why PDFs are also only ever served as attachments (api/core/files.c). */
static int file_pdf_active(const unsigned char *d, size_t len, char *found, size_t n)
{
    static const char *const bad[] = {"JavaScript", "JS", "Launch"};
    for (size_t i = 0; i < len; i++) {
        if (d[i] != '/') continue;
        char name[16];
        size_t k = 0, j = i + 1;
        for (; j < len && k < sizeof name - 1; j++) {
            unsigned char ch = d[j];
            if (strchr("()<>[]{}/%", ch) || ch <= ' ' || ch >= 0x7F) break;
            if (ch == '#' && j + 2 < len && isxdigit(d[j + 1]) && isxdigit(d[j + 2])) {
                char hex[3] = {(char)d[j + 1], (char)d[j + 2], 0};
                ch = (unsigned char)strtoul(hex, NULL, 16);
                j += 2;
            }
            name[k++] = (char)ch;
        }
        name[k] = 0;
        for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++)
            if (strcmp(name, bad[b]) == 0) {
                snprintf(found, n, "/%s", bad[b]);
                return 1;
            }
        i = j - 1;
    }
    return 0;
}

/* Past the type: the content must decode as that type (ASVS 4.0 V12.2.1:
 * files are what they claim by content, not by their first bytes only). */
static int file_decodes(const char *mime, const unsigned char *d, size_t len, aj_error *err)
{
    char found[24];
    if (strcmp(mime, "application/pdf") == 0) {
        if (file_pdf_active(d, len, found, sizeof found))
            return aj_fail(err, AJ_EINVAL, "file", "PDF 含有脚本或启动动作（%s），不予接受", found);
        return 0;
    }
    int ok = strcmp(mime, "image/jpeg") == 0  ? file_jpeg_ok(d, len)
             : strcmp(mime, "image/png") == 0 ? file_png_ok(d, len)
                                              : file_webp_ok(d, len);
    if (ok) return 0;
    return aj_fail(err, AJ_EINVAL, "file", "图片无法解码（文件头损坏或并非 %s 图片）",
                   mime + strlen("image/"));
}

int file_sniff(const void *data, size_t len, const char **mime, aj_error *err)
{
    /* Opened per call: a magic_t is not thread-safe, loading costs ~2 ms, and
     * uploads are rare next to the fsync that follows. */
    magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_TAR |
                           MAGIC_NO_CHECK_CDF | MAGIC_NO_CHECK_ELF);
    if (!m || magic_load(m, NULL) != 0) {
        log_error("libmagic: cannot load its database: %s", m ? magic_error(m) : "no memory");
        if (m) magic_close(m);
        return aj_fail(err, AJ_EDB, NULL, "无法识别文件类型");
    }
    const char *t = magic_buffer(m, data, len < FILE_SNIFF_BYTES ? len : FILE_SNIFF_BYTES);
    const unsigned char *d = data;
    *mime = NULL;
    for (size_t i = 0; t && i < sizeof file_types / sizeof file_types[0]; i++)
        /* libmagic's verdict, and the signature a browser would see at the
         * start, must agree: a file is served as exactly what it begins as. */
        if (strcmp(t, file_types[i].mime) == 0 && file_begins_as(i, d, len))
            *mime = file_types[i].mime;
    char seen[64];
    snprintf(seen, sizeof seen, "%s", t ? t : "unknown");
    magic_close(m);
    if (!*mime)
        return aj_fail(err, AJ_EINVAL, "file",
                       "不支持的文件类型（%s）：只接受 JPEG、PNG、WebP 图片和 PDF", seen);
    if (file_decodes(*mime, d, len, err)) {
        *mime = NULL;
        return err->rc;
    }
    return 0;
}

/* data_dir/files/ab/cdef…; -1 when it does not fit. */
static int file_blob_path(const char *data_dir, const char *sha, char *out, size_t n)
{
    int w = snprintf(out, n, "%s/files/%.2s/%s", data_dir, sha, sha + 2);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

static int file_fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* mkdir that tolerates an existing directory; a new entry is made durable in
 * its parent, so a blob's path survives a crash along with the blob. */
static int file_mkdir(const char *path)
{
    if (mkdir(path, 0750) == 0) {
        char parent[PATH_MAX];
        snprintf(parent, sizeof parent, "%s", path);
        char *slash = strrchr(parent, '/');
        if (slash && slash != parent) {
            *slash = 0;
            return file_fsync_dir(parent);
        }
        return file_fsync_dir(".");
    }
    struct stat st;
    return errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

static int file_write_all(int fd, const unsigned char *p, size_t len)
{
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Puts the blob in place: a temporary file, fsync, rename, fsync of the
 * directory. Content already stored under its hash is not written again. */
static int file_store(const char *data_dir, const char *sha, const void *data, size_t len,
                      aj_error *err)
{
    char files[PATH_MAX], dir[PATH_MAX], tmpdir[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX];
    if (snprintf(files, sizeof files, "%s/files", data_dir) >= (int)sizeof files ||
        snprintf(dir, sizeof dir, "%s/%.2s", files, sha) >= (int)sizeof dir ||
        snprintf(tmpdir, sizeof tmpdir, "%s/tmp", files) >= (int)sizeof tmpdir ||
        snprintf(tmp, sizeof tmp, "%s/up-XXXXXX", tmpdir) >= (int)sizeof tmp ||
        file_blob_path(data_dir, sha, path, sizeof path))
        return aj_fail(err, AJ_EDB, NULL, "数据目录路径过长");
    if (file_mkdir(data_dir) || file_mkdir(files) || file_mkdir(tmpdir) || file_mkdir(dir))
        goto io_fail;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == len) {
        /* Stored before; its directory entry may be a concurrent upload's
         * that is not yet durable, so make it so before a row points to it. */
        if (file_fsync_dir(dir)) goto io_fail;
        return 0;
    }
    int fd = mkstemp(tmp), e;
    if (fd < 0) goto io_fail;
    if (file_write_all(fd, data, len) || fsync(fd)) {
        e = errno;
        close(fd);
        unlink(tmp);
        errno = e;
        goto io_fail;
    }
    if (close(fd) || rename(tmp, path)) {
        e = errno;
        unlink(tmp);
        errno = e;
        goto io_fail;
    }
    if (file_fsync_dir(dir)) goto io_fail;
    return 0;
io_fail:
    e = errno;
    log_error("files: cannot store %s: %s", path, strerror(e));
    char why[160];
    snprintf(why, sizeof why, "files: cannot store a blob: %s", strerror(e));
    db_health_note(why);
    if (e == ENOSPC || e == EDQUOT) return aj_fail(err, AJ_EFULL, NULL, "%s", DB_FULL_MESSAGE);
    return aj_fail(err, AJ_EDB, NULL, "无法保存文件");
}

#define FILE_COLS "id, sha256, mime, size, uploaded_by, project_id, created_at"

static int file_load(db *c, int64_t id, arena *a, file_rec *out, aj_error *err)
{
    db_rows *r =
        db_query(c, "SELECT " FILE_COLS " FROM files WHERE id = $1", DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) {
        out->id = db_int(r, 0);
        snprintf(out->sha256, sizeof out->sha256, "%s", db_text(r, 1));
        out->mime = arena_strdup(a, db_text(r, 2));
        out->size = db_int(r, 3);
        out->uploaded_by = db_null(r, 4) ? 0 : db_int(r, 4);
        out->project_id = db_null(r, 5) ? 0 : db_int(r, 5);
        out->created_at = db_int(r, 6);
    }
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "文件不存在");
}

/* 1: some row of the query exists; 0: none; < 0: error. */
static int file_exists(db *c, const char *sql, int n, const db_val *args, aj_error *err)
{
    int64_t one;
    int rc = db_scalar(c, sql, n, args, &one, err);
    if (rc == AJ_ENOTFOUND) return 0;
    return rc ? rc : 1;
}

static int file_can_see_rec(db *c, const actor *who, const file_rec *f, aj_error *err)
{
    int rc;
    if (who->role == ROLE_NONE) goto hidden;
    if (who->id > 0 && f->uploaded_by == who->id) return 0;
    if (actor_is_company_wide(who)) return 0;
    if (actor_is_staff(who) && f->project_id) {
        rc = file_exists(c, "SELECT 1 FROM staff_projects WHERE user_id = $1 AND project_id = $2",
                         DB_ARGS(DB_INT(who->id), DB_INT(f->project_id)), err);
        if (rc) return rc < 0 ? rc : 0;
    }
    /* Attached to a ticket the caller can see: the ticket's own scope rule
     * (its resident or residents of its room; staff of its project). Reads
     * ticket_photos and tickets(project_id, room_id, resident_id) of 004. */
    if (who->role == ROLE_RESIDENT)
        rc = file_exists(c,
                         "SELECT 1 FROM ticket_photos tp JOIN tickets t ON t.id = tp.ticket_id"
                         " WHERE tp.file_id = $1 AND (t.resident_id = $2 OR t.room_id IN"
                         " (SELECT room_id FROM resident_rooms WHERE resident_id = $2)) LIMIT 1",
                         DB_ARGS(DB_INT(f->id), DB_INT(who->resident_id)), err);
    else if (actor_is_staff(who))
        rc = file_exists(c,
                         "SELECT 1 FROM ticket_photos tp JOIN tickets t ON t.id = tp.ticket_id"
                         " JOIN staff_projects sp ON sp.project_id = t.project_id"
                         " WHERE tp.file_id = $1 AND sp.user_id = $2 LIMIT 1",
                         DB_ARGS(DB_INT(f->id), DB_INT(who->id)), err);
    else
        rc = 0;
    if (rc) return rc < 0 ? rc : 0;
hidden:
    return aj_fail(err, AJ_ENOTFOUND, NULL, "文件不存在");
}

int file_can_see(db *c, const actor *who, int64_t file_id, aj_error *err)
{
    arena a;
    file_rec f;
    arena_init(&a, 256);
    int rc = file_load(c, file_id, &a, &f, err);
    if (!rc) rc = file_can_see_rec(c, who, &f, err);
    arena_free(&a);
    return rc;
}

int file_get(db *c, const actor *who, int64_t id, arena *a, file_rec *out, aj_error *err)
{
    if (file_load(c, id, a, out, err)) return err->rc;
    return file_can_see_rec(c, who, out, err);
}

int file_create_in(db *c, const actor *who, const char *data_dir, const void *data, size_t len,
                   int64_t project_id, arena *a, file_rec *out, aj_error *err)
{
    const char *mime;
    if (who->role == ROLE_NONE) return aj_fail(err, AJ_EAUTH, NULL, "请先登录");
    if (len == 0) return aj_fail(err, AJ_EINVAL, "file", "文件为空");
    if (len > FILE_SIZE_MAX)
        return aj_fail(err, AJ_ETOOLARGE, "file", "文件过大（上限 %u 字节）", FILE_SIZE_MAX);
    if (file_sniff(data, len, &mime, err)) return err->rc;
    if (project_id) {
        int rc = actor_can_see_project(c, who, project_id, err);
        if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_EINVAL, "project_id", "项目不存在");
        if (rc) return rc;
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    char sha[FILE_SHA256_HEX];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(sha, sizeof sha, h, sizeof h);
    if (file_store(data_dir, sha, data, len, err)) return err->rc;

    int64_t now = clock_now(), id;
    int rc = db_scalar(c,
                       "INSERT INTO files (sha256, mime, size, uploaded_by, project_id, created_at)"
                       " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                       DB_ARGS(DB_TEXT(sha), DB_TEXT(mime), DB_INT(len),
                               DB_OPT_INT(who->id > 0, who->id),
                               DB_OPT_INT(project_id != 0, project_id), DB_INT(now)),
                       &id, err);
    if (rc) return rc;
    json_t *ch = json_pack("{s:s, s:s, s:I}", "sha256", sha, "mime", mime, "size", (json_int_t)len);
    if (project_id) json_object_set_new(ch, "project_id", json_integer(project_id));
    rc = audit_append(c, who, "create", "file", id, ch, err);
    json_decref(ch);
    if (rc) return rc;
    *out = (file_rec){.id = id,
                      .mime = arena_strdup(a, mime),
                      .size = (int64_t)len,
                      .uploaded_by = who->id,
                      .project_id = project_id,
                      .created_at = now};
    memcpy(out->sha256, sha, sizeof sha);
    return 0;
}

int file_create(db *c, const actor *who, const char *data_dir, const void *data, size_t len,
                int64_t project_id, arena *a, file_rec *out, aj_error *err)
{
    if (db_begin(c, err)) return err->rc;
    if (file_create_in(c, who, data_dir, data, len, project_id, a, out, err) || db_commit(c, err)) {
        db_rollback(c);
        return err->rc;
    }
    return 0;
}

int file_open(const char *data_dir, const file_rec *f, int *fd, aj_error *err)
{
    char path[PATH_MAX];
    struct stat st;
    *fd = -1;
    if (strlen(f->sha256) != 64 || strspn(f->sha256, "0123456789abcdef") != 64 ||
        file_blob_path(data_dir, f->sha256, path, sizeof path))
        return aj_fail(err, AJ_EDB, NULL, "文件记录损坏");
    int d = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (d < 0 || fstat(d, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != f->size) {
        log_error("files: blob of file %lld missing or altered: %s", (long long)f->id, path);
        if (d >= 0) close(d);
        return aj_fail(err, AJ_EDB, NULL, "文件内容缺失");
    }
    *fd = d;
    return 0;
}
