/* SPDX-License-Identifier: MIT */
/*
 * Input abstraction: a zip (libzip), a directory, or a single file, seen as one list
 * of entries with normalised paths. The reading phase (facts/scan.c) knows nothing
 * else about input (zipcmp's struct archive, style.md §4.1). The backends and their
 * shared helpers are private to this folder (bundle_int.h).
 *
 * Ownership: bundle_open() returns a bundle the caller frees with bundle_close()
 * (NULL accepted). Entries, their strings and the notes belong to the bundle and live
 * until bundle_close(). A reader (bundle_reader_new) is its thread's, freed before the bundle
 * is closed; bundle_map() fills a bundle_bytes the caller releases.
 * Nothing here ever writes to the input.
 */
#ifndef ANALYZER_BUNDLE_H
#define ANALYZER_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "strvec.h"

enum bundle_kind { BUNDLE_ZIP, BUNDLE_DIR, BUNDLE_FILE };

enum entry_type {
    ENTRY_FILE,    /* regular file (or a zip member with content) */
    ENTRY_DIR,     /* directory: listed, never read */
    ENTRY_SYMLINK, /* a link: a zip member whose content is its target, or a directory's link
                    * to a file inside the root (open_path) or to a directory (walked there) */
    ENTRY_SPECIAL, /* FIFO, device, socket: never opened */
};

struct bundle_entry {
    char *path; /* relative to the bundle root: '/' separators, no "./", no leading '/' */
    enum entry_type type;
    uint64_t size;   /* uncompressed size (as declared, for zip members) */
    uint64_t stored; /* bytes in the archive (compressed size), or size */
    char *problem;   /* why the entry cannot be read, NULL when it can */
    /* The backend's own: how to find the entry again. */
    uint64_t index;  /* zip: member index */
    uint32_t crc;    /* zip: CRC-32 of the content, from the central directory */
    int32_t method;  /* zip: compression method (-1 unknown) */
    char *open_path; /* dir: the file to open, relative to the root; for a link to a file,
                      * the file it resolves to */
};

struct bundle_limits {
    uint64_t max_member_size; /* a member declared or found larger is not read */
    size_t max_entries;       /* entries beyond this are not listed */
    unsigned max_depth;       /* directory nesting beyond this is not walked */
    uint64_t max_total_read;  /* bytes read whole from one bundle, at most (0: 4 x member) */
};

struct bundle;

/**
 * Open path as a bundle. A zip is recognised by its first bytes (or, failing
 * that, a .zip/.whl name); a directory is walked without following links out
 * of it; any other file is a one-entry bundle. Returns 0, or -1 with d set
 * when the input itself cannot be used (missing, unreadable, not a zip).
 */
int bundle_open(struct bundle **out, const char *path, const struct bundle_limits *limits,
                struct diag *d);

/**
 * Open a zip held in memory (borrowed: data must outlive the bundle), named name in
 * messages. For the fuzzers, and for zips inside zips should they ever be read.
 */
int bundle_open_zip_memory(struct bundle **out, const char *name, const void *data, size_t len,
                           const struct bundle_limits *limits, struct diag *d);

void bundle_close(struct bundle *b);

enum bundle_kind bundle_kind(const struct bundle *b);

/** "zip", "directory", "file". */
const char *bundle_kind_name(enum bundle_kind kind);

/** The size of the input file (a zip's bytes), 0 for a directory. */
uint64_t bundle_file_size(const struct bundle *b);

/** The entries, in listing order; *nr receives their count. */
const struct bundle_entry *bundle_entries(const struct bundle *b, size_t *nr);

/** Remarks on the bundle as a whole ("only the first N entries were read"). */
const struct strvec *bundle_notes(const struct bundle *b);

/*
 * Reading. A reader is one thread's way into a bundle (a zip handle of its own, an
 * inflater, buffers): several readers of one bundle may read at once, each from one
 * thread. bundle_reader_new() fails only when the zip cannot be opened again (removed
 * since bundle_open). The bundle outlives its readers.
 */
struct bundle_reader;

struct bundle_reader *bundle_reader_new(struct bundle *b, struct diag *d);
void bundle_reader_free(struct bundle_reader *r);

/** Read at most cap bytes from the start of e. Member-level failures return -1 with d set. */
int bundle_peek(struct bundle_reader *r, const struct bundle_entry *e, unsigned char *buf,
                size_t cap, size_t *got, struct diag *d);

/* A member's bytes, whole: a mapping of a directory's file (only the pages read are
 * touched) or a buffer a zip member was inflated into. Read-only for the caller. */
struct bundle_bytes {
    unsigned char *data; /* len bytes; writable copy-on-write, never written back */
    size_t len;
    size_t maplen; /* private: mapped length (0: data is malloc'd) */
};

/**
 * The whole of e, in out (release with bundle_bytes_release). Fails with d set when e is
 * larger than the member size limit or its ratio that of a bomb, when its content does
 * not match its declared size or CRC, or on an I/O error. The bundle's read budget is not
 * charged here: the caller charges it (bundle_charge) in an order of its choosing.
 */
int bundle_map(struct bundle_reader *r, const struct bundle_entry *e, struct bundle_bytes *out,
               struct diag *d);
void bundle_bytes_release(struct bundle_bytes *bytes);

/**
 * Charge e's declared size to b's read budget, which bounds the bytes read whole from one
 * bundle (many members over the same compressed data would each inflate in full). Returns
 * -1 with d set when the budget cannot pay for e; call in entry order, so that which member
 * is refused does not depend on threads.
 */
int bundle_charge(struct bundle *b, const struct bundle_entry *e, struct diag *d);

#endif
