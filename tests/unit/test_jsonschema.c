/* SPDX-License-Identifier: MIT */
/* Unit tests for the JSON Schema subset validator (jsonschema.c) and the typed readers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "jsonschema.h"

struct row {
    const char *schema, *instance;
    const char *error; /* NULL: valid; else a substring of the error */
};

static const struct row rows[] = {
    {"{\"type\":\"object\"}", "{}", NULL},
    {"{\"type\":\"object\"}", "[]", "(top level): expected object"},
    {"{\"type\":[\"string\",\"null\"]}", "null", NULL},
    {"{\"type\":[\"string\",\"null\"]}", "1", "none of the allowed types"},
    {"{\"type\":\"integer\"}", "1.5", "expected integer"},
    {"{\"type\":\"integer\"}", "7", NULL},
    {"{\"properties\":{\"a\":{\"type\":\"string\"}},\"required\":[\"a\"]}", "{}",
     "missing required key 'a'"},
    {"{\"properties\":{\"a\":{\"type\":\"string\"}}}", "{\"a\":1}", "a: expected string"},
    {"{\"properties\":{},\"additionalProperties\":false}", "{\"x\":1}", "unexpected key 'x'"},
    {"{\"additionalProperties\":{\"type\":\"integer\"}}", "{\"x\":\"s\"}", "x: expected integer"},
    {"{\"items\":{\"type\":\"string\"}}", "[\"a\",2]", "[1]: expected string"},
    {"{\"minItems\":2}", "[1]", "too few items"},
    {"{\"maxItems\":1}", "[1,2]", "too many items"},
    {"{\"enum\":[\"a\",\"b\"]}", "\"c\"", "'c' is not one of a, b"},
    {"{\"enum\":[\"error\",\"warning\"]}", "\"eror\"", "did you mean error?"},
    {"{\"enum\":[1,2]}", "3", "not one of the allowed values"},
    {"{\"properties\":{\"reason\":{}},\"required\":[\"reason\"],\"additionalProperties\":false}",
     "{\"reasn\":1}", "reasn: unexpected key 'reasn': did you mean reason?"},
    {"{\"const\":1}", "1", NULL},
    {"{\"const\":1}", "2", "differs from the constant"},
    {"{\"pattern\":\"^[0-9]+$\"}", "\"12\"", NULL},
    {"{\"pattern\":\"^[0-9]+$\"}", "\"1a\"", "does not match the pattern"},
    {"{\"pattern\":\"b\"}", "\"abc\"", NULL}, /* patterns are not anchored */
    {"{\"pattern\":\"(\"}", "\"x\"", "does not compile"},
    {"{\"minLength\":2}", "\"\xc3\xa9\"", "string too short"}, /* one code point, two bytes */
    {"{\"minimum\":0}", "-1", "below the minimum"},
    {"{\"maximum\":10}", "11", "above the maximum"},
    {"{\"$defs\":{\"v\":{\"type\":\"string\"}},\"properties\":{\"a\":{\"$ref\":\"#/$defs/v\"}}}",
     "{\"a\":1}", "a: expected string"},
    {"{\"$defs\":{\"v\":{\"$ref\":\"#/$defs/v\"}},\"$ref\":\"#/$defs/v\"}", "1", "too deep"},
    {"{\"$ref\":\"other.json#/x\"}", "1", "unsupported $ref"},
    {"{\"$ref\":\"#/$defs/missing\"}", "1", "unresolved $ref"},
    {"{\"oneOf\":[]}", "1", "unsupported schema keyword 'oneOf'"},
    {"{\"properties\":{\"a\":{\"properties\":{\"b\":{\"items\":{\"type\":\"null\"}}}}}}",
     "{\"a\":{\"b\":[null,null,0]}}", "a.b[2]: expected null"},
};

static void jsonschema__validates_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct diag d = DIAG_INIT;
        cJSON *schema = cJSON_Parse(rows[i].schema), *inst = cJSON_Parse(rows[i].instance);
        int rc;
        assert_non_null(schema);
        assert_non_null(inst);
        rc = jsonschema_validate(schema, inst, &d);
        if (rows[i].error == NULL ? rc != 0 : (rc != -1 || !strstr(d.msg, rows[i].error))) {
            fail_msg("row %zu: rc %d msg '%s', wanted %s", i, rc, d.msg,
                     rows[i].error ? rows[i].error : "valid");
        }
        cJSON_Delete(schema);
        cJSON_Delete(inst);
    }
}

static void jsonread__typed_getters_name_the_path(void **state)
{
    cJSON *root = cJSON_Parse("{\"a\":{\"b\":{\"value\":\"x\"},\"n\":3,\"l\":[\"p\",1]}}");
    struct diag d = DIAG_INIT;
    struct strvec sv = STRVEC_INIT;
    char *s = NULL;
    long n = 0;

    (void)state;
    assert_int_equal(jsonread_str(&s, root, "a.b.value", &d), 0);
    assert_string_equal(s, "x");
    free(s);
    assert_int_equal(jsonread_int(&n, root, "a.n", &d), 0);
    assert_int_equal(n, 3);
    assert_int_equal(jsonread_str(&s, root, "a.n", &d), -1);
    assert_string_equal(d.msg, "a.n: expected a string");
    {
        cJSON *huge = cJSON_Parse("{\"x\":1e300,\"y\":-1e300,\"z\":2.5}");
        assert_int_equal(jsonread_int(&n, huge, "x", &d), -1); /* no undefined cast */
        assert_int_equal(jsonread_int(&n, huge, "y", &d), -1);
        assert_int_equal(jsonread_int(&n, huge, "z", &d), -1);
        cJSON_Delete(huge);
    }
    assert_int_equal(jsonread_strv(&sv, root, "a.l", &d), -1);
    assert_string_equal(d.msg, "a.l[1]: expected a string");
    assert_int_equal(jsonread_str_opt(&s, root, "a.missing", &d), 0);
    assert_null(s);
    assert_null(jsonread_at(root, "a.b.value.deeper"));
    strvec_release(&sv);
    cJSON_Delete(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jsonschema__validates_table),
        cmocka_unit_test(jsonread__typed_getters_name_the_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
