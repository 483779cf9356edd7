/* SPDX-License-Identifier: MIT */
/* Find the rules directory and load everything in it, cross-checked. */
#include "datadir.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *find_dir(const char *given, struct diag *d)
{
    const char *env = getenv("ABISCAN_RULES");
    char exe[PATH_MAX];
    ssize_t n;

    if (given || (env && *env)) {
        return xstrdup(given ? given : env);
    }
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

/* Each profile's OS must have its library list. */
static int link_os(struct datadir *dd, struct diag *d)
{
    for (size_t i = 0; i < dd->profiles.nr; i++) {
        struct profile *p = &dd->profiles.v[i];
        if (!(p->os = osdatas_find(&dd->os, p->os_id))) {
            return diag_set(d, DIAG_DATA, "%s: os.id.value: no rules/os/%s.json", p->file,
                            p->os_id);
        }
    }
    return 0;
}

int datadir_load(struct datadir *out, const char *dir, struct diag *d)
{
    char *path = find_dir(dir, d);
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (path && rules_load(&out->rules, path, d) == 0 &&
        profiles_load(&out->profiles, path, d) == 0 && osdatas_load(&out->os, path, d) == 0 &&
        stableabi_load(&out->stable_abi, path, d) == 0 &&
        lambda_limits_load(&out->limits, path, d) == 0 &&
        providers_load(&out->providers, path, d) == 0 &&
        pypi_names_load(&out->pypi_names, path, d) == 0 && link_os(out, d) == 0) {
        rc = 0;
    }
    out->dir = path;
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
    osdatas_release(&dd->os);
    stableabi_release(&dd->stable_abi);
    lambda_limits_release(&dd->limits);
    providers_release(&dd->providers);
    pypi_names_release(&dd->pypi_names);
}
