/* SPDX-License-Identifier: MIT */
/*
 * Input abstraction: a zip (libzip), a directory, a single file, or a container image
 * (libarchive: a docker save tarball, an OCI image layout directory, an oci-archive), seen
 * as one list of entries with normalised paths. The reading phase (facts/scan.c) knows
 * nothing else about input (zipcmp's struct archive, CONTRIBUTING.md#house-rules, walls). The backends and
 * their shared helpers are private to this folder (bundle_int.h).
 *
 * Two ways to read members. A zip, a directory or a file is read member by member, in any
 * order, through readers (bundle_reader_new). An image is streamed (bundle_streamed()): its
 * layers are compressed tar streams, which can only be read from their start, so the
 * members wanted are handed over as each layer streams by (bundle_stream), once.
 *
 * Ownership: bundle_open() returns a bundle the caller frees with bundle_close()
 * (NULL accepted). Entries, their strings, the notes and the image's description belong
 * to the bundle and live until bundle_close(). A reader (bundle_reader_new) is its
 * thread's, freed before the bundle is closed; bundle_map() and bundle_stream_whole() fill
 * a bundle_bytes the caller releases. Nothing here ever writes to the input.
 */
#ifndef ANALYZER_BUNDLE_H
#define ANALYZER_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "strvec.h"

enum bundle_kind { BUNDLE_ZIP, BUNDLE_DIR, BUNDLE_FILE, BUNDLE_IMAGE };

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
    /* image: the target of a link as its layer stores it (a hard link is a link to
     * "/<its target>"); the layer holding the entry and its header's place in that layer's
     * tar. image_level: the entry stands for something wrong with the image itself (a
     * layer not applied, a name no layer may hold), not for one of its files; problem says
     * what, wherever its path points. */
    char *link;
    size_t layer;
    uint64_t ordinal;
    bool image_level;
    uint32_t mode;  /* image: the permission bits its layer gives (0777), 0 when none; zip:
                     * those of its Unix attributes, 0 when it has none */
    bool mode_lost; /* zip: a file with no Unix mode (a zip made on Windows): unzip, and
                     * Lambda, extract it without an execute bit */
};

struct bundle_limits {
    uint64_t max_member_size; /* a member declared or found larger is not read */
    size_t max_entries;       /* entries beyond this are not listed */
    unsigned max_depth;       /* directory nesting beyond this is not walked */
    uint64_t max_total_read;  /* bytes read whole from one bundle, at most (0: 4 x member) */
    /* Not limits, but how to open: the platform to pick from an image index that offers
     * several ("linux/arm64"; NULL: linux/amd64), and whether it was asked for (an index
     * without it is then an error, not a mismatch for the checks to report). */
    const char *platform;
    bool platform_given;
    unsigned jobs; /* threads an image's layers may be read on (0: the caller's only) */
};

struct bundle;

/**
 * Open path as a bundle. A zip is recognised by its first bytes (or, failing
 * that, a .zip/.whl name); a container image by its content (a tar holding manifest.json
 * or an OCI index, a directory holding oci-layout); a directory is walked without
 * following links out of it; an ELF file, or a file named as Python source, bytecode or a
 * shared object, is a one-entry bundle. Returns 0, or -1 with d set when the input itself
 * cannot be used (missing, unreadable, not a zip, an image without a usable manifest or
 * configuration), or is none of these: an empty file, a
 * tar without an image, an HTML page, bytes of another kind, each said in words (an input
 * abiscan cannot read is never a pass).
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

/** "zip", "directory", "file", "image". */
const char *bundle_kind_name(enum bundle_kind kind);

/**
 * What an image says of itself: the image picked from the archive, its configuration
 * (the OCI image config's fields, as written) and its size. Borrowed from the bundle.
 */
struct bundle_image {
    const char *form;   /* "docker-archive", "oci-layout" or "oci-archive" (static) */
    char *os;           /* the config's "os", "architecture" and "variant" ("linux", */
    char *architecture; /* "amd64", "v8"), empty strings when it does not say */
    char *variant;
    char *platform;          /* "linux/arm64[/v8]" of the image picked */
    struct strvec platforms; /* every platform the archive offers, in its order */
    char *ref;               /* a name it goes by (a RepoTag, a ref.name annotation), or "" */
    struct strvec env;       /* config.Env, "NAME=value" */
    struct strvec entrypoint, cmd;
    char *workdir; /* config.WorkingDir, or "" */
    size_t layers;
    uint64_t stored;       /* the layers' bytes as stored (compressed) */
    uint64_t uncompressed; /* the layers' tar streams, uncompressed: what Lambda limits */
    uint64_t *layer_bytes; /* each layer's tar stream, uncompressed, in order (layers of them) */
};

/** The image's description, or NULL when b is not an image. */
const struct bundle_image *bundle_image(const struct bundle *b);

/** The form of input: bundle_kind_name(), or for an image its form. */
const char *bundle_form(const struct bundle *b);

/** CRC-32 of data, as a zip's central directory records it (libdeflate's). */
uint32_t bundle_crc32(const void *data, size_t len);

struct bundle_bytes;

/** bundle_crc32() of a member's bytes; a mapping's pages are let go as the sum passes them
 * (read again from the page cache if touched later), so that a large file summed whole
 * does not stay resident. */
uint32_t bundle_bytes_crc32(struct bundle_bytes *bytes);

/*
 * What zip would store of a file: a directory's zip estimated for the size plan. zip -r
 * deflates at level 6 and stores a file as it is when deflating does not make it smaller;
 * libdeflate at level 6 is not zlib, so the bytes differ by a little (an estimate). A
 * deflater is one thread's: its compressor and a buffer as large as the largest file.
 */
struct bundle_deflater;

struct bundle_deflater *bundle_deflater_new(void);
void bundle_deflater_free(struct bundle_deflater *z);

/** The bytes zip would store for data: deflated at level 6, or len when that is no smaller. */
uint64_t bundle_deflated_size(struct bundle_deflater *z, const void *data, size_t len);

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
 * touched) or the reader's buffer a zip member was inflated (a small file read) into.
 * Read-only for the caller; valid until released, and one at a time per reader. */
struct bundle_bytes {
    unsigned char *data; /* len bytes; writable copy-on-write, never written back */
    size_t len;
    size_t maplen; /* private: mapped length (0: not mapped) */
    bool owned;    /* private: data is malloc'd for these bytes alone (else the reader's
                    * buffer, or a mapping) */
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
 * is refused does not depend on threads. An image's members are never refused: each streams
 * by once, so reading them costs what its layers hold (the bomb check bounds that).
 */
int bundle_charge(struct bundle *b, const struct bundle_entry *e, struct diag *d);

/*
 * Streamed reading, for a bundle whose members can only be read in the order they are
 * stored (bundle_streamed(): an image). The wanted entries are visited in one pass over
 * each layer that holds one, in the layer's order, stopping after its last wanted entry;
 * layers are read on up to jobs threads at once, so a visit must touch only what belongs
 * to its entry. In a visit the member's bytes are read from its start (bundle_stream_read,
 * then at most once bundle_stream_whole); what is left unread is skipped. A wanted entry
 * the pass cannot reach is visited with s NULL and problem saying why. Whatever is read
 * stays bounded by one member per thread, never by the image.
 */
struct bundle_stream;

typedef void bundle_visit_fn(void *ctx, size_t entry, struct bundle_stream *s, const char *problem);

/** True when b's members are read through bundle_stream(), not through readers. */
bool bundle_streamed(const struct bundle *b);

/** Visit every entry i with want[i] (want has one flag per entry of bundle_entries()). */
void bundle_stream(struct bundle *b, const bool *want, unsigned jobs, bundle_visit_fn *visit,
                   void *ctx);

/** The member's next bytes, at most cap; fewer only at its end. -1 with d set on an error. */
int bundle_stream_read(struct bundle_stream *s, unsigned char *buf, size_t cap, size_t *got,
                       struct diag *d);

/**
 * The whole member, its first bytes included when bundle_stream_read() took them (at most
 * 64 bytes may have been read before), into out (release with bundle_bytes_release). Fails
 * as bundle_map() does: larger than the member size limit, shorter than declared, an error.
 */
int bundle_stream_whole(struct bundle_stream *s, struct bundle_bytes *out, struct diag *d);

#endif
