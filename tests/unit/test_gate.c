/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the gate (gate/: suppressions, baseline, fingerprints) and the formats
 * that show what it set aside (report_sarif, report_junit, report_github, report_markdown),
 * on hand-built findings, hostile names included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "fingerprint.h"
#include "gate.h"
#include "report.h"
#include "testdata.h"
#include "xalloc.h"

static void add(struct findings *fs, const char *rule, const char *path, const char *found)
{
    struct finding *f = findings_push(fs);

    f->rule = rules_find(&testdata_dd.rules, rule);
    f->severity = f->rule->severity;
    f->path = xstrdup(path);
    f->found = xstrdup(found);
    f->message = xasprintf("needs %s", found);
}

static struct config_suppression sup(const char *rule, const char *glob, long until)
{
    struct config_suppression s = {(char *)rule, (char *)glob, (char *)"because",
                                   NULL,         until,        (char *)"cfg:3"};
    s.until = until >= 0 ? (char *)"2024-01-01" : NULL;
    return s;
}

static void gate__suppresses_expires_and_notes(void **state)
{
    struct findings fs = {0};
    struct gate g = {0};
    struct config_suppression s[] = {sup("ABI006", "pkg/**", -1), sup("ABI001", "**", 100),
                                     sup("ABI009", "**", -1)};
    struct gate_rules rules = {s, 3, NULL, 200};

    (void)state;
    add(&fs, "ABI006", "pkg/a.so", "GLIBC_2.38");
    add(&fs, "ABI006", "lib/b.so", "GLIBC_2.38");
    add(&fs, "ABI001", "pkg/c.so", ".cpython-35m.so");
    gate_apply(&g, &fs, &rules);
    assert_int_equal(fs.nr, 2);           /* lib/b.so, and the expired ABI001 */
    assert_int_equal(g.suppressed.nr, 1); /* pkg/a.so */
    assert_string_equal(g.suppressed.items[0].path, "pkg/a.so");
    assert_string_equal(g.marks[0].reason, "because");
    assert_int_equal(g.warnings.nr, 1); /* ABI001's expired on day 100 */
    assert_int_equal(g.notes.nr, 1);    /* ABI009's matched nothing */
    assert_non_null(strstr(g.notes.v[0], "cfg:3"));
    gate_release(&g);
    findings_release(&fs);
}

static void gate__fingerprint_is_rule_path_fact(void **state)
{
    struct findings fs = {0};
    char a[FINGERPRINT_HEX], b[FINGERPRINT_HEX];

    (void)state;
    add(&fs, "ABI006", "pkg/a.so", "GLIBC_2.38");
    add(&fs, "ABI006", "pkg/a.so", "GLIBC_2.38");
    free(fs.items[1].message);
    fs.items[1].message = xstrdup("reworded"); /* the message is not the finding */
    fingerprint_of(&fs.items[0], a);
    fingerprint_of(&fs.items[1], b);
    assert_string_equal(a, b);
    free(fs.items[1].found);
    fs.items[1].found = xstrdup("GLIBC_2.39");
    fingerprint_of(&fs.items[1], b);
    assert_string_not_equal(a, b);
    findings_release(&fs);
}

static char *emit(const char *format, const struct report *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct diag d = DIAG_INIT;

    assert_int_equal(report_emitter_find(format)->emit(f, r, &d), 0);
    fclose(f);
    return buf;
}

static const struct report_input dir_input[] = {
    {.name = "build/fn", .kind = "directory", .role = "function", .files = 3, .elf_objects = 2},
};

/* A name that tries to start a workflow command, break XML and a Markdown table. */
static void gate__formats_survive_hostile_names(void **state)
{
    struct findings fs = {0};
    struct gate g = {0};
    struct config_suppression s[] = {sup("ABI001", "keep/**", -1)};
    struct gate_rules rules = {s, 1, NULL, 0};
    struct report r = {
        "abiscan", "0",   profiles_find(&testdata_dd.profiles, "python3.12", "x86_64"),
        dir_input, 1,     &fs,
        SEV_ERROR, false, 0,
        NULL,      0,     &testdata_dd.rules,
        &g,        true,  NULL,
        NULL};
    char *out;

    (void)state;
    add(&fs, "ABI006", "pkg/x\n::error file=evil::pwned|<b>&\x01.so", "GLIBC_2.38");
    add(&fs, "ABI001", "keep/y.so", ".cpython-35m.so");
    gate_apply(&g, &fs, &rules);

    out = emit("github", &r);
    assert_int_equal(strchr(out, '\n') - out + 1, (long)strlen(out)); /* one line */
    assert_non_null(strstr(out, "::error file=build/fn/pkg/x\\x0a%3A%3Aerror file=evil%3A%3A"));
    free(out);

    out = emit("junit", &r);
    assert_null(strchr(out, '\x01'));
    assert_non_null(strstr(out, "pwned|&lt;b&gt;&amp;\\x01.so"));
    assert_non_null(strstr(out, "<skipped message=\"suppressed (cfg:3): because\"/>"));
    free(out);

    out = emit("markdown", &r);
    assert_non_null(strstr(out, "pwned\\|&lt;b&gt;&amp;\\\\x01\\.so"));
    assert_non_null(strstr(out, ", 1 suppressed"));
    free(out);

    out = emit("sarif", &r);
    assert_non_null(strstr(out, "\"uri\":\t\"build/fn/pkg/x%0A%3A%3Aerror%20file%3Devil"));
    assert_non_null(strstr(out, "\"justification\":\t\"because\""));
    assert_non_null(strstr(out, "\"partialFingerprints\""));
    free(out);

    out = emit("json", &r);
    assert_non_null(strstr(out, "\"suppressed\":\t1"));
    free(out);
    gate_release(&g);
    findings_release(&fs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gate__suppresses_expires_and_notes),
        cmocka_unit_test(gate__fingerprint_is_rule_path_fact),
        cmocka_unit_test(gate__formats_survive_hostile_names),
    };
    return cmocka_run_group_tests(tests, testdata_setup, testdata_teardown);
}
