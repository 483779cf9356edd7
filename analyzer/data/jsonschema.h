/* SPDX-License-Identifier: MIT */
/*
 * A JSON Schema (draft 2020-12) validator for the subset the project's schemas use (the
 * list is at the top of jsonschema.c). Any other keyword is refused, so that a schema
 * never carries a constraint that is silently not enforced.
 *
 * Ownership: nothing is kept; schema and instance are borrowed for the call.
 */
#ifndef ANALYZER_JSONSCHEMA_H
#define ANALYZER_JSONSCHEMA_H

#include <cjson/cJSON.h>

#include "diag.h"

/**
 * Validate instance against schema. On failure returns -1 with d saying "<path>: <what>",
 * the path as dotted keys and [index].
 */
int jsonschema_validate(const cJSON *schema, const cJSON *instance, struct diag *d);

#endif
