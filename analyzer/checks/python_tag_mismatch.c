/* SPDX-License-Identifier: MIT */
/* ABI001 python-tag-mismatch: an extension module whose file name the runtime will not import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "elfnames.h"
#include "imports.h"
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

/* An untagged module (every CPython opens mod.so) that is a renamed build for another one:
 * Python opens it, and the import fails on the other version's C API. */
static void check_renamed(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    const struct profile *p = ctx->profile;
    int major = 0, minor = 0;
    const char *was;

    if (m->ext.kind != PYEXT_UNTAGGED || imports_of(ctx->imports, m)->fate != IMPORT_OPENED ||
        !(was = renamed_from(m, &major, &minor)) ||
        (major == p->py_major && minor == p->py_minor)) {
        return;
    }
    struct tvar vars[] = {{"lambda_error", NULL}};
    check_report(ctx, out,
                 &(struct check_found){.m = m,
                                       .sev = ctx->rule->severity,
                                       .expected = p->abi_tag,
                                       .found = path_base(was),
                                       .vars = vars,
                                       .nvars = 1},
                 "renamed from %s (its distribution's RECORD lists that name): built for "
                 "CPython %d.%d; %s opens it under its bare name, and the import fails on "
                 "CPython %d.%d's C API (an undefined symbol)",
                 path_base(was), major, minor, p->runtime, major, minor);
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
        check_renamed(ctx, m, out);
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
