/* domain/core/file.h: uploaded files (photos, documents): typed by content,
 * stored once per content under the data directory, seen only in scope. */
#ifndef AJ_FILE_H
#define AJ_FILE_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "domain/core/actor.h"

#define FILE_SIZE_MAX (10u << 20) /* the upload body limit */
#define FILE_SHA256_HEX 65

typedef struct file_rec {
    int64_t id;
    char sha256[FILE_SHA256_HEX]; /* lowercase hex: the blob's name on disk */
    const char *mime;             /* one of the accepted types */
    int64_t size;
    int64_t uploaded_by; /* users.id */
    int64_t project_id;  /* 0: not tied to a project */
    int64_t created_at;
} file_rec;

/* The type of data by its content (libmagic), never by a name: image/jpeg,
 * image/png, image/webp or application/pdf; anything else is 422 on "file"
 * naming the accepted types. */
int file_sniff(const void *data, size_t len, const char **mime, aj_error *err);

/* Stores data as data_dir/files/ab/cdef… (its SHA-256; identical content is
 * written once) and records the upload by who, tied to project_id when it is
 * not 0 (422 on "project_id" unless the caller sees that project). The blob is
 * on disk (fsynced, renamed into place) before its row is committed, so no row
 * ever points to nothing; a crash in between leaves only an unreferenced blob. */
int file_create(db *c, const actor *who, const char *data_dir, const void *data, size_t len,
                int64_t project_id, arena *a, file_rec *out, aj_error *err);
/* The same inside the caller's write transaction (the demo's photos). */
int file_create_in(db *c, const actor *who, const char *data_dir, const void *data, size_t len,
                   int64_t project_id, arena *a, file_rec *out, aj_error *err);

/* 0 when who may see file file_id; AJ_ENOTFOUND otherwise (also when there is no
 * such file). Who may: the uploader; company-wide roles; staff of the file's
 * project; and anyone who can see a ticket the file is attached to
 * (ticket_photos): the ticket's resident, residents bound to its room, staff of
 * its project. The ticket part needs ticket_photos and tickets of
 * 004_tickets.sql. */
int file_can_see(db *c, const actor *who, int64_t file_id, aj_error *err);

/* The file's record, checked by file_can_see. */
int file_get(db *c, const actor *who, int64_t id, arena *a, file_rec *out, aj_error *err);

/* Opens the blob of f for reading: *fd, to be closed by the caller (or handed
 * to the HTTP response). A missing or altered blob is an internal error. */
int file_open(const char *data_dir, const file_rec *f, int *fd, aj_error *err);

#endif
