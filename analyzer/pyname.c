/* SPDX-License-Identifier: MIT */
/* The extension-module file-name grammar, one pcre2 pattern compiled once. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "pyname.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct pyname {
    pcre2_code *re;
};

/*
 * The forms, with their sources:
 * - CPython 3 tagged: SOABI "cpython-" + version + abiflags + "-" + multiarch
 *   triplet (PEP 3149; Python/dynload_shlib.c). abiflags: "m" (pymalloc,
 *   3.0-3.7 only), "d" (debug), "u" (wide unicode, 3.2 and earlier), "t"
 *   (free-threaded, 3.13+). The triplet is optional in old builds
 *   ("cpython-34m.so"); macOS uses "darwin".
 * - abi3: PEP 384, "mod.abi3.so".
 * - untagged: "mod.so", tried by every CPython; Python 2 also tries
 *   "modmodule.so" (Python/dynload_shlib.c, _PyImport_DynLoadFiletab).
 * - PyPy: "pypy39-pp73-<triplet>", "pypy3-72-<triplet>", old "pypy-41".
 * - GraalPy: "graalpy-38-native-<platform>".
 * - Windows: "mod.pyd", "mod.cp311-win_amd64.pyd".
 * The module part is everything before the first dot: "foo.bar.so" is not
 * importable as anything, so it is not an extension-module name.
 */
static const char grammar[] =
    "^(?<mod>[^.]+)(?<suffix>"
    "\\.cpython-(?<cmaj>[23])(?<cmin>[0-9]{1,2})(?<cflags>[dmut]{0,3})"
    "(?:-(?<cplat>[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*))?\\.so"
    "|\\.(?<abi3>abi3)\\.so"
    "|\\.pypy(?<pver>[0-9]{0,3})-(?<pabi>(?:pp)?[0-9]+)(?:-(?<pplat>[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*))?\\.so"
    "|\\.(?<other>graalpy[A-Za-z0-9_-]*)\\.so"
    "|\\.cp(?<wmaj>[23])(?<wmin>[0-9]{1,2})-(?<wplat>win[A-Za-z0-9_]*)\\.pyd"
    "|(?<pyd>\\.pyd)"
    "|(?<so>\\.so)"
    ")$";

struct pyname *pyname_new(struct diag *d)
{
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *re;
    struct pyname *g;

    /* DOLLAR_ENDONLY: "$" must not match before a final newline ("x.so\n" is no module). */
    re = pcre2_compile((PCRE2_SPTR)grammar, PCRE2_ZERO_TERMINATED,
                       PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, &errcode, &erroff, NULL);
    if (!re) {
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(errcode, buf, sizeof(buf));
        diag_set(d, DIAG_DATA, "file-name grammar: %s at offset %zu", (char *)buf,
                 (size_t)erroff);
        return NULL;
    }
    g = xcalloc(1, sizeof(*g));
    g->re = re;
    return g;
}

void pyname_free(struct pyname *g)
{
    if (!g) {
        return;
    }
    pcre2_code_free(g->re);
    free(g);
}

/* Copy named group `name` into buf; returns its length, -1 if unset, -2 if too long. */
static int group(pcre2_match_data *md, const char *name, char *buf, size_t bufsz)
{
    PCRE2_SIZE len = bufsz;
    int rc = pcre2_substring_copy_byname(md, (PCRE2_SPTR)name, (PCRE2_UCHAR *)buf, &len);

    if (rc == PCRE2_ERROR_NOMEMORY) {
        return -2;
    }
    if (rc < 0) {
        buf[0] = '\0';
        return -1;
    }
    return (int)len;
}

/* A fresh copy of named group `name`, "" when it did not take part in the match. */
static char *dup_group(pcre2_match_data *md, const char *name)
{
    PCRE2_UCHAR *sub = NULL;
    PCRE2_SIZE len = 0;
    char *out;

    if (pcre2_substring_get_byname(md, (PCRE2_SPTR)name, &sub, &len) < 0) {
        return xstrdup("");
    }
    out = xstrndup((const char *)sub, len);
    pcre2_substring_free(sub);
    return out;
}

static bool set(pcre2_match_data *md, const char *name)
{
    char tmp[4];
    return group(md, name, tmp, sizeof(tmp)) != -1;
}

static int number(pcre2_match_data *md, const char *name)
{
    char buf[8];
    return group(md, name, buf, sizeof(buf)) > 0 ? atoi(buf) : 0;
}

/* PyPy's version part: "39" is 3.9, "3" is 3.x, "" is Python 2. */
static void pypy_version(const char *v, int *major, int *minor)
{
    size_t n = strlen(v);

    *major = n ? v[0] - '0' : 2;
    *minor = n > 1 ? atoi(v + 1) : 0;
}

enum pyext_kind pyname_parse(const struct pyname *g, const char *basename,
                             struct pyext_name *out)
{
    pcre2_match_data *md;
    int rc;

    memset(out, 0, sizeof(*out));
    md = pcre2_match_data_create_from_pattern(g->re, NULL);
    if (!md) {
        xalloc_die(sizeof(pcre2_match_data *)); /* pcre2 fails here only on OOM */
    }
    rc = pcre2_match(g->re, (PCRE2_SPTR)basename, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL);
    if (rc < 0) {
        pcre2_match_data_free(md);
        return PYEXT_NONE;
    }
    out->module = dup_group(md, "mod");
    out->suffix = dup_group(md, "suffix");
    if (set(md, "cmaj")) {
        out->kind = PYEXT_CPYTHON;
        out->major = number(md, "cmaj");
        out->minor = number(md, "cmin");
        group(md, "cflags", out->abiflags, sizeof(out->abiflags)); /* at most 3: the pattern */
        out->platform = dup_group(md, "cplat");
    } else if (set(md, "abi3")) {
        out->kind = PYEXT_ABI3;
        out->major = 3;
    } else if (set(md, "pabi")) {
        char ver[8];
        out->kind = PYEXT_PYPY;
        group(md, "pver", ver, sizeof(ver));
        pypy_version(ver, &out->major, &out->minor);
        out->platform = dup_group(md, "pplat");
    } else if (set(md, "other")) {
        out->kind = PYEXT_OTHER_IMPL;
    } else if (set(md, "wmaj")) {
        out->kind = PYEXT_WINDOWS;
        out->major = number(md, "wmaj");
        out->minor = number(md, "wmin");
        out->platform = dup_group(md, "wplat");
    } else if (set(md, "pyd")) {
        out->kind = PYEXT_WINDOWS;
    } else {
        size_t n = strlen(out->module);
        out->kind = PYEXT_UNTAGGED;
        out->module_suffix = n > 6 && !strcmp(out->module + n - 6, "module");
    }
    if (!out->platform) {
        out->platform = xstrdup("");
    }
    pcre2_match_data_free(md);
    return out->kind;
}

void pyext_name_release(struct pyext_name *x)
{
    free(x->module);
    free(x->suffix);
    free(x->platform);
    memset(x, 0, sizeof(*x));
}

const char *pyname_kind_name(enum pyext_kind kind)
{
    static const char *const names[] = {
        [PYEXT_NONE] = "none",       [PYEXT_CPYTHON] = "cpython", [PYEXT_ABI3] = "abi3",
        [PYEXT_UNTAGGED] = "untagged", [PYEXT_PYPY] = "pypy",     [PYEXT_OTHER_IMPL] = "other",
        [PYEXT_WINDOWS] = "windows",
    };
    return (unsigned)kind < ARRAY_SIZE(names) ? names[kind] : "unknown";
}
