/* SPDX-License-Identifier: MIT */
/*
 * Typed, path-aware reading of JSON documents (cJSON), for the profile and
 * catalogue loaders. Errors name the file and the field: "python.version: expected string".
 *
 * Ownership: jsonread_file() returns a cJSON tree the caller frees with
 * cJSON_Delete(). Strings returned by jsonread_str() are fresh copies the
 * caller frees; nothing returned points into the tree once it is deleted.
 */
#ifndef ANALYZER_JSONREAD_H
#define ANALYZER_JSONREAD_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "diag.h"
#include "strvec.h"

/*
 * Where data files come from. The data shipped with the binary (found next to it) was
 * validated against its schemas when it was built and tested, so a run trusts it and
 * only parses it; a directory given with --rules or $ABISCAN_RULES may be anyone's, and
 * every file of it is validated when loaded.
 */
struct datasrc {
    const char *dir; /* the rules directory */
    bool validate;   /* validate every file against its schema (and compile patterns now) */
};

/**
 * Read src->dir/name, validated against src->dir/schema/schema_name when src says so.
 * Errors name the file and the field.
 */
int jsonread_data(cJSON **out, const struct datasrc *src, const char *name, const char *schema_name,
                  struct diag *d);

/** Read and parse a JSON file. On a syntax error d says the line and column. */
int jsonread_file(cJSON **out, const char *path, struct diag *d);

/**
 * Read path and validate it against schema (a parsed JSON Schema; NULL: the data is
 * trusted, not validated): every data file the tool loads goes through here. Errors name
 * the file and the field.
 */
int jsonread_validated(cJSON **out, const char *path, const cJSON *schema, struct diag *d);

/** jsonread_validated() with the schema read from schema_path. */
int jsonread_validated_by(cJSON **out, const char *path, const char *schema_path, struct diag *d);

/** The node at a dotted path ("python.version.value"), or NULL. */
const cJSON *jsonread_at(const cJSON *root, const char *dotted);

/* Typed getters at a dotted path; -1 with d naming the path when absent or mistyped. */
int jsonread_str(char **out, const cJSON *root, const char *dotted, struct diag *d);
int jsonread_int(long *out, const cJSON *root, const char *dotted, struct diag *d);
int jsonread_strv(struct strvec *out, const cJSON *root, const char *dotted, struct diag *d);
/** Like jsonread_str, but a missing or null node gives *out = NULL and 0. */
int jsonread_str_opt(char **out, const cJSON *root, const char *dotted, struct diag *d);

/**
 * The names of the *.json files in dir, sorted (so that every load reads in the same
 * order, whatever the file system's). -1 with d set when dir cannot be read.
 */
int jsonread_list_dir(struct strvec *out, const char *dir, struct diag *d);

#endif
