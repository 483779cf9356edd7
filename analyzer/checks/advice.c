/* SPDX-License-Identifier: MIT */
/* Fixes that work when pasted: pip commands and the names and versions they carry. */
#include "advice.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pypinames.h"
#include "verutil.h"
#include "xalloc.h"

/*
 * The glibc versions of the manylinux platform tags wheels are published with (PEP 600;
 * auditwheel's policy file, lambda-facts.md §2.5), newest first. pip takes exactly the
 * platforms it is given, expanding only the legacy aliases (manylinux2014 to 2010 and 1:
 * pip's _custom_manylinux_platforms), so a target whose glibc runs manylinux_2_28 wheels
 * must be given that tag too, or pip never picks a wheel published only as 2_28.
 */
static const char *const manylinux_glibcs[] = {
    "2.39", "2.38", "2.36", "2.35", "2.34", "2.31", "2.28", "2.27", "2.26", "2.24",
};

/* "--platform manylinux_2_34_x86_64 ... --platform manylinux2014_x86_64" for the target. */
static char *platforms(const struct profile *p)
{
    const char *arch = strchr(p->pip_platform, '_') ? strchr(p->pip_platform, '_') + 1 : "";
    struct strvec parts = STRVEC_INIT;
    char *out;

    for (size_t i = 0; i < ARRAY_SIZE(manylinux_glibcs); i++) {
        int major = 0, minor = 0;
        if (verutil_cmp(manylinux_glibcs[i], p->glibc_max) <= 0 &&
            sscanf(manylinux_glibcs[i], "%d.%d", &major, &minor) == 2) {
            strvec_push_nodup(&parts,
                              xasprintf("--platform manylinux_%d_%d_%s", major, minor, arch));
        }
    }
    strvec_push_nodup(&parts, xasprintf("--platform %s", p->pip_platform));
    out = strvec_join(&parts, " ");
    strvec_release(&parts);
    return out;
}

/* A version pip can pin: PEP 440's public part (a local "+ds1" is Debian's, not PyPI's);
 * none for the placeholders broken metadata carries ("0.0.0"). Caller frees. */
static char *pinnable(const char *version)
{
    size_t n;

    if (!version || !isdigit((unsigned char)version[0]) || !strcmp(version, "0") ||
        !strcmp(version, "0.0.0") || !strcmp(version, "0.0")) {
        return NULL;
    }
    n = strcspn(version, "+");
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)version[i]) && !strchr(".!-_", version[i])) {
            return NULL;
        }
    }
    return xstrndup(version, n);
}

char *advice_requirement(const struct check_ctx *ctx, const struct distribution *dist)
{
    const struct pypi_name *alt;
    char *version, *out;

    if (!dist) {
        return xstrdup("the distribution that ships it");
    }
    alt = pypi_names_find(&ctx->data->pypi_names, dist->name);
    version = alt ? NULL : pinnable(dist->version);
    out = version ? xasprintf("%s==%s", dist->name, version) : xstrdup(alt ? alt->use : dist->name);
    free(version);
    return out;
}

/* Whether the distribution was built for another CPython (its WHEEL tags, or the member's
 * own file name): its pin may have no wheel for the target's (numpy 1.24.2 has none for
 * 3.12). */
static bool built_for_other_python(const struct profile *p, const struct member *m)
{
    const struct distribution *dist = m->dist;
    char cp[16];

    if (m->ext.kind == PYEXT_CPYTHON &&
        (m->ext.major != p->py_major || m->ext.minor != p->py_minor)) {
        return true;
    }
    snprintf(cp, sizeof(cp), "cp%d%d-", p->py_major, p->py_minor);
    for (size_t i = 0; i < dist->wheel_tags.nr; i++) {
        const char *t = dist->wheel_tags.v[i];
        if (!strncmp(t, "cp", 2) && strncmp(t, cp, strlen(cp)) != 0 && !strstr(t, "-abi3-")) {
            return true;
        }
    }
    return false;
}

char *advice_pip(const struct check_ctx *ctx, const struct member *m)
{
    const struct profile *p = ctx->profile;
    const struct distribution *dist = m->dist;
    const struct pypi_name *alt = dist ? pypi_names_find(&ctx->data->pypi_names, dist->name) : NULL;
    char *plat = platforms(p), *req = NULL, *version = NULL, *tail, *out;
    /* In a container image, where the member's sys.path entry is (a RUN line of its
     * Dockerfile installs there); else the directory a zip is made from. */
    const struct image_input *in = &ctx->img->inputs[image_view_of(ctx->img, m)];
    char *target = in->container && m->site_off
                       ? xasprintf("/%.*s", (int)(m->site_off - 1), m->path)
                       : xstrdup("./package");

    if (dist) {
        req = advice_requirement(ctx, dist);
        version = alt ? NULL : pinnable(dist->version);
    }
    if (alt) {
        tail = xasprintf(" (%s)", alt->why);
    } else if (version && built_for_other_python(p, m)) {
        tail = xasprintf("; if pip finds no matching distribution, %s %s has no wheel for "
                         "Python %s: drop the pin, or pin a release that has one",
                         dist->name, version, p->python_version);
    } else {
        tail = xstrdup("");
    }
    out = xasprintf("pip install %s --implementation cp --python-version %s --only-binary=:all: "
                    "--target %s %s%s",
                    plat, p->python_version, target, req ? req : "-r requirements.txt", tail);
    free(target);
    free(tail);
    free(version);
    free(req);
    free(plat);
    return out;
}
