/* SPDX-License-Identifier: MIT */
/* Unmet symbol-version needs, resolved the way ld.so picks the library that must define them. */
#include "symver.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "verutil.h"
#include "xalloc.h"

/* A need the system library does not meet: a number above the ceiling, or a name the
 * runtime does not have (GLIBC_PRIVATE is never allowed, doc/sources.md#toolchain-ceilings). */
static bool system_lacks(const struct symver_family *fam, const char *version)
{
    const char *num = verutil_number(version, fam->prefix);

    if (fam->accept && strvec_contains(fam->accept, version)) {
        return false;
    }
    if (!num) {
        return !strcmp(version, "GLIBC_PRIVATE");
    }
    return verutil_cmp(num, fam->ceiling) > 0;
}

/* The number after the family prefix, or NULL for names such as GLIBC_PRIVATE. */
static const char *number_of(const char *version)
{
    const char *u = strchr(version, '_');
    return u && isdigit((unsigned char)u[1]) ? u + 1 : NULL;
}

/* Highest first; names without a number (GLIBC_PRIVATE) above every number. */
static int cmp_need(const void *a, const void *b)
{
    const char *x = number_of(((const struct symver_need *)a)->version);
    const char *y = number_of(((const struct symver_need *)b)->version);

    if (!x || !y) {
        return !x && !y ? 0 : !x ? -1 : 1;
    }
    return -verutil_cmp(x, y);
}

size_t symver_unmet(const struct loader_model *lm, const struct member *obj,
                    const struct symver_family *fam, struct symver_need *out, size_t max)
{
    const struct elfinfo *e = obj->elf;
    size_t n = 0, plen = strlen(fam->prefix);

    for (size_t i = 0; i < e->verneed_nr && n < max; i++) {
        const struct elf_verneed *v = &e->verneed[i];
        struct resolution r;
        bool unmet;
        if (v->weak || strncmp(v->version, fam->prefix, plen) != 0) {
            continue;
        }
        loader_model_resolve(lm, obj, v->file, &r);
        if (r.kind == RESOLVED_MISSING) {
            continue; /* needed-not-found says so */
        }
        if (r.kind == RESOLVED_BUNDLE) {
            /* A bundled (say renamed) copy meets the need only if it defines the version. */
            unmet = !r.m->elf || !strvec_contains(&r.m->elf->verdef, v->version);
        } else if (r.m && r.m->elf && r.m->elf->verdef.nr) {
            /* A container image's own library: exactly what it defines (GLIBC_PRIVATE is
             * never a promise, whoever defines it). */
            unmet = !strvec_contains(&r.m->elf->verdef, v->version) ||
                    !strcmp(v->version, "GLIBC_PRIVATE");
        } else {
            unmet = system_lacks(fam, v->version);
        }
        if (unmet) {
            out[n++] =
                (struct symver_need){v->file, v->version, r.kind == RESOLVED_BUNDLE ? r.m : NULL,
                                     r.kind == RESOLVED_SYSTEM ? r.m : NULL};
        }
    }
    if (n > 1) {
        qsort(out, n, sizeof(*out), cmp_need);
    }
    return n;
}

char *symver_symbols(const struct member *obj, const char *version, size_t max)
{
    struct strvec names = STRVEC_INIT;
    size_t total = 0;
    char *out;

    for (size_t i = 0; i < obj->elf->imports_nr; i++) {
        const struct elf_import *imp = &obj->elf->imports[i];
        if (strcmp(imp->version, version) != 0) {
            continue;
        }
        if (total++ < max) {
            strvec_push_nodup(&names, xasprintf("%s@%s", imp->name, version));
        }
    }
    if (total > max) {
        strvec_push_nodup(&names, xasprintf("and %zu more", total - max));
    }
    out = strvec_join(&names, ", ");
    strvec_release(&names);
    return out;
}

char *symver_highest(const struct member *lib, const char *prefix)
{
    const char *best = NULL;

    for (size_t i = 0; lib && lib->elf && i < lib->elf->verdef.nr; i++) {
        const char *num = verutil_number(lib->elf->verdef.v[i], prefix);
        if (num && (!best || verutil_cmp(num, best) > 0)) {
            best = num;
        }
    }
    return best ? xstrdup(best) : NULL;
}
