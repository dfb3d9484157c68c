/* domain/core/file.c: uploads: the type by content, the blob by SHA-256 on disk, the
 * row with its audit entry, and who may see a file. */
#include "domain/core/file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <magic.h>
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
    if (file_mkdir(data_dir) || file_mkdir(files) || file_mkdir(tmpdir) || file_mkdir(dir)) {
        log_error("files: cannot create directories under %s: %s", files, strerror(errno));
        return aj_fail(err, AJ_EDB, NULL, "无法保存文件");
    }
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
    log_error("files: cannot store %s: %s", path, strerror(errno));
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

int file_create(db *c, const actor *who, const char *data_dir, const void *data, size_t len,
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
    if (db_begin(c, err)) return err->rc;
    int rc = db_scalar(c,
                       "INSERT INTO files (sha256, mime, size, uploaded_by, project_id, created_at)"
                       " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                       DB_ARGS(DB_TEXT(sha), DB_TEXT(mime), DB_INT(len),
                               DB_OPT_INT(who->id > 0, who->id),
                               DB_OPT_INT(project_id != 0, project_id), DB_INT(now)),
                       &id, err);
    if (rc) goto fail;
    json_t *ch = json_pack("{s:s, s:s, s:I}", "sha256", sha, "mime", mime, "size", (json_int_t)len);
    if (project_id) json_object_set_new(ch, "project_id", json_integer(project_id));
    rc = audit_append(c, who, "create", "file", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    *out = (file_rec){.id = id,
                      .mime = arena_strdup(a, mime),
                      .size = (int64_t)len,
                      .uploaded_by = who->id,
                      .project_id = project_id,
                      .created_at = now};
    memcpy(out->sha256, sha, sizeof sha);
    return 0;
fail:
    db_rollback(c);
    return err->rc;
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
