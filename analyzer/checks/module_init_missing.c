/* SPDX-License-Identifier: MIT */
/* ABI012 module-init-missing: an extension module without the init function import calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "loader.h"
#include "xalloc.h"

static bool exports(const struct elfinfo *e, const char *name)
{
    return strvec_contains(&e->init_symbols, name);
}

/* Python 2 imports "foomodule.so" as foo (initfoo) or as foomodule (initfoomodule);
 * Python 3 imports mod.<suffix> as mod and calls PyInit_mod (PEP 489). *want is the
 * name the runtime calls (caller frees). */
static bool has_init(const struct member *m, bool py2, char **want)
{
    const char *mod = m->ext.module;
    bool found;

    *want = xasprintf("%s%s", py2 ? "init" : "PyInit_", mod);
    if (exports(m->elf, *want)) {
        return true;
    }
    if (!py2 || !m->ext.module_suffix) {
        return false;
    }
    char *alt = xasprintf("init%.*s", (int)(strlen(mod) - 6), mod);
    found = exports(m->elf, alt);
    free(alt);
    return found;
}

static const char *other_init(const struct elfinfo *e, bool py2)
{
    for (size_t i = 0; i < e->init_symbols.nr; i++) {
        const char *s = e->init_symbols.v[i];
        if (py2 ? !strncmp(s, "PyInit_", 7) : strncmp(s, "PyInit_", 7) != 0) {
            return s; /* the other Python's init: a module for the other major version */
        }
    }
    return NULL;
}

void check_module_init_missing(const struct check_ctx *ctx, const struct member *m,
                               struct findings *out)
{
    const struct profile *p = ctx->profile;
    bool py2 = p->py_major == 2;
    char *want = NULL, *why;
    const char *other;

    /* Only modules this runtime would open: the others are python-tag-mismatch. */
    if (!loader_loadable(p, m) || m->elf->error ||
        !strvec_contains(&p->ext_suffixes, m->ext.suffix) || has_init(m, py2, &want)) {
        free(want);
        return;
    }
    other = other_init(m->elf, py2);
    if (other && !py2 && strncmp(other, "init", 4) == 0) {
        why = xasprintf("a Python 2 module (exports %s)", other);
    } else if (other && py2) {
        why = xasprintf("a Python 3 module (exports %s)", other);
    } else if (m->elf->init_symbols.nr) {
        why =
            xasprintf("exports %s instead: renamed after it was built?", m->elf->init_symbols.v[0]);
    } else {
        why = xstrdup("exports no init function at all: not a Python module?");
    }
    struct tvar vars[] = {
        {"init", want},
        {"lambda_error", py2 ? "[ERROR] Runtime.ImportModuleError: Unable to import module "
                               "'{handler}': dynamic module does not define init function "
                               "({init})"
                             : NULL},
    };
    check_report(ctx, out,
                 &(struct check_found){.m = m,
                                       .sev = ctx->rule->severity,
                                       .expected = want,
                                       .found = m->elf->init_symbols.nr ? m->elf->init_symbols.v[0]
                                                                        : "no init function",
                                       .vars = vars,
                                       .nvars = py2 ? 2 : 1},
                 "no %s: %s", want, why);
    free(why);
    free(want);
}
