/* SPDX-License-Identifier: MIT */
/*
 * The JSON Schema validator (data/jsonschema.c) against the official JSON-Schema-Test-Suite
 * (Debian's json-schema-test-suite package, draft 7: the newest it holds), for the keywords
 * the validator supports. The semantics of those keywords did not change between draft 7
 * and 2020-12. A group whose schema uses any other keyword, or a form of one the validator
 * does not take (items as an array, $ref outside #/$defs/), is skipped and counted; every
 * other case must give the suite's answer.
 *
 * Usage: test_jsonschema_suite SUITE_TESTS_DIR (…/tests/draft7). Exit 0 when every case
 * agrees and enough ran to mean something.
 */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "jsonschema.h"

/* The suite's files for the keywords jsonschema.c implements. */
static const char *const files[] = {
    "type",      "properties", "required",       "additionalProperties",
    "items",     "enum",       "const",          "pattern",
    "minimum",   "maximum",    "minItems",       "maxItems",
    "minLength", "ref",        "boolean_schema",
};

/* Every keyword the validator knows; a schema with any other is not for it. */
static const char *const known[] = {
    "type",      "properties", "required", "additionalProperties",
    "items",     "enum",       "const",    "pattern",
    "minimum",   "maximum",    "minItems", "maxItems",
    "minLength", "$ref",       "$defs",    "$schema",
    "$id",       "$comment",   "title",    "description",
    "default",   "examples",
};

static bool is_known(const char *k)
{
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (!strcmp(k, known[i])) {
            return true;
        }
    }
    return false;
}

/* Why schema is out of the validator's subset, or NULL. */
static const char *unsupported(const cJSON *schema)
{
    const cJSON *kw;

    if (cJSON_IsBool(schema)) {
        return NULL;
    }
    if (!cJSON_IsObject(schema)) {
        return "a schema that is not an object";
    }
    cJSON_ArrayForEach(kw, schema)
    {
        const char *why = NULL;
        if (!is_known(kw->string)) {
            return kw->string;
        }
        if (!strcmp(kw->string, "items") && !cJSON_IsObject(kw) && !cJSON_IsBool(kw)) {
            return "items as an array";
        }
        if (!strcmp(kw->string, "$ref") &&
            (!cJSON_IsString(kw) || strncmp(kw->valuestring, "#/$defs/", 8) != 0)) {
            return "$ref outside #/$defs/";
        }
        if (!strcmp(kw->string, "properties") || !strcmp(kw->string, "$defs")) {
            const cJSON *sub;
            cJSON_ArrayForEach(sub, kw)
            {
                if ((why = unsupported(sub)) != NULL) {
                    return why;
                }
            }
        } else if (!strcmp(kw->string, "items") || !strcmp(kw->string, "additionalProperties")) {
            if (cJSON_IsObject(kw) && (why = unsupported(kw)) != NULL) {
                return why;
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    size_t cases = 0, groups = 0, skipped = 0, wrong = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s SUITE_TESTS_DIR\n", argv[0]);
        return 2;
    }
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        char path[4096];
        struct diag d = DIAG_INIT;
        cJSON *doc = NULL;
        const cJSON *group;
        snprintf(path, sizeof(path), "%s/%s.json", argv[1], files[f]);
        if (jsonread_file(&doc, path, &d) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            return 1;
        }
        cJSON_ArrayForEach(group, doc)
        {
            const cJSON *schema = cJSON_GetObjectItemCaseSensitive(group, "schema");
            const char *desc = cJSON_GetObjectItemCaseSensitive(group, "description")->valuestring;
            const char *why = unsupported(schema);
            const cJSON *t;
            if (why) {
                printf("skip - %s: %s (%s)\n", files[f], desc, why);
                skipped++;
                continue;
            }
            groups++;
            cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(group, "tests"))
            {
                const cJSON *data = cJSON_GetObjectItemCaseSensitive(t, "data");
                bool valid = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "valid"));
                struct diag vd = DIAG_INIT;
                bool got = jsonschema_validate(schema, data, &vd) == 0;
                cases++;
                if (got != valid) {
                    wrong++;
                    printf("not ok - %s: %s: %s: expected %s, got %s%s%s\n", files[f], desc,
                           cJSON_GetObjectItemCaseSensitive(t, "description")->valuestring,
                           valid ? "valid" : "invalid", got ? "valid" : "invalid", got ? "" : ": ",
                           got ? "" : vd.msg);
                }
            }
        }
        cJSON_Delete(doc);
    }
    printf("%zu cases in %zu groups: %zu wrong; %zu groups skipped (outside the subset)\n", cases,
           groups, wrong, skipped);
    return wrong || cases < 100 ? 1 : 0;
}
