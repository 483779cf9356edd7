/* SPDX-License-Identifier: MIT */
/* Modules by name in one function's filesystem, and the handler's import chain (pymodules.h). */
#include "pymodules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "strmap.h"
#include "xalloc.h"

#define MAX_CHAIN_NODES 100000

struct pymodules {
    const struct image *img;
    size_t view;
    const struct profile *p;
    const struct stdlib *sl;
    struct strvec path; /* the bundle's sys.path entries, in order */
    struct strmap memo; /* dotted name -> struct pymod * */
};

struct pymodules *pymodules_new(const struct image *img, size_t view, const struct profile *p,
                                const struct stdlib *sl)
{
    struct pymodules *pm = xcalloc(1, sizeof(*pm));

    pm->img = img;
    pm->view = view;
    pm->p = p;
    pm->sl = sl;
    /* doc/sources.md#syspath-per-runtime: /var/task, then the layers' two directories */
    strvec_push(&pm->path, "/var/task");
    strvec_push_nodup(&pm->path, xasprintf("/opt/python/lib/python%d.%d/site-packages", p->py_major,
                                           p->py_minor));
    strvec_push(&pm->path, "/opt/python");
    return pm;
}

void pymodules_free(struct pymodules *pm)
{
    if (!pm) {
        return;
    }
    for (size_t i = 0; i < pm->memo.cap; i++) {
        struct pymod *m = pm->memo.slots[i].key ? pm->memo.slots[i].value : NULL;
        if (m) {
            strvec_release(&m->dirs);
            free(m->error);
            free(m);
        }
    }
    strmap_release(&pm->memo);
    strvec_release(&pm->path);
    free(pm);
}

static const struct member *lookup(const struct pymodules *pm, const char *dir, const char *name,
                                   const char *suffix)
{
    char *abs = xasprintf("%s/%s%s", dir, name, suffix);
    const struct member *m = image_lookup(pm->img, pm->view, abs);

    free(abs);
    return m;
}

/* Sourceless bytecode imports only with the runtime's own magic. */
static bool pyc_ok(const struct pymodules *pm, const struct member *m)
{
    return m && m->head_len >= 2 && (m->head[0] | m->head[1] << 8) == pm->p->pyc_magic;
}

/* name in the directories dirs, importlib's way: into out (where stays MISSING if not). */
static void find_in(const struct pymodules *pm, const struct strvec *dirs, const char *name,
                    struct pymod *out)
{
    struct strvec portions = STRVEC_INIT;

    for (size_t i = 0; i < dirs->nr && out->where == PYMOD_MISSING; i++) {
        const char *d = dirs->v[i];
        const struct member *m;
        char *sub;
        if ((m = lookup(pm, d, name, "/__init__.py")) != NULL ||
            ((m = lookup(pm, d, name, "/__init__.pyc")) != NULL && pyc_ok(pm, m))) {
            out->where = PYMOD_BUNDLE;
            out->m = m;
            out->package = true;
            strvec_push_nodup(&out->dirs, xasprintf("%s/%s", d, name));
            break;
        }
        for (size_t k = 0; k < pm->p->ext_suffixes.nr && !out->m; k++) {
            out->m = lookup(pm, d, name, pm->p->ext_suffixes.v[k]);
        }
        if (!out->m) {
            out->m = lookup(pm, d, name, ".py");
        }
        if (!out->m && (m = lookup(pm, d, name, ".pyc")) != NULL) {
            if (!pyc_ok(pm, m)) {
                /* the sourceless loader takes it, and refuses it: Python's words */
                char magic[32] = "";
                for (size_t k = 0; k < m->head_len && k < 4; k++) {
                    unsigned c = m->head[k];
                    snprintf(magic + strlen(magic), sizeof(magic) - strlen(magic),
                             c == '\r'                                         ? "\\r"
                             : c == '\n'                                       ? "\\n"
                             : c >= 0x20 && c < 0x7f && c != '\\' && c != '\'' ? "%c"
                                                                               : "\\x%02x",
                             c);
                }
                out->error = xasprintf("bad magic number in '%s': b'%s'", name, magic);
                break;
            }
            out->m = m;
        }
        if (out->m) {
            out->where = PYMOD_BUNDLE;
            break;
        }
        sub = xasprintf("%s/%s", d, name);
        if (pm->p->py_major >= 3 && image_has_below(pm->img, pm->view, sub)) {
            strvec_push_nodup(&portions, sub);
        } else {
            free(sub);
        }
    }
    if (out->where == PYMOD_MISSING && portions.nr) {
        out->where = PYMOD_NAMESPACE;
        out->package = true;
        for (size_t i = 0; i < portions.nr; i++) {
            strvec_push(&out->dirs, portions.v[i]);
        }
    }
    strvec_release(&portions);
}

const struct pymod *pymodules_find(struct pymodules *pm, const char *dotted)
{
    struct pymod *got = strmap_get(&pm->memo, dotted, strlen(dotted));
    const char *dot = strrchr(dotted, '.');

    if (got) {
        return got;
    }
    got = xcalloc(1, sizeof(*got));
    if (strlen(dotted) > 255) {
        /* facts/pysource.h keeps no longer name: one built here from a relative import */
        got->error = xasprintf("No module named '%.64s...'", dotted);
    } else if (!dot) {
        find_in(pm, &pm->path, dotted, got);
        /* The bundle's copy first; else the runtime's own (doc/sources.md#syspath-per-runtime). */
        if (got->where == PYMOD_MISSING || got->where == PYMOD_NAMESPACE) {
            if (stdlib_has(pm->sl, pm->p->py_major, pm->p->py_minor, dotted)) {
                strvec_release(&got->dirs);
                *got = (struct pymod){.where = PYMOD_STDLIB};
            } else if (stdlib_provided(pm->sl, dotted)) {
                strvec_release(&got->dirs);
                *got = (struct pymod){.where = PYMOD_PROVIDED};
            }
        }
    } else {
        char *parent_name = xstrndup(dotted, (size_t)(dot - dotted));
        const struct pymod *parent = pymodules_find(pm, parent_name);
        if (parent->where == PYMOD_MISSING) {
            got->error = xstrdup(parent->error);
        } else if (parent->where == PYMOD_STDLIB || parent->where == PYMOD_PROVIDED ||
                   parent->where == PYMOD_HOOKED) {
            got->where = parent->where; /* the runtime's submodules are not listed: taken */
        } else if (parent->where == PYMOD_BUNDLE && parent->m->py && parent->m->py->hooks) {
            find_in(pm, &parent->dirs, dot + 1, got); /* a file first, else the hook's */
            got->where = got->where == PYMOD_MISSING ? PYMOD_HOOKED : got->where;
        } else if (!parent->package) {
            got->error =
                xasprintf("No module named '%s'; '%s' is not a package", dotted, parent_name);
        } else {
            find_in(pm, &parent->dirs, dot + 1, got);
        }
        free(parent_name);
    }
    if (got->where == PYMOD_MISSING && !got->error) {
        got->error = xasprintf("No module named '%s'", dotted);
    }
    strmap_put(&pm->memo, dotted, strlen(dotted), got);
    return got;
}

char *pymodules_name_of(const struct member *m)
{
    const char *rel = m->path + m->site_off;
    size_t n;
    char *name;

    if (!m->on_site || !path_has_suffix(rel, ".py")) {
        return NULL;
    }
    n = strlen(rel) - 3;
    if (!strcmp(path_base(rel), "__init__.py")) {
        n = path_dir_len(rel);
    }
    if (!n) {
        return NULL;
    }
    name = xstrndup(rel, n);
    for (char *c = name; *c; c++) {
        *c = *c == '/' ? '.' : *c;
    }
    return name;
}

/* --- the handler's chain ------------------------------------------------------------ */

struct node {
    const struct member *m;
    char *module;
    size_t parent; /* index + 1 of the node whose import reached it; 0 for the handler's */
};

struct walk {
    struct pymodules *pm;
    struct pychain *out;
    struct node *v;
    size_t nr, alloc;
    struct strmap seen; /* module name -> 1 */
};

static void chain_of(const struct walk *w, size_t node, struct strvec *out)
{
    struct strvec rev = STRVEC_INIT;

    for (size_t i = node + 1; i; i = w->v[i - 1].parent) {
        strvec_push(&rev, w->v[i - 1].module);
    }
    for (size_t i = rev.nr; i-- > 0;) {
        strvec_push(out, rev.v[i]);
    }
    strvec_release(&rev);
}

static void miss(struct walk *w, size_t node, unsigned line, const char *module, const char *error)
{
    struct pychain *c = w->out;
    struct pychain_miss *x;
    char *top = xstrndup(module, strcspn(module, "."));

    for (size_t i = 0; i < c->miss_nr; i++) {
        if (c->miss[i].from == w->v[node].m && !strcmp(c->miss[i].module, module)) {
            free(top);
            return; /* said once per file */
        }
    }
    ALLOC_GROW(c->miss, c->miss_nr + 1, c->miss_alloc);
    x = &c->miss[c->miss_nr++];
    memset(x, 0, sizeof(*x));
    x->from = w->v[node].m;
    x->line = line;
    x->module = xstrdup(module);
    x->error = xstrdup(error);
    chain_of(w, node, &x->chain);
    strvec_push(&x->chain, module);
    x->removed = strchr(module, '.')
                     ? NULL
                     : stdlib_removed_in(w->pm->sl, w->pm->p->py_major, w->pm->p->py_minor, top);
    if (!x->removed && strchr(module, '.')) {
        const struct pymod *t = pymodules_find(w->pm, top);
        x->removed = t->where == PYMOD_MISSING
                         ? stdlib_removed_in(w->pm->sl, w->pm->p->py_major, w->pm->p->py_minor, top)
                         : NULL;
    }
    free(top);
}

/* Add the module's file to the walk when it is a source of the bundle not seen yet. */
static void visit(struct walk *w, const char *module, const struct pymod *pmod, size_t parent)
{
    if (pmod->where != PYMOD_BUNDLE || !pmod->m->py || w->nr >= MAX_CHAIN_NODES ||
        strmap_has(&w->seen, module, strlen(module))) {
        return;
    }
    strmap_put(&w->seen, module, strlen(module), (void *)1);
    ALLOC_GROW(w->v, w->nr + 1, w->alloc);
    w->v[w->nr++] = (struct node){pmod->m, xstrdup(module), parent};
    if (pmod->m >= w->pm->img->members && pmod->m < w->pm->img->members + w->pm->img->nr) {
        w->out->on_chain[pmod->m - w->pm->img->members] = true;
    }
}

/* Import module and each package above it, as Python does: each that is the bundle's runs.
 * Returns the module's resolution, or the first that is missing (*missing_name set). */
static const struct pymod *import_all(struct walk *w, const char *module, size_t parent,
                                      char **missing_name)
{
    const struct pymod *got = NULL;

    *missing_name = NULL;
    for (const char *p = module;; p++) {
        if (*p == '.' || !*p) {
            char *prefix = xstrndup(module, (size_t)(p - module));
            got = pymodules_find(w->pm, prefix);
            if (got->where == PYMOD_MISSING) {
                *missing_name = prefix;
                return got;
            }
            visit(w, prefix, got, parent);
            free(prefix);
            if (got->where == PYMOD_STDLIB || got->where == PYMOD_PROVIDED ||
                got->where == PYMOD_HOOKED || !*p) {
                return got;
            }
        }
    }
}

/* The absolute name of a relative import in module (a package's when pkg), or NULL with
 * Python's words in *error. */
static char *absolute(const char *module, bool pkg, const char *rel, char **error)
{
    size_t level = strspn(rel, "."), n = strlen(module);
    const char *rest = rel + level;

    if (!pkg) {
        const char *dot = strrchr(module, '.');
        if (!dot) {
            *error = xstrdup("attempted relative import with no known parent package");
            return NULL;
        }
        n = (size_t)(dot - module);
    }
    for (size_t k = 1; k < level; k++) {
        while (n && module[n - 1] != '.') {
            n--;
        }
        if (!n) {
            *error = xstrdup("attempted relative import beyond top-level package");
            return NULL;
        }
        n--;
    }
    return *rest ? xasprintf("%.*s.%s", (int)n, module, rest) : xstrndup(module, n);
}

/* Python 2's implicit relative import: in a package, "import x" is the package's x when it
 * has one, unless the module asks for absolute imports (from __future__). Fresh, or NULL. */
static char *implicit_relative(struct walk *w, size_t k, bool pkg, const char *target)
{
    const struct member *m = w->v[k].m;
    const char *module = w->v[k].module, *dot = strrchr(module, '.');
    size_t n = pkg ? strlen(module) : dot ? (size_t)(dot - module) : 0;
    char *first, *candidate;

    if (w->pm->p->py_major != 2 || !n) {
        return NULL;
    }
    for (size_t i = 0; i < m->py->nr; i++) {
        if (!strcmp(m->py->v[i].module, "__future__") && m->py->v[i].name &&
            !strcmp(m->py->v[i].name, "absolute_import")) {
            return NULL;
        }
    }
    first = xasprintf("%.*s.%.*s", (int)n, module, (int)strcspn(target, "."), target);
    candidate = pymodules_find(w->pm, first)->where == PYMOD_BUNDLE
                    ? xasprintf("%.*s.%s", (int)n, module, target)
                    : NULL;
    free(first);
    return candidate;
}

static void walk_node(struct walk *w, size_t k)
{
    const struct member *m = w->v[k].m;
    bool pkg = !strcmp(path_base(m->path), "__init__.py");

    for (size_t i = 0; i < m->py->nr; i++) {
        const struct pyimport *imp = &m->py->v[i];
        char *target, *error = NULL, *missing = NULL;
        const struct pymod *got;
        if (imp->guarded || !imp->runs ||
            !pycond_holds(&imp->cond, w->pm->p->py_major, w->pm->p->py_minor)) {
            continue; /* its failure is caught (the handler imports all the same), or it
                       * does not run on import, or not on the target's version */
        }
        target = imp->module[0] == '.' ? absolute(w->v[k].module, pkg, imp->module, &error)
                                       : implicit_relative(w, k, pkg, imp->module);
        if (!target && !error) {
            target = xstrdup(imp->module);
        }
        if (!target) {
            miss(w, k, imp->line, imp->module, error);
            free(error);
            continue;
        }
        got = import_all(w, target, k + 1, &missing);
        if (missing) {
            miss(w, k, imp->line, missing, got->error);
            free(missing);
        } else if (imp->name && strcmp(imp->name, "*") != 0 && got->package &&
                   (got->where == PYMOD_BUNDLE || got->where == PYMOD_NAMESPACE)) {
            /* from pkg import name: a submodule when the package has one, else an
             * attribute (of a namespace package, only a submodule can be) */
            char *sub = xasprintf("%s.%s", target, imp->name);
            const struct pymod *s = pymodules_find(w->pm, sub);
            if (s->where != PYMOD_MISSING) {
                visit(w, sub, s, k + 1);
            } else if (got->where == PYMOD_NAMESPACE) {
                char *words = xasprintf("cannot import name '%s' from '%s' (unknown location)",
                                        imp->name, target);
                miss(w, k, imp->line, sub, words);
                free(words);
            }
            free(sub);
        }
        free(target);
    }
}

void pychain_build(struct pychain *out, struct pymodules *pm, const char *handler)
{
    struct walk w = {.pm = pm, .out = out};
    const char *dot = strrchr(handler, '.');
    char *missing = NULL;

    memset(out, 0, sizeof(*out));
    out->on_chain = xcalloc(pm->img->nr + 1, sizeof(*out->on_chain));
    if (!dot || dot == handler) {
        return;
    }
    out->module = xstrndup(handler, (size_t)(dot - handler));
    for (char *c = out->module; *c; c++) {
        *c = *c == '/' ? '.' : *c; /* awslambdaric: modname.replace("/", ".") */
    }
    out->handler = import_all(&w, out->module, 0, &missing);
    if (!missing) {
        for (size_t k = 0; k < w.nr; k++) {
            walk_node(&w, k);
        }
    }
    free(missing);
    for (size_t i = 0; i < w.nr; i++) {
        free(w.v[i].module);
    }
    free(w.v);
    strmap_release(&w.seen);
}

void pychain_release(struct pychain *c)
{
    for (size_t i = 0; i < c->miss_nr; i++) {
        free(c->miss[i].module);
        free(c->miss[i].error);
        strvec_release(&c->miss[i].chain);
    }
    free(c->miss);
    free(c->on_chain);
    free(c->module);
    memset(c, 0, sizeof(*c));
}
