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
 * runtime and architecture: does the bundle import there.
 *
 * XML 1.0 (§2.2 Char) forbids most C0 controls even as character references: they are
 * written as the text \xNN, like invalid UTF-8; nothing from a bundle is written raw.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "rules.h"
#include "utf8.h"
#include "xalloc.h"

/* The one escaper (style.md §4.9). attr: in an attribute value, where TAB, LF and CR
 * must be references to survive attribute-value normalisation (XML 1.0 §3.3.3). */
static void xml_put(FILE *out, const char *s, bool attr)
{
    char *clean = utf8_escape(s ? s : "", false);

    for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
        switch (*p) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs(attr ? "&quot;" : "\"", out);
            break;
        case '\t':
        case '\n':
        case '\r':
            if (attr) {
                fprintf(out, "&#%d;", *p);
            } else {
                fputc(*p, out);
            }
            break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                fprintf(out, "\\x%02x", *p); /* not a Char in XML 1.0: never written */
            } else if (*p == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) {
                fprintf(out, "\\u%s", p[2] == 0xbe ? "fffe" : "ffff"); /* U+FFFE, U+FFFF */
                p += 2;
            } else {
                fputc(*p, out);
            }
        }
    }
    free(clean);
}

static void attr(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    xml_put(out, value, true);
    fputc('"', out);
}

struct counts {
    size_t tests, failures, skipped;
};

/* The findings (kept and set aside) of one rule in one input, in report order. */
static void count_rule(const struct report *r, size_t input, const struct rule *rule,
                       struct counts *c)
{
    size_t n = 0;

    for (size_t i = 0; i < r->findings->nr; i++) {
        const struct finding *f = &r->findings->items[i];
        if (f->input == input && f->rule == rule) {
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
    char *text = xasprintf("%s: %s: %s [%s]", f->path, severity_name(f->severity), f->message,
                           f->rule->slug);

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
        if (f->remediation) {
            fputs("\nFix: ", out);
            xml_put(out, f->remediation, false);
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
}

static void rule_cases(FILE *out, const struct report *r, size_t input, const struct rule *rule)
{
    bool any = false;

    for (size_t i = 0; i < r->findings->nr; i++) {
        if (r->findings->items[i].input == input && r->findings->items[i].rule == rule) {
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
    fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", c->tests,
            c->failures, c->skipped);
}

static void target_suites(FILE *out, const struct report *r, const struct rule **rules, size_t nr)
{
    for (size_t in = 0; in < r->inputs_nr; in++) {
        struct counts c = {0, 0, 0};
        char *name = xasprintf("%s (%s)", r->inputs[in].name, r->inputs[in].role);
        for (size_t k = 0; k < nr; k++) {
            count_rule(r, in, rules[k], &c);
        }
        suite_open(out, name, &c);
        fputs("    <properties>\n      <property name=\"target\"", out);
        fprintf(out, " value=\"%s %s\"/>\n    </properties>\n", r->profile->runtime,
                r->profile->arch);
        for (size_t k = 0; k < nr; k++) {
            rule_cases(out, r, in, rules[k]);
        }
        fputs("  </testsuite>\n", out);
        free(name);
    }
}

/* Without a target: one suite, a case per runtime and architecture. */
static void matrix_suite(FILE *out, const struct report *r)
{
    struct counts c = {r->matrix_nr, 0, 0};

    for (size_t i = 0; i < r->matrix_nr; i++) {
        c.failures += !r->matrix[i].imports;
    }
    suite_open(out, "compatibility", &c);
    for (size_t i = 0; i < r->matrix_nr; i++) {
        const struct report_verdict *v = &r->matrix[i];
        char *name = xasprintf("imports on %s %s", v->profile->runtime, v->profile->arch);
        fputs("    <testcase classname=\"compatibility\"", out);
        attr(out, "name", name);
        if (v->imports) {
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
    fputs("  </testsuite>\n", out);
}

int report_junit(FILE *out, const struct report *r, struct diag *d)
{
    const struct rule **rules = NULL;
    size_t nr = report_rules(r, &rules);
    struct counts all = {0, 0, 0};

    if (r->profile) {
        for (size_t in = 0; in < r->inputs_nr; in++) {
            for (size_t k = 0; k < nr; k++) {
                count_rule(r, in, rules[k], &all);
            }
        }
    } else {
        all.tests = r->matrix_nr;
        for (size_t i = 0; i < r->matrix_nr; i++) {
            all.failures += !r->matrix[i].imports;
        }
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", out);
    attr(out, "name", r->tool_name);
    fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n", all.tests,
            all.failures, all.skipped);
    if (r->profile) {
        target_suites(out, r, rules, nr);
    } else {
        matrix_suite(out, r);
    }
    fputs("</testsuites>\n", out);
    free(rules);
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the report") : 0;
}
