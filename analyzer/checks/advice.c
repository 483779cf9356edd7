/* SPDX-License-Identifier: MIT */
/* Fixes that work when pasted: pip commands and the names and versions they carry, each
 * value the bundle chose one shell word; the chmod of a member stored without an execute
 * bit. */
#include "advice.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pypinames.h"
#include "shword.h"
#include "verutil.h"
#include "xalloc.h"

/*
 * pip takes exactly the platforms it is given, expanding only the legacy aliases
 * (manylinux2014 to 2010 and 1: pip's _custom_manylinux_platforms), so a target whose glibc
 * runs manylinux_2_28 wheels must be given that tag too, or pip never picks a wheel published
 * only as 2_28 (PEP 600; doc/sources.md#wheel-tags). Every minor is given, newest first: a wheel
 * may be published under any of them (2_25, 2_29, 2_30, 2_32, 2_33 are rare, not absent).
 */
#define MANYLINUX_FIRST_MINOR 18 /* manylinux_2_17 is manylinux2014, given as the alias */

/* "--platform manylinux_2_34_x86_64 ... --platform manylinux_2_18_x86_64 --platform
 * manylinux2014_x86_64" for the target: every glibc 2.x it runs, since a wheel may be
 * published under any of them. */
static char *platforms(const struct profile *p)
{
    const char *arch = strchr(p->pip_platform, '_') ? strchr(p->pip_platform, '_') + 1 : "";
    struct strvec parts = STRVEC_INIT;
    int major = 0, minor = 0;
    char *out;

    if (sscanf(p->glibc_max, "%d.%d", &major, &minor) == 2 && major == 2) {
        for (int m = minor; m >= MANYLINUX_FIRST_MINOR; m--) {
            strvec_push_nodup(&parts, xasprintf("--platform manylinux_2_%d_%s", m, arch));
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
    if (alt && !alt->use) {
        alt = NULL; /* built from its own source: its own name, pinned */
    }
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

/* s as one shell word; a value no command line carries (a newline) as none. Fresh. */
static char *word_or_null(const char *s)
{
    return s ? sh_word(s) : NULL;
}

char *advice_pip(const struct check_ctx *ctx, const struct member *m, char **note)
{
    const struct profile *p = ctx->profile;
    const struct distribution *dist = m->dist;
    const struct pypi_name *alt = dist ? pypi_names_find(&ctx->data->pypi_names, dist->name) : NULL;
    /* An OS-only runtime has no Python: no pip command installs for it. */
    char *plat = profile_python(p) ? platforms(p) : NULL, *req = NULL, *version = NULL, *out = NULL;
    /* In a container image, where the member's sys.path entry is (a RUN line of its
     * Dockerfile installs there); else the directory a zip is made from. */
    const struct image_input *in = &ctx->img->inputs[image_view_of(ctx->img, m)];
    char *dir = in->container && m->site_off ? xasprintf("/%.*s", (int)(m->site_off - 1), m->path)
                : ctx->img->inputs[m->input].role == INPUT_LAYER
                    ? xstrdup("python") /* a layer's packages go in its python/ */
                    : xstrdup("./package");
    /* Each piece the bundle named (its directories, its distribution's name and version)
     * one shell word: the command runs as it is, whatever the metadata says. */
    char *target = word_or_null(dir), *quoted = NULL;

    *note = NULL;
    if (!plat) {
        goto done;
    }
    if (dist) {
        req = advice_requirement(ctx, dist);
        version = alt ? NULL : pinnable(dist->version);
        quoted = word_or_null(req);
    }
    if (!target || (req && !quoted)) {
        goto done; /* a name no one-line command carries */
    }
    if (alt && !alt->use) {
        /* No wheel anywhere: pip builds it, in the image the runtime's code is built in. */
        out = xasprintf("docker run --rm -v \"$PWD\":/src -w /src public.ecr.aws/sam/build-%s pip "
                        "install --target %s %s",
                        p->runtime, target, quoted);
        *note = xstrdup(alt->why);
        goto done;
    }
    if (alt) {
        *note = xstrdup(alt->why);
    } else if (version && built_for_other_python(p, m)) {
        *note = xasprintf("if pip finds no matching distribution, %s %s has no wheel for "
                          "Python %s: drop the pin, or pin a release that has one",
                          dist->name, version, p->python_version);
    }
    /* A layer's packages go in its python/ (on sys.path from /opt); a function's anywhere
     * its zip is made from. */
    out = xasprintf("pip install %s --implementation cp --python-version %s --only-binary=:all: "
                    "--target %s %s",
                    plat, p->python_version, target, quoted ? quoted : "-r requirements.txt");
done:
    free(dir);
    free(target);
    free(quoted);
    free(version);
    free(req);
    free(plat);
    return out;
}

static const char *const installer_names[] = {"pip", "uv", "poetry", "pipenv", "sam"};

int installer_parse(const char *name)
{
    for (size_t i = 0; i < sizeof(installer_names) / sizeof(*installer_names); i++) {
        if (name && !strcmp(name, installer_names[i])) {
            return (int)i;
        }
    }
    return -1;
}

const char *installer_name(enum installer_kind k)
{
    return installer_names[k];
}

/* uv's --python-platform for the target: its names carry the glibc minor ("x86_64-
 * manylinux_2_26"), and uv takes every older tag with it (doc/sources.md#uv). */
static char *uv_platform(const struct profile *p)
{
    const char *arch = strcmp(p->arch, "arm64") ? "x86_64" : "aarch64";
    int major = 0, minor = 0;

    if (sscanf(p->glibc_max ? p->glibc_max : "", "%d.%d", &major, &minor) == 2 && major == 2 &&
        minor >= 17) {
        return xasprintf("%s-manylinux_2_%d", arch, minor);
    }
    return xasprintf("%s-manylinux2014", arch);
}

char *advice_rebuild(const struct profile *p, bool layer, const struct installer *in, char **note)
{
    const char *dir = layer ? "python" : "package";
    const char *how = in && in->why ? in->why : "no lock file or template beside the bundle";
    enum installer_kind k = in ? in->kind : INSTALLER_PIP;
    char *pip = NULL, *out;

    *note = NULL;
    if (!p || !p->python_version || !p->pip_platform) {
        return NULL;
    }
    if (k == INSTALLER_SAM) {
        *note = xasprintf("builds every function of the template in public.ecr.aws/sam/build-%s, "
                          "the runtime's build image, for its architecture (%s)",
                          p->runtime, how);
        return xstrdup("sam build --use-container");
    }
    if (k == INSTALLER_UV) {
        char *plat = uv_platform(p);
        out = xasprintf("uv export --frozen --no-dev --no-editable -o requirements.txt && uv pip "
                        "install --python-platform %s --python-version %s --only-binary :all: "
                        "--target %s -r requirements.txt",
                        plat, p->python_version, dir);
        free(plat);
    } else {
        char *plat = platforms(p);
        pip = xasprintf("pip install %s --implementation cp --python-version %s "
                        "--only-binary=:all: --target %s -r requirements.txt",
                        plat, p->python_version, dir);
        free(plat);
        out = k == INSTALLER_POETRY
                  ? xasprintf("poetry export -f requirements.txt --without-hashes -o "
                              "requirements.txt && %s",
                              pip)
              : k == INSTALLER_PIPENV
                  ? xasprintf("pipenv requirements > requirements.txt && %s", pip)
                  : xstrdup(pip);
    }
    *note = xasprintf("rebuilds every distribution of the bundle from wheels for %s %s, into an "
                      "empty %s/ (%s: %s); one with no such wheel builds in "
                      "public.ecr.aws/sam/build-%s",
                      p->runtime, p->arch, dir, installer_names[k], how, p->runtime);
    free(pip);
    return out;
}

void advice_exec_bit(const struct member *m, const char *tool, struct advice_exec_bit *out)
{
    if (m->mode_lost) {
        snprintf(out->found, sizeof(out->found), "no Unix mode");
    } else {
        snprintf(out->found, sizeof(out->found), "mode %04o", (unsigned)m->mode);
    }
    out->command = "chmod 755 {path} && zip -X {zip} {path}";
    out->note = xasprintf("run it in the directory the zip is made from; zip on Linux, macOS or "
                          "WSL%s%s%s, not from Windows",
                          tool ? ", or with a tool that stores the mode (" : "", tool ? tool : "",
                          tool ? ")" : "");
}
