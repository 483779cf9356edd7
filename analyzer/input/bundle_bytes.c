/* SPDX-License-Identifier: MIT */
/* A member's bytes (bundle.h): readers, the first bytes, the whole of a member (mapped or
 * inflated into the reader's buffer, checked against its declared size and the read
 * budget), its CRC-32, and what zip -r would store of it. */
#define _DEFAULT_SOURCE /* madvise, MADV_DONTNEED */
#include "bundle_int.h"
#include "deflateapi.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xalloc.h"

struct bundle_reader *bundle_reader_new(struct bundle *b, struct diag *d)
{
    struct bundle_reader *r = xcalloc(1, sizeof(*r));
    bool first = !b->has_reader;

    r->b = b;
    b->has_reader = true;
    if (b->ops->reader_open && b->ops->reader_open(r, first, d) != 0) {
        free(r);
        return NULL;
    }
    return r;
}

void bundle_reader_free(struct bundle_reader *r)
{
    if (!r) {
        return;
    }
    if (r->b->ops->reader_close) {
        r->b->ops->reader_close(r);
    }
    bundle_buf_release(&r->w);
    free(r);
}

int bundle_peek(struct bundle_reader *r, const struct bundle_entry *e, unsigned char *buf,
                size_t cap, size_t *got, struct diag *d)
{
    *got = 0;
    if (e->problem) {
        return diag_set(d, DIAG_IO, "%s", e->problem);
    }
    return r->b->ops->read(r, e, buf, cap, got, d);
}

static uint64_t budget(const struct bundle *b)
{
    return b->limits.max_total_read ? b->limits.max_total_read : 4 * b->limits.max_member_size;
}

int bundle_charge(struct bundle *b, const struct bundle_entry *e, struct diag *d)
{
    /* The budget is for members that share compressed data (a zip's can); an image's
     * members each stream by once, so reading them costs what the layers hold, no more. */
    if (b->kind == BUNDLE_IMAGE) {
        return 0;
    }
    if (e->size > budget(b) - b->read_total) {
        return diag_set(d, DIAG_LIMIT,
                        "the bundle has already had %llu bytes inflated, its budget: not read",
                        (unsigned long long)b->read_total);
    }
    b->read_total += e->size;
    return 0;
}

unsigned char *bundle_buf_reserve(struct bundle_buf *b, size_t n)
{
    if (n > b->cap) {
        size_t cap = n < 65536 ? 65536 : n;
        void *p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            xalloc_die(cap);
        }
        bundle_buf_release(b);
        b->p = p;
        b->cap = cap;
    }
    return b->p;
}

void bundle_buf_release(struct bundle_buf *b)
{
    if (b->p) {
        munmap(b->p, b->cap);
    }
    b->p = NULL;
    b->cap = 0;
}

unsigned char *bundle_reader_buffer(struct bundle_reader *r, size_t n)
{
    return bundle_buf_reserve(&r->w, n);
}

/* Through read(): one byte more than declared, so that a longer member is caught. */
static int read_whole(struct bundle_reader *r, const struct bundle_entry *e,
                      struct bundle_bytes *out, struct diag *d)
{
    size_t cap = (size_t)e->size + 1;

    out->data = bundle_reader_buffer(r, cap);
    if (r->b->ops->read(r, e, out->data, cap, &out->len, d) != 0) {
        out->data = NULL;
        return -1;
    }
    return 0;
}

int bundle_map(struct bundle_reader *r, const struct bundle_entry *e, struct bundle_bytes *out,
               struct diag *d)
{
    const struct bundle *b = r->b;
    int rc;

    memset(out, 0, sizeof(*out));
    if (e->problem) {
        return diag_set(d, DIAG_IO, "%s", e->problem);
    }
    if (e->size > b->limits.max_member_size || e->size >= SIZE_MAX) {
        return diag_set(d, DIAG_LIMIT, "member is %llu bytes, over the %llu-byte limit",
                        (unsigned long long)e->size, (unsigned long long)b->limits.max_member_size);
    }
    if (e->size > ZIP_BOMB_MIN_SIZE && e->stored && e->size / e->stored > ZIP_BOMB_RATIO) {
        return diag_set(d, DIAG_LIMIT, "compression ratio over %d:1: not read", ZIP_BOMB_RATIO);
    }
    rc = b->ops->whole ? b->ops->whole(r, e, out, d) : read_whole(r, e, out, d);
    if (rc != 0) {
        memset(out, 0, sizeof(*out));
        return -1;
    }
    return bundle_check_len(out, e, d);
}

int bundle_check_len(struct bundle_bytes *out, const struct bundle_entry *e, struct diag *d)
{
    if (out->len != e->size) {
        bool more = out->len > e->size;
        bundle_bytes_release(out);
        return diag_set(d, DIAG_IO, "member has %s bytes than its declared %llu",
                        more ? "more" : "fewer", (unsigned long long)e->size);
    }
    return 0;
}

void bundle_bytes_release(struct bundle_bytes *bytes)
{
    if (bytes->maplen) {
        munmap(bytes->data, bytes->maplen);
    } else if (bytes->owned) {
        free(bytes->data);
    }
    memset(bytes, 0, sizeof(*bytes)); /* else the reader's buffer: kept for the next */
}

uint32_t bundle_crc32(const void *data, size_t len)
{
    deflateapi_need();
    return libdeflate_crc32(0, data, len);
}

/* What a sum reads of a mapping before it lets the pages go. */
#define CRC_WINDOW (4u << 20)

uint32_t bundle_bytes_crc32(struct bundle_bytes *bytes)
{
    uint32_t crc = 0;

    deflateapi_need();
    for (size_t at = 0; at < bytes->len; at += CRC_WINDOW) {
        size_t n = bytes->len - at < CRC_WINDOW ? bytes->len - at : CRC_WINDOW;
        crc = libdeflate_crc32(crc, bytes->data + at, n);
        if (bytes->maplen && n == CRC_WINDOW) { /* whole windows: page-aligned */
            madvise(bytes->data + at, n, MADV_DONTNEED);
        }
    }
    return crc;
}

/* zip's default: what zip -r makes of a file unless told -0 to -9. */
#define ZIP_LEVEL 6

struct bundle_deflater {
    struct libdeflate_compressor *c;
    unsigned char *buf;
    size_t cap;
};

struct bundle_deflater *bundle_deflater_new(void)
{
    struct bundle_deflater *z = xcalloc(1, sizeof(*z));

    deflateapi_need();
    z->c = libdeflate_alloc_compressor(ZIP_LEVEL);
    if (!z->c) {
        xalloc_die(sizeof(*z));
    }
    return z;
}

void bundle_deflater_free(struct bundle_deflater *z)
{
    if (z) {
        libdeflate_free_compressor(z->c);
        free(z->buf);
        free(z);
    }
}

uint64_t bundle_deflated_size(struct bundle_deflater *z, const void *data, size_t len)
{
    size_t got;

    if (len < 2) {
        return len; /* nothing deflates a byte: zip stores it */
    }
    /* An output as large as the input: when the deflated stream does not fit, zip would
     * store the file as it is. */
    if (z->cap < len) {
        free(z->buf);
        z->buf = xmalloc(len);
        z->cap = len;
    }
    got = libdeflate_deflate_compress(z->c, data, len, z->buf, len - 1);
    return got ? got : len;
}
