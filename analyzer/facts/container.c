/* SPDX-License-Identifier: MIT */
/* A container image as Lambda runs it: its task root, Python, handler, C library and loader. */
#include "container.h"
#include "container_int.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "image.h"
#include "path.h"
#include "verutil.h"
#include "xalloc.h"

#define LINK_HOPS 16

char *container_env_value(const struct strvec *env, const char *name)
{
    size_t n = strlen(name);

    for (size_t i = env->nr; i-- > 0;) { /* the last definition wins, as docker's does */
        if (!strncmp(env->v[i], name, n) && env->v[i][n] == '=') {
            return env->v[i] + n + 1;
        }
    }
    return NULL;
}

struct container *container_new(const struct bundle_image *meta)
{
    struct container *c = xcalloc(1, sizeof(*c));
    const char *a = meta->architecture;

    c->form = meta->form;
    c->platform = xstrdup(meta->platform);
    c->arch = xstrdup(!strcmp(a, "amd64") || !strcmp(a, "x86_64")    ? "x86_64"
                      : !strcmp(a, "arm64") || !strcmp(a, "aarch64") ? "arm64"
                                                                     : a);
    for (size_t i = 0; i < meta->platforms.nr; i++) {
        strvec_push(&c->platforms, meta->platforms.v[i]);
    }
    c->ref = xstrdup(meta->ref);
    for (size_t i = 0; i < meta->env.nr; i++) {
        strvec_push(&c->env, meta->env.v[i]);
    }
    for (size_t i = 0; i < meta->entrypoint.nr; i++) {
        strvec_push(&c->entrypoint, meta->entrypoint.v[i]);
    }
    for (size_t i = 0; i < meta->cmd.nr; i++) {
        strvec_push(&c->cmd, meta->cmd.v[i]);
    }
    c->workdir = xstrdup(meta->workdir);
    c->layers = meta->layers;
    c->stored = meta->stored;
    c->uncompressed = meta->uncompressed;
    c->layer_bytes = xcalloc(meta->layers + 1, sizeof(*c->layer_bytes));
    if (meta->layer_bytes) {
        memcpy(c->layer_bytes, meta->layer_bytes, meta->layers * sizeof(*c->layer_bytes));
    }
    c->py_major = c->py_minor = -1;
    return c;
}

void container_free(struct container *c)
{
    if (!c) {
        return;
    }
    free(c->platform);
    free(c->layer_bytes);
    free(c->arch);
    strvec_release(&c->platforms);
    free(c->ref);
    strvec_release(&c->env);
    strvec_release(&c->entrypoint);
    strvec_release(&c->cmd);
    free(c->workdir);
    free(c->task_root);
    free(c->python);
    free(c->python_why);
    strvec_release(&c->site_dirs);
    free(c->handler);
    free(c->handler_module);
    free(c->start);
    free(c->start_problem);
    strvec_release(&c->ld_library_path);
    strvec_release(&c->ld_cache);
    strvec_release(&c->default_dirs);
    free(c->os_name);
    free(c->libc);
    free(c->glibc_max);
    free(c->libstdcxx);
    free(c->glibcxx_max);
    free(c->cxxabi_max);
    free(c->libgcc);
    free(c->gcc_max);
    free(c->function_arch);
    free(c->function_arch_why);
    free(c->content_arch);
    free(c->content_from);
    free(c);
}

/* ---- the plan: names only, from the list of entries ----------------------------------- */

/* The entry at an absolute path ("/usr/lib64"), by binary search (entries are sorted). */
static const struct bundle_entry *entry_at(const struct container_tree *t, const char *abs,
                                           size_t len)
{
    size_t lo = 0, hi = t->nr;

    abs++, len--; /* the entries' paths have no leading '/' */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(t->v[mid].path, abs, len);
        if (!c && t->v[mid].path[len]) {
            c = 1;
        }
        if (c < 0) {
            lo = mid + 1;
        } else if (c > 0) {
            hi = mid;
        } else {
            return &t->v[mid];
        }
    }
    return NULL;
}

static const char *tree_link(void *ctx, const char *path, size_t len)
{
    const struct bundle_entry *e = entry_at(ctx, path, len);
    return e && e->type == ENTRY_SYMLINK && e->link ? e->link : NULL;
}

/* The file an absolute path leads to, links followed: its entry, or NULL. */
static const struct bundle_entry *resolve(const struct container_tree *t, const char *abs)
{
    char *to = path_resolve(abs, tree_link, (void *)t, LINK_HOPS);
    const struct bundle_entry *e = to ? entry_at(t, to, strlen(to)) : NULL;

    free(to);
    return e && e->type == ENTRY_FILE && !e->problem ? e : NULL;
}

/* What an absolute path leads to, links followed, whatever it is: its entry, or NULL with
 * *loop set when the links go round. */
const struct bundle_entry *container_lookup(const struct container_tree *t, const char *abs,
                                            bool *loop)
{
    char *to = path_resolve(abs, tree_link, (void *)t, LINK_HOPS);
    const struct bundle_entry *e = to ? entry_at(t, to, strlen(to)) : NULL;

    *loop = !to;
    free(to);
    return e;
}

/* The first file named name on the directories of PATH (absolute ones: a relative entry is
 * the working directory's), as an absolute path; NULL when none holds one. Caller frees. */
char *container_on_path(const struct container_tree *t, const char *path, const char *name)
{
    char *copy = xstrdup(path), *save = NULL, *found = NULL;
    bool loop;

    for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
        char *abs = xasprintf("%s/%s", dir, name);
        const struct bundle_entry *e = dir[0] == '/' ? container_lookup(t, abs, &loop) : NULL;
        if (e && e->type != ENTRY_DIR) {
            found = abs;
        } else {
            free(abs);
        }
    }
    free(copy);
    return found;
}

/* "python3.12" -> 3, 12. */
static bool python_version(const char *base, int *major, int *minor)
{
    int n = 0;
    return sscanf(base, "python%d.%d%n", major, minor, &n) == 2 && !base[n] && *major == 3;
}

/* An interpreter at abs: its file, when its name (or a python3.N beside it) says the version. */
static bool try_python(struct container *c, const struct container_tree *t, const char *abs,
                       const char *why)
{
    const struct bundle_entry *e = resolve(t, abs);
    int major, minor;

    if (!e || !python_version(path_base(e->path), &major, &minor)) {
        return false;
    }
    c->python = xstrdup(e->path);
    c->python_why = xstrdup(why);
    c->py_major = major;
    c->py_minor = minor;
    return true;
}

/* The Python the image runs: the ENTRYPOINT's interpreter (python -m awslambdaric), the AWS
 * base images' /var/lang/bin/python3.N (their /lambda-entrypoint.sh runs it), else the first
 * python3 on the config's PATH. */
static void find_python(struct container *c, const struct container_tree *t)
{
    const char *path = container_env_value(&c->env, "PATH");
    char *copy, *save = NULL;

    if (c->entrypoint.nr && !strncmp(path_base(c->entrypoint.v[0]), "python", 6)) {
        const char *ep = c->entrypoint.v[0];
        char *abs = ep[0] == '/' ? xstrdup(ep)
                    : strchr(ep, '/')
                        ? NULL
                        : container_on_path(t, path ? path : CONTAINER_DEFAULT_PATH, ep);
        bool ok = abs && try_python(c, t, abs, "the ENTRYPOINT runs it");
        free(abs);
        if (ok) {
            return;
        }
    }
    for (int minor = 20; minor >= 0; minor--) {
        char abs[64];
        snprintf(abs, sizeof(abs), "/var/lang/bin/python3.%d", minor);
        if (try_python(c, t, abs, "the AWS base image's interpreter")) {
            return;
        }
    }
    copy = xstrdup(path ? path : CONTAINER_DEFAULT_PATH);
    for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        char *abs = xasprintf("%s/python3", dir);
        bool ok = dir[0] == '/' && try_python(c, t, abs, "the first python3 on the PATH");
        free(abs);
        if (ok) {
            break;
        }
    }
    free(copy);
}

/* With no interpreter in the image (removed, or never copied), the version its standard
 * library says: <prefix>/lib/python3.N of the AWS base images, /usr/local (python:3.N), /usr;
 * the checks then still have the function's Python, and image-handler-missing says that
 * Lambda cannot start it. */
static void find_stdlib(struct container *c, const struct container_tree *t)
{
    static const char *const prefixes[] = {"var/lang", "usr/local", "usr"};

    for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
        for (int minor = 20; minor >= 0; minor--) {
            char abs[64];
            const struct bundle_entry *e;
            bool loop;
            snprintf(abs, sizeof(abs), "/%s/lib/python3.%d", prefixes[i], minor);
            if (!(e = container_lookup(t, abs, &loop)) || e->type != ENTRY_DIR) {
                continue;
            }
            c->py_major = 3;
            c->py_minor = minor;
            c->python_why = xasprintf("no interpreter: its standard library %s", abs + 1);
            strvec_push_nodup(&c->site_dirs,
                              xasprintf("%s/lib/python3.%d/site-packages", prefixes[i], minor));
            return;
        }
    }
}

/* The site-packages of the interpreter at <prefix>/bin/python3.N: <prefix>/lib(64)/python3.N/
 * site-packages, and for Debian's own /usr/bin/python3 its dist-packages. */
static void find_site_dirs(struct container *c)
{
    size_t prefix = path_dir_len(c->python); /* "var/lang/bin", then "var/lang" */
    const char *sep;
    int x = c->py_major, y = c->py_minor;

    while (prefix > 0 && c->python[prefix - 1] != '/') {
        prefix--;
    }
    prefix -= prefix > 0;
    sep = prefix ? "/" : "";
    strvec_push_nodup(&c->site_dirs, xasprintf("%.*s%slib/python%d.%d/site-packages", (int)prefix,
                                               c->python, sep, x, y));
    strvec_push_nodup(&c->site_dirs, xasprintf("%.*s%slib64/python%d.%d/site-packages", (int)prefix,
                                               c->python, sep, x, y));
    if (prefix == 3 && !strncmp(c->python, "usr", 3)) {
        strvec_push_nodup(&c->site_dirs,
                          xasprintf("usr/local/lib/python%d.%d/dist-packages", x, y));
        strvec_push_nodup(&c->site_dirs, xasprintf("usr/lib/python%d/dist-packages", x));
    }
}

/* ld.so's own directories for the C library the image has: glibc's multiarch ones
 * (Debian, Ubuntu) when libc.so.6 is there, else the lib64 pair of the 64-bit RPM
 * distributions (Amazon Linux), musl's for Alpine (glibc's SYSTEM_DIRS; musl ldso). */
static void find_default_dirs(struct container *c, const struct container_tree *t)
{
    const char *triplet = !strcmp(c->arch, "arm64") ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
    const char *other = !strcmp(c->arch, "arm64") ? "x86_64-linux-gnu" : "aarch64-linux-gnu";
    char multi[96];

    /* The config's architecture's directories, else the other's: a config can lie. */
    snprintf(multi, sizeof(multi), "/usr/lib/%s/libc.so.6", triplet);
    if (!resolve(t, multi) && !resolve(t, multi + 4)) {
        snprintf(multi, sizeof(multi), "/usr/lib/%s/libc.so.6", other);
        triplet = resolve(t, multi) || resolve(t, multi + 4) ? other : triplet;
        snprintf(multi, sizeof(multi), "/usr/lib/%s/libc.so.6", triplet);
    }
    if (resolve(t, multi) || resolve(t, multi + 4)) { /* /usr/lib/<t> or /lib/<t> */
        strvec_push_nodup(&c->default_dirs, xasprintf("/lib/%s", triplet));
        strvec_push_nodup(&c->default_dirs, xasprintf("/usr/lib/%s", triplet));
        strvec_push(&c->default_dirs, "/lib");
        strvec_push(&c->default_dirs, "/usr/lib");
    } else if (resolve(t, "/lib/ld-musl-x86_64.so.1") || resolve(t, "/lib/ld-musl-aarch64.so.1")) {
        strvec_push(&c->default_dirs, "/lib");
        strvec_push(&c->default_dirs, "/usr/local/lib");
        strvec_push(&c->default_dirs, "/usr/lib");
    } else {
        strvec_push(&c->default_dirs, "/lib64");
        strvec_push(&c->default_dirs, "/usr/lib64");
    }
}

void container_plan(struct container *c, const struct bundle_entry *entries, size_t nr)
{
    struct container_tree t = {entries, nr};
    const char *root = container_env_value(&c->env, "LAMBDA_TASK_ROOT"), *ld;

    c->task_root_why = root && *root ? "LAMBDA_TASK_ROOT" : "Lambda's default";
    if ((!root || !*root) && c->workdir[0] && strcmp(c->workdir, "/") != 0) {
        root = c->workdir;
        c->task_root_why = "WorkingDir";
    }
    c->task_root = path_normalize(root && *root ? root : "/var/task", PATH_RELATIVE, NULL);
    find_python(c, &t);
    if (c->python) {
        find_site_dirs(c);
    } else {
        find_stdlib(c, &t);
    }
    entrypoint_find_handler(c);
    entrypoint_find_start(c, &t);
    if ((ld = container_env_value(&c->env, "LD_LIBRARY_PATH")) != NULL) {
        char *copy = xstrdup(ld), *save = NULL;
        for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
            if (dir[0] == '/') { /* a relative entry is relative to the cwd: never a dir here */
                strvec_push_nodup(&c->ld_library_path, path_normalize(dir, PATH_ABSOLUTE, NULL));
            }
        }
        free(copy);
    }
    find_default_dirs(c, &t);
}

enum container_place container_place(const struct container *c, const char *path, size_t *site_off,
                                     int *site_minor)
{
    size_t n;

    *site_off = 0;
    *site_minor = -1;
    n = strlen(c->task_root);
    if (n && !strncmp(path, c->task_root, n) && path[n] == '/') {
        *site_off = n + 1;
        return PLACE_TASK;
    }
    for (size_t i = 0; i < c->site_dirs.nr; i++) {
        n = strlen(c->site_dirs.v[i]);
        if (!strncmp(path, c->site_dirs.v[i], n) && path[n] == '/') {
            *site_off = n + 1;
            *site_minor = strstr(c->site_dirs.v[i], "python3.") ? c->py_minor : -1;
            return PLACE_SITE;
        }
    }
    return !strncmp(path, "opt/", 4) ? PLACE_OPT : PLACE_SYSTEM;
}

/* glibc's own libraries, libstdc++ and libgcc_s, under their sonames or their files' names
 * (libc.so.6, libc-2.26.so, libm.so.6, libstdc++.so.6.0.29, libgcc_s-7-20180712.so.1): the
 * version definitions the toolchain rules hold needs to. A few small files, wherever they
 * are; which of them the loader opens is for container_finish() and the loader to say. */
static bool toolchain_file(const char *base)
{
    static const char *const glibc[] = {"libc",    "libm",      "libpthread", "libdl",   "librt",
                                        "libutil", "libresolv", "libanl",     "libmvec", "libnsl"};
    size_t n = strcspn(base, ".-");

    if (!strncmp(base, "libstdc++.so.6", 14) || !strncmp(base, "libgcc_s", 8)) {
        return true;
    }
    for (size_t i = 0; i < ARRAY_SIZE(glibc); i++) {
        if (n == strlen(glibc[i]) && !strncmp(base, glibc[i], n) &&
            (!strncmp(base + n, ".so.", 4) ||
             (base[n] == '-' && base[n + 1] >= '0' && base[n + 1] <= '9' &&
              path_has_suffix(base, ".so")))) {
            return true;
        }
    }
    return false;
}

bool container_wants(const struct container *c, const char *path)
{
    return toolchain_file(path_base(path)) || container_wants_text(path) ||
           (c->python && !strcmp(path, c->python));
}

bool container_wants_text(const char *path)
{
    return !strcmp(path, "etc/os-release") || !strcmp(path, "usr/lib/os-release") ||
           !strcmp(path, "etc/ld.so.cache");
}

/* The highest version of a family an ELF object defines ("GLIBC_" -> "2.34"). */
static char *highest(const struct member *m, const char *prefix)
{
    const char *best = NULL;

    for (size_t i = 0; m && m->elf && i < m->elf->verdef.nr; i++) {
        const char *num = verutil_number(m->elf->verdef.v[i], prefix);
        if (num && (!best || verutil_cmp(num, best) > 0)) {
            best = num;
        }
    }
    return best ? xstrdup(best) : NULL;
}

/* The file ld.so opens for soname from an object with no run path: LD_LIBRARY_PATH, then
 * ld.so.cache, then the default directories (model/loader.c has the whole model). Its path
 * into *path (fresh), or NULL. */
static const struct member *loaded(const struct container *c, const struct image *img, size_t view,
                                   const char *soname, char **path)
{
    const struct member *m = NULL;
    char *abs = NULL;

    for (size_t i = 0; !m && i < c->ld_library_path.nr; i++) {
        free(abs);
        abs = xasprintf("%s/%s", c->ld_library_path.v[i], soname);
        m = image_lookup(img, view, abs);
    }
    for (size_t i = 0; !m && i + 1 < c->ld_cache.nr; i += 2) {
        if (!strcmp(c->ld_cache.v[i], soname)) {
            free(abs);
            abs = xstrdup(c->ld_cache.v[i + 1]);
            m = image_lookup(img, view, abs);
        }
    }
    for (size_t i = 0; !m && i < c->default_dirs.nr; i++) {
        free(abs);
        abs = xasprintf("%s/%s", c->default_dirs.v[i], soname);
        m = image_lookup(img, view, abs);
    }
    /* The path ld.so opens (and names in its errors), links not followed. */
    *path = m ? abs : NULL;
    if (!m) {
        free(abs);
    }
    return m;
}

const char *container_opened_as(const struct container *c, const struct image *img, size_t view,
                                const struct member *lib)
{
    const char *paths[] = {c->libc, c->libstdcxx, c->libgcc};

    for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
        if (paths[i] && image_lookup(img, view, paths[i]) == lib) {
            return paths[i];
        }
    }
    return lib->abs;
}

const char *container_arch_of_machine(unsigned machine)
{
    return machine == EM_X86_64 ? "x86_64" : machine == EM_AARCH64 ? "arm64" : NULL;
}

/* The architecture of an ELF object the image holds, in Lambda's words (or the machine's
 * number for another), or NULL when its header was not read. */
static char *arch_of(const struct member *m)
{
    const char *a;

    if (!m || !m->elf || !m->elf->header_ok) {
        return NULL;
    }
    a = container_arch_of_machine(m->elf->machine);
    return a ? xstrdup(a) : xasprintf("ELF machine %u", (unsigned)m->elf->machine);
}

void container_finish(struct container *c, const struct image *img, size_t view)
{
    const struct member *libc = loaded(c, img, view, "libc.so.6", &c->libc);
    const struct member *cxx = loaded(c, img, view, "libstdc++.so.6", &c->libstdcxx);
    const struct member *gcc = loaded(c, img, view, "libgcc_s.so.1", &c->libgcc);
    char *py = c->python ? xasprintf("/%s", c->python) : NULL;
    const struct member *interp = py ? image_lookup(img, view, py) : NULL;

    c->glibc_max = highest(libc, "GLIBC_");
    c->glibcxx_max = highest(cxx, "GLIBCXX_");
    c->cxxabi_max = highest(cxx, "CXXABI_");
    c->gcc_max = highest(gcc, "GCC_");
    /* What runs is the interpreter; what it and every module map is the C library. */
    if ((c->content_arch = arch_of(interp)) != NULL) {
        c->content_from = xstrdup(py);
    } else if ((c->content_arch = arch_of(libc)) != NULL) {
        c->content_from = xstrdup(c->libc);
    }
    free(py);
}

const char *container_foreign_arch(const struct container *c)
{
    if (c->content_arch && strcmp(c->content_arch, c->function_arch) != 0) {
        return c->content_arch;
    }
    if (c->content_arch || !c->arch[0] || !strcmp(c->arch, c->function_arch)) {
        return NULL;
    }
    return c->arch;
}

/* How the image is named: a name it goes by ("docker.io/library/fn:latest"), or the bare
 * reference an OCI layout's index gives it (org.opencontainers.image.ref.name, a tag). */
static char *named(const struct container *c)
{
    if (!c->ref[0]) {
        return xstrdup("");
    }
    if (strchr(c->ref, '/') || strchr(c->ref, ':') || strcmp(c->form, "docker-archive") == 0) {
        return xasprintf(" %s", c->ref);
    }
    return xasprintf(" tagged %s in its %s", c->ref,
                     !strcmp(c->form, "oci-layout") ? "OCI layout" : "OCI archive");
}

void container_about(const struct container *c, struct strvec *out)
{
    char *name = named(c);

    strvec_push_nodup(out, xasprintf("%s image%s: %zu layer%s, %llu bytes uncompressed",
                                     c->platform[0] ? c->platform : "an unknown platform's", name,
                                     c->layers, c->layers == 1 ? "" : "s",
                                     (unsigned long long)c->uncompressed));
    strvec_push_nodup(out, xasprintf("%s, %s%s%s%s", c->os_name ? c->os_name : "no os-release",
                                     c->libc ? "C library " : "no libc.so.6 on the loader path",
                                     c->libc ? c->libc : "", c->glibc_max ? " up to GLIBC_" : "",
                                     c->glibc_max && c->libc ? c->glibc_max : ""));
    strvec_push_nodup(out, c->python ? xasprintf("Python %d.%d: /%s (%s)", c->py_major, c->py_minor,
                                                 c->python, c->python_why)
                           : c->py_major == 3 ? xasprintf("Python %d.%d (%s)", c->py_major,
                                                          c->py_minor, c->python_why)
                                              : xstrdup("no Python found"));
    strvec_push_nodup(out, xasprintf("task root /%s (%s), handler %s", c->task_root,
                                     c->task_root_why, c->handler ? c->handler : "none named"));
    free(name);
}

char *container_describe(const struct container *c)
{
    struct strvec lines = STRVEC_INIT;
    char *out;

    container_about(c, &lines);
    out = strvec_join(&lines, "; ");
    strvec_release(&lines);
    return out;
}
