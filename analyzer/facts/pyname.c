/* SPDX-License-Identifier: MIT */
/* The extension-module file-name grammar, one pcre2 pattern compiled once. */
#include "pyname.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regexp.h"
#include "xalloc.h"

struct pyname {
    struct regexp *re;
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
    "|\\.pypy(?<pver>[0-9]{0,3})-(?<pabi>(?:pp)?[0-9]+)(?:-(?<pplat>[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)"
    "*))?\\.so"
    "|\\.(?<other>graalpy[A-Za-z0-9_-]*)\\.so"
    "|\\.cp(?<wmaj>[23])(?<wmin>[0-9]{1,2})-(?<wplat>win[A-Za-z0-9_]*)\\.pyd"
    "|(?<pyd>\\.pyd)"
    "|(?<so>\\.so)"
    ")$";

struct pyname *pyname_new(struct diag *d)
{
    struct pyname *g = xcalloc(1, sizeof(*g));

    /* Compiled on first use: a run that meets no file name to parse never needs pcre2. */
    if (regexp_compile(&g->re, grammar, REGEXP_UTF | REGEXP_LAZY, d) != 0) {
        diag_prefix(d, "file-name grammar");
        free(g);
        return NULL;
    }
    return g;
}

void pyname_free(struct pyname *g)
{
    if (!g) {
        return;
    }
    regexp_free(g->re);
    free(g);
}

/* A fresh copy of the named group, "" when it took no part in the match. */
static char *dup_group(const struct regexp_match *m, const char *name)
{
    char *s = regexp_group(m, name);
    return s ? s : xstrdup("");
}

/* The named group as a number, 0 when unset. */
static int number(const struct regexp_match *m, const char *name)
{
    char *s = regexp_group(m, name);
    int n = s ? atoi(s) : 0;

    free(s);
    return n;
}

/* PyPy's version part: "39" is 3.9, "3" is 3.x, "" is Python 2. */
static void pypy_version(const char *v, int *major, int *minor)
{
    size_t n = strlen(v);

    *major = n ? v[0] - '0' : 2;
    *minor = n > 1 ? atoi(v + 1) : 0;
}

enum pyext_kind pyname_parse(const struct pyname *g, const char *basename, struct pyext_name *out)
{
    struct regexp_match *m;

    size_t len = strlen(basename);

    memset(out, 0, sizeof(*out));
    /* Every name the grammar takes ends in .so or .pyd: the others (.py, most of a bundle)
     * need no regular expression. */
    if (!(len > 3 && !strcmp(basename + len - 3, ".so")) &&
        !(len > 4 && !strcmp(basename + len - 4, ".pyd"))) {
        return PYEXT_NONE;
    }
    if (!(m = regexp_exec(g->re, basename))) {
        return PYEXT_NONE;
    }
    out->module = dup_group(m, "mod");
    out->suffix = dup_group(m, "suffix");
    if (regexp_group_set(m, "cmaj")) {
        char *flags = dup_group(m, "cflags"); /* at most 3 letters: the pattern says */
        out->kind = PYEXT_CPYTHON;
        out->major = number(m, "cmaj");
        out->minor = number(m, "cmin");
        snprintf(out->abiflags, sizeof(out->abiflags), "%s", flags);
        free(flags);
        out->platform = dup_group(m, "cplat");
    } else if (regexp_group_set(m, "abi3")) {
        out->kind = PYEXT_ABI3;
        out->major = 3;
    } else if (regexp_group_set(m, "pabi")) {
        char *ver = dup_group(m, "pver");
        out->kind = PYEXT_PYPY;
        pypy_version(ver, &out->major, &out->minor);
        free(ver);
        out->platform = dup_group(m, "pplat");
    } else if (regexp_group_set(m, "other")) {
        out->kind = PYEXT_OTHER_IMPL;
    } else if (regexp_group_set(m, "wmaj")) {
        out->kind = PYEXT_WINDOWS;
        out->major = number(m, "wmaj");
        out->minor = number(m, "wmin");
        out->platform = dup_group(m, "wplat");
    } else if (regexp_group_set(m, "pyd")) {
        out->kind = PYEXT_WINDOWS;
    } else {
        size_t n = strlen(out->module);
        out->kind = PYEXT_UNTAGGED;
        out->module_suffix = n > 6 && !strcmp(out->module + n - 6, "module");
    }
    if (!out->platform) {
        out->platform = xstrdup("");
    }
    regexp_match_free(m);
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
        [PYEXT_NONE] = "none",         [PYEXT_CPYTHON] = "cpython", [PYEXT_ABI3] = "abi3",
        [PYEXT_UNTAGGED] = "untagged", [PYEXT_PYPY] = "pypy",       [PYEXT_OTHER_IMPL] = "other",
        [PYEXT_WINDOWS] = "windows",
    };
    return (unsigned)kind < ARRAY_SIZE(names) ? names[kind] : "unknown";
}
