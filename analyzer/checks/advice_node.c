/* SPDX-License-Identifier: MIT */
/* The npm commands that fix a Node.js addon: the platform's install, or a rebuild. */
#include "advice_node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addons.h"
#include "nodepkg.h"
#include "shword.h"
#include "xalloc.h"

const char *advice_npm_package(const char *path, char *buf, size_t n)
{
    const char *name;
    size_t len;

    if (!nodepkg_name_at(path, &name, &len) || !name[len]) {
        return NULL; /* in no package, or a file of node_modules itself */
    }
    snprintf(buf, n, "%.*s", (int)len, name);
    return buf;
}

const char *advice_npm_parent(const struct image *img, const char *name)
{
    for (size_t i = 0; i < img->nr; i++) {
        const struct npm_package *pkg = img->members[i].npm;
        if (pkg && pkg->name && strvec_contains(&pkg->optional, name)) {
            return pkg->name;
        }
    }
    return NULL;
}

char *advice_npm_install(const struct profile *p, const char *package)
{
    char *word = sh_word(package);
    char *cmd =
        word ? xasprintf("npm install --os=linux --cpu=%s --libc=glibc %s", addons_cpu(p), word)
             : NULL;

    free(word);
    return cmd;
}

char *advice_npm_rebuild(const struct profile *p, const char *package, char **note)
{
    char *word = package ? sh_word(package) : NULL;
    char *cmd = package && !word
                    ? NULL
                    : xasprintf("docker run --rm --platform linux/%s -v \"$PWD\":/var/task -w "
                                "/var/task public.ecr.aws/sam/build-%s npm rebuild%s%s",
                                strcmp(p->arch, "arm64") ? "amd64" : "arm64", p->runtime,
                                word ? " " : "", word ? word : "");

    *note = xasprintf("rebuilds %s from source for %s in the runtime's build image, from the "
                      "directory that holds node_modules",
                      package ? package : "the addons", p->os_name);
    free(word);
    return cmd;
}

char *advice_npm(const struct check_ctx *ctx, const struct member *m, char **note)
{
    const struct profile *p = ctx->profile;
    char buf[256];
    const char *pkg = advice_npm_package(m->path, buf, sizeof(buf)), *parent;
    bool fits;

    *note = NULL;
    if (pkg && addons_platform_name(pkg, p, &fits)) {
        /* A platform package: npm installs the one for the platform it is told. */
        parent = advice_npm_parent(ctx->img, pkg);
        *note = xasprintf("npm installs %s's build for Linux %s with glibc", parent ? parent : pkg,
                          addons_cpu(p));
        return advice_npm_install(p, parent ? parent : pkg);
    }
    return advice_npm_rebuild(p, pkg, note);
}
