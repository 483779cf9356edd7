/* SPDX-License-Identifier: MIT */
/* The emitter registry: the one list of output formats. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "utf8.h"
#include "xalloc.h"

static const struct emitter emitters[] = {
#define EMITTER(name, help) {#name, help, report_##name},
#include "emitters.def"
#undef EMITTER
};

const struct emitter *report_emitter_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(emitters); i++) {
        if (!strcmp(emitters[i].name, name)) {
            return &emitters[i];
        }
    }
    return NULL;
}

char *report_format_names(const char *sep)
{
    struct strvec names = STRVEC_INIT;
    char *out;

    for (size_t i = 0; i < ARRAY_SIZE(emitters); i++) {
        strvec_push(&names, emitters[i].name);
    }
    out = strvec_join(&names, sep);
    strvec_release(&names);
    return out;
}

const char *report_verdict_name(enum report_verdict_kind v)
{
    static const char *const names[] = {"pass", "fail", "error", "skipped"};
    return names[v];
}

/* A layer given with a function is part of it; a layer alone heads itself. */
static bool is_head(const struct report_input *in)
{
    return !in->role || strcmp(in->role, "layer") != 0 || in->alone;
}

size_t report_head_of(const struct report *r, size_t i)
{
    size_t h = i;

    while (h > 0 && !is_head(&r->inputs[h])) {
        h--;
    }
    return h;
}

/* The inputs of the unit headed by h: [h, *end). */
static size_t unit_end(const struct report *r, size_t h)
{
    size_t end = h + 1;

    while (end < r->inputs_nr && !is_head(&r->inputs[end])) {
        end++;
    }
    return end;
}

const struct profile *report_input_profile(const struct report *r, size_t i)
{
    const struct report_input *in = &r->inputs[report_head_of(r, i)];

    /* A function skipped (another language) or not checked (an unknown runtime) has none:
     * never the run's on its behalf. */
    if (in->profile || in->skipped || in->error) {
        return in->profile;
    }
    return r->profile;
}

const struct report_verdict *report_input_matrix(const struct report *r, size_t i, size_t *nr)
{
    const struct report_input *in = &r->inputs[i];

    *nr = 0;
    if (in->matrix_nr) {
        *nr = in->matrix_nr;
        return in->matrix;
    }
    /* A report made for one input carries its matrix at the top (checked last: it walks). */
    if (i == 0 && r->matrix_nr && !in->error && !in->skipped && is_head(in) &&
        !report_input_profile(r, i) && r->inputs_nr == unit_end(r, 0)) {
        *nr = r->matrix_nr;
        return r->matrix;
    }
    return NULL;
}

/* The first of items[0..n) whose input is not below input (they are sorted by input). */
static size_t lower_bound(const struct finding *items, size_t n, size_t input)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (items[mid].input < input) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

const struct causes *report_causes(const struct report *r, struct causes *local)
{
    if (r->causes) {
        return r->causes;
    }
    for (size_t h = 0; h < r->inputs_nr;) {
        size_t end = h + 1, b, e, unused;
        while (end < r->inputs_nr && report_head_of(r, end) == h) {
            end++;
        }
        report_findings_of(r, h, &b, &unused);
        report_findings_of(r, end - 1, &unused, &e);
        causes_group(local, r->findings, b, e, h, report_input_profile(r, h), NULL);
        h = end;
    }
    return local;
}

bool report_same_text(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

void report_findings_of(const struct report *r, size_t i, size_t *begin, size_t *end)
{
    *begin = lower_bound(r->findings->items, r->findings->nr, i);
    *end = lower_bound(r->findings->items, r->findings->nr, i + 1);
}

void report_input_counts(const struct report *r, size_t i, struct report_counts *c)
{
    size_t b, e;

    memset(c, 0, sizeof(*c));
    report_findings_of(r, i, &b, &e);
    for (size_t k = b; k < e; k++) {
        enum severity sev = r->findings->items[k].severity;
        c->error += sev == SEV_ERROR;
        c->warning += sev == SEV_WARNING;
        c->note += sev == SEV_NOTE;
    }
    if (r->gate) {
        const struct findings *s = &r->gate->suppressed;
        c->suppressed = lower_bound(s->items, s->nr, i + 1) - lower_bound(s->items, s->nr, i);
    }
}

static bool fails_on_findings(const struct report *r, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        size_t b, e;
        report_findings_of(r, i, &b, &e);
        for (size_t k = b; k < e; k++) {
            if (r->findings->items[k].severity >= r->fail_on && r->fail_on != SEV_NONE) {
                return true;
            }
        }
    }
    return false;
}

const char *report_input_reason(const struct report *r, size_t i)
{
    const struct report_input *in = &r->inputs[i];
    size_t end = is_head(in) ? unit_end(r, i) : i + 1;

    switch (report_input_verdict(r, i)) {
    case REPORT_ERROR:
        for (size_t k = i; k < end; k++) {
            if (r->inputs[k].error) {
                return r->inputs[k].error; /* the function's own, or a layer's */
            }
        }
        break;
    case REPORT_SKIPPED:
        return in->skipped ? in->skipped
                           : "not checked: the code of the function it is a layer of could not "
                             "be read";
    default:
        break;
    }
    return NULL;
}

enum report_verdict_kind report_input_verdict(const struct report *r, size_t i)
{
    const struct report_input *in = &r->inputs[i];
    const struct report_verdict *m;
    size_t end = is_head(in) ? unit_end(r, i) : i + 1, nr;

    for (size_t k = i; k < end; k++) {
        if (r->inputs[k].error) {
            return REPORT_ERROR;
        }
    }
    if (in->skipped || (!is_head(in) && r->inputs[report_head_of(r, i)].error)) {
        return REPORT_SKIPPED; /* a layer of a function that could not be read: not checked */
    }
    if (is_head(in) && (m = report_input_matrix(r, i, &nr)) != NULL) {
        for (size_t k = 0; k < nr; k++) {
            if (report_verdict_ok(&m[k])) {
                return REPORT_PASS;
            }
        }
        return REPORT_FAIL;
    }
    return fails_on_findings(r, i, end) ? REPORT_FAIL : REPORT_PASS;
}

size_t report_tally(const struct report *r, size_t out[4])
{
    size_t heads = 0;

    memset(out, 0, 4 * sizeof(*out));
    for (size_t i = 0; i < r->inputs_nr; i++) {
        if (is_head(&r->inputs[i])) {
            out[report_input_verdict(r, i)]++;
            heads++;
        }
    }
    return heads;
}

bool report_failed(const struct report *r)
{
    size_t t[4];

    report_tally(r, t);
    return t[REPORT_FAIL] || t[REPORT_ERROR];
}

size_t report_suppressed_count(const struct report *r)
{
    return r->gate ? r->gate->suppressed.nr : 0;
}

void report_print_suppressed(FILE *out, const struct report *r)
{
    if (r->gated) {
        fprintf(out, "; %zu suppressed", report_suppressed_count(r));
    }
}

void report_print_tally(FILE *out, const struct report *r)
{
    size_t t[4], heads = report_tally(r, t);

    if (heads < 2 && !t[REPORT_ERROR] && !t[REPORT_SKIPPED]) {
        return;
    }
    fprintf(out, " (%zu pass, %zu fail", t[REPORT_PASS], t[REPORT_FAIL]);
    if (t[REPORT_ERROR]) {
        fprintf(out, ", %zu error", t[REPORT_ERROR]);
    }
    if (t[REPORT_SKIPPED]) {
        fprintf(out, ", %zu skipped", t[REPORT_SKIPPED]);
    }
    fputc(')', out);
}

bool report_print_unchecked(FILE *out, const struct report *r)
{
    size_t t[4], heads = report_tally(r, t);

    if (!t[REPORT_ERROR]) {
        return false;
    }
    if (t[REPORT_ERROR] == heads) {
        if (heads == 1) {
            fputs(" the input could not be checked", out);
        } else {
            fprintf(out, " none of the %zu inputs could be checked", heads);
        }
        return true;
    }
    fprintf(out, " %zu of %zu inputs could not be checked; in the others,", t[REPORT_ERROR], heads);
    return false;
}

void report_print_target(FILE *out, const struct report *r)
{
    if (r->profile) {
        fprintf(out, "target %s %s", r->profile->runtime, r->profile->arch);
    } else {
        fputs("targets as declared", out);
    }
}

void report_print_summary_line(FILE *out, const struct report *r)
{
    const struct findings *fs = r->findings;
    size_t e = findings_count(fs, SEV_ERROR), w = findings_count(fs, SEV_WARNING);
    size_t n = findings_count(fs, SEV_NOTE), ok = 0, t[4], heads = report_tally(r, t);
    bool fails = t[REPORT_FAIL] > 0;

    if (!r->profile && r->matrix_nr) {
        for (size_t i = 0; i < r->matrix_nr; i++) {
            ok += report_verdict_ok(&r->matrix[i]);
        }
        if (heads > 1 || t[REPORT_ERROR] || t[REPORT_SKIPPED]) {
            fprintf(out, "%s: %zu input%s", r->tool_name, heads, heads == 1 ? "" : "s");
            report_print_tally(out, r);
            fputs(";", out);
        } else {
            fprintf(out, "%s:", r->tool_name);
        }
        fprintf(out, " %s on %zu of %zu runtime%s\n",
                heads > 1 || t[REPORT_ERROR] || t[REPORT_SKIPPED] ? "together they import"
                                                                  : "imports",
                ok, r->matrix_nr, r->matrix_nr == 1 ? "" : "s");
        return;
    }
    fprintf(out, "%s:", r->tool_name);
    if (!report_print_unchecked(out, r)) {
        fprintf(out, " %zu error%s, %zu warning%s, %zu note%s", e, e == 1 ? "" : "s", w,
                w == 1 ? "" : "s", n, n == 1 ? "" : "s");
        report_print_suppressed(out, r);
        fprintf(out, " in %zu input%s", r->inputs_nr, r->inputs_nr == 1 ? "" : "s");
        report_print_tally(out, r);
    }
    fputs("; ", out);
    report_print_target(out, r);
    fputs(fails || t[REPORT_ERROR] ? ": fails" : ": passes", out);
    if (fails && t[REPORT_ERROR]) {
        fprintf(out, " (--fail-on; %zu could not be read)", t[REPORT_ERROR]);
    } else if (t[REPORT_ERROR]) {
        fprintf(out, " (%zu could not be read)", t[REPORT_ERROR]);
    } else if (fails) {
        fputs(" (--fail-on)", out);
    } else if (e) {
        fputs(" (--fail-on none)", out); /* errors, and yet it passes: say why */
    }
    fputc('\n', out);
}

static int cmp_rule(const void *a, const void *b)
{
    return strcmp((*(const struct rule *const *)a)->id, (*(const struct rule *const *)b)->id);
}

static void add_rule(const struct rule ***v, size_t *n, const struct rule *rule)
{
    for (size_t i = 0; i < *n; i++) {
        if ((*v)[i] == rule) {
            return;
        }
    }
    (*v)[(*n)++] = rule;
}

size_t report_rules(const struct report *r, const struct rule ***out)
{
    size_t cap = r->findings->nr + report_suppressed_count(r) + 1, n = 0;
    const struct rule **v;

    if (r->rules) {
        v = xcalloc(r->rules->nr + 1, sizeof(*v));
        for (size_t i = 0; i < r->rules->nr; i++) {
            v[n++] = &r->rules->v[i];
        }
    } else {
        v = xcalloc(cap, sizeof(*v));
        for (size_t i = 0; i < r->findings->nr; i++) {
            add_rule(&v, &n, r->findings->items[i].rule);
        }
        for (size_t i = 0; i < report_suppressed_count(r); i++) {
            add_rule(&v, &n, r->gate->suppressed.items[i].rule);
        }
    }
    qsort(v, n, sizeof(*v), cmp_rule);
    *out = v;
    return n;
}

bool report_in_archive(const struct report *r, const struct finding *f)
{
    const char *kind = r->inputs[f->input].kind;
    return kind && strcmp(kind, "directory") != 0 && strcmp(kind, "file") != 0;
}

bool report_on_member_file(const struct report *r, const struct finding *f)
{
    const char *kind = r->inputs[f->input].kind;
    return kind && !strcmp(kind, "directory") && f->path[0] && strcmp(f->path, ".") != 0;
}

/* The member inside a directory, else the input itself (a finding on the whole of a
 * directory is on the directory, not on "DIR/."). "." (the base itself) adds nothing
 * before the member. */
char *report_artifact_at(const struct report *r, const struct finding *f, const char *path)
{
    size_t n = strlen(path);

    if (!report_on_member_file(r, f)) {
        return xstrdup(path);
    }
    if (!strcmp(path, ".")) {
        return xstrdup(f->path);
    }
    while (n > 1 && path[n - 1] == '/') {
        n--;
    }
    return xasprintf("%.*s/%s", (int)n, path, f->path);
}

char *report_artifact_path(const struct report *r, const struct finding *f)
{
    return report_artifact_at(r, f, r->inputs[f->input].name);
}

const char *report_input_based(const struct report *r, const struct report_input *in)
{
    const char *base = r->path_base;
    size_t n;

    if (!base || !in->real) {
        return NULL;
    }
    n = strcmp(base, "/") ? strlen(base) : 0; /* "/": every absolute path is under it */
    if (strncmp(in->real, base, n) != 0) {
        return NULL;
    }
    if (in->real[n] == '/' && in->real[n + 1]) {
        return in->real + n + 1;
    }
    return in->real[n] == '\0' || in->real[n] == '/' ? "." : NULL;
}

const char *report_input_placed(const struct report *r, const struct report_input *in)
{
    const char *based = report_input_based(r, in);
    return based ? based : in->name;
}

char *report_placed_path(const struct report *r, const struct finding *f)
{
    return report_artifact_at(r, f, report_input_placed(r, &r->inputs[f->input]));
}

/* The one escaper (CONTRIBUTING.md#house-rules, escaping). attr: in an attribute value, where TAB, LF and CR
 * must be references to survive attribute-value normalisation (XML 1.0 §3.3.3). */
void rxml_put(FILE *out, const char *s, bool attr)
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
