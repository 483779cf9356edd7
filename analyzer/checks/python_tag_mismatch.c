/* SPDX-License-Identifier: MIT */
/* ABI001 python-tag-mismatch: an extension module whose file name the runtime will not import,
 * or that it opens but that is built for another CPython's C API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "elfnames.h"
#include "imports.h"
#include "loader.h"
#include "path.h"
#include "xalloc.h"

/* The interpreter tries its suffixes in order (Python/dynload_shlib.c); a
 * name with none of them is never opened. The profile holds the list. */
static bool loadable(const struct profile *p, const struct pyext_name *x)
{
    return strvec_contains(&p->ext_suffixes, x->suffix);
}

/* The ABI flags the runtime's tag carries: "cp36m" -> "m", "cp312" -> "". */
static const char *profile_flags(const struct profile *p)
{
    const char *s = p->abi_tag + strspn(p->abi_tag, "cp");
    return s + strspn(s, "0123456789");
}

static void explain_cpython(const struct pyext_name *x, const struct profile *p, char *buf,
                            size_t n)
{
    if (x->major != p->py_major || x->minor != p->py_minor) {
        snprintf(buf, n, "built for CPython %d.%d", x->major, x->minor);
    } else if (strchr(x->abiflags, 't')) {
        snprintf(buf, n, "a free-threaded build ('t'); Lambda runs no free-threaded Python");
    } else if (strchr(x->abiflags, 'd')) {
        snprintf(buf, n, "a debug build ('d'); Lambda runs no debug Python");
    } else if (strcmp(x->abiflags, profile_flags(p)) != 0) {
        snprintf(buf, n, "ABI flags '%s' where %s has '%s'", x->abiflags, p->runtime,
                 profile_flags(p));
    } else if (!*x->platform) {
        snprintf(buf, n, "no platform triplet in the tag");
    } else {
        snprintf(buf, n, "built for platform %s, not %s", x->platform, p->triplet);
    }
}

static void explain(const struct pyext_name *x, const struct profile *p, char *buf, size_t n)
{
    switch (x->kind) {
    case PYEXT_CPYTHON:
        explain_cpython(x, p, buf, n);
        break;
    case PYEXT_ABI3:
        snprintf(buf, n, "a stable-ABI (abi3) module, which needs Python 3");
        break;
    case PYEXT_PYPY:
        snprintf(buf, n, "built for PyPy, not CPython");
        break;
    case PYEXT_OTHER_IMPL:
        snprintf(buf, n, "built for another Python implementation");
        break;
    case PYEXT_WINDOWS:
        snprintf(buf, n, "a Windows extension module; Linux imports only .so files");
        break;
    default:
        snprintf(buf, n, "a suffix %s does not try", p->runtime);
        break;
    }
}

/* The name its distribution's RECORD gives an untagged module, when the file was renamed
 * (the READMEs of some layers say to rename _psycopg.cpython-39-x86_64-linux-gnu.so to
 * _psycopg.so): RECORD lists mod.cpython-XY...so in its directory and not the file itself.
 * Returns the recorded path (borrowed), and the CPython it names in *major, *minor. */
static const char *renamed_from(const struct member *m, int *major, int *minor)
{
    const struct distribution *d = m->dist;
    size_t root = d && *d->root ? strlen(d->root) + 1 : 0, dir;
    const char *rel, *hit = NULL;
    char *prefix;

    if (!d || !d->files.nr || strncmp(m->path, d->root, root ? root - 1 : 0) != 0) {
        return NULL;
    }
    rel = m->path + root;
    if (strvec_contains(&d->files, rel)) {
        return NULL; /* installed under this name */
    }
    dir = path_dir_len(rel);
    prefix = xasprintf("%.*s%s%s.cpython-", (int)dir, rel, dir ? "/" : "", m->ext.module);
    for (size_t i = 0; i < d->files.nr && !hit; i++) {
        const char *f = d->files.v[i];
        if (!strncmp(f, prefix, strlen(prefix)) && path_has_suffix(f, ".so") &&
            sscanf(f + strlen(prefix), "%1d%d", major, minor) == 2) {
            hit = f;
        }
    }
    free(prefix);
    return hit;
}

/* What a module the runtime opens was built for, as far as its name and RECORD say. */
enum build {
    BUILD_OURS,    /* tagged for the runtime, or renamed from the runtime's own tag */
    BUILD_FOREIGN, /* renamed from another CPython's tag (RECORD) */
    BUILD_UNKNOWN, /* untagged, and nothing records another name */
};

/* Whether the C API symbols m calls are the loader's to judge here: a Python 3 module of the
 * runtime's machine that Python opens, not abi3 (abi3-too-new's), that exports the init
 * function the runtime calls (else module-init-missing speaks) and links no libpython
 * (libpython-linked's: that library, not the interpreter, may define them). */
static bool symbols_judged(const struct check_ctx *ctx, const struct member *m)
{
    const struct profile *p = ctx->profile;
    char *init;
    bool ok;

    if (p->py_major != 3 || imports_of(ctx->imports, m)->fate != IMPORT_OPENED || !m->elf ||
        !loader_loadable(p, m) || !m->elf->py_binds.nr ||
        (m->ext.kind != PYEXT_UNTAGGED && m->ext.kind != PYEXT_CPYTHON)) {
        return false;
    }
    for (size_t i = 0; i < m->elf->needed.nr; i++) {
        if (!strncmp(m->elf->needed.v[i], "libpython", 9)) {
            return false;
        }
    }
    init = xasprintf("PyInit_%s", m->ext.module);
    ok = strvec_contains(&m->elf->init_symbols, init);
    free(init);
    return ok;
}

/* The first symbol m binds that CPython major.minor does not export (what the failed import
 * names: elfinfo.h, py_binds), and how many it lacks in all; NULL when it lacks none. */
static const char *first_missing(const struct py_exports *t, const struct member *m, int major,
                                 int minor, size_t *count)
{
    const char *first = NULL;

    *count = 0;
    for (size_t i = 0; i < m->elf->py_binds.nr; i++) {
        if (!pyexports_has(t, m->elf->py_binds.v[i], major, minor)) {
            first = first ? first : m->elf->py_binds.v[i];
            (*count)++;
        }
    }
    return first;
}

/*
 * A module the runtime opens, judged by the C API symbols it calls against what the
 * runtime's CPython exports (rules/python_exports.json; doc/sources.md#c-api-exports): one
 * it lacks fails the import, whatever the name says; a build for another version (renamed
 * from its tag, as some layers' READMEs advise for psycopg2's _psycopg.so) or of no known
 * version (untagged) whose symbols all bind is not ABI-stable across minor versions.
 */
static void check_symbols(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    const struct profile *p = ctx->profile;
    const struct py_exports *t;
    enum build build = BUILD_OURS;
    int major = 0, minor = 0;
    const char *was = NULL, *sym = NULL;
    size_t missing = 0;
    char what[512], more[64] = "";
    bool known;

    if (!symbols_judged(ctx, m)) {
        return;
    }
    if (m->ext.kind == PYEXT_UNTAGGED) {
        was = renamed_from(m, &major, &minor);
        build = !was                                           ? BUILD_UNKNOWN
                : major == p->py_major && minor == p->py_minor ? BUILD_OURS
                                                               : BUILD_FOREIGN;
    }
    t = datadir_py_exports(ctx->data);
    known = pyexports_known(t, p->py_major, p->py_minor);
    if (known) {
        sym = first_missing(t, m, p->py_major, p->py_minor, &missing);
    }
    if (!sym && build == BUILD_OURS) {
        return;
    }
    if (build == BUILD_FOREIGN) {
        snprintf(what, sizeof(what),
                 "renamed from %s (its distribution's RECORD lists that name): built for "
                 "CPython %d.%d; %s opens it under its bare name",
                 path_base(was), major, minor, p->runtime);
    } else if (build == BUILD_UNKNOWN) {
        snprintf(what, sizeof(what),
                 "untagged: no tag or RECORD says which CPython it was built for; %s opens it",
                 p->runtime);
    } else {
        snprintf(what, sizeof(what), "named for CPython %s but built against other headers",
                 p->python_version);
    }
    if (sym) {
        struct tvar vars[] = {
            {"symbol", sym},
            {"lambda_error", "[ERROR] Runtime.ImportModuleError: Unable to import module "
                             "'{handler}': {abs}: undefined symbol: {symbol}"},
        };
        if (missing > 1) {
            snprintf(more, sizeof(more), ", nor %zu other symbol%s it calls", missing - 1,
                     missing > 2 ? "s" : "");
        }
        check_report(ctx, out,
                     &(struct check_found){.m = m,
                                           .sev = ctx->rule->severity,
                                           .expected = p->abi_tag,
                                           .found = was ? path_base(was) : sym,
                                           .vars = vars,
                                           .nvars = 2},
                     "%s, and the import fails: it calls %s, which CPython %s does not "
                     "export%s",
                     what, sym, p->python_version, more);
        return;
    }
    struct tvar vars[] = {{"lambda_error", NULL}};
    struct check_found found = {.m = m,
                                .sev = SEV_WARNING,
                                .expected = p->abi_tag,
                                .found = was ? path_base(was) : m->ext.suffix,
                                .vars = vars,
                                .nvars = 1};
    if (known) {
        check_report(ctx, out, &found,
                     "%s; CPython %s exports every C API symbol it calls, so it loads, but a "
                     "build that is not abi3 is not ABI-stable across minor versions: %s may "
                     "crash or misbehave",
                     what, p->python_version,
                     build == BUILD_FOREIGN ? "once loaded, it" : "if built for another, it");
    } else {
        check_report(ctx, out, &found,
                     "%s; what CPython %s exports is not in abiscan's data, so it may fail to "
                     "import on an undefined symbol, or load and then crash: a build that is "
                     "not abi3 is not ABI-stable across minor versions",
                     what, p->python_version);
    }
}

void check_python_tag_mismatch(const struct check_ctx *ctx, struct findings *out)
{
    const struct profile *p = ctx->profile;
    char *expected = strvec_join(&p->ext_suffixes, ", ");

    for (size_t i = 0; i < ctx->img->nr; i++) {
        const struct member *m = &ctx->img->members[i];
        const struct import_info *info = imports_of(ctx->imports, m);
        char why[256], words[256];
        /* One finding per cause: a module whose name and content agree on another machine is
         * arch-mismatch's (which names the tag too), one tagged and linked for musl is
         * musl-linked's; a layer directory this runtime ignores is layer-path-ignored's. */
        check_symbols(ctx, m, out);
        if ((info->fate != IMPORT_SKIPPED && info->fate != IMPORT_SHADOWED) ||
            loadable(p, &m->ext) || imports_content_is_cause(p, m)) {
            continue;
        }
        explain(&m->ext, p, why, sizeof(why));
        if (m->elf && m->elf->header_ok && m->elf->machine != p->elf_machine) {
            /* Both wrong: one finding, which says both (the fix, a build for this runtime,
             * mends both). */
            char machine[32];
            size_t len = strlen(why);
            snprintf(why + len, sizeof(why) - len, ", and its code is for %s",
                     elfnames_machine(m->elf->machine, machine, sizeof(machine)));
        }
        if (info->fate == IMPORT_SHADOWED) {
            struct tvar vars[] = {{"lambda_error", NULL}}; /* the other build imports */
            check_report(ctx, out,
                         &(struct check_found){.m = m,
                                               .sev = SEV_NOTE,
                                               .expected = expected,
                                               .found = m->ext.suffix,
                                               .vars = vars,
                                               .nvars = 1},
                         "%s; not imported: %s loads %s instead", why, p->runtime,
                         path_base(info->by->path));
        } else if (info->fallback == FALLBACK_HELPER) {
            continue; /* its modules' findings say it: they fall back, so nothing imports it */
        } else if (info->fallback) {
            struct tvar vars[] = {{"lambda_error", NULL}};
            check_report(ctx, out,
                         &(struct check_found){.m = m,
                                               .sev = SEV_WARNING,
                                               .expected = expected,
                                               .found = m->ext.suffix,
                                               .vars = vars,
                                               .nvars = 1},
                         "%s; %s imports only %s; %s (slower, but it works)", why, p->runtime,
                         expected, imports_fallback_words(info, words, sizeof(words)));
        } else {
            check_report(ctx, out,
                         &(struct check_found){.m = m,
                                               .sev = ctx->rule->severity,
                                               .expected = expected,
                                               .found = m->ext.suffix},
                         "%s; %s imports only %s", why, p->runtime, expected);
        }
    }
    free(expected);
}
