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
    struct providers providers;
    bool providers_loaded;
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

/* Untrusted data: everything now, so that a broken file is exit 2 at once, and each
 * profile's OS must have its library list. */
static int load_all(struct datadir *dd, struct diag *d)
{
    struct datadir_lazy *lz = dd->lazy;

    if (osdatas_load(&lz->os, &lz->src, d) != 0 ||
        stableabi_load(&lz->stable_abi, &lz->src, d) != 0 ||
        providers_load(&lz->providers, &lz->src, d) != 0) {
        return -1;
    }
    lz->os_all = lz->stable_abi_loaded = lz->providers_loaded = true;
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
    if (rules_load(&out->rules, &lz->src, d) == 0 &&
        profiles_load(&out->profiles, &lz->src, d) == 0 &&
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
        providers_release(&dd->lazy->providers);
        pthread_mutex_destroy(&dd->lazy->lock);
        free(dd->lazy->dir);
        free(dd->lazy);
    }
    memset(dd, 0, sizeof(*dd));
}
