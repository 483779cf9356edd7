/* SPDX-License-Identifier: MIT */
/*
 * The repository's configuration, .abiscan.yaml: the target (runtime, arch, layers), the
 * exit threshold, the bundles to check when none are named, and the suppressions, each
 * with its reason. Read with libyaml (yamljson.h), validated against
 * rules/schema/config.schema.json, then checked against the data: rules the catalogue
 * knows, runtimes it has, globs that parse, dates that exist. Every error names the file,
 * the line and the key. Nothing in the file names a file abiscan writes.
 *
 * Ownership: struct config owns every string in it; config_release() frees them (a
 * zeroed struct is valid and means "no configuration").
 */
#ifndef ANALYZER_CONFIG_H
#define ANALYZER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "datadir.h"
#include "diag.h"
#include "strvec.h"

#define CONFIG_FILE_NAME ".abiscan.yaml"
#define CONFIG_FILE_MAX (1u << 20)

struct config_suppression {
    char *rule;     /* the catalogue id, whether the file gave the id or the slug */
    char *path;     /* a glob on the member path (pathglob.h); "**" when not given */
    char *reason;   /* never NULL: a suppression without one is refused */
    char *until;    /* "YYYY-MM-DD", or NULL */
    long until_day; /* days since 1970-01-01, or -1 */
    char *where;    /* "FILE:LINE", for messages */
};

struct config {
    char *file;                     /* the file read, as found or given; NULL without one */
    char *runtime, *arch, *fail_on; /* NULL when the file does not say */
    char *handler;                  /* MODULE.FUNCTION, as --handler */
    char *installer;                /* as --installer */
    struct strvec layers, bundles;  /* relative to the file's directory, already joined */
    struct config_suppression *suppress;
    size_t suppress_nr;
};

/**
 * Look for .abiscan.yaml from the current directory upwards to the repository root (the
 * first directory holding .git, a directory or a worktree's file); outside a repository,
 * only the current directory counts, so that a stray file in a parent of an unrelated
 * directory is never read. *out is the path relative to the current directory (caller
 * frees), or NULL when there is none.
 */
int config_find(char **out, struct diag *d);

/** Whether dir is a repository's root: it holds .git, a directory or (a worktree's, a
 * submodule's) a file. What bounds the search above, and what reports place paths from. */
bool config_is_repo_root(const char *dir);

/**
 * Read, validate and check the file at path. Relative paths in it are made relative to
 * the current directory by joining them with the file's directory.
 */
int config_load(struct config *out, const char *path, const struct datadir *dd, struct diag *d);

/** Days since 1970-01-01 of a proleptic Gregorian "YYYY-MM-DD", or -1 when no such day. */
long config_parse_day(const char *ymd);

void config_release(struct config *c);

#endif
