/* SPDX-License-Identifier: MIT */
/*
 * An image's layers (OCI image-spec layer.md): tar streams, gzip-, zstd- or un-compressed,
 * read with libarchive straight from their run of bytes in the archive, never extracted.
 * Listed once (every header, the digest checked as the bytes go by) and applied in order
 * with their whiteouts into one filesystem (bundle_layers_apply.c); bundle_stream.c streams
 * them a second time, only as far as the last member the reading phase wants, for those
 * members' bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archapi.h"
#include "bundle_image_int.h"
#include "path.h"
#include "strmap.h"
#include "workers.h"
#include "xalloc.h"

/* A layer past this many uncompressed bytes that inflates past BOMB_RATIO:1 overall is a
 * tar bomb, not a filesystem: gzip tops out near 1032:1, a real layer at a few to one
 * (the zip backend's rule, bundle.c, on a whole stream). */
#define BOMB_MIN (64ull << 20)
#define BOMB_RATIO 1000
#define RAW_BLOCK (256u << 10)

static la_ssize_t range_read(struct archive *a, void *ctx, const void **out)
{
    struct range *r = ctx;
    size_t want = r->src.len - r->pos < RAW_BLOCK ? (size_t)(r->src.len - r->pos) : RAW_BLOCK;
    size_t got = 0;

    while (got < want) {
        ssize_t n = pread(r->src.fd, r->buf + got, want - got, (off_t)(r->src.off + r->pos + got));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            snprintf(r->why, sizeof(r->why), "%s", n < 0 ? strerror(errno) : "the file is shorter");
            ARC(archive_set_error)(a, EIO, "cannot read the layer: %s", r->why);
            return -1;
        }
        got += (size_t)n;
    }
    if (r->dg) {
        digester_update(r->dg, r->buf, got);
    }
    r->pos += got;
    *out = r->buf;
    return (la_ssize_t)got;
}

/* Only when nothing is hashed: an uncompressed layer's unread members are then jumped over. */
static la_int64_t range_skip(struct archive *a, void *ctx, la_int64_t request)
{
    struct range *r = ctx;
    uint64_t left = r->src.len - r->pos;
    uint64_t n = request < 0 ? 0 : (uint64_t)request < left ? (uint64_t)request : left;

    (void)a;
    r->pos += n;
    return (la_int64_t)n;
}

/* A tar reader over r, gzip, zstd or nothing in front (libarchive's own decoders: Debian's
 * links zlib and libzstd, so no external program is ever run). NULL with why set. */
struct archive *range_open(struct range *r, char *why, size_t cap)
{
    struct archive *a = ARC(archive_read_new)();

    if (!a) {
        xalloc_die(sizeof(struct range));
    }
    r->buf = xmalloc(RAW_BLOCK);
    if (ARC(archive_read_support_filter_gzip)(a) != ARCHIVE_OK ||
        ARC(archive_read_support_filter_zstd)(a) != ARCHIVE_OK ||
        ARC(archive_read_support_format_tar)(a) != ARCHIVE_OK ||
        ARC(archive_read_open2)(a, r, NULL, range_read, r->dg ? NULL : range_skip, NULL) !=
            ARCHIVE_OK) {
        snprintf(why, cap, "%s",
                 ARC(archive_error_string)(a) ? ARC(archive_error_string)(a) : "unreadable");
        ARC(archive_read_free)(a);
        return NULL;
    }
    return a;
}

void range_close(struct archive *a, struct range *r)
{
    if (a) {
        ARC(archive_read_free)(a);
    }
    free(r->buf);
    r->buf = NULL;
}

/* ---- listing ------------------------------------------------------------------------ */

struct list_job {
    const struct bundle *b;
    struct layer *layers;
    struct listing *ls;
};

static struct record *add_record(struct listing *ls, enum rec_type type, char *path)
{
    struct record *r;

    ALLOC_GROW(ls->v, ls->nr + 1, ls->alloc);
    r = &ls->v[ls->nr++];
    memset(r, 0, sizeof(*r));
    r->type = type;
    r->path = path;
    return r;
}

static bool bomb(uint64_t out, uint64_t in)
{
    return out > BOMB_MIN && out / (in ? in : 1) > BOMB_RATIO;
}

/* A whiteout's name: ".wh..wh..opq" marks its directory opaque; ".wh.NAME" removes NAME;
 * ".wh..wh.*" are aufs' own (hard-link bookkeeping), never applied (image-spec layer.md
 * "Whiteouts"). 1: a whiteout record was added (or refused); 0: not a whiteout. */
static int whiteout(struct listing *ls, const char *path, size_t dir_len, uint64_t ordinal)
{
    const char *base = path + dir_len + (dir_len > 0);
    const char *name = base + 4;
    struct record *r;

    if (strncmp(base, ".wh.", 4) != 0) {
        return 0;
    }
    if (!strcmp(name, ".wh..opq")) {
        r = add_record(ls, REC_OPAQUE, xstrndup(path, dir_len));
    } else if (!strncmp(name, ".wh.", 4)) {
        return 1;
    } else if (!*name || !strcmp(name, ".") || !strcmp(name, "..")) {
        r = add_record(ls, REC_BAD, xstrdup(path));
        r->problem = xasprintf("a whiteout of '%s', which climbs out of its directory: no "
                               "runtime applies the layer",
                               name);
    } else {
        r = add_record(ls, REC_WHITEOUT,
                       xasprintf("%.*s%s%s", (int)dir_len, path, dir_len ? "/" : "", name));
    }
    r->ordinal = ordinal;
    return 1;
}

/* One header into a record: its normalised path, its type, what a link points to. */
static void list_header(struct listing *ls, struct archive_entry *ae, uint64_t ordinal)
{
    const char *raw = ARC(archive_entry_pathname)(ae), *hard = ARC(archive_entry_hardlink)(ae);
    bool escapes = false;
    char *path = path_normalize(raw ? raw : "", PATH_RELATIVE, &escapes);
    unsigned type = ARC(archive_entry_filetype)(ae);
    struct record *r;

    if (escapes || !*path) {
        r = add_record(ls, REC_BAD, path_normalize(raw ? raw : "", PATH_MEMBER, NULL));
        r->problem = xstrdup(escapes ? "a name that climbs out of the image root (..): no "
                                       "runtime applies the layer"
                                     : "an entry with an empty name");
        r->ordinal = ordinal;
        if (!*r->path) {
            free(r->path);
            r->path = xasprintf("#%llu", (unsigned long long)ordinal);
        }
        free(path);
        return;
    }
    if (whiteout(ls, path, path_dir_len(path), ordinal)) {
        free(path);
        return;
    }
    r = add_record(ls,
                   hard               ? REC_HARDLINK
                   : type == AE_IFREG ? REC_FILE
                   : type == AE_IFDIR ? REC_DIR
                   : type == AE_IFLNK ? REC_SYMLINK
                                      : REC_SPECIAL,
                   path);
    r->ordinal = ordinal;
    r->mode = (uint32_t)ARC(archive_entry_perm)(ae) & 07777;
    r->size = ARC(archive_entry_size_is_set)(ae) && ARC(archive_entry_size)(ae) > 0
                  ? (uint64_t)ARC(archive_entry_size)(ae)
                  : 0;
    if (hard) {
        bool out = false;
        r->link = path_normalize(hard, PATH_RELATIVE, &out);
        if (out || !*r->link) {
            r->type = REC_BAD;
            r->problem = xstrdup("a hard link that climbs out of the image root (..): no "
                                 "runtime applies the layer");
        }
    } else if (type == AE_IFLNK) {
        r->link = xstrdup(ARC(archive_entry_symlink)(ae) ? ARC(archive_entry_symlink)(ae) : "");
    } else if (type == AE_IFREG && ARC(archive_entry_sparse_count)(ae) > 0) {
        r->problem = xstrdup("a sparse file: not read");
    }
}

/*
 * The listing reads a layer once, in two stages: a raw reader decompresses its blob (gzip,
 * zstd or nothing: libarchive's own decoders), and a tar reader takes what it hands over.
 * Every decompressed byte is counted, the tar's end blocks and a writer's padding after its
 * last entry too, so that the layer's size is its tar stream's, exactly; and a failure is
 * known to be the decompressor's or the tar's, to be said in words.
 */
struct unpack {
    struct archive *raw; /* over the blob: filters, then the raw format */
    struct range *r;
    uint64_t out; /* decompressed bytes handed over so far */
    bool eof;     /* the decompressed stream ended */
    bool broke;   /* the decompressor failed: why says how */
    char why[256];
};

static la_ssize_t unpack_read(struct archive *a, void *ctx, const void **buf)
{
    struct unpack *u = ctx;
    size_t len = 0;
    la_int64_t off;
    int rc;

    if (u->eof) {
        return 0;
    }
    rc = ARC(archive_read_data_block)(u->raw, buf, &len, &off);
    if (rc == ARCHIVE_EOF) {
        u->eof = true;
        return 0;
    }
    if (rc != ARCHIVE_OK) {
        u->broke = true;
        snprintf(u->why, sizeof(u->why), "%s",
                 ARC(archive_error_string)(u->raw) ? ARC(archive_error_string)(u->raw)
                                                   : "it cannot be decompressed");
        ARC(archive_set_error)(a, EIO, "%s", u->why);
        return -1;
    }
    u->out += len;
    return (la_ssize_t)len;
}

/* The two stages over r; 0, or -1 with u->broke set (the blob cannot be opened at all). */
static int unpack_open(struct unpack *u, struct range *r, struct archive **tar)
{
    struct archive_entry *ae;

    u->r = r;
    r->buf = xmalloc(RAW_BLOCK);
    u->raw = ARC(archive_read_new)();
    *tar = ARC(archive_read_new)();
    if (!u->raw || !*tar) {
        xalloc_die(sizeof(struct archive *));
    }
    if (ARC(archive_read_support_filter_gzip)(u->raw) != ARCHIVE_OK ||
        ARC(archive_read_support_filter_zstd)(u->raw) != ARCHIVE_OK ||
        ARC(archive_read_support_format_raw)(u->raw) != ARCHIVE_OK ||
        ARC(archive_read_open2)(u->raw, r, NULL, range_read, NULL, NULL) != ARCHIVE_OK ||
        ARC(archive_read_next_header)(u->raw, &ae) != ARCHIVE_OK) {
        u->broke = true;
        snprintf(u->why, sizeof(u->why), "%s",
                 ARC(archive_error_string)(u->raw) ? ARC(archive_error_string)(u->raw)
                                                   : "it cannot be read");
        return -1;
    }
    if (ARC(archive_read_support_format_tar)(*tar) != ARCHIVE_OK ||
        ARC(archive_read_open2)(*tar, u, NULL, unpack_read, NULL, NULL) != ARCHIVE_OK) {
        /* the tar reader reads its first block as it opens: a failure is the data's */
        return u->broke ? -1 : 1;
    }
    return 0;
}

static void unpack_close(struct unpack *u, struct archive *tar)
{
    if (tar) {
        ARC(archive_read_free)(tar);
    }
    if (u->raw) {
        ARC(archive_read_free)(u->raw);
    }
    free(u->r->buf);
    u->r->buf = NULL;
}

/* What a layer's blob is, by its first bytes: "gzip", "zstd", or NULL (plain, or other). */
static const char *blob_comp(const struct blob *src, unsigned char m[4], size_t *got)
{
    ssize_t n = src->fd >= 0 ? pread(src->fd, m, 4, (off_t)src->off) : -1;

    *got = n > 0 ? (size_t)n : 0;
    if (*got >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
        return "gzip";
    }
    if (*got >= 4 && !memcmp(m, "\x28\xb5\x2f\xfd", 4)) {
        return "zstd";
    }
    return NULL;
}

/* Why a layer could not be listed, in words: the stage that failed (the decompressor, or the
 * tar reader after `done` entries, inside the last of them when in_data), from what the
 * bytes are and what its media type says. */
static char *in_words(const struct layer *l, const struct unpack *u, struct archive *tar,
                      uint64_t done, const char *last, bool in_data)
{
    static const char *const said[] = {[COMP_GZIP] = "gzip", [COMP_ZSTD] = "zstd"};
    unsigned char m[4];
    size_t got;
    const char *comp = blob_comp(&l->src, m, &got), *msg;
    char start[64] = "it is empty", where[320];

    if (got) {
        snprintf(start, sizeof(start), "it starts with");
        for (size_t i = 0; i < got; i++) {
            snprintf(start + strlen(start), sizeof(start) - strlen(start), " %02x", m[i]);
        }
    }
    if ((l->comp == COMP_GZIP || l->comp == COMP_ZSTD) && (!comp || strcmp(comp, said[l->comp]))) {
        return xasprintf("not %s data, which its media type says it is (%s)", said[l->comp], start);
    }
    if (u->broke) {
        if (strstr(u->why, "runcated")) {
            return xasprintf("truncated: its %s stream breaks off after %llu bytes, before its "
                             "end",
                             comp ? comp : "compressed", (unsigned long long)u->r->src.len);
        }
        return xasprintf("corrupt %s%sdata: it does not decompress (%s)", comp ? comp : "",
                         comp ? " " : "", u->why);
    }
    msg = tar && ARC(archive_error_string)(tar) ? ARC(archive_error_string)(tar) : "unreadable";
    if (!done && !in_data) {
        return comp ? xasprintf("its %s data holds no tar stream (%s)", comp, msg)
                    : xasprintf("not a tar stream, plain, gzip or zstd (%s)", start);
    }
    snprintf(where, sizeof(where), "%s entry %llu (%s)", in_data ? "inside" : "after",
             (unsigned long long)done, last);
    if (u->eof) {
        return xasprintf("truncated: its tar stream ends after %llu bytes, %s",
                         (unsigned long long)u->out, where);
    }
    return xasprintf("its tar stream breaks %s: %s", where, msg);
}

/* Every byte of a member's data through the tar reader (so that the digest and the bomb
 * check see it); 0, or -1 with *why set in words. A read limit given (max_total_read: the
 * fuzzers') caps a layer's uncompressed bytes; by default an image's layers are read to
 * their end, which the bomb check bounds by what the archive holds. */
static int drain(struct archive *a, const struct unpack *u, uint64_t cap_bytes, char **why)
{
    const void *buf;
    size_t len;
    la_int64_t off;
    int rc;

    while ((rc = ARC(archive_read_data_block)(a, &buf, &len, &off)) == ARCHIVE_OK) {
        if (cap_bytes && u->out > cap_bytes) {
            *why = xasprintf("it inflates past the read limit of %llu bytes",
                             (unsigned long long)cap_bytes);
            return -1;
        }
        if (bomb(u->out, u->r->pos)) {
            *why = xasprintf("it inflates past %d:1 (%llu bytes from %llu): a tar bomb, not a "
                             "filesystem",
                             BOMB_RATIO, (unsigned long long)u->out, (unsigned long long)u->r->pos);
            return -1;
        }
    }
    return rc == ARCHIVE_EOF ? 0 : -1;
}

/* What is left of the blob after the tar's end (padding, a compressed stream's trailer),
 * into the digest. */
static int hash_rest(struct range *r)
{
    while (r->pos < r->src.len) {
        size_t n = r->src.len - r->pos < RAW_BLOCK ? (size_t)(r->src.len - r->pos) : RAW_BLOCK;
        ssize_t got = pread(r->src.fd, r->buf, n, (off_t)(r->src.off + r->pos));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            return -1;
        }
        digester_update(r->dg, r->buf, (size_t)got);
        r->pos += (uint64_t)got;
    }
    return 0;
}

/* The decompressed stream after the tar's end, counted to its end (its size is exact);
 * trailing bytes that do not decompress end it, and the digest says whether they belong. */
static void count_rest(struct unpack *u, uint64_t cap_bytes)
{
    const void *buf;
    size_t len;
    la_int64_t off;

    while (!u->eof && ARC(archive_read_data_block)(u->raw, &buf, &len, &off) == ARCHIVE_OK) {
        u->out += len;
        if ((cap_bytes && u->out > cap_bytes) || bomb(u->out, u->r->pos)) {
            break;
        }
    }
}

static int list_entries(struct archive *a, struct unpack *u, struct listing *ls,
                        const struct layer *l, const struct bundle_limits *lim, char **why)
{
    size_t max = lim->max_entries;
    struct archive_entry *ae;
    char last[200] = "";

    for (uint64_t ordinal = 0;; ordinal++) {
        int rc = ARC(archive_read_next_header)(a, &ae);
        if (rc == ARCHIVE_EOF) {
            return 0;
        }
        if (rc < ARCHIVE_WARN) {
            *why = in_words(l, u, a, ordinal, last, false);
            return -1;
        }
        if (ls->nr >= max) {
            ls->capped = true;
            return 0;
        }
        list_header(ls, ae, ordinal);
        /* its name for a message, cut to fit (a hostile name is escaped where it is shown) */
        snprintf(last, sizeof(last), "%s",
                 ARC(archive_entry_pathname)(ae) ? ARC(archive_entry_pathname)(ae) : "");
        if (drain(a, u, lim->max_total_read, why) != 0) {
            if (!*why) {
                *why = in_words(l, u, a, ordinal + 1, last, true);
            }
            return -1;
        }
    }
}

/* Whether the layer's bytes hash to the digest the image names; *got receives theirs. */
static bool digest_matches(const struct layer *layer, struct range *r, char **got)
{
    if (hash_rest(r) != 0) {
        *got = xstrdup("(unreadable)");
        return false;
    }
    *got = digester_final(r->dg);
    return !strcmp(*got, layer->digest);
}

static char *digest_words(const struct layer *layer, const char *got)
{
    return layer->diff_id ? xasprintf("its digest does not match the image's config: its tar "
                                      "hashes to %s, not to the diff_id %s it names",
                                      got, layer->digest)
                          : xasprintf("its digest does not match the manifest: its bytes hash "
                                      "to %s, not to the %s it names",
                                      got, layer->digest);
}

static void list_layer(void *ctx, size_t i, unsigned worker)
{
    struct list_job *j = ctx;
    struct layer *layer = &j->layers[i];
    struct listing *ls = &j->ls[i];
    struct range r = {.src = layer->src};
    struct unpack u = {0};
    struct archive *a = NULL;
    char *why = NULL, *got = NULL;
    int rc;

    (void)worker;
    if (layer->problem) {
        return; /* missing, or foreign: said when the manifest was read */
    }
    if (layer->declared_set && layer->declared > r.src.len) {
        ls->problem = xasprintf("truncated: ends after %llu of %llu bytes",
                                (unsigned long long)r.src.len, (unsigned long long)layer->declared);
        return;
    }
    r.dg = layer->digest ? digester_new(digest_parse(layer->digest)) : NULL;
    if ((rc = unpack_open(&u, &r, &a)) != 0) {
        why = in_words(layer, &u, rc < 0 ? NULL : a, 0, "", false);
    } else if (list_entries(a, &u, ls, layer, &j->b->limits, &why) == 0) {
        count_rest(&u, j->b->limits.max_total_read);
        ls->tar_size = u.out;
    }
    /* A digest that does not match says more than the damage it explains (a layer cut or
     * changed since the manifest was written); the damage is added when there is some. */
    if (r.dg && !ls->capped && !digest_matches(layer, &r, &got)) {
        char *dw = digest_words(layer, got);
        ls->problem = why ? xasprintf("%s; %s", dw, why) : xstrdup(dw);
        free(dw);
    } else if (why) {
        ls->problem = xstrdup(why);
    } else if (layer->declared_set && layer->declared < r.src.len) {
        ls->problem = xasprintf("%llu bytes, longer than the %llu its manifest gives",
                                (unsigned long long)r.src.len, (unsigned long long)layer->declared);
    }
    free(why);
    free(got);
    digester_free(r.dg);
    unpack_close(&u, a);
}

/* The first layer that cannot be read, named with why, and how many more: -1 with d set;
 * 0 when every layer was read. */
static int unread(const struct bundle *b, const struct layer *layers, const struct listing *ls,
                  size_t nr, struct diag *d)
{
    size_t first = SIZE_MAX, more = 0;

    for (size_t l = 0; l < nr; l++) {
        if (layers[l].problem || ls[l].problem) {
            more += first != SIZE_MAX;
            first = first == SIZE_MAX ? l : first;
        }
    }
    if (first == SIZE_MAX) {
        return 0;
    }
    return diag_set(
        d, DIAG_INPUT, "'%s': layer %zu of %zu (%s) cannot be read: %s%s%s", b->name, first + 1, nr,
        layers[first].where, layers[first].problem ? layers[first].problem : ls[first].problem,
        more ? "; and so cannot " : "", more ? (more == 1 ? "one more layer" : "more layers") : "");
}

int layers_list(struct bundle *b, struct layer *layers, size_t nr, unsigned jobs,
                uint64_t *tar_total, struct diag *d)
{
    struct listing *ls = xcalloc(nr + 1, sizeof(*ls));
    struct list_job j = {b, layers, ls};
    int rc;

    workers_run(jobs ? jobs : 1, nr, list_layer, &j);
    /* An image missing a layer is not the image Lambda runs: nothing is checked in it. */
    if ((rc = unread(b, layers, ls, nr, d)) == 0) {
        layers_apply(b, layers, ls, nr);
    }
    *tar_total = 0;
    for (size_t l = 0; l < nr; l++) {
        layers[l].tar_size = ls[l].tar_size;
        *tar_total += ls[l].tar_size;
        for (size_t k = 0; k < ls[l].nr; k++) {
            free(ls[l].v[k].path);
            free(ls[l].v[k].link);
            free(ls[l].v[k].problem);
        }
        free(ls[l].v);
        free(ls[l].problem);
    }
    free(ls);
    return rc;
}

void layers_release(struct layer *layers, size_t nr)
{
    for (size_t i = 0; i < nr; i++) {
        if (layers[i].fd_owned && layers[i].src.fd >= 0) {
            close(layers[i].src.fd);
        }
        free(layers[i].where);
        free(layers[i].digest);
        free(layers[i].problem);
    }
    free(layers);
}
