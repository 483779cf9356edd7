/* SPDX-License-Identifier: MIT */
/*
 * The second pass over an image's layers (bundle.h "Streamed reading"): each layer that holds
 * a wanted member read again from its start, on up to jobs threads, each wanted member
 * handed to the visitor as it goes by, the rest skipped, the layer left after its last
 * wanted member. A member's bytes are read through libarchive as they stream; what one
 * visit holds is one member, never the layer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archapi.h"
#include "bundle_image_int.h"
#include "path.h"
#include "workers.h"
#include "xalloc.h"

#define HEAD_KEEP 64

struct bundle_stream {
    struct archive *a;
    const struct bundle_entry *e;
    const struct bundle_limits *limits;
    unsigned char head[HEAD_KEEP];
    uint64_t done;
    bool whole_taken;
};

struct stream_job {
    struct bundle *b;
    const struct layer *layers;
    size_t **wanted; /* per layer: the wanted entries, in storage order */
    size_t *wanted_nr;
    bundle_visit_fn *visit;
    void *ctx;
};

static void stream_layer(void *ctx, size_t l, unsigned worker)
{
    struct stream_job *j = ctx;
    const struct bundle_entry *entries = j->b->entries;
    const size_t *w = j->wanted[l];
    size_t n = j->wanted_nr[l], k = 0;
    struct range r = {.src = j->layers[l].src};
    struct archive *a = NULL;
    struct archive_entry *ae;
    char why[256] = "the layer ended before it";

    (void)worker;
    if (!n || !(a = range_open(&r, why, sizeof(why)))) {
        goto out;
    }
    for (uint64_t ordinal = 0; k < n; ordinal++) {
        int rc = ARC(archive_read_next_header)(a, &ae);
        const struct bundle_entry *e = &entries[w[k]];
        if (rc == ARCHIVE_EOF || rc < ARCHIVE_WARN) {
            snprintf(why, sizeof(why), "the layer %s before it (it changed since it was listed)",
                     rc == ARCHIVE_EOF ? "ended" : "broke");
            break;
        }
        if (ordinal != e->ordinal) {
            continue;
        }
        char *path =
            path_normalize(ARC(archive_entry_pathname)(ae) ? ARC(archive_entry_pathname)(ae) : "",
                           PATH_RELATIVE, NULL);
        if (strcmp(path, e->path) != 0) {
            free(path);
            snprintf(why, sizeof(why), "the layer changed since it was listed");
            break;
        }
        free(path);
        struct bundle_stream s = {a, e, &j->b->limits, {0}, 0, false};
        j->visit(j->ctx, w[k], &s, NULL);
        k++;
    }
out:
    for (; k < n; k++) {
        j->visit(j->ctx, w[k], NULL, why);
    }
    range_close(a, &r);
}

void layers_stream(struct bundle *b, const struct layer *layers, size_t nr, const bool *want,
                   unsigned jobs, bundle_visit_fn *visit, void *ctx)
{
    struct stream_job j = {
        b, layers, xcalloc(nr + 1, sizeof(size_t *)), xcalloc(nr + 1, sizeof(size_t)), visit, ctx};
    size_t *alloc = xcalloc(nr + 1, sizeof(size_t));

    for (size_t i = 0; i < b->nr; i++) {
        const struct bundle_entry *e = &b->entries[i];
        size_t l = e->layer;
        if (!want[i]) {
            continue;
        }
        if (e->image_level || e->type != ENTRY_FILE || e->problem || l >= nr) {
            visit(ctx, i, NULL, e->problem ? e->problem : "not a file of the image");
            continue;
        }
        ALLOC_GROW(j.wanted[l], j.wanted_nr[l] + 1, alloc[l]);
        j.wanted[l][j.wanted_nr[l]++] = i;
    }
    for (size_t l = 0; l < nr; l++) {
        /* Entries are sorted by path; a layer is read in the order it stores them. */
        size_t *v = j.wanted[l];
        for (size_t x = 1; x < j.wanted_nr[l]; x++) {
            size_t key = v[x], y = x;
            for (; y > 0 && b->entries[v[y - 1]].ordinal > b->entries[key].ordinal; y--) {
                v[y] = v[y - 1];
            }
            v[y] = key;
        }
    }
    workers_run(jobs ? jobs : 1, nr, stream_layer, &j);
    for (size_t l = 0; l < nr; l++) {
        free(j.wanted[l]);
    }
    free(j.wanted);
    free(j.wanted_nr);
    free(alloc);
}

int bundle_stream_read(struct bundle_stream *s, unsigned char *buf, size_t cap, size_t *got,
                       struct diag *d)
{
    *got = 0;
    while (*got < cap) {
        la_ssize_t n = ARC(archive_read_data)(s->a, buf + *got, cap - *got);
        if (n < 0) {
            return diag_set(d, DIAG_IO, "cannot read member: %s",
                            ARC(archive_error_string)(s->a) ? ARC(archive_error_string)(s->a)
                                                            : "error");
        }
        if (n == 0) {
            break;
        }
        *got += (size_t)n;
    }
    for (size_t i = 0; i < *got && s->done + i < HEAD_KEEP; i++) {
        s->head[s->done + i] = buf[i];
    }
    s->done += *got;
    return 0;
}

int bundle_stream_whole(struct bundle_stream *s, struct bundle_bytes *out, struct diag *d)
{
    const struct bundle_entry *e = s->e;
    size_t have = (size_t)s->done, got = 0;

    memset(out, 0, sizeof(*out));
    if (s->whole_taken || s->done > HEAD_KEEP) {
        BUG("bundle_stream_whole: %s read past its first %d bytes", e->path, HEAD_KEEP);
    }
    s->whole_taken = true;
    if (e->size > s->limits->max_member_size || e->size >= SIZE_MAX) {
        return diag_set(d, DIAG_LIMIT, "member is %llu bytes, over the %llu-byte limit",
                        (unsigned long long)e->size,
                        (unsigned long long)s->limits->max_member_size);
    }
    out->data = xmalloc((size_t)e->size + 1);
    out->owned = true; /* kept past the next member (scan_image.c) */
    memcpy(out->data, s->head, have);
    if (bundle_stream_read(s, out->data + have, (size_t)e->size + 1 - have, &got, d) != 0) {
        bundle_bytes_release(out);
        return -1;
    }
    out->len = have + got;
    return bundle_check_len(out, e, d);
}
