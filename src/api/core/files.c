/* api/core/files.c: HTTP face of uploads: multipart/form-data in, the stored file out. */
#include <stdio.h>
#include <string.h>

#include "api/core/core_api.h"
#include "domain/core/core.h"
#include "http/multipart.h"
#include "http/server.h"

/* "file" and "project_id", with room for a client's stray extras to be named
 * in the refusal rather than "too many parts". */
#define FILES_MAX_PARTS 8

static json_t *files_json(const file_rec *f)
{
    return json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)f->id, "sha256", f->sha256, "mime",
                     f->mime, "size", (json_int_t)f->size);
}

/* The optional project_id field: a positive decimal integer, nothing else. */
static int files_project_id(const multipart_part *p, int64_t *out, aj_error *err)
{
    int64_t v = 0;
    if (p->len == 0 || p->len > 18) goto bad;
    for (size_t i = 0; i < p->len; i++) {
        if (p->data[i] < '0' || p->data[i] > '9') goto bad;
        v = v * 10 + (p->data[i] - '0');
    }
    if (v <= 0) goto bad;
    *out = v;
    return 0;
bad:
    return aj_fail(err, AJ_EINVAL, "project_id", "project_id 须为正整数");
}

void api_files_upload(req *r)
{
    multipart_part parts[FILES_MAX_PARTS];
    size_t n, nfile, nproject;
    const char *why;
    int64_t project_id = 0;
    file_rec f;
    if (r->too_large)
        return reply_fail(r, AJ_ETOOLARGE, "file", "文件过大（上限 %u 字节）", FILE_SIZE_MAX);
    if (multipart_parse(r->body, r->body_len, req_header(r, "Content-Type"), parts, FILES_MAX_PARTS,
                        &n, &why))
        return reply_fail(r, AJ_EINVAL, "file", "上传须为 multipart/form-data，字段 file：%s", why);
    for (size_t i = 0; i < n; i++)
        if (strcmp(parts[i].name, "file") && strcmp(parts[i].name, "project_id"))
            return reply_fail(r, AJ_EINVAL, parts[i].name, "未知字段（只接受 file 和 project_id）");
    const multipart_part *fp = multipart_find(parts, n, "file", &nfile);
    const multipart_part *pp = multipart_find(parts, n, "project_id", &nproject);
    if (!fp) return reply_fail(r, AJ_EINVAL, "file", "缺少文件字段 file");
    if (nfile > 1) return reply_fail(r, AJ_EINVAL, "file", "一次只能上传一个文件");
    if (nproject > 1) return reply_fail(r, AJ_EINVAL, "project_id", "project_id 重复");
    if (pp && files_project_id(pp, &project_id, &r->err)) return reply_error(r);
    if (file_create(r->db, &r->who, r->cfg->data_dir, fp->data, fp->len, project_id, &r->a,
                    &f, &r->err))
        return reply_error(r);
    reply_json(r, 201, files_json(&f));
}

/* If-None-Match: "*" or a list of entity tags, weak ones (W/"...") too. */
static int files_etag_matches(const char *inm, const char *etag)
{
    size_t n = strlen(etag);
    if (!inm) return 0;
    for (const char *p = inm; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        if (*p == '*') return 1;
        if (p[0] == 'W' && p[1] == '/') p += 2;
        if (strncmp(p, etag, n) == 0 && (p[n] == 0 || p[n] == ',' || p[n] == ' ' || p[n] == '\t'))
            return 1;
        while (*p && *p != ',') p++;
    }
    return 0;
}

void api_files_get(req *r)
{
    int64_t id;
    file_rec f;
    int fd;
    char etag[FILE_SHA256_HEX + 2];
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (file_get(r->db, &r->who, id, &r->a, &f, &r->err)) return reply_error(r);
    /* The content never changes under an id: its hash is its version. */
    snprintf(etag, sizeof etag, "\"%s\"", f.sha256);
    if (files_etag_matches(req_header(r, "If-None-Match"), etag)) {
        reply_status(r, 304);
    } else {
        if (file_open(r->cfg->data_dir, &f, &fd, &r->err)) return reply_error(r);
        reply_fd(r, 200, f.mime, fd, (uint64_t)f.size);
        /* A PDF is never rendered in our origin: a script hidden in a
         * compressed object stream escapes the upload check. Photos show
         * inline. Either way the file runs nothing of ours (sandbox). */
        reply_header(r, "Content-Disposition",
                     strcmp(f.mime, "application/pdf") == 0 ? "attachment; filename=\"file.pdf\""
                                                            : "inline");
        reply_header(r, "Content-Security-Policy", "sandbox; default-src 'none'");
    }
    /* Revalidated on every use (ASVS 4.0 V8.2.1: sensitive data is not kept
     * in caches beyond its access): a browser keeps the bytes but asks again,
     * so a revoked access is a 404, not a year of cached photos; the answer
     * to a browser that has them is a 304 without the body. */
    reply_header(r, "Cache-Control", "private, no-cache");
    reply_header(r, "ETag", etag);
}
