/* SPDX-License-Identifier: MIT */
/* libzip backend: the central directory once, members read on demand, nothing extracted;
 * deflated members read whole are inflated by libdeflate. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bundle_int.h"
#include "deflateapi.h"
#include "path.h"
#include "xalloc.h"
#include "zipapi.h"

/* The libzip error text for a code (zipcmp's list_zip() sequence). */
static int zb_fail(struct diag *d, enum diag_code code, const char *what, int ze)
{
    zip_error_t error;
    int rc;

    ZIP(zip_error_init_with_code)(&error, ze);
    rc = diag_set(d, code, "%s: %s", what, ZIP(zip_error_strerror)(&error));
    ZIP(zip_error_fini)(&error);
    return rc;
}

/* The Unix mode of member i (type and permission bits), 0 when it has none: written on a
 * system that has no such thing (Windows: opsys MS-DOS), or with its bits left out. */
static uint32_t unix_mode(zip_t *za, zip_uint64_t i)
{
    zip_uint8_t opsys;
    zip_uint32_t attr;

    if (ZIP(zip_file_get_external_attributes)(za, i, 0, &opsys, &attr) != 0 ||
        opsys != ZIP_OPSYS_UNIX) {
        return 0;
    }
    return attr >> 16;
}

static bool is_symlink(zip_t *za, zip_uint64_t i)
{
    return (unix_mode(za, i) & S_IFMT) == S_IFLNK;
}

/* APPNOTE.TXT 4.4.5's names for the methods a zip tool may pick instead of Deflate. */
static const char *method_name(zip_uint16_t method)
{
    switch (method) {
    case 9:
        return "Deflate64";
    case 12:
        return "bzip2";
    case 14:
        return "LZMA";
    case 93:
        return "Zstandard";
    case 95:
        return "xz";
    case 98:
        return "PPMd";
    default:
        return "an unknown method";
    }
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
        !ZIP(zip_compression_method_supported)((zip_int32_t)st->comp_method, 0)) {
        return xasprintf("compressed with %s (method %u), which abiscan cannot inflate",
                         method_name(st->comp_method), (unsigned)st->comp_method);
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

    ZIP(zip_stat_init)(&st);
    /* The name's own bytes: the image escapes what is not UTF-8 and keeps the bytes, rather
     * than let libzip guess CP437 and lose them. */
    if (ZIP(zip_stat_index)(za, i, ZIP_FL_ENC_RAW, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) {
        char *name = xasprintf("#%llu", (unsigned long long)i);
        e = bundle_add_entry(b, name, ENTRY_FILE);
        e->problem = xasprintf("unreadable central directory entry: %s", ZIP(zip_strerror)(za));
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
    e->crc = (st.valid & ZIP_STAT_CRC) ? st.crc : 0;
    e->method = (st.valid & ZIP_STAT_COMP_METHOD) ? (int32_t)st.comp_method : -1;
    if (e->type == ENTRY_FILE) {
        /* Only the permission bits: whether it runs (bootstrap, bin/) is the checks' to say. */
        e->mode = unix_mode(za, i) & 07777;
        e->mode_lost = !e->mode;
        e->problem = member_problem(&st, escapes);
        if (!e->problem) {
            e->problem = bundle_entry_problem(b, e->path, e->size, e->stored);
        }
    }
}

/* The bundle's own: the archive it was listed from, and how to open it again. */
struct zip_state {
    zip_t *za;
    const void *mem; /* a zip in memory (borrowed), or NULL: b->name is the file */
    size_t mem_len;
    zip_int64_t entries; /* as listed: a reopened archive must say the same */
};

/* A reader's own: an archive handle (libzip's are not shared between threads), the
 * inflater, and the buffer a member's raw stream is read into. */
struct zip_reader {
    zip_t *za;
    bool owned;
    struct libdeflate_decompressor *dec;
    struct bundle_buf raw; /* a member's deflated bytes */
};

static zip_t *open_again(const struct bundle *b, const struct zip_state *s, struct diag *d)
{
    zip_error_t error;
    zip_t *za = NULL;
    int ze = 0;

    if (s->mem) {
        zip_source_t *src;
        ZIP(zip_error_init)(&error);
        src = ZIP(zip_source_buffer_create)(s->mem, s->mem_len, 0, &error);
        za = src ? ZIP(zip_open_from_source)(src, ZIP_RDONLY, &error) : NULL;
        if (!za) {
            ZIP(zip_source_free)(src);
            ze = ZIP(zip_error_code_zip)(&error);
        }
        ZIP(zip_error_fini)(&error);
    } else {
        za = ZIP(zip_open)(b->name, ZIP_RDONLY, &ze);
    }
    if (!za) {
        char *what = xasprintf("cannot open '%s' again", b->name);
        zb_fail(d, DIAG_IO, what, ze);
        free(what);
        return NULL;
    }
    if (ZIP(zip_get_num_entries)(za, 0) != s->entries) {
        ZIP(zip_discard)(za);
        diag_set(d, DIAG_IO, "'%s' changed while it was read", b->name);
        return NULL;
    }
    return za;
}

static int zr_open(struct bundle_reader *r, bool first, struct diag *d)
{
    const struct zip_state *s = r->b->priv;
    struct zip_reader *z = xcalloc(1, sizeof(*z));

    z->za = first ? s->za : open_again(r->b, s, d);
    z->owned = !first;
    if (!z->za) {
        free(z);
        return -1;
    }
    z->dec = libdeflate_alloc_decompressor();
    if (!z->dec) {
        xalloc_die(sizeof(*z));
    }
    r->priv = z;
    return 0;
}

static void zr_close(struct bundle_reader *r)
{
    struct zip_reader *z = r->priv;

    if (z->owned) {
        ZIP(zip_discard)(z->za);
    }
    libdeflate_free_decompressor(z->dec);
    bundle_buf_release(&z->raw);
    free(z);
}

/* Up to cap bytes of the member's content (flags 0) or of its stored bytes
 * (ZIP_FL_COMPRESSED), through libzip's stream. */
static int zr_stream(zip_t *za, const struct bundle_entry *e, zip_flags_t flags, unsigned char *buf,
                     size_t cap, size_t *got, struct diag *d)
{
    zip_file_t *zf = ZIP(zip_fopen_index)(za, e->index, flags);
    int rc = 0;

    *got = 0;
    if (!zf) {
        return diag_set(d, DIAG_IO, "cannot open member: %s", ZIP(zip_strerror)(za));
    }
    while (*got < cap) {
        zip_int64_t n = ZIP(zip_fread)(zf, buf + *got, cap - *got);
        if (n < 0) {
            rc = diag_set(d, DIAG_IO, "cannot read member: %s", ZIP(zip_file_strerror)(zf));
            break;
        }
        if (n == 0) {
            break;
        }
        *got += (size_t)n;
    }
    ZIP(zip_fclose)(zf);
    return rc;
}

static int zr_read(struct bundle_reader *r, const struct bundle_entry *e, unsigned char *buf,
                   size_t cap, size_t *got, struct diag *d)
{
    return zr_stream(((struct zip_reader *)r->priv)->za, e, 0, buf, cap, got, d);
}

/* The deflated bytes' buffer is kept from one member to the next up to this size. */
#define RAW_KEEP (4u << 20)

/* A deflated member, whole: its raw stream from libzip, inflated at once by libdeflate into
 * a buffer one byte larger than declared (a longer member shows as longer), its CRC checked
 * by libdeflate_crc32. About twice zlib's speed on the .so members of real bundles
 * (CONTRIBUTING.md#house-rules, zip). Other methods go through libzip's stream. */
static int zr_whole(struct bundle_reader *r, const struct bundle_entry *e, struct bundle_bytes *out,
                    struct diag *d)
{
    struct zip_reader *z = r->priv;
    size_t cap = (size_t)e->size + 1, raw_len = 0, actual = 0;
    enum libdeflate_result res;

    out->data = bundle_reader_buffer(r, cap);
    /* The raw stream is read whole too: only when the central directory's compressed size
     * is one deflate can have for this content (stored blocks add 5 bytes in 65535); any
     * other claim goes through libzip's stream, which never holds more than a block. */
    if (e->method != ZIP_CM_DEFLATE || e->stored > e->size + e->size / 8 + 4096) {
        if (zr_stream(z->za, e, 0, out->data, cap, &out->len, d) != 0) {
            goto fail;
        }
        return 0;
    }
    bundle_buf_reserve(&z->raw, (size_t)e->stored + 1);
    if (zr_stream(z->za, e, ZIP_FL_COMPRESSED, z->raw.p, (size_t)e->stored + 1, &raw_len, d) != 0) {
        goto fail;
    }
    if (raw_len != e->stored) {
        diag_set(d, DIAG_IO,
                 "cannot read member: its compressed data has %s bytes than the "
                 "%llu the archive declares",
                 raw_len > e->stored ? "more" : "fewer", (unsigned long long)e->stored);
        goto fail;
    }
    res = libdeflate_deflate_decompress(z->dec, z->raw.p, raw_len, out->data, cap, &actual);
    if (z->raw.cap > RAW_KEEP) {
        bundle_buf_release(&z->raw); /* the output is the one buffer a thread keeps large */
    }
    if (res == LIBDEFLATE_INSUFFICIENT_SPACE) {
        out->len = cap; /* longer than declared: the caller says so */
        return 0;
    }
    if (res != LIBDEFLATE_SUCCESS) {
        diag_set(d, DIAG_IO, "cannot read member: Compressed data invalid");
        goto fail;
    }
    out->len = actual;
    if (actual == e->size && libdeflate_crc32(0, out->data, actual) != e->crc) {
        diag_set(d, DIAG_IO, "cannot read member: CRC error");
        goto fail;
    }
    return 0;
fail:
    out->data = NULL;
    return -1;
}

static void zb_close(struct bundle *b)
{
    struct zip_state *s = b->priv;

    if (s) {
        ZIP(zip_discard)(s->za); /* read-only: never write the archive back */
        free(s);
    }
}

static const struct bundle_ops zb_ops = {
    .reader_open = zr_open,
    .reader_close = zr_close,
    .read = zr_read,
    .whole = zr_whole,
    .close = zb_close,
};

static int list_archive(struct bundle *b, zip_t *za, const void *mem, size_t mem_len);

int bundle_zip_open(struct bundle *b, const char *path, struct diag *d)
{
    int ze = 0;
    zip_t *za;

    if (zipapi_load(d) != 0 || deflateapi_load(d) != 0) {
        return diag_prefix(d, "'%s'", path);
    }
    za = ZIP(zip_open)(path, ZIP_RDONLY, &ze);

    if (!za) {
        char *what = xasprintf("cannot read '%s' as a zip archive", path);
        int rc = zb_fail(d, DIAG_INPUT, what, ze);
        free(what);
        return rc;
    }
    return list_archive(b, za, NULL, 0);
}

int bundle_zip_open_memory(struct bundle *b, const void *data, size_t len, struct diag *d)
{
    zip_error_t error;
    zip_source_t *src;
    zip_t *za;
    int rc;

    if (zipapi_load(d) != 0 || deflateapi_load(d) != 0) {
        return diag_prefix(d, "'%s'", b->name);
    }
    ZIP(zip_error_init)(&error);
    src = ZIP(zip_source_buffer_create)(data, len, 0, &error);
    za = src ? ZIP(zip_open_from_source)(src, ZIP_RDONLY, &error) : NULL;
    if (!za) {
        ZIP(zip_source_free)(src);
        rc = diag_set(d, DIAG_INPUT, "cannot read '%s' as a zip archive: %s", b->name,
                      ZIP(zip_error_strerror)(&error));
        ZIP(zip_error_fini)(&error);
        return rc;
    }
    ZIP(zip_error_fini)(&error);
    return list_archive(b, za, data, len);
}

static int list_archive(struct bundle *b, zip_t *za, const void *mem, size_t mem_len)
{
    struct zip_state *s = xcalloc(1, sizeof(*s));
    zip_int64_t n;

    s->za = za;
    s->mem = mem;
    s->mem_len = mem_len;
    b->priv = s;
    b->ops = &zb_ops;
    n = s->entries = ZIP(zip_get_num_entries)(za, 0);
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
