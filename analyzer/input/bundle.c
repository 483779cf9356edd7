/* SPDX-License-Identifier: MIT */
/* Input abstraction: what an input is (a zip, a directory, an image, a file checked alone),
 * opened by its backend; its entries and notes. A member's bytes: bundle_bytes.c. */
#include "bundle_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"
#include "xalloc.h"

#define NAME_MAX_BYTES 255 /* NAME_MAX of every Linux file system Lambda could unpack into */

static const unsigned char zip_local_magic[4] = {'P', 'K', 3, 4};
static const unsigned char zip_empty_magic[4] = {'P', 'K', 5, 6};

/* A zip by content first; by name only when the content says nothing else
 * (a self-extracting prefix, say), so that libzip gets to say what is wrong. */
static bool looks_like_zip(const char *path, const unsigned char *magic, size_t got)
{
    if (got == 4 && (!memcmp(magic, zip_local_magic, 4) || !memcmp(magic, zip_empty_magic, 4))) {
        return true;
    }
    if (got == 4 && !memcmp(magic, "\177ELF", 4)) {
        return false;
    }
    return path_has_suffix(path, ".zip") || path_has_suffix(path, ".whl");
}

/* A tar by its ustar header (POSIX and GNU both write "ustar" at offset 257). */
static bool looks_like_tar(const unsigned char *head, size_t got)
{
    return got >= 262 && !memcmp(head + 257, "ustar", 5);
}

/* The magic of a compressed stream: gzip, zstd, xz, bzip2. */
static bool looks_compressed(const unsigned char *m, size_t got)
{
    return got >= 4 && ((m[0] == 0x1f && m[1] == 0x8b) || !memcmp(m, "\x28\xb5\x2f\xfd", 4) ||
                        !memcmp(m,
                                "\xfd"
                                "7zXZ",
                                4) ||
                        !memcmp(m, "BZh", 3));
}

/* A file abiscan checks on its own: an ELF object by its content, or a file whose name says
 * Python (a module's source or bytecode) or a shared object (x.so, libx.so.1): a Mach-O or PE
 * file named .so is one too, and not-elf says what it is. */
static bool single_file(const char *path, const unsigned char *head, size_t got)
{
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *so = strstr(base, ".so");

    if (got >= 4 && !memcmp(head, "\177ELF", 4)) {
        return true;
    }
    if (path_has_suffix(base, ".py") || path_has_suffix(base, ".pyc")) {
        return true;
    }
    for (; so; so = strstr(so + 1, ".so")) {
        const char *p = so + 3;
        while (*p == '.' && p[1] >= '0' && p[1] <= '9') {
            p += 2;
            while (*p >= '0' && *p <= '9') {
                p++;
            }
        }
        if (!*p) {
            return true;
        }
    }
    return false;
}

/* head, its first non-blank byte on (a UTF-8 byte order mark skipped), lowered, in out. */
static size_t text_start(const unsigned char *head, size_t got, char *out, size_t cap)
{
    size_t i = got >= 3 && !memcmp(head, "\xef\xbb\xbf", 3) ? 3 : 0, n = 0;

    while (i < got && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
        i++;
    }
    for (; i < got && n + 1 < cap; i++) {
        out[n++] = (char)(head[i] >= 'A' && head[i] <= 'Z' ? head[i] + 32 : head[i]);
    }
    out[n] = '\0';
    return n;
}

static bool looks_like_text(const unsigned char *head, size_t got)
{
    for (size_t i = 0; i < got; i++) {
        if (head[i] == 0 || (head[i] < 0x20 && !strchr("\t\r\n\f\v\033", head[i])) ||
            head[i] == 0x7f) {
            return false;
        }
    }
    return true;
}

/* What a file that is no bundle looks like, in words, for its one line (a download that
 * failed saved under the bundle's name, a tar of the wrong thing, bytes of another tool). */
static const char *not_a_bundle(const unsigned char *head, size_t got, uint64_t size, char *buf,
                                size_t cap)
{
    char low[512];
    size_t n = text_start(head, got, low, sizeof(low));

    if (!size) {
        return "an empty file, not a bundle";
    }
    if (!strncmp(low, "<!doctype html", 14) || !strncmp(low, "<html", 5) ||
        ((!strncmp(low, "<!--", 4) || !strncmp(low, "<?xml", 5)) && strstr(low, "<html"))) {
        return "an HTML page, not a bundle: a download that failed?";
    }
    if (!strncmp(low, "<?xml", 5) || (n && low[0] == '<' && strstr(low, "<error>"))) {
        return strstr(low, "<error>") ? "an XML error response, not a bundle: a download that "
                                        "failed?"
                                      : "an XML document, not a bundle";
    }
    if (n && (low[0] == '{' || low[0] == '[') && looks_like_text(head, got)) {
        return "a JSON document, not a bundle";
    }
    if (got >= 4 && (head[0] == 0x1f && head[1] == 0x8b)) {
        return "gzip-compressed data, not a bundle";
    }
    if (got >= 4 && looks_compressed(head, got)) {
        return "compressed data (zstd, xz or bzip2), not a bundle";
    }
    if (got >= 4 && (!memcmp(head, "\xfe\xed\xfa\xce", 4) || !memcmp(head, "\xfe\xed\xfa\xcf", 4) ||
                     !memcmp(head, "\xce\xfa\xed\xfe", 4) || !memcmp(head, "\xcf\xfa\xed\xfe", 4) ||
                     !memcmp(head, "\xca\xfe\xba\xbe", 4))) {
        return "a Mach-O (macOS) file, not a bundle";
    }
    if (got >= 2 && !memcmp(head, "MZ", 2)) {
        return "a Windows (PE) file, not a bundle";
    }
    if (looks_like_text(head, got)) {
        return "a text file, not a bundle";
    }
    snprintf(buf, cap,
             "%llu bytes of data abiscan does not recognise (they start with %02x %02x %02x %02x), "
             "not a bundle",
             (unsigned long long)size, got > 0 ? head[0] : 0, got > 1 ? head[1] : 0,
             got > 2 ? head[2] : 0, got > 3 ? head[3] : 0);
    return buf;
}

/* A regular file by its first bytes: a zip, an image archive, a file checked alone, or none
 * of them: an input that was not checked, which is never a pass. */
static int open_regular(struct bundle *b, const char *path, const unsigned char *head, size_t got,
                        struct diag *d)
{
    const char *filter, *what;
    enum tar_kind tar;
    char buf[160];
    int rc;

    if (!b->file_size) {
        return diag_set(d, DIAG_INPUT, "'%s' is %s", path, not_a_bundle(head, 0, 0, buf, 0));
    }
    if (looks_like_zip(path, head, got < 4 ? got : 4)) {
        b->kind = BUNDLE_ZIP;
        if ((rc = bundle_zip_open(b, path, d)) != 0 && got >= 2 && memcmp(head, "PK", 2) != 0 &&
            (what = not_a_bundle(head, got, b->file_size, buf, sizeof(buf))) != buf) {
            /* Named a zip, but a page, a document, text: say what it is (libzip would say only
             * "Not a zip archive"); bytes it does not recognise are libzip's to name. */
            return diag_set(d, DIAG_INPUT, "'%s' is %s", path, what);
        }
        return rc;
    }
    if (looks_like_tar(head, got)) {
        rc = bundle_image_open_tar(b, path, &tar, d);
        if (rc != 0 || tar == TAR_IMAGE) {
            return rc;
        }
        return diag_set(d, DIAG_INPUT,
                        tar == TAR_ROOTFS ? "'%s' is a tar archive without an image manifest: a "
                                            "docker export? give the image (docker save) or the "
                                            "function's zip"
                                          : "'%s' is a tar archive without an image manifest: "
                                            "Lambda takes a function as a zip (zip -r) or a "
                                            "container image (docker save): give one of them",
                        path);
    }
    if (looks_compressed(head, got) && (filter = bundle_image_compression(path))) {
        /* Layers inside are streamed; the archive itself must be seekable to find them. */
        return diag_set(d, DIAG_INPUT,
                        "'%s' is a %s-compressed tar: abiscan reads an image archive as "
                        "docker save writes it, uncompressed (decompress it first)",
                        path, filter);
    }
    if (!single_file(path, head, got)) {
        return diag_set(d, DIAG_INPUT, "'%s' is %s", path,
                        not_a_bundle(head, got, b->file_size, buf, sizeof(buf)));
    }
    b->kind = BUNDLE_FILE;
    return bundle_file_open(b, path, d);
}

int bundle_open(struct bundle **out, const char *path, const struct bundle_limits *limits,
                struct diag *d)
{
    struct bundle *b;
    struct stat st;
    unsigned char head[512];
    ssize_t got = 0;
    int fd, rc;

    *out = NULL;
    if (stat(path, &st) != 0) {
        return diag_set(d, DIAG_IO, "cannot open '%s': %s", path, strerror(errno));
    }
    b = xcalloc(1, sizeof(*b));
    b->name = xstrdup(path);
    b->limits = *limits;
    if (S_ISDIR(st.st_mode) && bundle_image_is_layout(path)) {
        rc = bundle_image_open_layout(b, path, d);
    } else if (S_ISDIR(st.st_mode)) {
        b->kind = BUNDLE_DIR;
        rc = bundle_dir_open(b, path, d);
    } else if (!S_ISREG(st.st_mode)) {
        rc = diag_set(d, DIAG_INPUT, "'%s' is not a regular file or directory", path);
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
            rc = diag_set(d, DIAG_IO, "cannot open '%s': %s", path, strerror(errno));
        } else {
            got = pread(fd, head, sizeof(head), 0);
            close(fd);
            b->file_size = (uint64_t)st.st_size;
            if (got < 0) {
                rc = diag_set(d, DIAG_IO, "cannot read '%s': %s", path, strerror(errno));
            } else {
                rc = open_regular(b, path, head, (size_t)got, d);
            }
        }
    }
    if (rc != 0) {
        bundle_close(b);
        return -1;
    }
    *out = b;
    return 0;
}

char *bundle_entry_problem(const struct bundle *b, const char *path, uint64_t size, uint64_t stored)
{
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (n > NAME_MAX_BYTES) {
            return xasprintf("a name component of %zu bytes: no Linux file system holds it", n);
        }
        p += n + (p[n] == '/');
    }
    if (size > b->limits.max_member_size) {
        return xasprintf("member is %llu bytes, over the %llu-byte limit: not read",
                         (unsigned long long)size, (unsigned long long)b->limits.max_member_size);
    }
    /* Deflate cannot beat about 1032:1; a large member past 1000:1 is a bomb, not a file. */
    if (size > ZIP_BOMB_MIN_SIZE && stored && size / stored > ZIP_BOMB_RATIO) {
        return xasprintf("compression ratio %llu:1 (%llu bytes from %llu) looks like a zip "
                         "bomb: not read",
                         (unsigned long long)(size / stored), (unsigned long long)size,
                         (unsigned long long)stored);
    }
    return NULL;
}

int bundle_open_zip_memory(struct bundle **out, const char *name, const void *data, size_t len,
                           const struct bundle_limits *limits, struct diag *d)
{
    struct bundle *b = xcalloc(1, sizeof(*b));

    *out = NULL;
    b->name = xstrdup(name);
    b->limits = *limits;
    b->kind = BUNDLE_ZIP;
    b->file_size = len;
    if (bundle_zip_open_memory(b, data, len, d) != 0) {
        bundle_close(b);
        return -1;
    }
    *out = b;
    return 0;
}

void bundle_close(struct bundle *b)
{
    if (!b) {
        return;
    }
    if (b->ops && b->ops->close) {
        b->ops->close(b);
    }
    for (size_t i = 0; i < b->nr; i++) {
        free(b->entries[i].path);
        free(b->entries[i].problem);
        free(b->entries[i].open_path);
        free(b->entries[i].link);
    }
    free(b->entries);
    strvec_release(&b->notes);
    free(b->name);
    free(b);
}

const char *bundle_kind_name(enum bundle_kind kind)
{
    switch (kind) {
    case BUNDLE_ZIP:
        return "zip";
    case BUNDLE_DIR:
        return "directory";
    case BUNDLE_FILE:
        return "file";
    case BUNDLE_IMAGE:
        return "image";
    }
    return "unknown";
}

const char *bundle_form(const struct bundle *b)
{
    const struct bundle_image *img = bundle_image(b);
    return img ? img->form : bundle_kind_name(b->kind);
}

bool bundle_streamed(const struct bundle *b)
{
    return b->ops && b->ops->stream;
}

void bundle_stream(struct bundle *b, const bool *want, unsigned jobs, bundle_visit_fn *visit,
                   void *ctx)
{
    if (!bundle_streamed(b)) {
        BUG("bundle_stream: '%s' is read through readers", b->name);
    }
    b->ops->stream(b, want, jobs, visit, ctx);
}

struct bundle_entry *bundle_add_entry(struct bundle *b, const char *path, enum entry_type type)
{
    struct bundle_entry *e;

    ALLOC_GROW(b->entries, b->nr + 1, b->alloc);
    e = &b->entries[b->nr++];
    memset(e, 0, sizeof(*e));
    e->path = xstrdup(path);
    e->type = type;
    return e;
}

void bundle_add_note(struct bundle *b, char *note)
{
    strvec_push_nodup(&b->notes, note);
}

enum bundle_kind bundle_kind(const struct bundle *b)
{
    return b->kind;
}

uint64_t bundle_file_size(const struct bundle *b)
{
    return b->file_size;
}

const struct bundle_entry *bundle_entries(const struct bundle *b, size_t *nr)
{
    *nr = b->nr;
    return b->entries;
}

const struct strvec *bundle_notes(const struct bundle *b)
{
    return &b->notes;
}
