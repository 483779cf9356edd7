/* SPDX-License-Identifier: MIT */
/*
 * Container images, read without Docker: a `docker save` tarball (its legacy manifest.json,
 * or the OCI layout Docker 25+ writes beside it), an OCI image layout directory, and an
 * oci-archive (the layout in a tar). The archive's blobs are found in place
 * (bundle_archive.c), the index walked to the image of the wanted platform, its manifest and
 * config read and their digests checked, and its layers handed to bundle_layers.c.
 * References: OCI image-spec image-layout.md, image-index.md, manifest.md, config.md;
 * Docker's image/spec/v1.2.md for manifest.json.
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

#define INDEX_DEPTH 8 /* nested indexes (a multi-platform image is two deep) */

struct image_state {
    struct image_archive ar; /* where the blobs are */
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

/* ---- which image ----------------------------------------------------------------------- */

static bool is_index_type(const char *t)
{
    return t && (!strcmp(t, "application/vnd.oci.image.index.v1+json") ||
                 !strcmp(t, "application/vnd.docker.distribution.manifest.list.v2+json"));
}

/* The name a descriptor gives what it points to (containerd's image name, else the OCI
 * ref.name annotation), or NULL. */
static const char *ref_of(const cJSON *notes)
{
    return json_str(notes, "io.containerd.image.name")
               ? json_str(notes, "io.containerd.image.name")
               : json_str(notes, "org.opencontainers.image.ref.name");
}

/* The images of an index, nested indexes walked (a multi-platform image, docker save's
 * index of one); attestations (buildx provenance, platform unknown/unknown) skipped. An
 * image whose own descriptor names it not goes by the name of the index that holds it
 * (buildx names the index of a multi-platform image, not its manifests). */
static void walk_index(const struct image_state *st, const cJSON *index, unsigned depth,
                       const char *outer_ref, struct candidates *cs)
{
    const cJSON *m;

    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(index, "manifests"))
    {
        const char *type = json_str(m, "mediaType"), *digest = json_str(m, "digest");
        const cJSON *plat = cJSON_GetObjectItemCaseSensitive(m, "platform");
        const cJSON *notes = cJSON_GetObjectItemCaseSensitive(m, "annotations");
        const char *kind = json_str(notes, "vnd.docker.reference.type");
        char why[256], *name = archive_blob_name(digest);
        cJSON *sub = NULL;
        if (!name || (kind && !strcmp(kind, "attestation-manifest")) ||
            (json_str(plat, "os") && !strcmp(json_str(plat, "os"), "unknown"))) {
            free(name);
            continue;
        }
        if (is_index_type(type)) {
            if (strvec_contains(&cs->seen, digest)) {
                cs->loop = true;
            } else if (depth >= INDEX_DEPTH) {
                cs->deep = true;
            } else if (archive_json(&st->ar, name, digest, &sub, why, sizeof(why)) == 0) {
                strvec_push(&cs->seen, digest);
                walk_index(st, sub, depth + 1, ref_of(notes) ? ref_of(notes) : outer_ref, cs);
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
        c->platform = plat ? platform_of(json_str(plat, "os"), json_str(plat, "architecture"),
                                         json_str(plat, "variant"))
                           : NULL;
        c->ref = xstrdup(ref_of(notes) ? ref_of(notes) : outer_ref ? outer_ref : "");
    }
}

/* The manifest of an OCI candidate: its config descriptor and its layers. */
static int load_manifest(const struct image_state *st, const struct candidate *c, cJSON **out,
                         char *why, size_t cap)
{
    char *name = archive_blob_name(c->manifest);
    int rc = archive_json(&st->ar, name, c->manifest, out, why, cap);

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
        const char *name = json_str(c->legacy, "Config");
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
        rc = archive_json(&st->ar, name, digest, out, why, cap);
        free(digest);
        return rc;
    }
    if (load_manifest(st, c, &man, why, cap) != 0) {
        return -1;
    }
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(man, "config");
    char *name = archive_blob_name(json_str(cfg, "digest"));
    rc = name ? archive_json(&st->ar, name, json_str(cfg, "digest"), out, why, cap) : -1;
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
            c->platform = platform_of(json_str(cfg, "os"), json_str(cfg, "architecture"),
                                      json_str(cfg, "variant"));
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

/* The compression a layer's media type names: "...tar+gzip", "...tar+zstd", "...tar"
 * (Docker's "...rootfs.diff.tar.gzip" too); unsaid without one. */
static enum layer_comp media_comp(const char *type)
{
    if (!type) {
        return COMP_UNSAID;
    }
    if (path_has_suffix(type, "gzip")) {
        return COMP_GZIP;
    }
    if (path_has_suffix(type, "zstd")) {
        return COMP_ZSTD;
    }
    return path_has_suffix(type, ".tar") ? COMP_NONE : COMP_UNSAID;
}

/* A layer of the picked image: where its bytes are, the digest and size its descriptor (or
 * the config's diff_id) gives them, what its media type says. */
static void add_layer(struct image_state *st, const char *name, const char *digest,
                      const cJSON *desc, bool diff_id)
{
    const char *type = json_str(desc, "mediaType");
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(desc, "size");
    struct layer *l;
    char why[512];
    int owned;

    st->layers = xrealloc_array(st->layers, st->layers_nr + 1, sizeof(*st->layers));
    l = &st->layers[st->layers_nr++];
    memset(l, 0, sizeof(*l));
    l->where = path_normalize(name ? name : "(unnamed layer)", PATH_MEMBER, NULL);
    l->src.fd = -1;
    l->digest = digest && digest_parse(digest) != DIGEST_NONE ? xstrdup(digest) : NULL;
    l->diff_id = diff_id;
    l->comp = media_comp(type);
    if (cJSON_IsNumber(size) && size->valuedouble >= 0 && size->valuedouble < 0x1p63) {
        l->declared = (uint64_t)size->valuedouble;
        l->declared_set = true;
    }
    if (!applicable_layer(type)) {
        l->problem = xstrdup("a foreign layer, which the archive does not hold");
    } else if (!name || archive_blob(&st->ar, name, &l->src, &owned, why, sizeof(why)) != 0) {
        l->problem = xasprintf("not in the archive (%s): docker load refuses the image",
                               name ? why : "it has no name");
        l->src.fd = -1;
    } else {
        l->fd_owned = owned >= 0;
        st->meta.stored += l->src.len;
    }
}

static void read_config(struct image_state *st, const cJSON *cfg)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(cfg, "config");
    const char *wd = json_str(c, "WorkingDir");

    st->meta.os = xstrdup(json_str(cfg, "os") ? json_str(cfg, "os") : "");
    st->meta.architecture =
        xstrdup(json_str(cfg, "architecture") ? json_str(cfg, "architecture") : "");
    st->meta.variant = xstrdup(json_str(cfg, "variant") ? json_str(cfg, "variant") : "");
    st->meta.platform = platform_of(st->meta.os, st->meta.architecture, st->meta.variant);
    if (!st->meta.platform) {
        st->meta.platform = xstrdup("");
    }
    json_strs(&st->meta.env, c, "Env");
    json_strs(&st->meta.entrypoint, c, "Entrypoint");
    json_strs(&st->meta.cmd, c, "Cmd");
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
                      cJSON_IsString(id) ? id->valuestring : NULL, NULL, true);
        }
    } else {
        if (load_manifest(st, c, &man, why, sizeof(why)) != 0) {
            diag_set(d, DIAG_INPUT, "'%s': %s", b->name, why);
            goto out;
        }
        cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(man, "layers"))
        {
            char *name = archive_blob_name(json_str(l, "digest"));
            add_layer(st, name, json_str(l, "digest"), l, false);
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
    archive_release(&st->ar);
    free(st->meta.os);
    free(st->meta.architecture);
    free(st->meta.variant);
    free(st->meta.platform);
    strvec_release(&st->meta.platforms);
    free(st->meta.layer_bytes);
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
    if (archive_json(&st->ar, "index.json", NULL, &top, why, sizeof(why)) == 0 &&
        cJSON_IsObject(top)) {
        walk_index(st, top, 0, NULL, &cs);
    } else if (strcmp(st->meta.form, "docker-archive") != 0) {
        /* An OCI layout is its index.json (image-layout.md); docker save has a fallback. */
        rc = diag_set(d, DIAG_INPUT, "'%s': %s", b->name, top ? "index.json is no object" : why);
        goto out;
    } else {
        cJSON_Delete(top);
        top = NULL;
        if (archive_json(&st->ar, "manifest.json", NULL, &top, why, sizeof(why)) != 0) {
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
    rc = layers_list(b, st->layers, st->layers_nr, b->limits.jobs, &st->meta.uncompressed, d);
    st->meta.layer_bytes = xcalloc(st->layers_nr + 1, sizeof(*st->meta.layer_bytes));
    for (size_t l = 0; l < st->layers_nr; l++) {
        st->meta.layer_bytes[l] = st->layers[l].tar_size;
    }
out:
    candidates_release(&cs);
    cJSON_Delete(top);
    return rc;
}

static struct image_state *state_new(struct bundle *b)
{
    struct image_state *st = xcalloc(1, sizeof(*st));

    st->ar.fd = st->ar.dirfd = -1;
    b->priv = st;
    b->ops = &image_ops; /* from here on, bundle_close() frees st whatever fails */
    b->kind = BUNDLE_IMAGE;
    return st;
}

/* A root filesystem's top directories: what docker export writes, not a function's files. */
static bool rootfs(const struct image_archive *ar)
{
    for (size_t i = 0; i < ar->outer_nr; i++) {
        const char *n = ar->outer[i].name;
        if (!strcmp(n, "etc") || !strcmp(n, "usr") || !strncmp(n, "etc/", 4) ||
            !strncmp(n, "usr/", 4)) {
            return true;
        }
    }
    return false;
}

int bundle_image_open_tar(struct bundle *b, const char *path, enum tar_kind *not_image,
                          struct diag *d)
{
    struct image_state *st;

    *not_image = TAR_IMAGE;
    if (archapi_load(d) != 0) {
        return diag_prefix(d, "'%s'", path);
    }
    st = state_new(b);

    if ((st->ar.fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0) {
        return diag_set(d, DIAG_IO, "cannot open '%s': %s", path, strerror(errno));
    }
    if (archive_index_tar(&st->ar, path, d) != 0) {
        return -1;
    }
    if (archive_member(&st->ar, "oci-layout") && archive_member(&st->ar, "index.json")) {
        st->meta.form = archive_member(&st->ar, "manifest.json") ? "docker-archive" : "oci-archive";
    } else if (archive_member(&st->ar, "manifest.json")) {
        st->meta.form = "docker-archive";
    } else {
        *not_image = rootfs(&st->ar) ? TAR_ROOTFS : TAR_FILES; /* a tar, but no image */
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
    struct image_state *st;

    if (archapi_load(d) != 0) {
        return diag_prefix(d, "'%s'", path);
    }
    st = state_new(b);

    st->meta.form = "oci-layout";
    if ((st->ar.dirfd = open(path, O_RDONLY | O_CLOEXEC | O_DIRECTORY)) < 0) {
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
    struct diag d = DIAG_INIT;
    struct archive *a;
    struct archive_entry *ae;
    const char *filter = NULL;

    if (archapi_load(&d) != 0)
        return NULL; /* without libarchive the file is only "compressed", not an image */
    a = ARC(archive_read_new)();
    ARC(archive_read_support_filter_gzip)(a);
    ARC(archive_read_support_filter_zstd)(a);
    ARC(archive_read_support_filter_xz)(a);
    ARC(archive_read_support_filter_bzip2)(a);
    ARC(archive_read_support_format_tar)(a);
    if (ARC(archive_read_open_filename)(a, path, 64 << 10) == ARCHIVE_OK &&
        ARC(archive_read_next_header)(a, &ae) >= ARCHIVE_WARN && ARC(archive_filter_count)(a) > 1) {
        filter = ARC(archive_filter_code)(a, 0) == ARCHIVE_FILTER_GZIP   ? "gzip"
                 : ARC(archive_filter_code)(a, 0) == ARCHIVE_FILTER_ZSTD ? "zstd"
                 : ARC(archive_filter_code)(a, 0) == ARCHIVE_FILTER_XZ   ? "xz"
                                                                         : "bzip2";
    }
    ARC(archive_read_free)(a);
    return filter;
}
