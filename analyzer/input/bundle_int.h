/* SPDX-License-Identifier: MIT */
/*
 * The input layer's inside: struct bundle, the backend operations, and the helpers
 * the backends share. Only files in analyzer/input/ include this (libzip's zipint.h;
 * tests/lint holds the wall).
 *
 * Ownership: as in bundle.h. A backend's state (priv) is freed by its close op.
 */
#ifndef ANALYZER_BUNDLE_INT_H
#define ANALYZER_BUNDLE_INT_H

#include "bundle.h"

/* A member this large that deflated this well is a bomb: not read (bundle_map), a finding
 * (bundle_entry_problem). */
#define ZIP_BOMB_MIN_SIZE (16u << 20)
#define ZIP_BOMB_RATIO 1000

struct bundle_ops {
    /* Set up r->priv for a reader of b; first is the bundle's first reader, which may borrow
     * what bundle_open() opened. NULL: readers need no state. */
    int (*reader_open)(struct bundle_reader *r, bool first, struct diag *d);
    void (*reader_close)(struct bundle_reader *r);
    /* Read up to cap bytes of e from its start into buf; *got receives the count. */
    int (*read)(struct bundle_reader *r, const struct bundle_entry *e, unsigned char *buf,
                size_t cap, size_t *got, struct diag *d);
    /* The whole of e (its size checked against the limit already) into out, or -1 with d set;
     * out->len may differ from e->size (the caller says so). NULL: read() into a buffer. */
    int (*whole)(struct bundle_reader *r, const struct bundle_entry *e, struct bundle_bytes *out,
                 struct diag *d);
    /* A streamed bundle's reading (bundle_stream in bundle.h); NULL for the others. */
    void (*stream)(struct bundle *b, const bool *want, unsigned jobs, bundle_visit_fn *visit,
                   void *ctx);
    void (*close)(struct bundle *b);
};

/* A buffer for whole members, kept from one member to the next (a fresh one each time
 * page-faults its way through every member once more), and mapped on its own: freed into
 * malloc's heap, the smaller ones it outgrew would stay resident. */
struct bundle_buf {
    unsigned char *p;
    size_t cap;
};

/** b, at least n bytes (its old content not kept). */
unsigned char *bundle_buf_reserve(struct bundle_buf *b, size_t n);
void bundle_buf_release(struct bundle_buf *b);

struct bundle_reader {
    struct bundle *b;
    void *priv;          /* the backend's */
    struct bundle_buf w; /* what members read whole go into */
};

/** r's buffer, at least n bytes (its old content not kept). */
unsigned char *bundle_reader_buffer(struct bundle_reader *r, size_t n);

struct bundle {
    enum bundle_kind kind;
    char *name;         /* the input path as given */
    uint64_t file_size; /* size of the zip file (0 for directories) */
    struct bundle_entry *entries;
    size_t nr, alloc;
    struct strvec notes; /* whole-bundle remarks, e.g. "entry limit reached" */
    const struct bundle_ops *ops;
    void *priv; /* backend state */
    struct bundle_limits limits;
    uint64_t read_total; /* bytes charged to the read budget so far (bundle_charge) */
    bool has_reader;     /* the first reader was made */
};

/* The backends: fill b's entries, ops and priv. */
int bundle_zip_open(struct bundle *b, const char *path, struct diag *d);
int bundle_zip_open_memory(struct bundle *b, const void *data, size_t len, struct diag *d);
int bundle_dir_open(struct bundle *b, const char *path, struct diag *d);
int bundle_file_open(struct bundle *b, const char *path, struct diag *d);
/* What a tar holds: an image, or, when it has no image manifest, a root filesystem (etc/,
 * usr/: a docker export) or other files. */
enum tar_kind { TAR_IMAGE, TAR_ROOTFS, TAR_FILES };
/* Images (bundle_image.c): a tar that holds one (*kind is another when it holds none: b is
 * then untouched, and the input is no bundle), or an OCI layout directory. */
int bundle_image_open_tar(struct bundle *b, const char *path, enum tar_kind *kind, struct diag *d);
bool bundle_image_is_layout(const char *path);
int bundle_image_open_layout(struct bundle *b, const char *path, struct diag *d);
/* "gzip", "zstd", "xz" or "bzip2" when path is a tar compressed so, else NULL. */
const char *bundle_image_compression(const char *path);

struct bundle_entry *bundle_add_entry(struct bundle *b, const char *path, enum entry_type type);
void bundle_add_note(struct bundle *b, char *note);

/**
 * Why an entry cannot be read, from what the listing says alone (NULL when it can):
 * a path component no Linux file system holds (over 255 bytes), a size over the member
 * limit, a compression ratio only a zip bomb has. Fresh string, caller frees.
 */
char *bundle_entry_problem(const struct bundle *b, const char *path, uint64_t size,
                           uint64_t stored);

/** 0 when out holds e's declared size; else out is released and -1 with d saying which way
 * it differs (every whole read, mapped, inflated or streamed, ends with it). */
int bundle_check_len(struct bundle_bytes *out, const struct bundle_entry *e, struct diag *d);

#endif
