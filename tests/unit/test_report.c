/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the emitters (report/): each run against a hand-built report and
 * compared with the text it must print. The report is all an emitter sees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "report_int.h"
#include "report.h"
#include "testdata.h"
#include "xalloc.h"

static char *emit(const char *format, const struct report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct diag d = DIAG_INIT;

    assert_non_null(f);
    assert_non_null(report_emitter_find(format));
    assert_int_equal(report_emitter_find(format)->emit(f, r, &d), 0);
    fclose(f);
    return buf;
}

static struct finding *add(struct findings *fs, const char *rule, enum severity sev,
                           const char *path, const char *dist, const char *message, const char *fix)
{
    struct finding *f = findings_push(fs);

    f->rule = rules_find(&testdata_dd.rules, rule);
    assert_non_null(f->rule);
    f->severity = sev;
    f->path = xstrdup(path);
    f->dist_name = dist ? xstrdup(dist) : NULL;
    f->dist_version = dist ? xstrdup("1.0") : NULL;
    f->message = xstrdup(message);
    f->fix_command = fix ? xstrdup(fix) : NULL;
    f->lambda_error = xstrdup("Lambda says so");
    return f;
}

static const struct report_input one_input[] = {
    {.name = "fn.zip",
     .kind = "zip",
     .role = "function",
     .role_reason = "a function bundle",
     .files = 3,
     .elf_objects = 2,
     .extensions = 1,
     .distributions = 1},
};

static void report__text_groups_by_cause(void **state)
{
    struct findings fs = {0};
    struct report r = {
        "abiscan", "0",   profiles_find(&testdata_dd.profiles, "python3.12", "x86_64"),
        one_input, 1,     &fs,
        SEV_ERROR, false, 0,
        NULL,      0,     NULL,
        NULL,      false, NULL,
        NULL};
    char *got;

    (void)state;
    add(&fs, "ABI001", SEV_ERROR, "pkg/a.cpython-311-x86_64-linux-gnu.so", "pkg", "built for 3.11",
        "pip install pkg")
        ->fix_note = xstrdup("pkg 1.0 has no wheel: drop the pin");
    add(&fs, "ABI009", SEV_WARNING, "lib/libx.so", NULL, "needs \033[31mred\033[0m", NULL)->found =
        xstrdup("libx.so.1");
    add(&fs, "ABI001", SEV_ERROR, "pkg/b.cpython-311-x86_64-linux-gnu.so", "pkg", "built for 3.11",
        "pip install pkg")
        ->fix_note = xstrdup("pkg 1.0 has no wheel: drop the pin");
    findings_sort(&fs);
    got = emit("text", &r);
    assert_string_equal(
        got,
        "2 causes:\n"
        "  1. error: Extension module the runtime's Python will not import (2 errors)\n"
        "  2. warning: a library the runtime does not ship: libx.so.1 (1 warning)\n"
        "\n"
        "1. Extension module the runtime's Python will not import (2 errors)\n"
        "  pkg/a.cpython-311-x86_64-linux-gnu.so: error: built for 3.11 [python-tag-mismatch]\n"
        "  pkg/b.cpython-311-x86_64-linux-gnu.so: error: built for 3.11 [python-tag-mismatch]\n"
        "  fix: pip install pkg\n"
        "  note: pkg 1.0 has no wheel: drop the pin\n"
        "\n"
        "2. a library the runtime does not ship: libx.so.1 (1 warning)\n"
        "  lib/libx.so: warning: needs \\x1b[31mred\\x1b[0m [needed-not-found]\n"
        "\n"
        "abiscan: 2 errors, 1 warning, 0 notes in 3 files (2 ELF) of 1 input; "
        "target python3.12 x86_64\n");
    free(got);
    assert_true(report_failed(&r));
    r.fail_on = SEV_NONE;
    assert_false(report_failed(&r));
    findings_release(&fs);
}

static void report__json_is_one_object(void **state)
{
    struct findings fs = {0};
    struct report r = {
        "abiscan", "0",   profiles_find(&testdata_dd.profiles, "python3.12", "arm64"),
        one_input, 1,     &fs,
        SEV_ERROR, false, 0,
        NULL,      0,     NULL,
        NULL,      false, NULL,
        NULL};
    char *got;

    (void)state;
    add(&fs, "ABI018", SEV_WARNING, ".", NULL, "big", NULL);
    got = emit("json", &r);
    assert_non_null(strstr(got, "\"schema_version\":\t1"));
    assert_non_null(strstr(got, "\"profile\":\t\"python3.12-arm64\""));
    assert_non_null(strstr(got, "\"kind\":\t\"zip\""));
    assert_non_null(strstr(got, "\"slug\":\t\"size-limit\""));
    assert_non_null(strstr(got, "\"distribution\":\tnull"));
    /* the fix as data: both members, null when there is none */
    assert_non_null(
        strstr(got, "\"fix\":\t{\n\t\t\t\t\"command\":\tnull,\n\t\t\t\t\"note\":\tnull"));
    assert_non_null(
        strstr(got, "\"failed\":\tfalse")); /* a warning does not fail --fail-on error */
    free(got);
    findings_release(&fs);
}

/* The stderr summary line of r. */
static char *summary_line(const struct report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    report_print_summary_line(f, r);
    fclose(f);
    return buf;
}

static void report__summary_says_why_errors_pass(void **state)
{
    struct findings fs = {0};
    struct report r = {
        "abiscan", "0",   profiles_find(&testdata_dd.profiles, "python3.12", "x86_64"),
        one_input, 1,     &fs,
        SEV_ERROR, false, 0,
        NULL,      0,     NULL,
        NULL,      false, NULL,
        NULL};
    char *got;

    (void)state;
    add(&fs, "ABI001", SEV_ERROR, "m.cpython-35m-x86_64-linux-gnu.so", NULL, "tag", NULL);
    got = summary_line(&r);
    assert_non_null(strstr(got, ": fails (--fail-on)\n"));
    free(got);
    r.fail_on = SEV_NONE;
    got = summary_line(&r);
    assert_non_null(strstr(got, ": passes (--fail-on none)\n"));
    free(got);
    findings_release(&fs);
}

static void report__matrix_says_where_it_imports(void **state)
{
    struct findings fs = {0};
    struct report_verdict v[3] = {
        {.profile = profiles_find(&testdata_dd.profiles, "python3.11", "x86_64"),
         .imports = true,
         .deploys = true},
        {.profile = profiles_find(&testdata_dd.profiles, "python3.12", "x86_64"),
         .errors = 1,
         .deploys = true},
        {.profile = profiles_find(&testdata_dd.profiles, "python3.6", "x86_64"),
         .errors = 1,
         .imports = true},
    };
    struct report r = {"abiscan", "0", NULL, one_input, 1,    &fs,   SEV_ERROR, false,
                       0,         v,   3,    NULL,      NULL, false, NULL,      NULL};
    char *got;

    (void)state;
    strvec_push(&v[1].blockers, "glibc-too-new");
    strvec_push(&v[2].blockers, "runtime-deprecated");
    got = emit("text", &r);
    assert_string_equal(got,
                        "RUNTIME     ARCH    IMPORTS  DEPLOYS  BLOCKED BY\n"
                        "python3.11  x86_64  yes      yes      \n"
                        "python3.12  x86_64  no       yes      glibc-too-new\n"
                        "python3.6   x86_64  yes      no       runtime-deprecated\n"
                        "\n"
                        "abiscan: imports on python3.11 x86_64 and nowhere else, and on 1 more "
                        "that Lambda no longer lets functions update (exit 0: it imports "
                        "somewhere; give --runtime for the findings)\n");
    free(got);
    assert_false(report_failed(&r));
    v[0].imports = false;
    assert_true(report_failed(&r)); /* imports nowhere it can be deployed */
    strvec_release(&v[1].blockers);
    strvec_release(&v[2].blockers);
}

/* Three functions: one with a finding, one that could not be read, one with a layer. */
static const struct report_input three[] = {
    {.name = "a.zip",
     .kind = "zip",
     .role = "function",
     .role_reason = "a function bundle",
     .files = 3,
     .elf_objects = 2},
    {.name = "bad.zip",
     .role = "function",
     .role_reason = "a function",
     .error = "cannot read 'bad.zip' as a zip archive"},
    {.name = "c.zip",
     .kind = "zip",
     .role = "function",
     .role_reason = "a function bundle",
     .function = "CFunction"},
    {.name = "layer.zip",
     .kind = "zip",
     .role = "layer",
     .role_reason = "given with --layer",
     .function = "CFunction"},
};

static void report__text_groups_by_input(void **state)
{
    struct findings fs = {0};
    struct report r = {
        "abiscan", "0",   profiles_find(&testdata_dd.profiles, "python3.12", "x86_64"),
        three,     4,     &fs,
        SEV_ERROR, false, 0,
        NULL,      0,     NULL,
        NULL,      false, NULL,
        NULL};
    size_t t[4];
    char *got;

    (void)state;
    add(&fs, "ABI001", SEV_ERROR, "a.cpython-311-x86_64-linux-gnu.so", "pkg", "built for 3.11",
        "pip install pkg");
    add(&fs, "ABI009", SEV_WARNING, "lib/x.so", NULL, "needs libz", NULL)->input = 3;
    findings_sort(&fs);
    got = emit("text", &r);
    assert_string_equal(
        got, "== a.zip: fail (python3.12 x86_64: 1 error, 0 warnings, 0 notes)\n"
             "\n"
             "Extension module the runtime's Python will not import (1 error)\n"
             "  a.zip:a.cpython-311-x86_64-linux-gnu.so: error: built for 3.11 "
             "[python-tag-mismatch]\n"
             "  fix: pip install pkg\n"
             "\n"
             "== bad.zip: error: cannot read 'bad.zip' as a zip archive\n"
             "\n"
             "== CFunction (c.zip): pass (python3.12 x86_64: 0 errors, 1 warning, 0 notes)\n"
             "   with layer layer.zip\n"
             "\n"
             "a library the runtime does not ship (1 warning)\n"
             "  layer.zip:lib/x.so: warning: needs libz [needed-not-found]\n"
             "\n"
             "abiscan: 1 of 3 inputs could not be checked; in the others, 1 error, 1 warning, "
             "0 notes in 3 files (2 ELF) of 4 inputs (1 pass, 1 fail, 1 error); target "
             "python3.12 x86_64\n");
    free(got);
    assert_int_equal(report_tally(&r, t), 3); /* the layer is part of its function */
    assert_int_equal(report_input_verdict(&r, 1), REPORT_ERROR);
    assert_int_equal(report_head_of(&r, 3), 2);
    assert_true(report_failed(&r));
    findings_release(&fs);
}

static void report__jsonl_is_a_line_per_function(void **state)
{
    struct findings fs = {0};
    struct report r = {
        "abiscan", "0",   profiles_find(&testdata_dd.profiles, "python3.12", "x86_64"),
        three,     4,     &fs,
        SEV_ERROR, false, 0,
        NULL,      0,     NULL,
        NULL,      false, NULL,
        NULL};
    char *got, *line, *save = NULL;
    size_t n = 0;

    (void)state;
    add(&fs, "ABI009", SEV_WARNING, "lib/x.so", NULL, "needs\nlibz", NULL)->input = 3;
    got = emit("jsonl", &r);
    for (line = strtok_r(got, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++) {
        cJSON *o = cJSON_Parse(line);
        assert_non_null(o);
        if (n == 2) { /* the function with its layer: its entry, the layer's, the finding */
            assert_string_equal(cJSON_GetObjectItem(o, "function")->valuestring, "CFunction");
            assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "layers")), 1);
            assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(o, "findings")), 1);
        }
        if (n == 1) {
            assert_string_equal(cJSON_GetObjectItem(o, "verdict")->valuestring, "error");
        }
        cJSON_Delete(o);
    }
    assert_int_equal(n, 3);
    free(got);
    findings_release(&fs);
}

static void report__unreadable_fails_every_format(void **state)
{
    struct findings fs = {0};
    struct report r = {
        "abiscan", "0",   profiles_find(&testdata_dd.profiles, "python3.12", "x86_64"),
        three,     4,     &fs,
        SEV_ERROR, false, 0,
        NULL,      0,     NULL,
        NULL,      false, NULL,
        NULL};
    static const struct {
        const char *format, *says;
    } rows[] = {
        {"junit", "<error type=\"input-unreadable\" message=\"cannot read 'bad.zip'"},
        {"github", "::error file=bad.zip,title=abiscan input-unreadable::could not be read: "},
        {"markdown", "**Could not be read**: cannot read \\'bad\\.zip\\'"},
        {"sarif", "\"executionSuccessful\":\tfalse"},
        {"json", "\"verdict\":\t\"error\""},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char *got = emit(rows[i].format, &r);
        if (!strstr(got, rows[i].says)) {
            fail_msg("%s does not say %s:\n%s", rows[i].format, rows[i].says, got);
        }
        free(got);
    }
    findings_release(&fs);
}

/* Where an input is from the base: below it, the base itself, a sibling sharing its
 * prefix, outside, no base, no file; the placed path falls back on the name as given. */
static void report__places_inputs_from_the_base(void **state)
{
    static const struct {
        const char *base, *real, *want;
    } rows[] = {
        {"/repo", "/repo/dist/fn.zip", "dist/fn.zip"},
        {"/repo", "/repo", "."},
        {"/repo", "/repository/fn.zip", NULL},
        {"/repo", "/elsewhere/fn.zip", NULL},
        {"/", "/fn.zip", "fn.zip"},
        {"/", "/", "."},
        {NULL, "/repo/fn.zip", NULL},
        {"/repo", NULL, NULL},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct report_input in = {.name = "as/given", .real = rows[i].real};
        struct report r = {0};
        const char *got;
        r.path_base = rows[i].base;
        got = report_input_based(&r, &in);
        if (rows[i].want ? !got || strcmp(got, rows[i].want) != 0 : got != NULL) {
            fail_msg("row %zu: %s under %s: got %s", i, rows[i].real ? rows[i].real : "(none)",
                     rows[i].base ? rows[i].base : "(none)", got ? got : "(null)");
        }
        assert_string_equal(report_input_placed(&r, &in), rows[i].want ? rows[i].want : in.name);
    }
}

/* A directory's member is placed below the directory's path from the base; a finding on
 * the whole directory ("."), on the directory; a zip's, on the zip. */
static void report__places_members_on_files(void **state)
{
    static const struct report_input inputs[] = {
        {.name = "../fn", .real = "/repo/src/fn", .kind = "directory"},
        {.name = "fn.zip", .real = "/repo/fn.zip", .kind = "zip"},
    };
    struct findings fs = {0};
    struct report r = {0};
    static const char *const want[] = {"src/fn/pkg/x.so", "src/fn", "fn.zip"};
    char *got;

    (void)state;
    add(&fs, "ABI001", SEV_ERROR, "pkg/x.so", NULL, "m", NULL);
    add(&fs, "ABI001", SEV_ERROR, ".", NULL, "m", NULL)->input = 0;
    add(&fs, "ABI001", SEV_ERROR, "pkg/x.so", NULL, "m", NULL)->input = 1;
    r.inputs = inputs;
    r.inputs_nr = 2;
    r.findings = &fs;
    r.path_base = "/repo";
    for (size_t i = 0; i < fs.nr; i++) {
        got = report_placed_path(&r, &fs.items[i]);
        assert_string_equal(got, want[i]);
        free(got);
    }
    got = report_artifact_path(&r, &fs.items[0]); /* as given, for the text formats */
    assert_string_equal(got, "../fn/pkg/x.so");
    free(got);
    findings_release(&fs);
}

static void report__names_its_formats(void **state)
{
    char *names = report_format_names("|");

    (void)state;
    assert_string_equal(
        names,
        "text|json|jsonl|sarif|junit|concise|statistics|github|markdown|exclude|strip|treemap");
    assert_null(report_emitter_find("xml"));
    free(names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(report__text_groups_by_cause),
        cmocka_unit_test(report__json_is_one_object),
        cmocka_unit_test(report__summary_says_why_errors_pass),
        cmocka_unit_test(report__matrix_says_where_it_imports),
        cmocka_unit_test(report__text_groups_by_input),
        cmocka_unit_test(report__jsonl_is_a_line_per_function),
        cmocka_unit_test(report__unreadable_fails_every_format),
        cmocka_unit_test(report__places_inputs_from_the_base),
        cmocka_unit_test(report__places_members_on_files),
        cmocka_unit_test(report__names_its_formats),
    };
    return cmocka_run_group_tests(tests, testdata_setup, testdata_teardown);
}
