/* SPDX-License-Identifier: MIT */
/* ABI001 python-tag-mismatch: an extension module whose file name the runtime will not import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "elfnames.h"
#include "strmap.h"
#include "xalloc.h"

/* The interpreter tries its suffixes in order (Python/dynload_shlib.c); a
 * name with none of them is never opened. The profile holds the list. */
static bool loadable(const struct profile *p, const struct pyext_name *x)
{
    return strvec_contains(&p->ext_suffixes, x->suffix);
}

static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) : 0;
}

static char *module_key(const struct member *m)
{
    return xasprintf("%zu:%.*s:%s", m->input, (int)dir_len(m->path), m->path, m->ext.module);
}

/* Every module build the runtime imports, by input, directory and module name. */
static void index_loadable(const struct check_ctx *ctx, struct strmap *out)
{
    for (size_t i = 0; i < ctx->img->nr; i++) {
        const struct member *m = &ctx->img->members[i];
        if (m->role == ROLE_EXTENSION && loadable(ctx->profile, &m->ext)) {
            char *key = module_key(m);
            strmap_put(out, key, strlen(key), (void *)m);
            free(key);
        }
    }
}

/* Another build of the same module in the same directory that the runtime does import. */
static const struct member *loadable_sibling(const struct strmap *loadables, const struct member *m)
{
    char *key = module_key(m);
    const struct member *o = strmap_get(loadables, key, strlen(key));

    free(key);
    return o;
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

/*
 * One finding per cause: a module whose name and content agree on another machine
 * (x.cpython-311-aarch64-linux-gnu.so that is an aarch64 ELF, for an x86_64 target) is
 * arch-mismatch's, which names the tag too; one whose tag only says musl, and which is
 * linked against musl, is musl-linked's. Only the version, the flags or a platform the
 * content contradicts are this rule's.
 */
static bool other_rule_says_it(const struct profile *p, const struct member *m)
{
    const struct pyext_name *x = &m->ext;
    char buf[32];
    const char *machine;
    size_t n;

    if (x->kind != PYEXT_CPYTHON || x->major != p->py_major || x->minor != p->py_minor ||
        !*x->platform || !m->elf || !m->elf->header_ok) {
        return false;
    }
    machine = elfnames_machine(m->elf->machine, buf, sizeof(buf));
    n = strlen(machine);
    if (strncmp(x->platform, machine, n) != 0 || x->platform[n] != '-') {
        return false; /* the name contradicts the content: the name is the cause */
    }
    if (m->elf->machine != p->elf_machine) {
        return true; /* arch-mismatch */
    }
    return strstr(x->platform, "-linux-musl") != NULL; /* musl-linked */
}

void check_pytag(const struct check_ctx *ctx, struct findings *out)
{
    const struct profile *p = ctx->profile;
    char *expected = strvec_join(&p->ext_suffixes, ", ");
    struct strmap loadables = {0};

    index_loadable(ctx, &loadables);
    for (size_t i = 0; i < ctx->img->nr; i++) {
        const struct member *m = &ctx->img->members[i];
        const struct member *sibling;
        char why[256];
        /* A layer directory this runtime ignores is layer-path-ignored's to report. */
        if (m->role != ROLE_EXTENSION || loadable(p, &m->ext) ||
            !image_on_sys_path(m, p->py_major, p->py_minor) || other_rule_says_it(p, m)) {
            continue;
        }
        explain(&m->ext, p, why, sizeof(why));
        sibling = loadable_sibling(&loadables, m);
        if (sibling) {
            check_report(ctx, out, m, SEV_NOTE, expected, m->ext.suffix, NULL, 0,
                         "%s; not imported: %s loads %s instead", why, p->runtime,
                         strrchr(sibling->path, '/') ? strrchr(sibling->path, '/') + 1
                                                     : sibling->path);
        } else {
            check_report(ctx, out, m, ctx->rule->severity, expected, m->ext.suffix, NULL, 0,
                         "%s; %s imports only %s", why, p->runtime, expected);
        }
    }
    strmap_release(&loadables);
    free(expected);
}
