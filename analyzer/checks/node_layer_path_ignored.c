/* SPDX-License-Identifier: MIT */
/*
 * ABI034 node-layer-path-ignored: a layer's node_modules where a Node.js runtime never looks.
 * Lambda extracts a layer to /opt; require() finds its packages only through NODE_PATH,
 * /opt/nodejs/node<major>/node_modules and /opt/nodejs/node_modules (doc/sources.md#nodejs-addons,
 * [aws-env], [aws-layers]): node_modules at the layer's top, a nodejs/ one directory too
 * deep, or nodejs/node18/ in a nodejs20.x function are never searched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "strmap.h"
#include "xalloc.h"

/* The package a path below a node_modules/ directory (at path + off) belongs to:
 * "lodash", "@img/sharp". Caller frees. */
static char *package_of(const char *path, size_t off)
{
    const char *name = path + off, *end = strchr(name, '/');

    if (end && name[0] == '@') {
        end = strchr(end + 1, '/');
    }
    return end ? xstrndup(name, (size_t)(end - name)) : xstrdup(name);
}

/* Whether prefix is nodejs/node<N>/node_modules/: a release's own directory. */
static bool release_dir(const char *prefix)
{
    const char *d = prefix + 11;

    if (strncmp(prefix, "nodejs/node", 11) != 0 || *d < '0' || *d > '9') {
        return false;
    }
    while (*d >= '0' && *d <= '9') {
        d++;
    }
    return !strcmp(d, "/node_modules/");
}

/* The packages below prefix in m's input: "lib", "a, b and 3 more". Caller frees. */
static char *packages(const struct image *img, const struct member *m, const char *prefix,
                      size_t off, char **first)
{
    struct strvec names = STRVEC_INIT;
    size_t more = 0;
    char *out;

    for (size_t i = 0; i < img->nr; i++) {
        const struct member *o = &img->members[i];
        if (o->input != m->input || strncmp(o->path, prefix, off) != 0 || o->path[off] == '.' ||
            !strchr(o->path + off, '/')) {
            continue; /* npm's own .bin/ and .package-lock.json are no packages */
        }
        char *name = package_of(o->path, off);
        if (strvec_contains(&names, name)) {
            free(name);
        } else if (names.nr < 3) {
            strvec_push_nodup(&names, name);
        } else {
            free(name);
            more++; /* an upper bound: repeats past the third are not told apart */
        }
    }
    *first = xstrdup(names.nr ? names.v[0] : "its packages");
    char *list = strvec_join(&names, ", ");
    out = more ? xasprintf("%s and more", list) : xstrdup(list);
    free(list);
    strvec_release(&names);
    return out;
}

static void report(const struct check_ctx *ctx, struct findings *out, const struct member *m,
                   const char *prefix, size_t off)
{
    const struct profile *p = ctx->profile;
    char *pkg = NULL, *names = packages(ctx->img, m, prefix, off, &pkg), *why;
    char *dir = xstrndup(prefix, strlen(prefix) - 1);
    struct member where = *m;

    if (release_dir(prefix)) {
        why = xasprintf("%s (%s) is for another Node.js release: %s looks in "
                        "/opt/nodejs/node%s/node_modules and /opt/nodejs/node_modules only",
                        prefix, names, p->runtime, p->node_version);
    } else if (strstr(prefix, "/nodejs/node_modules/")) {
        why = xasprintf("%s (%s) is one directory too deep: Lambda extracts it to /opt/%s, "
                        "where %s never looks",
                        prefix, names, prefix, p->runtime);
    } else {
        why = xasprintf("%s (%s) is where %s never looks: NODE_PATH has "
                        "/opt/nodejs/node%s/node_modules and /opt/nodejs/node_modules, not /opt/%s",
                        prefix, names, p->runtime, p->node_version, prefix);
    }
    char *lambda = xasprintf("Runtime.ImportModuleError: Error: Cannot find module '%s'", pkg);
    char *expected =
        xasprintf("nodejs/node_modules/ or nodejs/node%s/node_modules/", p->node_version);
    where.path = dir;
    struct tvar vars[] = {
        {"lambda_error", lambda},
        {"fix_note", "put the layer's packages in nodejs/node_modules/ (zip -r layer.zip nodejs, "
                     "from the directory that holds nodejs/)"}};
    check_report(ctx, out,
                 &(struct check_found){.m = &where,
                                       .sev = ctx->rule->severity,
                                       .expected = expected,
                                       .found = prefix,
                                       .vars = vars,
                                       .nvars = 2},
                 "%s", why);
    free(pkg);
    free(names);
    free(why);
    free(lambda);
    free(expected);
    free(dir);
}

void check_node_layer_path_ignored(const struct check_ctx *ctx, struct findings *out)
{
    const struct image *img = ctx->img;
    struct strmap done = {0};
    char own[64];

    if (!profile_node(ctx->profile)) {
        return;
    }
    snprintf(own, sizeof(own), "nodejs/node%s/node_modules/", ctx->profile->node_version);
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        const char *nm = strstr(m->path, "node_modules/");
        if (img->inputs[m->input].role != INPUT_LAYER || img->inputs[m->input].container || !nm ||
            (nm != m->path && nm[-1] != '/')) {
            continue;
        }
        size_t off = (size_t)(nm - m->path) + 13;
        char *prefix = xstrndup(m->path, off), *key;
        if (!strcmp(prefix, "nodejs/node_modules/") || !strcmp(prefix, own)) {
            free(prefix);
            continue; /* on NODE_PATH */
        }
        key = xasprintf("%zu:%s", m->input, prefix);
        if (!strmap_has(&done, key, strlen(key))) {
            strmap_put(&done, key, strlen(key), NULL);
            report(ctx, out, m, prefix, off);
        }
        free(key);
        free(prefix);
    }
    strmap_release(&done);
}
