/* SPDX-License-Identifier: MIT */
/* The repository root the reports place paths from, and where each input is under it. */
#include "srcroot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "path.h"
#include "xalloc.h"

/* Cut the last name off an absolute path in place; "/" stays "/". */
static void up_one(char *abs)
{
    size_t n = path_dir_len(abs);
    abs[n ? n : 1] = '\0';
}

int srcroot_find(char **out, const char *given, struct diag *d)
{
    struct stat st;
    char *dir;

    *out = NULL;
    if (given) {
        if (!(dir = realpath(given, NULL))) {
            return diag_set(d, DIAG_USAGE, "--path-base '%s': %s", given, strerror(errno));
        }
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            free(dir);
            return diag_set(d, DIAG_USAGE, "--path-base '%s': not a directory", given);
        }
        *out = dir;
        return 0;
    }
    /* The same root .abiscan.yaml is looked for up to: the first directory with .git. No
     * current directory (removed under us): no base, and paths are said as given. */
    if (!(dir = realpath(".", NULL))) {
        return 0;
    }
    for (;;) {
        if (config_is_repo_root(dir)) {
            *out = dir;
            return 0;
        }
        if (!strcmp(dir, "/")) {
            break;
        }
        up_one(dir);
    }
    free(dir);
    return 0;
}

char *srcroot_locate(const char *name)
{
    char *real = realpath(name, NULL), *dir, *cwd, *joined, *out;
    size_t n;

    if (real || !name[0]) {
        return real;
    }
    /* It does not exist (an input that could not be read): its directory, resolved, and
     * its own name; failing that, the path joined to the current directory, lexically. */
    n = path_dir_len(name);
    dir = n ? xstrndup(name, n) : xstrdup(name[0] == '/' ? "/" : ".");
    real = realpath(dir, NULL);
    free(dir);
    if (real) {
        out = xasprintf("%s/%s", strcmp(real, "/") ? real : "", path_base(name));
        free(real);
        return out;
    }
    if (name[0] == '/') {
        return path_normalize(name, PATH_ABSOLUTE, NULL);
    }
    if (!(cwd = realpath(".", NULL))) {
        return NULL;
    }
    joined = xasprintf("%s/%s", cwd, name);
    out = path_normalize(joined, PATH_ABSOLUTE, NULL);
    free(joined);
    free(cwd);
    return out;
}
