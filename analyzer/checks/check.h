/* SPDX-License-Identifier: MIT */
/*
 * What a check is, for the check_*.c files of this folder: a function that reads the
 * image and the target profile and appends findings, called by the registry
 * (checks.def) on the whole image or on each member its scope selects. Checks never
 * parse, and never see the input layer.
 *
 * Ownership: the context is borrowed for the duration of a run; findings
 * appended belong to the caller's struct findings.
 */
#ifndef ANALYZER_CHECK_H
#define ANALYZER_CHECK_H

#include <stddef.h>

#include "checks.h"
#include "datadir.h"
#include "finding.h"
#include "image.h"
#include "profile.h"
#include "rules.h"

struct loader_model;
struct imports;

struct check_ctx {
    const struct image *img;
    const struct profile *profile;
    const struct loader_model *load; /* the loads from every module and executable */
    const struct rule *rule;         /* the catalogue row of the running check */
    const struct datadir *data;      /* every profile, the OS lists, the Stable ABI table */
    const struct imports *imports;   /* which file of each module Python opens (imports.h) */
    struct size_plans *sizes;        /* the views' size plans, shared with the report, or NULL */
    struct check_chains *chains;     /* the views' module resolvers and handler chains */
    bool per_member;                 /* the check runs per member: what it finds about an
                                      * extension module fails its import */
    unsigned flags;                  /* the registry row's (enum check_flag) */
};

/* What the registry calls a check on (checks.def says which, per rule). */
enum check_scope {
    SCOPE_IMAGE,     /* once, for the whole image */
    SCOPE_MEMBER,    /* every member */
    SCOPE_ELF,       /* every member with ELF facts */
    SCOPE_LOADABLE,  /* every ELF object the target's loader would map */
    SCOPE_EXTENSION, /* every extension module below a sys.path entry of the runtime */
};

/* What a rule's registry row says of it beyond its scope (checks.def). */
enum check_flag {
    SKIP_CAUSE = 1 << 0,  /* names the cause of a skipped module whose content is why */
    PYTHON_ONLY = 1 << 1, /* about Python: not run on an OS-only runtime (provided.*) */
};

/* Each check's place in the registry: CHECK_IDX_<name>. */
enum check_idx {
#define CHECK(id, name, scope, flags) CHECK_IDX_##name,
#include "checks.def"
#undef CHECK
    CHECK_IDX_NR
};

typedef void check_image_fn(const struct check_ctx *ctx, struct findings *out);
typedef void check_member_fn(const struct check_ctx *ctx, const struct member *m,
                             struct findings *out);

/* The declarations, from the registry. */
#define CHECK_FN_SCOPE_IMAGE check_image_fn
#define CHECK_FN_SCOPE_MEMBER check_member_fn
#define CHECK_FN_SCOPE_ELF check_member_fn
#define CHECK_FN_SCOPE_LOADABLE check_member_fn
#define CHECK_FN_SCOPE_EXTENSION check_member_fn
#define CHECK(id, name, scope, flags) CHECK_FN_##scope check_##name;
#include "checks.def"
#undef CHECK

/** A template variable for the catalogue's lambda_error and fix texts. */
struct tvar {
    const char *name;
    const char *value;
};

/** What a check found about one member: check_report()'s facts, by name. */
struct check_found {
    const struct member *m;
    enum severity sev;
    const char *expected;    /* what the target needs or allows, or NULL */
    const char *found;       /* what the member is or needs, or NULL */
    const struct tvar *vars; /* the check's own template variables */
    size_t nvars;
};

/**
 * Record a finding of ctx->rule about what->m: its severity, expected and found, a
 * message from fmt, and lambda_error and the fix rendered from the catalogue templates
 * (the command by check_render_command). An error a per-member check finds in an extension
 * module whose failure the package catches (imports_caught) is a warning that says so, with
 * no lambda_error: the function runs, in pure Python. The standard variables ({path},
 * {abs}, {module}, {handler}, {runtime}, {arch}, {pyver}, {pip_platform}, {pip_install},
 * {requirement}, {dist}, {version}, {expected}, {found}) plus what->vars. A var named
 * "lambda_error" replaces the catalogue's template for this finding; vars "fix_command"
 * and "fix_note" (templates, the command's values written as {vars} so that they are
 * quoted) replace its whole fix when either is not NULL. A fix whose command uses
 * {pip_install} gets the words pip's command cannot say (advice_pip) in its note. Called with a
 * compound literal: check_report(ctx, out, &(struct check_found){.m = m, .sev = ...}, ...).
 */
struct finding *check_report(const struct check_ctx *ctx, struct findings *out,
                             const struct check_found *what, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/**
 * Whether the loader and toolchain rules speak of m: an ELF object of the target's
 * machine, class and byte order that something loads or may load: a module Python opens,
 * an executable, a library a load maps or nothing is known to (dlopen), not one that only
 * modules Python never opens would map, and not in a layer directory the runtime never
 * reads. The others are python-tag-mismatch's, arch-mismatch's and layer-path-ignored's.
 */
bool check_would_load(const struct check_ctx *ctx, const struct member *m);

/** The module resolver of view (pymodules.h), made by the first image check that asks: the
 * import rules share it, and what it has found. Borrowed from the run. */
struct pymodules *check_modules(const struct check_ctx *ctx, size_t view);

/** The chain of view's declared handler (pychain_build), built by the first check that asks
 * (handler-not-found, module-not-found, stdlib-module-removed read the same one). Borrowed. */
const struct pychain *check_chain(const struct check_ctx *ctx, size_t view);

/** For a module file Python never opens (its name), what the import says: python-tag-mismatch's
 * lambda_error ("No module named ..."), not the loader's words; NULL for anything else. */
const char *check_skipped_error(const struct check_ctx *ctx, const struct member *m);

/**
 * The bootstrap an OS-only runtime (provided.*) execs for the function whose view is view:
 * its /var/task/bootstrap, else the /opt/bootstrap of its layers (the last layer's); NULL
 * when there is none, and on a Python runtime (bootstrap.c).
 */
const struct member *check_bootstrap(const struct check_ctx *ctx, size_t view);

/** Whether m is the bootstrap an OS-only runtime execs (check_bootstrap). */
bool check_is_bootstrap(const struct check_ctx *ctx, const struct member *m);

/** Render a template: each {name} replaced by its value; unknown names kept as written. */
char *check_render(const char *tmpl, const struct tvar *vars, size_t nvars);

/**
 * Render a fix command: as check_render, each value one shell word (sh_word: quoted unless
 * plain), but {pip_install}, a command itself whose pieces advice_pip quoted; NULL when a value cannot be one word on one line (a
 * newline in a member's name): the fix is then its note alone.
 */
char *check_render_command(const char *tmpl, const struct tvar *vars, size_t nvars);

/*
 * Shared by the toolchain-version rules (toolchain.c): report m's unmet needs of
 * the given families. prefixes[i] names a family, ceiling_off[i] the offset of its
 * ceiling in struct profile; sysdir is where the runtime keeps the library (for the
 * loader's message).
 */
void check_versions(const struct check_ctx *ctx, const struct member *m, struct findings *out,
                    const char *const *prefixes, const size_t *ceiling_off, size_t nfam,
                    const char *sysdir);

#endif
