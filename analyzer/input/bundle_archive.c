/* SPDX-License-Identifier: MIT */
/*
 * An image archive's files, found in place: the members of an uncompressed tar (docker save,
 * an oci-archive) by where their data starts, or the files of an OCI layout directory, each
 * component opened without following links; small JSON files read whole with their digest
 * checked (cJSON); and the helpers the image's JSON is read with. OCI image-spec
 * image-layout.md, descriptor.md; Docker's image/spec/v1.2.md.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archapi.h"
#include "bundle_image_int.h"
#include "path.h"
#include "xalloc.h"

#define JSON_MAX (16u << 20) /* an index, manifest or config larger than this is not one */
#define OUTER_MAX 1000000    /* members of the archive tar */
#define LINK_HOPS 8

/* Every member of the archive tar (uncompressed, as docker save and skopeo write it): its
 * name and where its data starts. */
int archive_index_tar(struct image_archive *st, const char *path, struct diag *d)
{
    struct archive *a = ARC(archive_read_new)();
    struct archive_entry *ae;
    int rc = 0, r;

    ARC(archive_read_support_format_tar)(a);
    if (ARC(archive_read_open_fd)(a, st->fd, 64 << 10) != ARCHIVE_OK) {
        rc = diag_set(d, DIAG_INPUT, "'%s': %s", path, ARC(archive_error_string)(a));
        goto out;
    }
    while ((r = ARC(archive_read_next_header)(a, &ae)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        const char *raw = ARC(archive_entry_pathname)(ae);
        struct outer *o;
        if (st->outer_nr >= OUTER_MAX) {
            rc = diag_set(d, DIAG_LIMIT, "'%s': more than %d members: not an image archive", path,
                          OUTER_MAX);
            goto out;
        }
        ALLOC_GROW(st->outer, st->outer_nr + 1, st->outer_alloc);
        o = &st->outer[st->outer_nr++];
        memset(o, 0, sizeof(*o));
        o->name = path_normalize(raw ? raw : "", PATH_RELATIVE, NULL);
        o->regular = ARC(archive_entry_filetype)(ae) == AE_IFREG &&
                     !ARC(archive_entry_hardlink)(ae) && ARC(archive_entry_sparse_count)(ae) == 0;
        if (ARC(archive_entry_hardlink)(ae)) {
            o->link = path_normalize(ARC(archive_entry_hardlink)(ae), PATH_RELATIVE, NULL);
            o->hard = true;
        } else if (ARC(archive_entry_filetype)(ae) == AE_IFLNK && ARC(archive_entry_symlink)(ae)) {
            o->link = xstrdup(ARC(archive_entry_symlink)(ae));
        }
        o->off = (uint64_t)ARC(archive_filter_bytes)(a, 0);
        o->len = ARC(archive_entry_size)(ae) > 0 ? (uint64_t)ARC(archive_entry_size)(ae) : 0;
        strmap_put(&st->by_name, o->name, strlen(o->name), (void *)(uintptr_t)st->outer_nr);
    }
    if (r != ARCHIVE_EOF) {
        rc = diag_set(d, DIAG_INPUT, "'%s': the archive breaks after %zu members: %s", path,
                      st->outer_nr, ARC(archive_error_string)(a));
    }
out:
    ARC(archive_read_free)(a);
    return rc;
}

const struct outer *archive_member(const struct image_archive *st, const char *name)
{
    size_t i = (size_t)(uintptr_t)strmap_get(&st->by_name, name, strlen(name));
    return i ? &st->outer[i - 1] : NULL;
}

/* A file of the layout, each component opened without following links (a link in a
 * layout could lead anywhere). -1 with errno set. */
static int open_in_layout(int dirfd, const char *name)
{
    char *copy = xstrdup(name), *save = NULL, *part = strtok_r(copy, "/", &save);
    int fd = dup(dirfd);

    while (fd >= 0 && part) {
        char *next = strtok_r(NULL, "/", &save);
        int at = openat(fd, part,
                        O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | (next ? O_DIRECTORY : 0));
        int e = errno;
        close(fd);
        fd = at;
        errno = e;
        part = next;
    }
    free(copy);
    return fd;
}

/* The bytes of the archive's file name: 0, or -1 with why set (missing, not a file). An
 * opened layout file is handed over in *owned (else -1). */
int archive_blob(const struct image_archive *st, const char *raw, struct blob *out, int *owned,
                 char *why, size_t cap)
{
    bool escapes = false;
    char *name = path_normalize(raw, PATH_RELATIVE, &escapes);
    int rc = -1;

    *owned = -1;
    if (escapes || !*name) {
        snprintf(why, cap, "a name outside the archive");
        goto out;
    }
    if (st->dirfd >= 0) {
        struct stat sb;
        int fd = open_in_layout(st->dirfd, name);
        if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            snprintf(why, cap, "%s",
                     fd < 0 && errno == ELOOP ? "a link, which a layout's blob may not be"
                     : fd < 0                 ? strerror(errno)
                                              : "not a regular file");
            if (fd >= 0) {
                close(fd);
            }
            goto out;
        }
        *out = (struct blob){fd, 0, (uint64_t)sb.st_size};
        *owned = fd;
        rc = 0;
        goto out;
    }
    for (int hops = 0; hops <= LINK_HOPS; hops++) {
        const struct outer *o = archive_member(st, name);
        char *next;
        if (!o) {
            snprintf(why, cap, "no such member");
            goto out;
        }
        if (o->regular) {
            *out = (struct blob){st->fd, o->off, o->len};
            rc = 0;
            goto out;
        }
        if (!o->link) {
            snprintf(why, cap, "not a file");
            goto out;
        }
        /* docker save links a layer it holds twice to its first copy. */
        next = o->hard ? xstrdup(o->link)
                       : xasprintf("%.*s%s%s", (int)path_dir_len(name), name,
                                   path_dir_len(name) ? "/" : "", o->link);
        free(name);
        name = path_normalize(next, PATH_RELATIVE, &escapes);
        free(next);
        if (escapes) {
            snprintf(why, cap, "a link in the archive leads out of it");
            goto out;
        }
    }
    snprintf(why, cap, "a chain of more than %d links", LINK_HOPS);
out:
    free(name);
    return rc;
}

/* A small JSON file of the archive, whole, its digest checked when one is given. */
int archive_json(const struct image_archive *st, const char *name, const char *digest, cJSON **out,
                 char *why, size_t cap)
{
    struct blob b;
    int owned;
    char *text = NULL, *got = NULL;
    size_t done = 0;
    int rc = -1;

    *out = NULL;
    if (archive_blob(st, name, &b, &owned, why, cap) != 0) {
        char *inner = xstrdup(why);
        snprintf(why, cap, "%s: %s", name, inner);
        free(inner);
        return -1;
    }
    if (b.len > JSON_MAX) {
        snprintf(why, cap, "%s is %llu bytes: too large for an image's JSON", name,
                 (unsigned long long)b.len);
        goto out;
    }
    text = xmalloc((size_t)b.len + 1);
    while (done < b.len) {
        ssize_t n = pread(b.fd, text + done, (size_t)b.len - done, (off_t)(b.off + done));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            snprintf(why, cap, "cannot read %s: %s", name, n < 0 ? strerror(errno) : "short");
            goto out;
        }
        done += (size_t)n;
    }
    if (digest) {
        struct digester *dg = digester_new(digest_parse(digest));
        digester_update(dg, text, done);
        got = digester_final(dg);
        digester_free(dg);
        if (strcmp(got, digest) != 0) {
            snprintf(why, cap, "%s hashes to %s, not to the digest that names it", name, got);
            goto out;
        }
    }
    if (!(*out = cJSON_ParseWithLength(text, done)) ||
        (!cJSON_IsObject(*out) && !cJSON_IsArray(*out))) {
        snprintf(why, cap, "%s is not JSON", name);
        cJSON_Delete(*out);
        *out = NULL;
        goto out;
    }
    rc = 0;
out:
    if (owned >= 0) {
        close(owned);
    }
    free(got);
    free(text);
    return rc;
}

/* ---- JSON fields ----------------------------------------------------------------------- */

const char *json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

void json_strs(struct strvec *out, const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key), *s;
    const cJSON *list = cJSON_IsArray(v) ? v : NULL;

    cJSON_ArrayForEach(s, list)
    {
        if (cJSON_IsString(s) && s->valuestring) {
            strvec_push(out, s->valuestring);
        }
    }
}

/* "blobs/sha256/<hex>" for a digest the layout can hold; NULL for any other string. */
char *archive_blob_name(const char *digest)
{
    if (!digest || digest_parse(digest) == DIGEST_NONE) {
        return NULL;
    }
    return xasprintf("blobs/%.6s/%s", digest, digest + 7);
}

/* "os/arch[/variant]", the aliases folded (x86_64 is amd64, aarch64 is arm64, and arm64's
 * only variant, v8, goes without saying). */
char *platform_of(const char *os, const char *arch, const char *variant)
{
    if (!arch || !*arch) {
        return NULL;
    }
    if (!strcmp(arch, "x86_64")) {
        arch = "amd64";
    } else if (!strcmp(arch, "aarch64")) {
        arch = "arm64";
    }
    if (variant && !strcmp(arch, "arm64") && !strcmp(variant, "v8")) {
        variant = NULL;
    }
    return xasprintf("%s/%s%s%s", os && *os ? os : "linux", arch, variant && *variant ? "/" : "",
                     variant && *variant ? variant : "");
}

char *platform_normal(const char *want)
{
    char *copy = xstrdup(want), *save = NULL;
    char *os = strtok_r(copy, "/", &save), *arch = strtok_r(NULL, "/", &save);
    char *variant = strtok_r(NULL, "/", &save), *out;

    if (os && !arch) { /* "arm64" alone: linux's */
        arch = os;
        os = "linux";
    }
    out = platform_of(os, arch, variant);
    free(copy);
    return out ? out : xstrdup(want);
}

void archive_release(struct image_archive *ar)
{
    for (size_t i = 0; i < ar->outer_nr; i++) {
        free(ar->outer[i].name);
        free(ar->outer[i].link);
    }
    free(ar->outer);
    strmap_release(&ar->by_name);
    if (ar->fd >= 0) {
        close(ar->fd);
    }
    if (ar->dirfd >= 0) {
        close(ar->dirfd);
    }
    memset(ar, 0, sizeof(*ar));
    ar->fd = ar->dirfd = -1;
}
