/* SPDX-License-Identifier: MIT */
/*
 * JUnit XML, as AWS CodeBuild report groups (file format JUNITXML) and the GitHub test
 * reporters (dorny/test-reporter, mikepenz/action-junit-report) read it: the de-facto
 * schema of Ant's JUnit task and Jenkins (testsuites > testsuite > testcase, a testcase
 * holding at most one of failure or skipped). One testsuite per input; in it, for every
 * rule, one testcase per finding of that rule (a failure when it is at or above
 * --fail-on, skipped when the gate set it aside, passed below the threshold), or one
 * passing testcase when the rule found nothing, so that a clean bundle shows what was
 * checked and a failing one what failed and where. Without a target, one testcase per
 * runtime and architecture: does the bundle import there. An input that could not be
 * read is a testcase with an error (the suite's errors count it), one not checked (not
 * Python, a container image) a skipped testcase: neither passes.
 *
 * XML 1.0 (§2.2 Char) forbids most C0 controls even as character references: they are
 * written as the text \xNN, like invalid UTF-8; nothing from a bundle is written raw.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "rules.h"
#include "utf8.h"
#include "xalloc.h"

#define xml_put rxml_put /* report.c */

static void attr(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    xml_put(out, value, true);
    fputc('"', out);
}

struct counts {
    size_t tests, failures, errors, skipped;
};

/* The findings (kept and set aside) of one rule in one input, in report order. */
static void count_rule(const struct report *r, size_t input, const struct rule *rule,
                       struct counts *c)
{
    size_t n = 0, b, e;

    report_findings_of(r, input, &b, &e);
    for (size_t i = b; i < e; i++) {
        const struct finding *f = &r->findings->items[i];
        if (f->rule == rule) {
            n++;
            c->failures += f->severity >= r->fail_on;
        }
    }
    for (size_t i = 0; i < report_suppressed_count(r); i++) {
        const struct finding *f = &r->gate->suppressed.items[i];
        if (f->input == input && f->rule == rule) {
            n++;
            c->skipped++;
        }
    }
    c->tests += n ? n : 1;
}

static void testcase(FILE *out, const struct report *r, const struct finding *f,
                     const struct gate_mark *m)
{
    char *name = xasprintf("%s %s: %s", f->rule->id, f->rule->slug, f->path);
    char *also = finding_also_words(f);
    char *text = xasprintf("%s: %s: %s%s%s [%s]", f->path, severity_name(f->severity), f->message,
                           also ? "; " : "", also ? also : "", f->rule->slug);

    fputs("    <testcase", out);
    attr(out, "classname", r->inputs[f->input].name);
    attr(out, "name", name);
    attr(out, "file", f->path);
    fputs(">\n", out);
    if (m) {
        char *why = xasprintf("suppressed (%s): %s", m->where, m->reason);
        fputs("      <skipped", out);
        attr(out, "message", why);
        fputs("/>\n", out);
        free(why);
    } else if (f->severity >= r->fail_on) {
        fputs("      <failure", out);
        attr(out, "type", f->rule->id);
        attr(out, "message", text);
        fputs(">", out);
        xml_put(out, text, false);
        if (f->lambda_error) {
            fputs("\nLambda logs: ", out);
            xml_put(out, f->lambda_error, false);
        }
        if (f->fix_command) { /* the command alone on its line, the words on the next */
            fputs("\nFix: ", out);
            xml_put(out, f->fix_command, false);
        }
        if (f->fix_note) {
            fputs("\nNote: ", out);
            xml_put(out, f->fix_note, false);
        }
        fputs("</failure>\n", out);
    } else {
        fputs("      <system-out>", out);
        xml_put(out, text, false);
        fputs(" (below --fail-on)</system-out>\n", out);
    }
    fputs("    </testcase>\n", out);
    free(name);
    free(text);
    free(also);
}

static void rule_cases(FILE *out, const struct report *r, size_t input, const struct rule *rule)
{
    bool any = false;
    size_t b, e;

    report_findings_of(r, input, &b, &e);
    for (size_t i = b; i < e; i++) {
        if (r->findings->items[i].rule == rule) {
            testcase(out, r, &r->findings->items[i], NULL);
            any = true;
        }
    }
    for (size_t i = 0; i < report_suppressed_count(r); i++) {
        if (r->gate->suppressed.items[i].input == input &&
            r->gate->suppressed.items[i].rule == rule) {
            testcase(out, r, &r->gate->suppressed.items[i], &r->gate->marks[i]);
            any = true;
        }
    }
    if (!any) {
        char *name = xasprintf("%s %s", rule->id, rule->slug);
        fputs("    <testcase", out);
        attr(out, "classname", r->inputs[input].name);
        attr(out, "name", name);
        fputs("/>\n", out);
        free(name);
    }
}

static void suite_open(FILE *out, const char *name, const struct counts *c)
{
    fputs("  <testsuite", out);
    attr(out, "name", name);
    fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n", c->tests,
            c->failures, c->errors, c->skipped);
}

static void add_counts(struct counts *all, const struct counts *c)
{
    all->tests += c->tests;
    all->failures += c->failures;
    all->errors += c->errors;
    all->skipped += c->skipped;
}

/* What one input's suite holds: its rules' cases, an error or a skip, or the matrix. */
static bool input_counts(const struct report *r, size_t in, const struct rule **rules, size_t nr,
                         struct counts *c)
{
    const struct report_input *ri = &r->inputs[in];
    const struct report_verdict *rows;
    size_t rows_nr;

    memset(c, 0, sizeof(*c));
    if (ri->error || ri->skipped) {
        c->tests = 1;
        c->errors = ri->error != NULL;
        c->skipped = ri->error == NULL;
        return true;
    }
    if ((rows = report_input_matrix(r, in, &rows_nr)) != NULL) {
        c->tests = rows_nr;
        for (size_t i = 0; i < rows_nr; i++) {
            c->failures += !report_verdict_ok(&rows[i]);
        }
        return true;
    }
    if (!report_input_profile(r, in)) {
        return false; /* a layer of a function checked on every runtime: in its matrix */
    }
    for (size_t k = 0; k < nr; k++) {
        count_rule(r, in, rules[k], c);
    }
    return true;
}

static void properties(FILE *out, const struct report *r, size_t in)
{
    const struct report_input *ri = &r->inputs[in];
    const struct profile *p = report_input_profile(r, in);

    if (!p && !ri->function) {
        return;
    }
    fputs("    <properties>\n", out);
    if (p) {
        fprintf(out, "      <property name=\"target\" value=\"%s %s\"/>\n", p->runtime, p->arch);
    }
    if (ri->function) {
        fputs("      <property name=\"function\"", out);
        attr(out, "value", ri->function);
        fputs("/>\n", out);
    }
    fputs("    </properties>\n", out);
}

/* An input that could not be read is an error (the check could not run), one not checked
 * skipped; neither passes. */
static void unread_case(FILE *out, const struct report_input *ri)
{
    fputs("    <testcase", out);
    attr(out, "classname", ri->name);
    attr(out, "name", ri->error ? "abiscan reads the input" : "abiscan checks the input");
    fputs(">\n", out);
    if (ri->error) {
        fputs("      <error type=\"input-unreadable\"", out);
        attr(out, "message", ri->error);
        fputs(">", out);
        xml_put(out, ri->error, false);
        fputs("</error>\n", out);
    } else {
        fputs("      <skipped", out);
        attr(out, "message", ri->skipped);
        fputs("/>\n", out);
    }
    fputs("    </testcase>\n", out);
}

/* Without a target: a case per runtime and architecture, does the input import there. */
static void matrix_cases(FILE *out, const char *classname, const struct report_verdict *rows,
                         size_t nr)
{
    for (size_t i = 0; i < nr; i++) {
        const struct report_verdict *v = &rows[i];
        char *name = xasprintf("imports on %s %s", v->profile->runtime, v->profile->arch);
        fputs("    <testcase", out);
        attr(out, "classname", classname);
        attr(out, "name", name);
        if (report_verdict_ok(v)) {
            fputs("/>\n", out);
        } else {
            char *why = strvec_join(&v->blockers, ", ");
            char *msg = xasprintf("blocked by %s", why);
            fputs(">\n      <failure type=\"compatibility\"", out);
            attr(out, "message", msg);
            fputs("/>\n    </testcase>\n", out);
            free(why);
            free(msg);
        }
        free(name);
    }
}

static void input_suite(FILE *out, const struct report *r, size_t in, const struct rule **rules,
                        size_t nr)
{
    const struct report_input *ri = &r->inputs[in];
    const struct report_verdict *rows;
    struct counts c;
    size_t rows_nr;
    char *name;
    bool alone = r->inputs_nr == 1;

    if (!input_counts(r, in, rules, nr, &c)) {
        return;
    }
    rows = ri->error || ri->skipped ? NULL : report_input_matrix(r, in, &rows_nr);
    /* One bundle checked on every runtime keeps the suite it always had. */
    name = rows && alone ? xstrdup("compatibility")
           : rows        ? xasprintf("%s (compatibility)", ri->name)
                         : xasprintf("%s (%s)", ri->name, ri->role);
    suite_open(out, name, &c);
    properties(out, r, in);
    if (ri->error || ri->skipped) {
        unread_case(out, ri);
    } else if (rows) {
        matrix_cases(out, alone ? "compatibility" : ri->name, rows, rows_nr);
    } else {
        for (size_t k = 0; k < nr; k++) {
            rule_cases(out, r, in, rules[k]);
        }
    }
    fputs("  </testsuite>\n", out);
    free(name);
}

int report_junit(FILE *out, const struct report *r, struct diag *d)
{
    const struct rule **rules = NULL;
    size_t nr = report_rules(r, &rules);
    struct counts all = {0, 0, 0, 0}, c;

    for (size_t in = 0; in < r->inputs_nr; in++) {
        if (input_counts(r, in, rules, nr, &c)) {
            add_counts(&all, &c);
        }
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", out);
    attr(out, "name", r->tool_name);
    fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n", all.tests,
            all.failures, all.errors, all.skipped);
    for (size_t in = 0; in < r->inputs_nr; in++) {
        input_suite(out, r, in, rules, nr);
    }
    fputs("</testsuites>\n", out);
    free(rules);
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
}
