/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the configuration: YAML to cJSON (data/yamljson) with its line table and
 * bounds, and config_load's checks, each error naming the file, the line and the key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "datadir.h"
#include "testdata.h"
#include "xalloc.h"
#include "yamljson.h"

static void config__yaml_types_and_lines(void **state)
{
    const char *text = "runtime: python3.12\nn: 3\nb: true\nz: ~\nq: 'true'\n"
                       "until: 2025-01-01\nlist:\n  - a\n  - {k: v}\n";
    struct yamljson_lines lines;
    struct diag d = DIAG_INIT;
    cJSON *root = NULL;

    (void)state;
    assert_int_equal(yamljson_parse(&root, &lines, text, strlen(text), &d), 0);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(root, "runtime")));
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(root, "n")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "b")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(root, "z")));
    assert_true(cJSON_IsString(cJSON_GetObjectItem(root, "q"))); /* quoted: a string */
    assert_true(cJSON_IsString(cJSON_GetObjectItem(root, "until")));
    assert_int_equal(yamljson_line(&lines, "runtime"), 1);
    assert_int_equal(yamljson_line(&lines, "list[1]"), 9);
    assert_int_equal(yamljson_line(&lines, "list[1].k"), 9);
    assert_int_equal(yamljson_line(&lines, "list[1].nothere"), 9); /* the nearest parent */
    cJSON_Delete(root);
    yamljson_lines_release(&lines);
}

static const struct {
    const char *text, *error;
} bad_yaml[] = {
    {"a: &x [1]\nb: *x\n", "2:4: aliases (*name) are not supported"},
    {"a: !!str x\n", "tags are not supported"},
    {"a: 1\na: 2\n", "duplicate key 'a'"},
    {"a: 1\n---\nb: 2\n", "more than one document"},
    {"? [a]\n: b\n", "a key must be a plain value"},
    {"a: [\n", "1:"},
};

static void config__yaml_refusals(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_yaml) / sizeof(bad_yaml[0]); i++) {
        struct yamljson_lines lines;
        struct diag d = DIAG_INIT;
        cJSON *root = NULL;
        if (yamljson_parse(&root, &lines, bad_yaml[i].text, strlen(bad_yaml[i].text), &d) == 0) {
            fail_msg("row %zu: parsed", i);
        }
        if (!strstr(d.msg, bad_yaml[i].error)) {
            fail_msg("row %zu: '%s' lacks '%s'", i, d.msg, bad_yaml[i].error);
        }
        assert_null(root);
    }
}

static void config__deep_is_an_error(void **state)
{
    char *text = xmalloc(20003);
    struct yamljson_lines lines;
    struct diag d = DIAG_INIT;
    cJSON *root = NULL;

    (void)state;
    memset(text, '[', 10000);
    memset(text + 10000, ']', 10000);
    strcpy(text + 20000, "\n");
    assert_int_equal(yamljson_parse(&root, &lines, text, strlen(text), &d), -1);
    assert_non_null(strstr(d.msg, "nested too deeply"));
    free(text);
}

/* config_load on a file holding text: 0, or -1 with the message. */
static int load(struct config *c, const char *text, struct diag *d)
{
    char path[] = "/tmp/abiscan-test-config-XXXXXX";
    int fd = mkstemp(path), rc;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    rc = config_load(c, path, &testdata_dd, d);
    unlink(path);
    return rc;
}

static const struct {
    const char *text, *error;
} bad_config[] = {
    {"runtime: python3.99\n", ":1:1: runtime: unknown runtime 'python3.99'"},
    {"runtime: [1]\n", ":1:1: runtime: expected string"},
    {"output: x\n", "unexpected key 'output'"},
    {"suppress:\n  - rule: ABI001\n", ":2:5: suppress[0]: missing required key 'reason'"},
    {"suppress:\n  - rule: nope-nope\n    reason: r\n", ":2:5: suppress[0].rule: unknown rule"},
    {"suppress:\n  - rule: ABI001\n    reason: r\n    until: 2023-02-29\n",
     ":4:5: suppress[0].until: '2023-02-29' is not a date"},
    {"suppress:\n  - rule: ABI001\n    reason: r\n    path: 'a/[b'\n",
     ":4:5: suppress[0].path: '[' without its ']'"},
};

static void config__errors_name_line_column_and_key(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_config) / sizeof(bad_config[0]); i++) {
        struct config c;
        struct diag d = DIAG_INIT;
        if (load(&c, bad_config[i].text, &d) == 0) {
            config_release(&c);
            fail_msg("row %zu: loaded", i);
        }
        if (!strstr(d.msg, bad_config[i].error)) {
            fail_msg("row %zu: '%s' lacks '%s'", i, d.msg, bad_config[i].error);
        }
    }
}

static void config__loads_and_resolves(void **state)
{
    struct config c;
    struct diag d = DIAG_INIT;

    (void)state;
    assert_int_equal(load(&c,
                          "runtime: python3.12\narch: arm64\nfail-on: warning\nbundles: [fn]\n"
                          "suppress:\n  - rule: glibc-too-new\n    reason: r\n"
                          "    until: 2024-02-29\n",
                          &d),
                     0);
    assert_string_equal(c.runtime, "python3.12");
    assert_string_equal(c.bundles.v[0], "/tmp/fn"); /* relative to the file's directory */
    assert_int_equal(c.suppress_nr, 1);
    assert_string_equal(c.suppress[0].rule, "ABI006"); /* the slug, as the id */
    assert_string_equal(c.suppress[0].path, "**");
    assert_int_equal(c.suppress[0].until_day, config_parse_day("2024-02-29"));
    assert_int_equal(config_parse_day("1970-01-02"), 1);
    config_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(config__yaml_types_and_lines),
        cmocka_unit_test(config__yaml_refusals),
        cmocka_unit_test(config__deep_is_an_error),
        cmocka_unit_test(config__errors_name_line_column_and_key),
        cmocka_unit_test(config__loads_and_resolves),
    };
    return cmocka_run_group_tests(tests, testdata_setup, testdata_teardown);
}
