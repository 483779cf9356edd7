/* SPDX-License-Identifier: MIT */
/*
 * The check registry: one row per rule, each a function that reads the image
 * and the target profile and appends findings. Checks never parse.
 *
 * Ownership: the context is borrowed for the duration of a run; findings
 * appended belong to the caller's struct findings.
 */
#ifndef ANALYZER_CHECK_H
#define ANALYZER_CHECK_H

#include <stddef.h>

#include "datadir.h"
#include "finding.h"
#include "image.h"
#include "profile.h"
#include "rules.h"

struct check_ctx {
    const struct image *img;
    const struct profile *profile;
    const struct rule *rule;     /* the catalogue row of the running check */
    const struct datadir *data;  /* every profile, the OS lists, the Stable ABI table */
};

typedef void check_fn(const struct check_ctx *ctx, struct findings *out);

struct check {
    const char *rule_id;
    check_fn *run;
};

/** A template variable for the catalogue's lambda_error and remediation texts. */
struct tvar {
    const char *name;
    const char *value;
};

/**
 * Every registered check must have a catalogue row and every row a check
 * (style.md §4.8). Returns -1 with d naming the orphan.
 */
int checks_verify(const struct ruleset *rs, struct diag *d);

/** Run every check against the image for one target profile. */
void checks_run(const struct image *img, const struct profile *profile,
                const struct datadir *data, struct findings *out);

/**
 * Record a finding of ctx->rule about m: severity, expected and found (may be
 * NULL), a message from fmt, and lambda_error and remediation rendered from
 * the catalogue templates with the standard variables ({path}, {abs},
 * {module}, {runtime}, {arch}, {pyver}, {pip_platform}, {requirement},
 * {dist}, {version}, {expected}, {found}) plus vars. A var named
 * "lambda_error" or "remediation" replaces the catalogue's template for this finding.
 */
struct finding *check_report(const struct check_ctx *ctx, struct findings *out,
                             const struct member *m, enum severity sev, const char *expected,
                             const char *found, const struct tvar *vars, size_t nvars,
                             const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 9, 10)))
#endif
    ;

/**
 * Whether the loader and toolchain rules speak of m: an ELF object of the target's
 * machine, class and byte order, not in a layer directory the runtime never reads. The
 * others are arch-mismatch's and layer-path-ignored's to report.
 */
bool check_would_load(const struct check_ctx *ctx, const struct member *m);

/** Render a template: each {name} replaced by its value; unknown names kept as written. */
char *check_render(const char *tmpl, const struct tvar *vars, size_t nvars);

/*
 * Shared by the toolchain-version rules (check_toolchain.c): report every loadable
 * ELF object with unmet needs of the given families. prefixes[i] names a family,
 * ceiling_off[i] the offset of its ceiling in struct profile; sysdir is where the
 * runtime keeps the library (for the loader's message).
 */
void check_versions(const struct check_ctx *ctx, struct findings *out, const char *const *prefixes,
                    const size_t *ceiling_off, size_t nfam, const char *sysdir);

/* The checks, one file each. */
check_fn check_pytag;
check_fn check_arch;
check_fn check_notelf;
check_fn check_elfread;
check_fn check_member;
check_fn check_glibc;
check_fn check_libstdcxx;
check_fn check_libgcc;
check_fn check_needed;
check_fn check_musl;
check_fn check_libpython;
check_fn check_init;
check_fn check_abi3;
check_fn check_pyc;
check_fn check_wheeltag;
check_fn check_layerpath;
check_fn check_shadow;
check_fn check_size;

#endif
