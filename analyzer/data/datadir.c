/* SPDX-License-Identifier: MIT */
/* Find the rules directory and load everything in it, cross-checked. */
#include "datadir.h"

#include <stdbool.h>

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jsonread.h"
#include "xalloc.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The rules directory; *trusted when it is the one shipped with the binary (validated when
 * it was built and tested), not one given with --rules or $ABISCAN_RULES. */
static char *find_dir(const char *given, bool *trusted, struct diag *d)
{
    const char *env = getenv("ABISCAN_RULES");
    char exe[PATH_MAX];
    ssize_t n;

    *trusted = false;
    if (given || (env && *env)) {
        return xstrdup(given ? given : env);
    }
    *trusted = true;
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        /* Installed: the data directory relative to the bindir (CMake computes it with
         * file(RELATIVE_PATH)); in the build tree, rules/ is linked beside the binary. */
        const char *rel[] = {ABISCAN_REL_DATADIR, "rules"};
        exe[n] = '\0';
        *strrchr(exe, '/') = '\0';
        for (size_t i = 0; i < ARRAY_SIZE(rel); i++) {
            char *candidate = xasprintf("%s/%s", exe, rel[i]);
            if (is_dir(candidate)) {
                return candidate;
            }
            free(candidate);
        }
    }
    diag_set(d, DIAG_DATA, "cannot find the rules directory (give --rules DIR)");
    return NULL;
}

/* What is loaded on first use, under one lock: the checks of several inputs may ask at once. */
struct datadir_lazy {
    pthread_mutex_t lock;
    struct datasrc src;
    char *dir;
    struct osdatas os;
    bool os_all; /* every OS list is loaded (untrusted data: at once) */
    struct stable_abi stable_abi;
    bool stable_abi_loaded;
    struct py_exports py_exports;
    bool py_exports_loaded;
    struct providers providers;
    bool providers_loaded;
    struct stdlib stdlib;
    bool stdlib_loaded;
    bool profiles_all;           /* dd->profiles holds every profile */
    struct profile *singles[64]; /* profiles loaded one by one, before that (never moved) */
    size_t singles_nr;
};

/* Shipped data failing to load now is a broken installation, caught by the tests. */
static void lazy_failed(const struct diag *d)
{
    BUG("the installed data does not load: %s", d->msg);
}

const struct osdata *datadir_os(const struct datadir *dd, const struct profile *p)
{
    struct datadir_lazy *lz = dd->lazy;
    struct profile *rw = (struct profile *)p; /* the cached link is not part of the value */
    const struct osdata *os;
    struct diag d = DIAG_INIT;

    pthread_mutex_lock(&lz->lock);
    if (!(os = p->os) && !(os = osdatas_find(&lz->os, p->os_id))) {
        if (osdatas_load_id(&lz->os, &lz->src, p->os_id, &d) != 0) {
            lazy_failed(&d);
        }
        os = osdatas_find(&lz->os, p->os_id);
    }
    if (!p->os) {
        rw->os = os; /* once: threads read p->os unlocked after a call of their own */
    }
    pthread_mutex_unlock(&lz->lock);
    return os;
}

const struct stable_abi *datadir_stable_abi(const struct datadir *dd)
{
    struct datadir_lazy *lz = dd->lazy;
    struct diag d = DIAG_INIT;

    pthread_mutex_lock(&lz->lock);
    if (!lz->stable_abi_loaded) {
        if (stableabi_load(&lz->stable_abi, &lz->src, &d) != 0) {
            lazy_failed(&d);
        }
        lz->stable_abi_loaded = true;
    }
    pthread_mutex_unlock(&lz->lock);
    return &lz->stable_abi;
}

const struct py_exports *datadir_py_exports(const struct datadir *dd)
{
    struct datadir_lazy *lz = dd->lazy;
    struct diag d = DIAG_INIT;

    pthread_mutex_lock(&lz->lock);
    if (!lz->py_exports_loaded) {
        if (pyexports_load(&lz->py_exports, &lz->src, &d) != 0) {
            lazy_failed(&d);
        }
        lz->py_exports_loaded = true;
    }
    pthread_mutex_unlock(&lz->lock);
    return &lz->py_exports;
}

const struct providers *datadir_providers(const struct datadir *dd)
{
    struct datadir_lazy *lz = dd->lazy;
    struct diag d = DIAG_INIT;

    pthread_mutex_lock(&lz->lock);
    if (!lz->providers_loaded) {
        if (providers_load(&lz->providers, &lz->src, &d) != 0) {
            lazy_failed(&d);
        }
        lz->providers_loaded = true;
    }
    pthread_mutex_unlock(&lz->lock);
    return &lz->providers;
}

const struct stdlib *datadir_stdlib(const struct datadir *dd)
{
    struct datadir_lazy *lz = dd->lazy;
    struct diag d = DIAG_INIT;

    pthread_mutex_lock(&lz->lock);
    if (!lz->stdlib_loaded) {
        if (stdlib_load(&lz->stdlib, &lz->src, &d) != 0) {
            lazy_failed(&d);
        }
        lz->stdlib_loaded = true;
    }
    pthread_mutex_unlock(&lz->lock);
    return &lz->stdlib;
}

const struct profiles *datadir_profiles(const struct datadir *dd)
{
    struct datadir_lazy *lz = dd->lazy;
    struct datadir *rw = (struct datadir *)dd; /* the cache, not the value */
    struct diag d = DIAG_INIT;

    pthread_mutex_lock(&lz->lock);
    if (!lz->profiles_all) {
        if (profiles_load(&rw->profiles, &lz->src, &d) != 0) {
            lazy_failed(&d);
        }
        lz->profiles_all = true;
    }
    pthread_mutex_unlock(&lz->lock);
    return &dd->profiles;
}

/* A name that can be part of a file name in runtimes/: "python3.12", "arm64". */
static bool plain(const char *s)
{
    if (!*s) {
        return false;
    }
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_')) {
            return false;
        }
    }
    return true;
}

const struct profile *datadir_profile(const struct datadir *dd, const char *runtime,
                                      const char *arch)
{
    struct datadir_lazy *lz = dd->lazy;
    const struct profile *found = NULL;
    struct diag d = DIAG_INIT;
    char *id;

    pthread_mutex_lock(&lz->lock);
    if (lz->profiles_all || !plain(runtime) || !plain(arch)) {
        pthread_mutex_unlock(&lz->lock);
        return profiles_find(datadir_profiles(dd), runtime, arch);
    }
    for (size_t i = 0; i < lz->singles_nr && !found; i++) {
        if (!strcmp(lz->singles[i]->runtime, runtime) && !strcmp(lz->singles[i]->arch, arch)) {
            found = lz->singles[i];
        }
    }
    if (!found && lz->singles_nr < ARRAY_SIZE(lz->singles)) {
        struct profile *p = xcalloc(1, sizeof(*p));
        id = xasprintf("%s-%s", runtime, arch);
        if (profile_load_id(p, &lz->src, id, &d) == 0 && !strcmp(p->runtime, runtime) &&
            !strcmp(p->arch, arch)) {
            lz->singles[lz->singles_nr++] = p;
            found = p;
        } else {
            profile_free(p); /* no such file: the whole list says what there is */
        }
        free(id);
    }
    pthread_mutex_unlock(&lz->lock);
    return found ? found : profiles_find(datadir_profiles(dd), runtime, arch);
}

/* Untrusted data: everything now, so that a broken file is exit 2 at once, and each
 * profile's OS must have its library list. */
static int load_all(struct datadir *dd, struct diag *d)
{
    struct datadir_lazy *lz = dd->lazy;

    if (osdatas_load(&lz->os, &lz->src, d) != 0 ||
        stableabi_load(&lz->stable_abi, &lz->src, d) != 0 ||
        pyexports_load(&lz->py_exports, &lz->src, d) != 0 ||
        providers_load(&lz->providers, &lz->src, d) != 0 ||
        stdlib_load(&lz->stdlib, &lz->src, d) != 0) {
        return -1;
    }
    lz->os_all = lz->stable_abi_loaded = lz->py_exports_loaded = lz->providers_loaded =
        lz->stdlib_loaded = true;
    for (size_t i = 0; i < dd->profiles.nr; i++) {
        struct profile *p = &dd->profiles.v[i];
        if (!(p->os = osdatas_find(&lz->os, p->os_id))) {
            return diag_set(d, DIAG_DATA, "%s: os.id.value: no rules/os/%s.json", p->file,
                            p->os_id);
        }
    }
    return 0;
}

int datadir_load(struct datadir *out, const char *dir, struct diag *d)
{
    bool trusted = false;
    char *path = find_dir(dir, &trusted, d);
    struct datadir_lazy *lz;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (!path) {
        return -1;
    }
    lz = out->lazy = xcalloc(1, sizeof(*out->lazy));
    pthread_mutex_init(&lz->lock, NULL);
    lz->dir = path;
    lz->src = (struct datasrc){path, !trusted};
    /* The profiles of trusted data are read when asked for: a run with --runtime needs its
     * own only (datadir_profile), a list or a matrix all of them (datadir_profiles). */
    lz->profiles_all = !trusted;
    if (rules_load(&out->rules, &lz->src, d) == 0 &&
        (trusted || profiles_load(&out->profiles, &lz->src, d) == 0) &&
        lambda_limits_load(&out->limits, &lz->src, d) == 0 &&
        pypi_names_load(&out->pypi_names, &lz->src, d) == 0 && (trusted || load_all(out, d) == 0)) {
        rc = 0;
    }
    out->dir = xstrdup(path);
    if (rc) {
        datadir_release(out);
    }
    return rc;
}

void datadir_release(struct datadir *dd)
{
    free(dd->dir);
    dd->dir = NULL;
    rules_release(&dd->rules);
    profiles_release(&dd->profiles);
    lambda_limits_release(&dd->limits);
    pypi_names_release(&dd->pypi_names);
    if (dd->lazy) {
        osdatas_release(&dd->lazy->os);
        stableabi_release(&dd->lazy->stable_abi);
        pyexports_release(&dd->lazy->py_exports);
        providers_release(&dd->lazy->providers);
        stdlib_release(&dd->lazy->stdlib);
        for (size_t i = 0; i < dd->lazy->singles_nr; i++) {
            profile_free(dd->lazy->singles[i]);
        }
        pthread_mutex_destroy(&dd->lazy->lock);
        free(dd->lazy->dir);
        free(dd->lazy);
    }
    memset(dd, 0, sizeof(*dd));
}
