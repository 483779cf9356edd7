/* SPDX-License-Identifier: MIT */
/*
 * A JSON Schema (draft 2020-12) validator for the subset our schemas use: type,
 * properties, required, additionalProperties, items, enum, const, pattern, minimum,
 * maximum, minItems, maxItems, minLength, $ref to "#/$defs/NAME", and the boolean
 * schemas true and false. Any other keyword is refused, so that a schema never carries
 * a constraint that is silently not enforced. The official test suite runs on it for
 * these keywords (tests/unit/test_jsonschema_suite.c); the report schema is also
 * checked by an independent validator (python3-jsonschema) in the tests.
 */
#include "jsonschema.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "regexp.h"
#include "suggest.h"

#define MAX_REF_DEPTH 32

struct vctx {
    const cJSON *root;
    struct diag *d;
    char path[512];
    unsigned depth;
};

/* Whether d is a whole number (floor(d) == d without libm: from 2^53 up every double is). */
static bool is_integral(double d)
{
    return isfinite(d) && (fabs(d) >= 9007199254740992.0 || d == (double)(long long)d);
}

static int fail(struct vctx *c, const char *fmt, ...) ABISCAN_PRINTF(2, 3);

static int fail(struct vctx *c, const char *fmt, ...)
{
    char what[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return diag_set(c->d, DIAG_DATA, "%s: %s", c->path[0] ? c->path : "(top level)", what);
}

static size_t push_key(struct vctx *c, const char *key)
{
    size_t n = strlen(c->path);
    snprintf(c->path + n, sizeof(c->path) - n, "%s%s", n ? "." : "", key);
    return n;
}

static size_t push_index(struct vctx *c, int i)
{
    size_t n = strlen(c->path);
    snprintf(c->path + n, sizeof(c->path) - n, "[%d]", i);
    return n;
}

static bool type_matches(const char *type, const cJSON *v)
{
    if (!strcmp(type, "object")) {
        return cJSON_IsObject(v);
    }
    if (!strcmp(type, "array")) {
        return cJSON_IsArray(v);
    }
    if (!strcmp(type, "string")) {
        return cJSON_IsString(v);
    }
    if (!strcmp(type, "number")) {
        return cJSON_IsNumber(v);
    }
    if (!strcmp(type, "integer")) {
        return cJSON_IsNumber(v) && is_integral(v->valuedouble);
    }
    if (!strcmp(type, "boolean")) {
        return cJSON_IsBool(v);
    }
    if (!strcmp(type, "null")) {
        return cJSON_IsNull(v);
    }
    return false;
}

static int check_type(struct vctx *c, const cJSON *t, const cJSON *v)
{
    const cJSON *item;

    if (cJSON_IsString(t)) {
        return type_matches(t->valuestring, v) ? 0 : fail(c, "expected %s", t->valuestring);
    }
    cJSON_ArrayForEach(item, t)
    {
        if (cJSON_IsString(item) && type_matches(item->valuestring, v)) {
            return 0;
        }
    }
    return fail(c, "%s", "value has none of the allowed types");
}

static int check_pattern(struct vctx *c, const char *pattern, const cJSON *v)
{
    struct regexp *re = NULL;
    struct diag ignored = DIAG_INIT;
    bool ok;

    if (!cJSON_IsString(v)) {
        return 0;
    }
    if (regexp_compile(&re, pattern, REGEXP_UTF, &ignored) != 0) {
        return fail(c, "schema pattern '%s' does not compile", pattern);
    }
    ok = regexp_test(re, v->valuestring);
    regexp_free(re);
    return ok ? 0 : fail(c, "does not match the pattern %s", pattern);
}

static size_t utf8_length(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return n;
}

static int validate(struct vctx *c, const cJSON *schema, const cJSON *v);

/* Up to 32 names of an object's keys or an array's strings, for a did-you-mean. */
static size_t names_of(const cJSON *o, const char **out, size_t max)
{
    const cJSON *item;
    size_t n = 0;

    cJSON_ArrayForEach(item, o)
    {
        const char *name = cJSON_IsObject(o) ? item->string : cJSON_GetStringValue(item);
        if (name && n < max) {
            out[n++] = name;
        }
    }
    return n;
}

/* An unexpected key, said at the key itself (its line, in a YAML file), with the key the
 * user probably meant. */
static int unexpected_key(struct vctx *c, const cJSON *props, const char *key)
{
    const char *names[32];
    size_t n = names_of(props, names, 32);
    char guess[160];

    push_key(c, key);
    if (suggest_words(key, names, n, guess, sizeof(guess))) {
        return fail(c, "unexpected key '%s': did you mean %s?", key, guess);
    }
    return fail(c, "unexpected key '%s'", key);
}

static int check_object(struct vctx *c, const cJSON *schema, const cJSON *v)
{
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    const cJSON *required = cJSON_GetObjectItemCaseSensitive(schema, "required");
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(schema, "additionalProperties");
    const cJSON *item;

    if (!cJSON_IsObject(v)) {
        return 0;
    }
    /* A mistyped key first: "reasn" is why "reason" is missing. */
    cJSON_ArrayForEach(item, v)
    {
        if (cJSON_IsFalse(extra) &&
            !(props && cJSON_GetObjectItemCaseSensitive(props, item->string))) {
            return unexpected_key(c, props, item->string);
        }
    }
    cJSON_ArrayForEach(item, required)
    {
        if (cJSON_IsString(item) && !cJSON_GetObjectItemCaseSensitive(v, item->valuestring)) {
            return fail(c, "missing required key '%s'", item->valuestring);
        }
    }
    cJSON_ArrayForEach(item, v)
    {
        const cJSON *sub = props ? cJSON_GetObjectItemCaseSensitive(props, item->string) : NULL;
        size_t mark;
        int rc;
        if (!sub && cJSON_IsObject(extra)) {
            sub = extra;
        }
        if (!sub) {
            continue;
        }
        mark = push_key(c, item->string);
        rc = validate(c, sub, item);
        c->path[mark] = '\0';
        if (rc) {
            return rc;
        }
    }
    return 0;
}

static int check_array(struct vctx *c, const cJSON *schema, const cJSON *v)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items");
    const cJSON *min = cJSON_GetObjectItemCaseSensitive(schema, "minItems");
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(schema, "maxItems");
    const cJSON *item;
    int n = 0;

    if (!cJSON_IsArray(v)) {
        return 0;
    }
    if (cJSON_IsNumber(min) && cJSON_GetArraySize(v) < min->valueint) {
        return fail(c, "%s", "too few items");
    }
    if (cJSON_IsNumber(max) && cJSON_GetArraySize(v) > max->valueint) {
        return fail(c, "%s", "too many items");
    }
    cJSON_ArrayForEach(item, v)
    {
        size_t mark = push_index(c, n++);
        int rc = items ? validate(c, items, item) : 0;
        c->path[mark] = '\0';
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* A value not in an enum: the allowed values, and the one the user probably meant. */
static int not_allowed(struct vctx *c, const cJSON *values, const cJSON *v)
{
    const char *names[32];
    size_t n = names_of(values, names, 32), at = 0;
    char guess[160], list[256] = "";

    for (size_t i = 0; i < n && at < sizeof(list); i++) {
        int w = snprintf(list + at, sizeof(list) - at, "%s%s", i ? ", " : "", names[i]);
        at += w > 0 ? (size_t)w : 0;
    }
    if (!cJSON_IsString(v) || !n || (size_t)cJSON_GetArraySize(values) != n) {
        return fail(c, "%s", "value is not one of the allowed values");
    }
    if (suggest_words(v->valuestring, names, n, guess, sizeof(guess))) {
        return fail(c, "'%s' is not one of %s: did you mean %s?", v->valuestring, list, guess);
    }
    return fail(c, "'%s' is not one of %s", v->valuestring, list);
}

static int check_scalar(struct vctx *c, const cJSON *kw, const cJSON *v)
{
    const char *k = kw->string;
    const cJSON *item;

    if (!strcmp(k, "enum")) {
        cJSON_ArrayForEach(item, kw)
        {
            if (cJSON_Compare(item, v, true)) {
                return 0;
            }
        }
        return not_allowed(c, kw, v);
    }
    if (!strcmp(k, "const")) {
        return cJSON_Compare(kw, v, true) ? 0 : fail(c, "%s", "value differs from the constant");
    }
    if (!strcmp(k, "pattern")) {
        return cJSON_IsString(kw) ? check_pattern(c, kw->valuestring, v) : 0;
    }
    if (!strcmp(k, "minLength")) {
        return !cJSON_IsString(v) || utf8_length(v->valuestring) >= (size_t)kw->valuedouble
                   ? 0
                   : fail(c, "%s", "string too short");
    }
    if (!strcmp(k, "minimum")) {
        return !cJSON_IsNumber(v) || v->valuedouble >= kw->valuedouble
                   ? 0
                   : fail(c, "%s", "number below the minimum");
    }
    if (!strcmp(k, "maximum")) {
        return !cJSON_IsNumber(v) || v->valuedouble <= kw->valuedouble
                   ? 0
                   : fail(c, "%s", "number above the maximum");
    }
    return 1; /* not a scalar keyword */
}

/* Keywords that carry no constraint, or that check_object/check_array read. */
static const char *const passive[] = {
    "$schema",
    "$id",
    "$defs",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
};

static bool is_passive(const char *k)
{
    for (size_t i = 0; i < sizeof(passive) / sizeof(passive[0]); i++) {
        if (!strcmp(k, passive[i])) {
            return true;
        }
    }
    return false;
}

static int validate_ref(struct vctx *c, const char *ref, const cJSON *v)
{
    const cJSON *defs = cJSON_GetObjectItemCaseSensitive(c->root, "$defs");
    const cJSON *target;
    int rc;

    if (strncmp(ref, "#/$defs/", 8) != 0) {
        return fail(c, "unsupported $ref '%s'", ref);
    }
    target = cJSON_GetObjectItemCaseSensitive(defs, ref + 8);
    if (!target) {
        return fail(c, "unresolved $ref '%s'", ref);
    }
    if (c->depth >= MAX_REF_DEPTH) {
        return fail(c, "$ref nesting too deep at '%s'", ref);
    }
    c->depth++;
    rc = validate(c, target, v);
    c->depth--;
    return rc;
}

static int validate(struct vctx *c, const cJSON *schema, const cJSON *v)
{
    const cJSON *kw;
    int rc;

    if (cJSON_IsTrue(schema)) {
        return 0;
    }
    if (cJSON_IsFalse(schema)) {
        return fail(c, "%s", "no value is allowed here (the schema is false)");
    }
    if (!cJSON_IsObject(schema)) {
        return fail(c, "%s", "schema node is not an object");
    }
    cJSON_ArrayForEach(kw, schema)
    {
        if (!strcmp(kw->string, "$ref")) {
            rc = cJSON_IsString(kw) ? validate_ref(c, kw->valuestring, v) : 0;
        } else if (!strcmp(kw->string, "type")) {
            rc = check_type(c, kw, v);
        } else if (is_passive(kw->string)) {
            rc = 0;
        } else {
            rc = check_scalar(c, kw, v);
            if (rc == 1) {
                return fail(c, "unsupported schema keyword '%s'", kw->string);
            }
        }
        if (rc) {
            return rc;
        }
    }
    rc = check_object(c, schema, v);
    return rc ? rc : check_array(c, schema, v);
}

int jsonschema_validate(const cJSON *schema, const cJSON *instance, struct diag *d)
{
    struct vctx c = {.root = schema, .d = d};

    return validate(&c, schema, instance) ? -1 : 0;
}
