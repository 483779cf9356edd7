/* SPDX-License-Identifier: MIT */
/* libzip backend: the central directory once, members read on demand, nothing extracted. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "bundle_int.h"
#include "path.h"
#include "xalloc.h"

/* The libzip error text for a code (zipcmp's list_zip() sequence). */
static int zb_fail(struct diag *d, enum diag_code code, const char *what, int ze)
{
    zip_error_t error;
    int rc;

    zip_error_init_with_code(&error, ze);
    rc = diag_set(d, code, "%s: %s", what, zip_error_strerror(&error));
    zip_error_fini(&error);
    return rc;
}

static bool is_symlink(zip_t *za, zip_uint64_t i)
{
    zip_uint8_t opsys;
    zip_uint32_t attr;

    if (zip_file_get_external_attributes(za, i, 0, &opsys, &attr) != 0) {
        return false;
    }
    return opsys == ZIP_OPSYS_UNIX && ((attr >> 16) & S_IFMT) == S_IFLNK;
}

/* Why a member cannot be read, decided from the central directory alone. */
static char *member_problem(const zip_stat_t *st, bool escapes)
{
    if (escapes) {
        return xstrdup("member name leaves the bundle root (absolute or '..')");
    }
    if ((st->valid & ZIP_STAT_ENCRYPTION_METHOD) && st->encryption_method != ZIP_EM_NONE) {
        return xstrdup("member is encrypted");
    }
    if ((st->valid & ZIP_STAT_COMP_METHOD) &&
        !zip_compression_method_supported((zip_int32_t)st->comp_method, 0)) {
        return xasprintf("unsupported compression method %u", (unsigned)st->comp_method);
    }
    return NULL;
}

static void list_member(struct bundle *b, zip_t *za, zip_uint64_t i)
{
    zip_stat_t st;
    struct bundle_entry *e;
    bool escapes = false, dir;
    char *path;
    size_t len;

    zip_stat_init(&st);
    /* The name's own bytes: the image escapes what is not UTF-8 and keeps the bytes, rather
     * than let libzip guess CP437 and lose them. */
    if (zip_stat_index(za, i, ZIP_FL_ENC_RAW, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) {
        char *name = xasprintf("#%llu", (unsigned long long)i);
        e = bundle_add_entry(b, name, ENTRY_FILE);
        e->problem = xasprintf("unreadable central directory entry: %s", zip_strerror(za));
        e->index = i;
        free(name);
        return;
    }
    len = strlen(st.name);
    dir = len && st.name[len - 1] == '/';
    path = path_normalize(st.name, PATH_MEMBER, &escapes);
    if (!*path && !dir) {
        /* A member with no name ("", "/", "./"): it needs a path to be talked about. */
        free(path);
        path = xasprintf("#%llu", (unsigned long long)i);
        e = bundle_add_entry(b, path, ENTRY_FILE);
        e->problem = xstrdup("member has an empty name");
        e->index = i;
        free(path);
        return;
    }
    e = bundle_add_entry(b, *path ? path : st.name,
                         dir                 ? ENTRY_DIR
                         : is_symlink(za, i) ? ENTRY_SYMLINK
                                             : ENTRY_FILE);
    free(path);
    e->index = i;
    e->size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    e->stored = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : e->size;
    if (e->type == ENTRY_FILE) {
        e->problem = member_problem(&st, escapes);
        if (!e->problem) {
            e->problem = bundle_entry_problem(b, e->path, e->size, e->stored);
        }
    }
}

static int zb_read(struct bundle *b, const struct bundle_entry *e, unsigned char *buf, size_t cap,
                   size_t *got, struct diag *d)
{
    zip_file_t *zf = zip_fopen_index(b->priv, e->index, 0);
    int rc = 0;

    *got = 0;
    if (!zf) {
        return diag_set(d, DIAG_IO, "cannot open member: %s", zip_strerror(b->priv));
    }
    while (*got < cap) {
        zip_int64_t n = zip_fread(zf, buf + *got, cap - *got);
        if (n < 0) {
            rc = diag_set(d, DIAG_IO, "cannot read member: %s", zip_file_strerror(zf));
            break;
        }
        if (n == 0) {
            break;
        }
        *got += (size_t)n;
    }
    zip_fclose(zf);
    return rc;
}

static void zb_close(struct bundle *b)
{
    if (b->priv) {
        zip_discard(b->priv); /* read-only: never write the archive back */
    }
}

static const struct bundle_ops zb_ops = {zb_read, zb_close};

static int list_archive(struct bundle *b, zip_t *za);

int bundle_zip_open(struct bundle *b, const char *path, struct diag *d)
{
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &ze);

    if (!za) {
        char *what = xasprintf("cannot read '%s' as a zip archive", path);
        int rc = zb_fail(d, DIAG_INPUT, what, ze);
        free(what);
        return rc;
    }
    return list_archive(b, za);
}

int bundle_zip_open_memory(struct bundle *b, const void *data, size_t len, struct diag *d)
{
    zip_error_t error;
    zip_source_t *src;
    zip_t *za;
    int rc;

    zip_error_init(&error);
    src = zip_source_buffer_create(data, len, 0, &error);
    za = src ? zip_open_from_source(src, ZIP_RDONLY, &error) : NULL;
    if (!za) {
        zip_source_free(src);
        rc = diag_set(d, DIAG_INPUT, "cannot read '%s' as a zip archive: %s", b->name,
                      zip_error_strerror(&error));
        zip_error_fini(&error);
        return rc;
    }
    zip_error_fini(&error);
    return list_archive(b, za);
}

static int list_archive(struct bundle *b, zip_t *za)
{
    zip_int64_t n;

    b->priv = za;
    b->ops = &zb_ops;
    n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        if (b->nr >= b->limits.max_entries) {
            bundle_add_note(b, xasprintf("only the first %zu of %lld entries were read",
                                         b->limits.max_entries, (long long)n));
            break;
        }
        list_member(b, za, (zip_uint64_t)i);
    }
    return 0;
}
