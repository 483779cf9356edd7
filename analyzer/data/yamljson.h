/* SPDX-License-Identifier: MIT */
/*
 * YAML (libyaml) read into a cJSON tree, so that one JSON Schema validator checks the
 * configuration whatever its spelling: JSON is YAML, so a JSON file reads the same.
 * Scalars are typed by the YAML 1.2 core schema (§10.3.2: null, true/false, integers,
 * floats; everything else, and every quoted scalar, a string), so "until: 2025-01-01" is
 * a string and "no" is not false. Anchors are allowed, aliases, tags, several documents,
 * duplicate keys and keys that are not scalars are refused; depth, node count, key and
 * value lengths are bounded, so a hostile file is an error, never a blow-up.
 *
 * Ownership: yamljson_parse() gives the caller a cJSON tree (cJSON_Delete) and fills
 * a struct yamljson_lines the caller releases; the lines map the validator's paths
 * ("suppress[0].reason", as jsonschema.h writes them) to 1-based line numbers.
 */
#ifndef ANALYZER_YAMLJSON_H
#define ANALYZER_YAMLJSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "strmap.h"

#define YAMLJSON_MAX_DEPTH 32
#define YAMLJSON_MAX_NODES 20000
#define YAMLJSON_MAX_SCALAR 4096
#define YAMLJSON_STACK_MAX 64 /* the deepest any caller may ask for */

/*
 * How a document is read. The configuration (yamljson_parse) refuses every tag; a
 * CloudFormation or SAM template uses its short-form tags, which cfn_tags maps to the
 * long form the JSON spelling has: !Ref X -> {"Ref": "X"}, !Condition X ->
 * {"Condition": "X"}, !GetAtt A.B -> {"Fn::GetAtt": ["A", "B"]}, any other !Name V ->
 * {"Fn::Name": V} (!Sub, !Join, !If, !Select, !FindInMap, ...); !!str makes a string;
 * other tags are refused. Aliases stay refused (a template has none; a billion laughs
 * stays out); the bounds are the caller's.
 */
struct yamljson_opts {
    bool cfn_tags;
    unsigned max_depth; /* at most YAMLJSON_STACK_MAX */
    size_t max_nodes, max_scalar;
    bool lines; /* record a line for every path (the configuration's error messages) */
};

struct yamljson_lines {
    struct strmap map;  /* path -> line, as (void *)(uintptr_t)line */
    struct strmap cols; /* path -> column (1-based), as the lines */
};

/**
 * Parse text[0..len) as one YAML document. On error d says "LINE:COLUMN: what" (the
 * caller prefixes the file name).
 */
int yamljson_parse(cJSON **out, struct yamljson_lines *lines, const char *text, size_t len,
                   struct diag *d);

/** yamljson_parse() with other rules and bounds; lines may be NULL when o->lines is false. */
int yamljson_parse_opts(cJSON **out, struct yamljson_lines *lines, const char *text, size_t len,
                        const struct yamljson_opts *o, struct diag *d);

/** The line of the node at path, or of its nearest ancestor that has one (0: none). */
unsigned yamljson_line(const struct yamljson_lines *lines, const char *path);

/** The column (1-based) of the node yamljson_line() gives the line of (0: none). */
unsigned yamljson_column(const struct yamljson_lines *lines, const char *path);

void yamljson_lines_release(struct yamljson_lines *lines);

#endif
