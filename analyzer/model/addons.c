/* SPDX-License-Identifier: MIT */
/* Which Node.js addons a Node.js runtime opens: node-gyp-build's choice, npm's platforms. */
#define _GNU_SOURCE /* memmem */
#include "addons.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "strmap.h"
#include "xalloc.h"

const char *addons_cpu(const struct profile *p)
{
    return !strcmp(p->arch, "arm64") ? "arm64" : "x64";
}

/* One tag of a prebuild's file name (node-gyp-build parseTags): false for an unknown one. */
static bool take_tag(struct prebuild *out, const char *tag, size_t n)
{
    if ((n == 4 && !strncmp(tag, "node", 4)) || (n == 8 && !strncmp(tag, "electron", 8)) ||
        (n == 11 && !strncmp(tag, "node-webkit", 11))) {
        snprintf(out->runtime, sizeof(out->runtime), "%.*s", (int)n, tag);
    } else if (n == 4 && !strncmp(tag, "napi", 4)) {
        out->napi = true;
    } else if (n > 3 && !strncmp(tag, "abi", 3)) {
        out->abi = strtol(tag + 3, NULL, 10);
    } else if (n > 2 && !strncmp(tag, "uv", 2)) {
        out->uv = strtol(tag + 2, NULL, 10);
    } else if (n > 4 && !strncmp(tag, "armv", 4)) {
        out->armv = strtol(tag + 4, NULL, 10);
    } else if ((n == 5 && !strncmp(tag, "glibc", 5)) || (n == 4 && !strncmp(tag, "musl", 4))) {
        snprintf(out->libc, sizeof(out->libc), "%.*s", (int)n, tag);
    } else {
        return false;
    }
    return true;
}

bool addons_prebuild(const char *path, struct prebuild *out)
{
    const char *at = NULL, *tuple, *dash, *base, *dot;

    memset(out, 0, sizeof(*out));
    if (!path_has_suffix(path, ".node")) {
        return false;
    }
    /* the last prebuilds/ directory of the path */
    for (const char *s = path; (s = strstr(s, "prebuilds/")); s++) {
        if (s == path || s[-1] == '/') {
            at = s;
        }
    }
    if (!at) {
        return false;
    }
    tuple = at + 10;
    base = strchr(tuple, '/');
    dash = strchr(tuple, '-');
    if (!base || strchr(base + 1, '/') || !dash || dash > base || dash == tuple ||
        (size_t)(dash - tuple) >= sizeof(out->platform) ||
        (size_t)(base - dash - 1) >= sizeof(out->archs)) {
        return false;
    }
    /* node-gyp-build's parseTuple: a platform, and architectures none of which is empty. */
    if (base == dash + 1 || dash[1] == '+' || base[-1] == '+' ||
        memmem(dash, (size_t)(base - dash), "++", 2) ||
        memchr(dash + 1, '-', (size_t)(base - dash - 1))) {
        return false;
    }
    out->root_len = (size_t)(at - path);
    out->dir_len = (size_t)(base + 1 - path);
    snprintf(out->platform, sizeof(out->platform), "%.*s", (int)(dash - tuple), tuple);
    snprintf(out->archs, sizeof(out->archs), "%.*s", (int)(base - dash - 1), dash + 1);
    base++;
    dot = strrchr(base, '.');
    for (const char *tag = base; tag < dot;) {
        const char *end = memchr(tag, '.', (size_t)(dot - tag));
        size_t n = end ? (size_t)(end - tag) : (size_t)(dot - tag);
        out->specificity += take_tag(out, tag, n);
        tag += n + 1;
    }
    return true;
}

/* node-gyp-build's matchTuple: Linux, and the runtime's architecture among the tuple's. */
static bool tuple_fits(const struct prebuild *b, const struct profile *p)
{
    const char *cpu = addons_cpu(p);
    bool arch = false;

    for (const char *a = b->archs; *a;) {
        size_t n = strcspn(a, "+");
        arch |= n == strlen(cpu) && !strncmp(a, cpu, n);
        a += n + (a[n] == '+');
    }
    return !strcmp(b->platform, "linux") && arch;
}

/* node-gyp-build's matchTags, for Node.js of p on Linux with glibc. */
static bool prebuild_fits(const struct prebuild *b, const struct profile *p)
{
    if (!tuple_fits(b, p)) {
        return false;
    }
    if (b->runtime[0] && strcmp(b->runtime, "node") != 0) {
        return false;
    }
    if (b->abi && b->abi != p->node_abi && !b->napi) {
        return false;
    }
    if ((b->uv && b->uv != 1) || (b->armv && !(b->armv == 8 && !strcmp(p->arch, "arm64")))) {
        return false;
    }
    return !b->libc[0] || !strcmp(b->libc, "glibc");
}

/* node-gyp-build's compareTags: its runtime named, then an ABI over Node-API, then the more
 * specific. Negative when a wins. */
static int prebuild_cmp(const struct prebuild *a, const struct prebuild *b)
{
    bool ra = !strcmp(a->runtime, "node"), rb = !strcmp(b->runtime, "node");

    if (strcmp(a->runtime, b->runtime) != 0) {
        return ra ? -1 : rb ? 1 : 0;
    }
    if (!a->abi != !b->abi) {
        return a->abi ? -1 : 1;
    }
    return b->specificity - a->specificity;
}

bool addons_platform_name(const char *name, const struct profile *p, bool *fits)
{
    static const char *const platforms[] = {"linux",   "linuxmusl", "darwin", "win32",  "freebsd",
                                            "android", "openbsd",   "sunos",  "netbsd", "wasm32"};
    static const char *const cpus[] = {"x64",    "arm64",   "ia32",    "arm",
                                       "x86_64", "aarch64", "riscv64", "ppc64",
                                       "s390x",  "loong64", "armv7",   "universal"};
    const char *slash = strrchr(name, '/'), *s = slash ? slash + 1 : name;
    const char *platform = NULL, *cpu = NULL;
    bool musl = false;

    while (*s) {
        size_t n = strcspn(s, "-.");
        for (size_t i = 0; i < sizeof(platforms) / sizeof(*platforms); i++) {
            if (n == strlen(platforms[i]) && !strncmp(s, platforms[i], n)) {
                platform = platforms[i];
            }
        }
        for (size_t i = 0; i < sizeof(cpus) / sizeof(*cpus); i++) {
            if (n == strlen(cpus[i]) && !strncmp(s, cpus[i], n)) {
                cpu = cpus[i];
            }
        }
        musl |= (n == 4 && !strncmp(s, "musl", 4)) || (n == 9 && !strncmp(s, "linuxmusl", 9));
        s += n + (s[n] != '\0');
    }
    if (!platform || !cpu) {
        return false;
    }
    const char *want = addons_cpu(p);
    bool same_cpu = !strcmp(cpu, want) || (!strcmp(want, "x64") && !strcmp(cpu, "x86_64")) ||
                    (!strcmp(want, "arm64") && !strcmp(cpu, "aarch64"));
    *fits = !strncmp(platform, "linux", 5) && !musl && same_cpu;
    return true;
}

void addons_index(const struct image *img, struct strmap *out)
{
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        if (m->npm && !m->overwritten_by) {
            char *key = xasprintf("%zu:%.*s", m->input, (int)path_dir_len(m->path), m->path);
            strmap_put(out, key, strlen(key), (void *)m);
            free(key);
        }
    }
}

const struct member *addons_package_at(const struct strmap *pkgs, size_t input, const char *path,
                                       size_t len)
{
    char *key = xasprintf("%zu:%.*s", input, (int)len, path);
    const struct member *m = strmap_get(pkgs, key, strlen(key));

    free(key);
    return m;
}

const struct member *addons_package_of(const struct strmap *pkgs, const struct member *m)
{
    size_t len = path_dir_len(m->path);

    for (;;) {
        const struct member *pkg = addons_package_at(pkgs, m->input, m->path, len);
        if (pkg || !len) {
            return pkg;
        }
        while (len && m->path[len - 1] != '/') {
            len--;
        }
        len -= len > 0; /* the directory above, without its '/' */
    }
}

/* Whether the directory dir (path[0, len) of input, "" or ending in '/') holds a
 * build/Release/ or build/Debug/ *.node: node-gyp-build loads it before any prebuild. */
static bool has_release(const struct image *img, size_t input, const char *dir, size_t len)
{
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        const char *rest = m->path + len;
        if (m->input != input || m->role != ROLE_ADDON || strncmp(m->path, dir, len) != 0) {
            continue;
        }
        if ((!strncmp(rest, "build/Release/", 14) && !strchr(rest + 14, '/')) ||
            (!strncmp(rest, "build/Debug/", 12) && !strchr(rest + 12, '/'))) {
            return true;
        }
    }
    return false;
}

/* How many architectures a tuple names ("x64+arm64": 2). */
static size_t tuple_archs(const struct prebuild *b)
{
    size_t n = 1;

    for (const char *a = b->archs; *a; a++) {
        n += *a == '+';
    }
    return n;
}

/* Whether b's directory is the one node-gyp-build looks in for its package: of the
 * prebuilds/<platform>-<arch>/ that fit, the one naming the fewest architectures. */
static bool chosen_tuple(const struct image *img, const struct member *m, const struct prebuild *b,
                         const struct profile *p)
{
    struct prebuild o;

    for (size_t j = 0; j < img->nr; j++) {
        const struct member *n = &img->members[j];
        if (n->role == ROLE_ADDON && n->input == m->input && addons_prebuild(n->path, &o) &&
            o.root_len == b->root_len && !strncmp(n->path, m->path, b->root_len) &&
            tuple_fits(&o, p) && tuple_archs(&o) < tuple_archs(b)) {
            return false;
        }
    }
    return true;
}

/* The prebuilds: each fitting one opened only if it wins its directory and its package has
 * no build/Release/. */
static void decide_prebuilds(const struct image *img, const struct profile *p,
                             enum addon_fate *fates)
{
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        struct prebuild b, o;
        if (fates[i] != ADDON_OPENED || !addons_prebuild(m->path, &b)) {
            continue;
        }
        bool opened = prebuild_fits(&b, p) && chosen_tuple(img, m, &b, p) &&
                      !has_release(img, m->input, m->path, b.root_len);
        for (size_t j = 0; opened && j < img->nr; j++) {
            const struct member *n = &img->members[j];
            if (j != i && n->role == ROLE_ADDON && n->input == m->input &&
                addons_prebuild(n->path, &o) && o.dir_len == b.dir_len &&
                !strncmp(n->path, m->path, b.dir_len) && prebuild_fits(&o, p) &&
                (prebuild_cmp(&o, &b) < 0 || (!prebuild_cmp(&o, &b) && j < i))) {
                opened = false; /* another one wins (the first listed, at a tie) */
            }
        }
        fates[i] = opened ? ADDON_OPENED : ADDON_UNOPENED;
    }
}

void addons_decide(const struct image *img, const struct profile *p, enum addon_fate *fates)
{
    struct strmap pkgs = {0};
    bool foreign = false;
    char why[128];

    for (size_t i = 0; i < img->nr && !foreign; i++) {
        const struct npm_package *pkg = img->members[i].npm;
        foreign = pkg && !npmpkg_fits(pkg, addons_cpu(p), "glibc", why, sizeof(why));
    }
    if (foreign) {
        addons_index(img, &pkgs);
    }
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        const struct member *pkg = foreign ? addons_package_of(&pkgs, m) : NULL;
        /* npm installs a package for another platform only when told to: nothing in it is
         * loaded here. */
        if (pkg && !npmpkg_fits(pkg->npm, addons_cpu(p), "glibc", why, sizeof(why))) {
            fates[i] = ADDON_FOREIGN;
        } else if (m->role == ROLE_ADDON) {
            fates[i] = m->overwritten_by ? ADDON_UNOPENED : ADDON_OPENED;
        }
    }
    decide_prebuilds(img, p, fates);
    strmap_release(&pkgs);
}
