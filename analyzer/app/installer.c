/* SPDX-License-Identifier: MIT */
/* The installer of a bundle's packages: named, or found beside the bundle. */
#include "installer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "path.h"
#include "xalloc.h"

/* What a project holds, in the order one wins over another in a directory: a lock file says
 * which tool wrote it; a SAM template builds with sam; requirements.txt alone is pip's. */
static const struct {
    const char *file;
    enum installer_kind kind;
} marks[] = {
    {"uv.lock", INSTALLER_UV},          {"poetry.lock", INSTALLER_POETRY},
    {"Pipfile.lock", INSTALLER_PIPENV}, {"template.yaml", INSTALLER_SAM},
    {"template.yml", INSTALLER_SAM},    {"requirements.txt", INSTALLER_PIP},
};

/* The bundle's directory and three parents (a build directory's project); at most 6, the
 * "../" the words can say. */
#define MAX_UP 4

static bool regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether a --template file is a SAM one (its Transform), read no further than it needs. */
static bool sam_template(const char *path)
{
    char buf[65536];
    FILE *f;
    size_t n;

    if (!path || !regular(path) || !(f = fopen(path, "rb"))) {
        return false;
    }
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, "AWS::Serverless") != NULL;
}

/* The absolute directory of the bundle (itself when it is one), or NULL. Fresh. */
static char *bundle_dir(const char *path)
{
    char *abs = realpath(path, NULL);

    if (abs && !is_dir(abs)) {
        abs[path_dir_len(abs)] = '\0'; /* "/x/fn.zip" -> "/x"; "/fn.zip" -> "" */
    }
    return abs;
}

struct installer installer_find(const char *path, const char *named, const char *template,
                                char **why)
{
    struct installer in = {INSTALLER_PIP, NULL};
    char *dir;

    *why = NULL;
    if (named && installer_parse(named) >= 0) {
        in.kind = (enum installer_kind)installer_parse(named);
        *why = xstrdup("as configured");
        return in;
    }
    if (sam_template(template)) {
        in.kind = INSTALLER_SAM;
        *why = xstrdup("declared in a SAM template");
        return in;
    }
    dir = path ? bundle_dir(path) : NULL;
    for (int up = 0; up < MAX_UP && dir; up++) {
        char *git;
        bool top;
        for (size_t i = 0; i < sizeof(marks) / sizeof(*marks); i++) {
            char *file = xasprintf("%s/%s", dir, marks[i].file);
            if (regular(file)) {
                /* Said from the bundle's directory, as the project's layout has it. */
                in.kind = marks[i].kind;
                *why = up ? xasprintf("%.*s%s, above the bundle", 3 * up, "../../../../../../",
                                      marks[i].file)
                          : xasprintf("%s beside the bundle", marks[i].file);
                free(file);
                free(dir);
                return in;
            }
            free(file);
        }
        git = xasprintf("%s/.git", dir);
        top = !*dir || regular(git) || is_dir(git); /* the repository's root: no further */
        free(git);
        if (top) {
            break;
        }
        dir[path_dir_len(dir)] = '\0';
    }
    free(dir);
    return in;
}
