/* http/static.c: the built web app (web/dist): files with their types, hashed
 * assets cached for a year, and index.html for every other page path (SPA). */
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/server.h"

static const char *static_mime(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".ttf", "font/ttf"},
        {".txt", "text/plain; charset=utf-8"},
        {".map", "application/json"},
        {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    };
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

static int static_open(const char *dir, const char *rel, struct stat *st)
{
    char full[1024];
    if (snprintf(full, sizeof full, "%s%s", dir, rel) >= (int)sizeof full) return -1;
    int fd = open(full, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return -1;
    }
    return fd;
}

void static_serve(req *r, const char *web_dir)
{
    const char *path = r->path;
    /* No way out of web_dir: refuse any ".." segment and backslashes. */
    if (strstr(path, "/..") || strchr(path, '\\') || path[0] != '/')
        return reply_fail(r, AJ_ENOTFOUND, NULL, "not found");
    struct stat st;
    int fd = -1;
    int is_index = 0;
    if (strcmp(path, "/") != 0) fd = static_open(web_dir, path, &st);
    if (fd < 0) {
        /* Missing files under /assets/ are real 404s; other paths are app routes. */
        if (strncmp(path, "/assets/", 8) == 0)
            return reply_fail(r, AJ_ENOTFOUND, NULL, "not found");
        fd = static_open(web_dir, "/index.html", &st);
        is_index = 1;
        if (fd < 0) {
            const char *msg = "Anju: the web app is not built (run `make`).\n";
            return reply_raw(r, 404, "text/plain; charset=utf-8", msg, strlen(msg));
        }
    }
    if (r->resp) MHD_destroy_response(r->resp);
    r->resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    MHD_add_response_header(r->resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            static_mime(is_index ? "/index.html" : path));
    if (!is_index && strncmp(path, "/assets/", 8) == 0)
        MHD_add_response_header(r->resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                                "public, max-age=31536000, immutable");
    else
        MHD_add_response_header(r->resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    r->status = 200;
}
