/* SPDX-License-Identifier: MIT */
/*
 * Container images, read without Docker: a `docker save` tarball (its legacy manifest.json,
 * or the OCI layout Docker 25+ writes beside it), an OCI image layout directory, and an
 * oci-archive (the layout in a tar). The archive's blobs are found in place (a run of the
 * uncompressed tar, or a file of the layout), the index walked to the image of the wanted
 * platform, its manifest and config read (cJSON) and their digests checked, and its layers
 * handed to bundle_layers.c. References: OCI image-spec image-layout.md, image-index.md,
 * manifest.md, config.md; Docker's image/spec/v1.2.md for manifest.json.
 */
#include <archive.h>
#include <archive_entry.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_image_int.h"
#include "path.h"
#include "strmap.h"
#include "xalloc.h"

#define JSON_MAX (16u << 20) /* an index, manifest or config larger than this is not one */
#define OUTER_MAX 1000000    /* members of the archive tar */
#define INDEX_DEPTH 8        /* nested indexes (a multi-platform image is two deep) */
#define LINK_HOPS 8

/* A member of the archive tar: where its bytes are, or what it links to. */
struct outer {
    char *name;
    char *link; /* a symbolic link's target, or a hard link's (then hard) */
    bool hard, regular;
    uint64_t off, len;
};

struct image_state {
    int fd;    /* the archive (tar forms), -1 for a layout */
    int dirfd; /* the layout directory, -1 for the tar forms */
    struct outer *outer;
    size_t outer_nr, outer_alloc;
    struct strmap by_name; /* outer name -> index + 1 (the last member of a name) */
    struct layer *layers;
    size_t layers_nr;
    struct bundle_image meta;
};

/* One image the archive offers, before one is picked. */
struct candidate {
    char *manifest;      /* OCI: the manifest's digest; legacy: NULL */
    const cJSON *legacy; /* legacy: its manifest.json row (borrowed) */
    char *platform;      /* "os/arch[/variant]", or NULL until its config says */
    char *ref;
};

struct candidates {
    struct candidate *v;
    size_t nr, alloc;
    struct strvec seen;   /* index digests walked (an index that names itself is a loop) */
    struct strvec broken; /* why a branch of the index could not be read */
    bool loop, deep;
};

/* ---- the archive's files ----------------------------------------------------------------- */

/* Every member of the archive tar (uncompressed, as docker save and skopeo write it): its
 * name and where its data starts. */
static int index_tar(struct image_state *st, const char *path, struct diag *d)
{
    struct archive *a = archive_read_new();
    struct archive_entry *ae;
    int rc = 0, r;

    archive_read_support_format_tar(a);
    if (archive_read_open_fd(a, st->fd, 64 << 10) != ARCHIVE_OK) {
        rc = diag_set(d, DIAG_INPUT, "'%s': %s", path, archive_error_string(a));
        goto out;
    }
    while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        const char *raw = archive_entry_pathname(ae);
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
        o->regular = archive_entry_filetype(ae) == AE_IFREG && !archive_entry_hardlink(ae) &&
                     archive_entry_sparse_count(ae) == 0;
        if (archive_entry_hardlink(ae)) {
            o->link = path_normalize(archive_entry_hardlink(ae), PATH_RELATIVE, NULL);
            o->hard = true;
        } else if (archive_entry_filetype(ae) == AE_IFLNK && archive_entry_symlink(ae)) {
            o->link = xstrdup(archive_entry_symlink(ae));
        }
        o->off = (uint64_t)archive_filter_bytes(a, 0);
        o->len = archive_entry_size(ae) > 0 ? (uint64_t)archive_entry_size(ae) : 0;
        strmap_put(&st->by_name, o->name, strlen(o->name), (void *)(uintptr_t)st->outer_nr);
    }
    if (r != ARCHIVE_EOF) {
        rc = diag_set(d, DIAG_INPUT, "'%s': the archive breaks after %zu members: %s", path,
                      st->outer_nr, archive_error_string(a));
    }
out:
    archive_read_free(a);
    return rc;
}

static const struct outer *outer_find(const struct image_state *st, const char *name)
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
static int blob_find(const struct image_state *st, const char *raw, struct blob *out, int *owned,
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
        const struct outer *o = outer_find(st, name);
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
static int read_json(const struct image_state *st, const char *name, const char *digest,
                     cJSON **out, char *why, size_t cap)
{
    struct blob b;
    int owned;
    char *text = NULL, *got = NULL;
    size_t done = 0;
    int rc = -1;

    *out = NULL;
    if (blob_find(st, name, &b, &owned, why, cap) != 0) {
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

static const char *str_of(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static void strs_of(struct strvec *out, const cJSON *obj, const char *key)
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
static char *blob_name(const char *digest)
{
    if (!digest || digest_parse(digest) == DIGEST_NONE) {
        return NULL;
    }
    return xasprintf("blobs/%.6s/%s", digest, digest + 7);
}

/* "os/arch[/variant]", the aliases folded (x86_64 is amd64, aarch64 is arm64, and arm64's
 * only variant, v8, goes without saying). */
static char *platform_of(const char *os, const char *arch, const char *variant)
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

static char *platform_normal(const char *want)
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

/* ---- which image ----------------------------------------------------------------------- */

static bool is_index_type(const char *t)
{
    return t && (!strcmp(t, "application/vnd.oci.image.index.v1+json") ||
                 !strcmp(t, "application/vnd.docker.distribution.manifest.list.v2+json"));
}

/* The images of an index, nested indexes walked (a multi-platform image, docker save's
 * index of one); attestations (buildx provenance, platform unknown/unknown) skipped. */
static void walk_index(const struct image_state *st, const cJSON *index, unsigned depth,
                       struct candidates *cs)
{
    const cJSON *m;

    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(index, "manifests"))
    {
        const char *type = str_of(m, "mediaType"), *digest = str_of(m, "digest");
        const cJSON *plat = cJSON_GetObjectItemCaseSensitive(m, "platform");
        const cJSON *notes = cJSON_GetObjectItemCaseSensitive(m, "annotations");
        const char *kind = str_of(notes, "vnd.docker.reference.type");
        char why[256], *name = blob_name(digest);
        cJSON *sub = NULL;
        if (!name || (kind && !strcmp(kind, "attestation-manifest")) ||
            (str_of(plat, "os") && !strcmp(str_of(plat, "os"), "unknown"))) {
            free(name);
            continue;
        }
        if (is_index_type(type)) {
            if (strvec_contains(&cs->seen, digest)) {
                cs->loop = true;
            } else if (depth >= INDEX_DEPTH) {
                cs->deep = true;
            } else if (read_json(st, name, digest, &sub, why, sizeof(why)) == 0) {
                strvec_push(&cs->seen, digest);
                walk_index(st, sub, depth + 1, cs);
            } else if (cs->broken.nr < 4) {
                strvec_push(&cs->broken, why);
            }
            cJSON_Delete(sub);
            free(name);
            continue;
        }
        free(name);
        ALLOC_GROW(cs->v, cs->nr + 1, cs->alloc);
        struct candidate *c = &cs->v[cs->nr++];
        memset(c, 0, sizeof(*c));
        c->manifest = xstrdup(digest);
        c->platform = plat ? platform_of(str_of(plat, "os"), str_of(plat, "architecture"),
                                         str_of(plat, "variant"))
                           : NULL;
        c->ref = xstrdup(str_of(notes, "io.containerd.image.name")
                             ? str_of(notes, "io.containerd.image.name")
                         : str_of(notes, "org.opencontainers.image.ref.name")
                             ? str_of(notes, "org.opencontainers.image.ref.name")
                             : "");
    }
}

/* The manifest of an OCI candidate: its config descriptor and its layers. */
static int load_manifest(const struct image_state *st, const struct candidate *c, cJSON **out,
                         char *why, size_t cap)
{
    char *name = blob_name(c->manifest);
    int rc = read_json(st, name, c->manifest, out, why, cap);

    free(name);
    if (rc == 0 && !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(*out, "config"))) {
        snprintf(why, cap, "the manifest %s names no config", c->manifest);
        cJSON_Delete(*out);
        *out = NULL;
        rc = -1;
    }
    return rc;
}

/* The config of a candidate (OCI: through its manifest; legacy: its Config file). */
static int load_config(const struct image_state *st, const struct candidate *c, cJSON **out,
                       char *why, size_t cap)
{
    cJSON *man = NULL;
    int rc;

    if (c->legacy) {
        const char *name = str_of(c->legacy, "Config");
        char *digest = NULL;
        if (!name) {
            snprintf(why, cap, "manifest.json names no Config");
            return -1;
        }
        /* The legacy Config file is named after its own sha256 (the image ID). */
        if (strlen(path_base(name)) == 69 && path_has_suffix(name, ".json")) {
            digest = xasprintf("sha256:%.64s", path_base(name));
            if (digest_parse(digest) == DIGEST_NONE) {
                free(digest);
                digest = NULL;
            }
        }
        rc = read_json(st, name, digest, out, why, cap);
        free(digest);
        return rc;
    }
    if (load_manifest(st, c, &man, why, cap) != 0) {
        return -1;
    }
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(man, "config");
    char *name = blob_name(str_of(cfg, "digest"));
    rc = name ? read_json(st, name, str_of(cfg, "digest"), out, why, cap) : -1;
    if (!name) {
        snprintf(why, cap, "the manifest's config has no digest");
    }
    free(name);
    cJSON_Delete(man);
    return rc;
}

static bool platform_match(const char *have, const char *want)
{
    return have && !strcmp(have, want);
}

static void candidates_release(struct candidates *cs)
{
    for (size_t i = 0; i < cs->nr; i++) {
        free(cs->v[i].manifest);
        free(cs->v[i].platform);
        free(cs->v[i].ref);
    }
    free(cs->v);
    strvec_release(&cs->seen);
    strvec_release(&cs->broken);
}

/* The candidate the platform picks; -1 with d set when none can be checked. */
static int pick(struct bundle *b, struct image_state *st, struct candidates *cs, size_t *out,
                struct diag *d)
{
    const char *want_raw = b->limits.platform ? b->limits.platform : "linux/amd64";
    char *want = platform_normal(want_raw);
    size_t first = SIZE_MAX, matches = 0;
    char why[512];
    int rc = 0;

    for (size_t i = 0; i < cs->nr; i++) {
        struct candidate *c = &cs->v[i];
        cJSON *cfg = NULL;
        if (!c->platform && load_config(st, c, &cfg, why, sizeof(why)) == 0) {
            c->platform =
                platform_of(str_of(cfg, "os"), str_of(cfg, "architecture"), str_of(cfg, "variant"));
        }
        cJSON_Delete(cfg);
        if (c->platform && !strvec_contains(&st->meta.platforms, c->platform)) {
            strvec_push(&st->meta.platforms, c->platform);
        }
        if (platform_match(c->platform, want) && matches++ == 0) {
            first = i;
        }
    }
    if (!cs->nr) {
        rc = diag_set(d, DIAG_INPUT, "'%s': the image archive names no image%s%s%s", b->name,
                      cs->loop   ? " (its index refers to itself)"
                      : cs->deep ? " (its indexes nest more than 8 deep)"
                                 : "",
                      cs->broken.nr ? ": " : "", cs->broken.nr ? cs->broken.v[0] : "");
    } else if (first == SIZE_MAX && b->limits.platform_given) {
        char *have = strvec_join(&st->meta.platforms, ", ");
        rc = diag_set(d, DIAG_INPUT, "'%s' has no image for %s (it has %s)", b->name, want,
                      *have ? have : "images of no platform it says");
        free(have);
    } else if (first == SIZE_MAX) {
        /* The function's architecture is not there: the first image is checked, and the
         * checks say that it is not the function's (image-arch-mismatch). */
        first = 0;
        if (cs->nr > 1) {
            bundle_add_note(b, xasprintf("no image for %s in the archive: checked the first, "
                                         "%s",
                                         want, cs->v[0].platform ? cs->v[0].platform : "?"));
        }
    } else if (matches > 1) {
        bundle_add_note(b,
                        xasprintf("the archive holds %zu images for %s: checked the first "
                                  "(%s)",
                                  matches, want, *cs->v[first].ref ? cs->v[first].ref : "no name"));
    }
    if (cs->loop || cs->deep) {
        bundle_add_note(b, xasprintf("the image index %s: that branch was not read",
                                     cs->loop ? "refers to itself" : "nests more than 8 deep"));
    }
    for (size_t i = 0; i < cs->broken.nr; i++) {
        bundle_add_note(b,
                        xasprintf("a branch of the image index was not read: %s", cs->broken.v[i]));
    }
    *out = first;
    free(want);
    return rc;
}

/* ---- the image picked ------------------------------------------------------------------ */

/* Layer media types a runtime pulls and applies (image-spec media-types.md, Docker's v2
 * schema 2); a foreign or non-distributable layer is not in the archive. */
static bool applicable_layer(const char *type)
{
    return !type || (!strstr(type, "foreign") && !strstr(type, "nondistributable"));
}

static void add_layer(struct image_state *st, const char *name, const char *digest,
                      const char *type)
{
    struct layer *l;
    char why[512];
    int owned;

    st->layers = xrealloc_array(st->layers, st->layers_nr + 1, sizeof(*st->layers));
    l = &st->layers[st->layers_nr++];
    memset(l, 0, sizeof(*l));
    l->where = path_normalize(name ? name : "(unnamed layer)", PATH_MEMBER, NULL);
    l->src.fd = -1;
    l->digest = digest && digest_parse(digest) != DIGEST_NONE ? xstrdup(digest) : NULL;
    if (!applicable_layer(type)) {
        l->problem = xasprintf("layer %zu is a foreign layer, which the archive does not hold: "
                               "its files were not read",
                               st->layers_nr);
    } else if (!name || blob_find(st, name, &l->src, &owned, why, sizeof(why)) != 0) {
        l->problem = xasprintf("layer %zu is not in the archive (%s): docker load refuses the "
                               "image; its files were not read",
                               st->layers_nr, name ? why : "it has no name");
        l->src.fd = -1;
    } else {
        l->fd_owned = owned >= 0;
        st->meta.stored += l->src.len;
    }
}

static void read_config(struct image_state *st, const cJSON *cfg)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(cfg, "config");
    const char *wd = str_of(c, "WorkingDir");

    st->meta.os = xstrdup(str_of(cfg, "os") ? str_of(cfg, "os") : "");
    st->meta.architecture = xstrdup(str_of(cfg, "architecture") ? str_of(cfg, "architecture") : "");
    st->meta.variant = xstrdup(str_of(cfg, "variant") ? str_of(cfg, "variant") : "");
    st->meta.platform = platform_of(st->meta.os, st->meta.architecture, st->meta.variant);
    if (!st->meta.platform) {
        st->meta.platform = xstrdup("");
    }
    strs_of(&st->meta.env, c, "Env");
    strs_of(&st->meta.entrypoint, c, "Entrypoint");
    strs_of(&st->meta.cmd, c, "Cmd");
    st->meta.workdir = xstrdup(wd ? wd : "");
}

/* The layers of the picked image: the manifest's (OCI), or manifest.json's, whose
 * uncompressed tars the config's rootfs.diff_ids name. */
static int load_image(struct bundle *b, struct image_state *st, const struct candidate *c,
                      struct diag *d)
{
    cJSON *man = NULL, *cfg = NULL;
    const cJSON *l;
    char why[512];
    int rc = -1;

    if (load_config(st, c, &cfg, why, sizeof(why)) != 0) {
        diag_set(d, DIAG_INPUT, "'%s': the image cannot be read: %s", b->name, why);
        goto out;
    }
    read_config(st, cfg);
    st->meta.ref = xstrdup(c->ref ? c->ref : "");
    if (c->legacy) {
        const cJSON *diff = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(cfg, "rootfs"), "diff_ids");
        size_t i = 0;
        cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(c->legacy, "Layers"))
        {
            const cJSON *id = cJSON_GetArrayItem(diff, (int)i++);
            add_layer(st, cJSON_IsString(l) ? l->valuestring : NULL,
                      cJSON_IsString(id) ? id->valuestring : NULL, NULL);
        }
    } else {
        if (load_manifest(st, c, &man, why, sizeof(why)) != 0) {
            diag_set(d, DIAG_INPUT, "'%s': %s", b->name, why);
            goto out;
        }
        cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(man, "layers"))
        {
            char *name = blob_name(str_of(l, "digest"));
            add_layer(st, name, str_of(l, "digest"), str_of(l, "mediaType"));
            free(name);
        }
    }
    st->meta.layers = st->layers_nr;
    rc = 0;
out:
    cJSON_Delete(man);
    cJSON_Delete(cfg);
    return rc;
}

/* ---- the backend ----------------------------------------------------------------------- */

static int image_read(struct bundle_reader *r, const struct bundle_entry *e, unsigned char *buf,
                      size_t cap, size_t *got, struct diag *d)
{
    (void)r, (void)e, (void)buf, (void)cap;
    *got = 0;
    return diag_set(d, DIAG_IO, "an image's members are read as its layers stream by");
}

static void image_stream(struct bundle *b, const bool *want, unsigned jobs, bundle_visit_fn *visit,
                         void *ctx)
{
    const struct image_state *st = b->priv;
    layers_stream(b, st->layers, st->layers_nr, want, jobs, visit, ctx);
}

static void image_close(struct bundle *b)
{
    struct image_state *st = b->priv;

    if (!st) {
        return;
    }
    layers_release(st->layers, st->layers_nr);
    for (size_t i = 0; i < st->outer_nr; i++) {
        free(st->outer[i].name);
        free(st->outer[i].link);
    }
    free(st->outer);
    strmap_release(&st->by_name);
    if (st->fd >= 0) {
        close(st->fd);
    }
    if (st->dirfd >= 0) {
        close(st->dirfd);
    }
    free(st->meta.os);
    free(st->meta.architecture);
    free(st->meta.variant);
    free(st->meta.platform);
    strvec_release(&st->meta.platforms);
    free(st->meta.ref);
    strvec_release(&st->meta.env);
    strvec_release(&st->meta.entrypoint);
    strvec_release(&st->meta.cmd);
    free(st->meta.workdir);
    free(st);
    b->priv = NULL;
}

static const struct bundle_ops image_ops = {
    .read = image_read,
    .stream = image_stream,
    .close = image_close,
};

/* The archive's images (OCI index first, then Docker's legacy manifest.json), the one the
 * platform picks, its layers listed. */
static int open_image(struct bundle *b, struct image_state *st, struct diag *d)
{
    struct candidates cs = {0};
    cJSON *top = NULL;
    char why[512];
    size_t chosen;
    int rc = -1;

    b->ops = &image_ops;
    if (read_json(st, "index.json", NULL, &top, why, sizeof(why)) == 0 && cJSON_IsObject(top)) {
        walk_index(st, top, 0, &cs);
    } else if (strcmp(st->meta.form, "docker-archive") != 0) {
        /* An OCI layout is its index.json (image-layout.md); docker save has a fallback. */
        rc = diag_set(d, DIAG_INPUT, "'%s': %s", b->name, top ? "index.json is no object" : why);
        goto out;
    } else {
        cJSON_Delete(top);
        top = NULL;
        if (read_json(st, "manifest.json", NULL, &top, why, sizeof(why)) != 0) {
            rc = diag_set(d, DIAG_INPUT, "'%s': %s", b->name, why);
            goto out;
        }
        const cJSON *m, *list = cJSON_IsArray(top) ? top : NULL;
        cJSON_ArrayForEach(m, list)
        {
            const cJSON *tag =
                cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(m, "RepoTags"), 0);
            ALLOC_GROW(cs.v, cs.nr + 1, cs.alloc);
            memset(&cs.v[cs.nr], 0, sizeof(cs.v[0]));
            cs.v[cs.nr].legacy = m;
            cs.v[cs.nr++].ref = xstrdup(cJSON_IsString(tag) ? tag->valuestring : "");
        }
    }
    if (pick(b, st, &cs, &chosen, d) != 0 || load_image(b, st, &cs.v[chosen], d) != 0) {
        goto out;
    }
    layers_list(b, st->layers, st->layers_nr, b->limits.jobs, &st->meta.uncompressed);
    rc = 0;
out:
    candidates_release(&cs);
    cJSON_Delete(top);
    return rc;
}

static struct image_state *state_new(struct bundle *b)
{
    struct image_state *st = xcalloc(1, sizeof(*st));

    st->fd = st->dirfd = -1;
    b->priv = st;
    b->ops = &image_ops; /* from here on, bundle_close() frees st whatever fails */
    b->kind = BUNDLE_IMAGE;
    return st;
}

int bundle_image_open_tar(struct bundle *b, const char *path, bool *not_image, struct diag *d)
{
    struct image_state *st = state_new(b);

    *not_image = false;
    if ((st->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
        return diag_set(d, DIAG_IO, "cannot open '%s': %s", path, strerror(errno));
    }
    if (index_tar(st, path, d) != 0) {
        return -1;
    }
    if (outer_find(st, "oci-layout") && outer_find(st, "index.json")) {
        st->meta.form = outer_find(st, "manifest.json") ? "docker-archive" : "oci-archive";
    } else if (outer_find(st, "manifest.json")) {
        st->meta.form = "docker-archive";
    } else {
        *not_image = true; /* a tar, but no image: the caller reads it as a file */
        image_close(b);
        b->ops = NULL;
        return 0;
    }
    return open_image(b, st, d);
}

bool bundle_image_is_layout(const char *path)
{
    struct stat sb;
    char *marker = xasprintf("%s/oci-layout", path);
    bool yes = lstat(marker, &sb) == 0 && S_ISREG(sb.st_mode);

    free(marker);
    return yes;
}

int bundle_image_open_layout(struct bundle *b, const char *path, struct diag *d)
{
    struct image_state *st = state_new(b);

    st->meta.form = "oci-layout";
    if ((st->dirfd = open(path, O_RDONLY | O_CLOEXEC | O_DIRECTORY)) < 0) {
        return diag_set(d, DIAG_IO, "cannot open '%s': %s", path, strerror(errno));
    }
    return open_image(b, st, d);
}

const struct bundle_image *bundle_image(const struct bundle *b)
{
    return b->kind == BUNDLE_IMAGE && b->priv ? &((const struct image_state *)b->priv)->meta : NULL;
}

const char *bundle_image_compression(const char *path)
{
    struct archive *a = archive_read_new();
    struct archive_entry *ae;
    const char *filter = NULL;

    archive_read_support_filter_gzip(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_bzip2(a);
    archive_read_support_format_tar(a);
    if (archive_read_open_filename(a, path, 64 << 10) == ARCHIVE_OK &&
        archive_read_next_header(a, &ae) >= ARCHIVE_WARN && archive_filter_count(a) > 1) {
        filter = archive_filter_code(a, 0) == ARCHIVE_FILTER_GZIP   ? "gzip"
                 : archive_filter_code(a, 0) == ARCHIVE_FILTER_ZSTD ? "zstd"
                 : archive_filter_code(a, 0) == ARCHIVE_FILTER_XZ   ? "xz"
                                                                    : "bzip2";
    }
    archive_read_free(a);
    return filter;
}
