/* SPDX-License-Identifier: MIT */
/* The check registry (checks.def) and the run of every check over an image (the findings
 * themselves are built in check_report.c). */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "imports.h"
#include "loader.h"
#include "pymodules.h"
#include "workers.h"
#include "xalloc.h"

/* Below this many members one thread checks them all: starting threads costs more. */
#define PARALLEL_MEMBERS 256

struct check {
    const char *rule_id;
    enum check_scope scope;
    unsigned flags;
    check_image_fn *image;   /* SCOPE_IMAGE */
    check_member_fn *member; /* every other scope */
};

#define CHECK_SLOT_SCOPE_IMAGE(fn) .image = fn
#define CHECK_SLOT_SCOPE_MEMBER(fn) .member = fn
#define CHECK_SLOT_SCOPE_ELF(fn) .member = fn
#define CHECK_SLOT_SCOPE_LOADABLE(fn) .member = fn
#define CHECK_SLOT_SCOPE_EXTENSION(fn) .member = fn
static const struct check checks[] = {
#define CHECK(id, name, scope, flags) {#id, scope, flags, CHECK_SLOT_##scope(check_##name)},
#include "checks.def"
#undef CHECK
};

int checks_verify(const struct ruleset *rs, struct diag *d)
{
    for (size_t i = 0; i < ARRAY_SIZE(checks); i++) {
        if (!rules_find(rs, checks[i].rule_id)) {
            return diag_set(d, DIAG_DATA, "catalog.json: no row for the registered check %s",
                            checks[i].rule_id);
        }
    }
    for (size_t i = 0; i < rs->nr; i++) {
        bool found = false;
        for (size_t j = 0; j < ARRAY_SIZE(checks); j++) {
            found |= !strcmp(checks[j].rule_id, rs->v[i].id);
        }
        if (!found) {
            return diag_set(d, DIAG_DATA, "catalog.json: rule %s (%s) has no check", rs->v[i].id,
                            rs->v[i].slug);
        }
    }
    return 0;
}

/* Whether a member-scoped check is called on m. */
static bool in_scope(const struct check_ctx *ctx, enum check_scope scope, const struct member *m)
{
    if (m->overwritten_by) {
        return false; /* a later layer's file replaced it in /opt: it is not there */
    }
    if (imports_unloaded(ctx->imports, m) ||
        (m->role == ROLE_ADDON && !profile_node(ctx->profile))) {
        return false; /* an addon Node.js never loads, another platform's package (addons.h);
                       * an addon on a runtime that has no Node.js */
    }
    switch (scope) {
    case SCOPE_MEMBER:
        return true;
    case SCOPE_ELF:
        return m->elf != NULL;
    case SCOPE_LOADABLE:
        return check_would_load(ctx, m);
    case SCOPE_EXTENSION:
        return imports_of(ctx->imports, m)->fate == IMPORT_OPENED;
    case SCOPE_IMAGE:
        break;
    }
    return false;
}

/* A run of consecutive member checks of the registry, [first, first + n), over every member:
 * each (check, member) pair into its own findings, so that the members can be shared out
 * among threads and the findings still come out in the registry's order, then the members'. */
struct member_pass {
    const struct check_ctx *ctx; /* per check of the run */
    size_t first, n;
    const struct image *img;
    struct findings *found; /* n x img->nr, check by check */
};

static void member_pass_one(void *vp, size_t j, unsigned worker)
{
    const struct member_pass *mp = vp;
    const struct member *m = &mp->img->members[j];

    for (size_t k = 0; k < mp->n; k++) {
        const struct check *c = &checks[mp->first + k];
        if (mp->ctx[k].rule && in_scope(&mp->ctx[k], c->scope, m)) {
            c->member(&mp->ctx[k], m, &mp->found[k * mp->img->nr + j]);
        }
    }
}

/* Per view of the image: its module resolver and its handler's chain, made when first
 * asked for (image checks only, on the run's own thread). */
struct check_chains {
    struct pymodules **pm;
    struct pychain *chain;
    bool *built;
    size_t nr;
};

struct pymodules *check_modules(const struct check_ctx *ctx, size_t view)
{
    struct check_chains *cc = ctx->chains;

    if (!cc->pm[view]) {
        cc->pm[view] = pymodules_new(ctx->img, view, ctx->profile, datadir_stdlib(ctx->data));
    }
    return cc->pm[view];
}

const struct pychain *check_chain(const struct check_ctx *ctx, size_t view)
{
    struct check_chains *cc = ctx->chains;

    if (!cc->built[view]) {
        pychain_build(&cc->chain[view], check_modules(ctx, view), ctx->img->inputs[view].declared);
        cc->built[view] = true;
    }
    return &cc->chain[view];
}

static void chains_release(struct check_chains *cc)
{
    for (size_t v = 0; v < cc->nr; v++) {
        if (cc->built[v]) {
            pychain_release(&cc->chain[v]);
        }
        pymodules_free(cc->pm[v]);
    }
    free(cc->pm);
    free(cc->chain);
    free(cc->built);
}

static void take_findings(struct findings *to, struct findings *from)
{
    if (from->nr) {
        ALLOC_GROW(to->items, to->nr + from->nr, to->alloc);
        memcpy(to->items + to->nr, from->items, from->nr * sizeof(*from->items));
        to->nr += from->nr;
    }
    free(from->items);
}

void checks_run(const struct image *img, const struct profile *profile, const struct datadir *data,
                struct size_plans *sizes, unsigned jobs, bool jobs_given, struct findings *out)
{
    struct check_ctx ctx[ARRAY_SIZE(checks)];
    struct check_chains chains = {xcalloc(img->inputs_nr + 1, sizeof(*chains.pm)),
                                  xcalloc(img->inputs_nr + 1, sizeof(*chains.chain)),
                                  xcalloc(img->inputs_nr + 1, sizeof(*chains.built)),
                                  img->inputs_nr};
    struct imports *imports;
    struct loader_model *load;

    /* The OS list of this runtime, loaded on first use: only the loader's rules read it,
     * and only for ELF objects (a bundle of pure Python needs none). */
    for (size_t i = 0; i < img->nr; i++) {
        if (img->members[i].elf) {
            datadir_os(data, profile);
            break;
        }
    }
    size_t from = out->nr;

    imports = imports_new(img, profile);
    load = loader_model_new(img, profile, imports);

    for (size_t i = 0; i < ARRAY_SIZE(checks); i++) {
        const struct check *c = &checks[i];
        ctx[i] = (struct check_ctx){.img = img,
                                    .profile = profile,
                                    .load = load,
                                    .rule = rules_find(&data->rules, c->rule_id),
                                    .data = data,
                                    .imports = imports,
                                    .sizes = sizes,
                                    .chains = &chains,
                                    .per_member = c->scope != SCOPE_IMAGE,
                                    .flags = c->flags};
        if ((c->flags & PYTHON_ONLY) && !profile_python(profile)) {
            ctx[i].rule = NULL; /* an OS-only runtime runs no Python: nothing imports anything */
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(checks);) {
        struct member_pass mp = {.ctx = &ctx[i], .first = i, .img = img};
        if (checks[i].scope == SCOPE_IMAGE) {
            if (ctx[i].rule) {
                checks[i].image(&ctx[i], out);
            }
            i++;
            continue;
        }
        while (mp.first + mp.n < ARRAY_SIZE(checks) &&
               checks[mp.first + mp.n].scope != SCOPE_IMAGE) {
            mp.n++;
        }
        /* The image checks after the run read what it found (wheel-tag-mismatch): each run is
         * done before the next image check. */
        mp.found = xcalloc(mp.n * img->nr + 1, sizeof(*mp.found));
        workers_run(img->nr >= PARALLEL_MEMBERS || jobs_given ? jobs : 1, img->nr, member_pass_one,
                    &mp);
        for (size_t k = 0; k < mp.n * img->nr; k++) {
            take_findings(out, &mp.found[k]);
        }
        free(mp.found);
        i += mp.n;
    }
    /* A file Python never opens gets one finding, the reason; what it would also need is
     * folded into it. One with no reason beside it says so itself. */
    findings_fold_unopened(out, from);
    for (size_t i = from; i < out->nr; i++) {
        struct finding *f = &out->items[i];
        if (f->unopened) {
            char *longer = xasprintf("%s (%s never opens this file under its name; renamed or "
                                     "rebuilt as it is, it would fail so)",
                                     f->message, profile->runtime);
            free(f->message);
            f->message = longer;
        }
    }
    chains_release(&chains);
    loader_model_free(load);
    imports_free(imports);
}

/* In a directory that auditwheel or delocate vendors a wheel's libraries into: a path
 * component ending in .libs (pkg.libs/, numpy/.libs/). */
static bool vendored(const struct member *m)
{
    return strstr(m->path, ".libs/") != NULL;
}

bool check_would_load(const struct check_ctx *ctx, const struct member *m)
{
    const struct profile *p = ctx->profile;

    if (!loader_loadable(p, m)) {
        return false;
    }
    if (m->role == ROLE_ADDON) {
        return imports_of(ctx->imports, m)->fate == IMPORT_OPENED;
    }
    if (m->role != ROLE_EXTENSION) {
        /* What only modules Python never opens would load is not loaded; nor is a library
         * vendored for modules (auditwheel's pkg.libs/, numpy/.libs/) that none of them
         * loads: a leftover, not a dlopen() plugin. */
        return !loader_model_dead(ctx->load, m) &&
               (loader_model_reached(ctx->load, m) || !vendored(m));
    }
    /* Every module file below a sys.path entry is held to the loader's rules, one Python
     * never opens under its name too (renamed or rebuilt as it is, it would fail so: the
     * finding says that, without a 'Lambda says'); a layer directory the runtime never reads
     * takes it out of the picture. */
    return imports_of(ctx->imports, m)->fate != IMPORT_NOT_MODULE;
}

const char *check_skipped_error(const struct check_ctx *ctx, const struct member *m)
{
    const struct rule *pytag =
        rules_find(&ctx->data->rules, checks[CHECK_IDX_python_tag_mismatch].rule_id);

    if (imports_of(ctx->imports, m)->fate != IMPORT_SKIPPED) {
        return NULL;
    }
    return pytag ? pytag->lambda_error : NULL;
}
