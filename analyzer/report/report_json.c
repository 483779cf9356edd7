/* SPDX-License-Identifier: MIT */
/*
 * JSON output: one object, keys in a fixed order (cJSON keeps insertion
 * order), validated in the tests against rules/schema/report.schema.json. The objects it
 * shares with JSON Lines (report_jsonl.c) are built here (report_int.h).
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_int.h"
#include "rules.h"
#include "utf8.h"
#include "xalloc.h"

/* Every string the bundle may have put bytes in passes here: the report is valid UTF-8. */
void rjson_add_str(cJSON *obj, const char *key, const char *value)
{
    if (value) {
        char *clean = utf8_escape(value, false);
        cJSON_AddItemToObject(obj, key, cJSON_CreateString(clean));
        free(clean);
    } else {
        cJSON_AddItemToObject(obj, key, cJSON_CreateNull());
    }
}

void rjson_add_num(cJSON *obj, const char *key, double value)
{
    cJSON_AddItemToObject(obj, key, cJSON_CreateNumber(value));
}

#define add_str rjson_add_str
#define add_num rjson_add_num

/* The target, or nulls for the matrix (no --runtime). */
cJSON *rjson_target(const struct profile *p)
{
    cJSON *t = cJSON_CreateObject();

    add_str(t, "runtime", p ? p->runtime : NULL);
    add_str(t, "arch", p ? p->arch : NULL);
    add_str(t, "profile", p ? p->id : NULL);
    add_str(t, "python", p ? p->python_version : NULL);
    add_str(t, "os", p ? p->os_name : NULL);
    return t;
}

cJSON *rjson_matrix(const struct report_verdict *rows, size_t nr)
{
    cJSON *list = cJSON_CreateArray();

    for (size_t i = 0; i < nr; i++) {
        const struct report_verdict *v = &rows[i];
        cJSON *o = cJSON_CreateObject(), *rules = cJSON_CreateArray();
        add_str(o, "runtime", v->profile->runtime);
        add_str(o, "arch", v->profile->arch);
        cJSON_AddItemToObject(o, "imports", cJSON_CreateBool(v->imports));
        cJSON_AddItemToObject(o, "deploys", cJSON_CreateBool(v->deploys));
        add_num(o, "errors", (double)v->errors);
        add_num(o, "warnings", (double)v->warnings);
        for (size_t j = 0; j < v->blockers.nr; j++) {
            cJSON_AddItemToArray(rules, cJSON_CreateString(v->blockers.v[j]));
        }
        cJSON_AddItemToObject(o, "blocked_by", rules);
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

static cJSON *strings(const struct strvec *v)
{
    cJSON *list = cJSON_CreateArray();

    for (size_t j = 0; v && j < v->nr; j++) {
        char *clean = utf8_escape(v->v[j], false);
        cJSON_AddItemToArray(list, cJSON_CreateString(clean));
        free(clean);
    }
    return list;
}

/* inputs[].built_with: how the head was built (model/builtwith.h). */
static cJSON *built_with(const struct built_with *b)
{
    cJSON *o = cJSON_CreateObject(), *pythons = cJSON_CreateArray(), *tools = cJSON_CreateArray();
    cJSON *origins = cJSON_CreateObject();

    for (size_t i = 0; i < b->pythons_nr; i++) {
        cJSON *p = cJSON_CreateObject();
        char v[32];
        snprintf(v, sizeof(v), "%d.%d", b->pythons[i].major, b->pythons[i].minor);
        add_str(p, "python", b->pythons[i].major ? v : "abi3");
        add_num(p, "modules", (double)b->pythons[i].modules);
        cJSON_AddItemToArray(pythons, p);
    }
    for (size_t i = 0; i < b->tools_nr; i++) {
        cJSON *t = cJSON_CreateObject();
        add_str(t, "comment", b->tools[i].comment);
        add_num(t, "objects", (double)b->tools[i].objects);
        cJSON_AddItemToArray(tools, t);
    }
    add_num(origins, "manylinux", (double)b->origins.manylinux);
    add_num(origins, "musllinux", (double)b->origins.musllinux);
    add_num(origins, "local", (double)b->origins.local);
    add_num(origins, "other", (double)b->origins.other);
    add_num(origins, "not_wheels", (double)b->origins.not_wheels);
    cJSON_AddItemToObject(o, "pythons", pythons);
    add_str(o, "glibc", b->glibc);
    cJSON_AddItemToObject(o, "toolchains", tools);
    cJSON_AddItemToObject(o, "native_distributions", origins);
    return o;
}

void rjson_input_into(cJSON *o, const struct report *r, size_t i)
{
    const struct report_input *in = &r->inputs[i];
    enum report_verdict_kind v = report_input_verdict(r, i);
    const struct report_verdict *rows;
    struct report_counts c;
    cJSON *counts = cJSON_CreateObject();
    size_t nr;

    add_str(o, "path", in->name);
    add_str(o, "function", in->function);
    add_str(o, "kind", in->kind);
    add_str(o, "role", in->role);
    add_str(o, "role_reason", in->role_reason);
    add_num(o, "files", (double)in->files);
    add_num(o, "elf_objects", (double)in->elf_objects);
    add_num(o, "extension_modules", (double)in->extensions);
    add_num(o, "distributions", (double)in->distributions);
    cJSON_AddItemToObject(o, "notes", strings(in->notes));
    cJSON_AddItemToObject(o, "target", rjson_target(report_input_profile(r, i)));
    add_str(o, "verdict", report_verdict_name(v));
    add_str(o, "reason", report_input_reason(r, i));
    report_input_counts(r, i, &c);
    add_num(counts, "error", (double)c.error);
    add_num(counts, "warning", (double)c.warning);
    add_num(counts, "note", (double)c.note);
    if (r->gated) {
        add_num(counts, "suppressed", (double)c.suppressed);
    }
    cJSON_AddItemToObject(o, "counts", counts);
    cJSON_AddItemToObject(o, "not_checked", strings(in->not_checked));
    if ((rows = report_input_matrix(r, i, &nr)) != NULL) {
        cJSON_AddItemToObject(o, "compatibility", rjson_matrix(rows, nr));
    }
    if (in->size) {
        cJSON_AddItemToObject(o, "size", rjson_size(r, i));
    }
    if (in->built) {
        cJSON_AddItemToObject(o, "built_with", built_with(in->built));
    }
}

static cJSON *json_inputs(const struct report *r)
{
    cJSON *list = cJSON_CreateArray();

    for (size_t i = 0; i < r->inputs_nr; i++) {
        cJSON *o = cJSON_CreateObject();
        rjson_input_into(o, r, i);
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

cJSON *rjson_finding(const struct report *r, const struct finding *f, long id, long cause)
{
    cJSON *o = cJSON_CreateObject(), *aliases = cJSON_CreateArray();

    if (id >= 0) {
        add_num(o, "id", (double)id);
        if (cause >= 0) {
            add_num(o, "cause", (double)cause);
        } else {
            cJSON_AddItemToObject(o, "cause", cJSON_CreateNull());
        }
    }
    add_str(o, "rule", f->rule->id);
    add_str(o, "slug", f->rule->slug);
    add_str(o, "severity", severity_name(f->severity));
    add_str(o, "path", f->path);
    add_str(o, "path_bytes", f->path_bytes);
    cJSON_AddItemToObject(o, "aliases", aliases);
    for (size_t i = 0; i < f->aliases.nr; i++) {
        cJSON_AddItemToArray(aliases, cJSON_CreateString(f->aliases.v[i]));
    }
    add_str(o, "input", r->inputs[f->input].name);
    add_str(o, "function", r->inputs[report_head_of(r, f->input)].function);
    if (f->dist_name) {
        cJSON *dist = cJSON_CreateObject();
        add_str(dist, "name", f->dist_name);
        add_str(dist, "version", f->dist_version);
        cJSON_AddItemToObject(o, "distribution", dist);
    } else {
        cJSON_AddItemToObject(o, "distribution", cJSON_CreateNull());
    }
    add_str(o, "expected", f->expected);
    add_str(o, "found", f->found);
    add_str(o, "message", f->message);
    add_str(o, "lambda_error", f->lambda_error);
    /* The fix as data: a command a shell runs as it is (or null), and the words (or null). */
    cJSON *fix = cJSON_CreateObject();
    add_str(fix, "command", f->fix_command);
    add_str(fix, "note", f->fix_note);
    cJSON_AddItemToObject(o, "fix", fix);
    if (f->chain.nr) {
        cJSON *chain = cJSON_CreateArray();
        for (size_t i = 0; i < f->chain.nr; i++) {
            cJSON_AddItemToArray(chain, cJSON_CreateString(f->chain.v[i]));
        }
        cJSON_AddItemToObject(o, "chain", chain);
    }
    if (f->also_nr) {
        cJSON *also = cJSON_CreateArray();
        for (size_t i = 0; i < f->also_nr; i++) {
            cJSON *a = cJSON_CreateObject();
            add_str(a, "rule", f->also[i].rule->id);
            add_str(a, "slug", f->also[i].rule->slug);
            add_str(a, "severity", severity_name(f->also[i].severity));
            add_str(a, "expected", f->also[i].expected);
            add_str(a, "found", f->also[i].found);
            add_str(a, "message", f->also[i].message);
            cJSON_AddItemToArray(also, a);
        }
        cJSON_AddItemToObject(o, "also", also);
    }
    return o;
}

/* What the gate set aside (suppressions, the baseline) of inputs [from, to): the findings,
 * each with why (the gate's list is in input order, as the findings are). */
cJSON *rjson_suppressed(const struct report *r, size_t from, size_t to)
{
    cJSON *list = cJSON_CreateArray();

    for (size_t i = 0; i < report_suppressed_count(r); i++) {
        const struct gate_mark *m = &r->gate->marks[i];
        const struct finding *f = &r->gate->suppressed.items[i];
        cJSON *o, *why;
        if (f->input < from || f->input >= to) {
            continue;
        }
        o = rjson_finding(r, f, -1, -1);
        why = cJSON_CreateObject();
        add_str(why, "kind", m->kind);
        add_str(why, "reason", m->reason);
        add_str(why, "where", m->where);
        cJSON_AddItemToObject(o, "suppression", why);
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

/* The findings [*b, *e) of inputs [from, to), and the first of their causes (*c0). */
static void range_of(const struct report *r, size_t from, size_t to, size_t *b, size_t *e,
                     size_t *c0)
{
    size_t unused;

    *b = *e = *c0 = 0;
    if (from < to) {
        report_findings_of(r, from, b, &unused);
        report_findings_of(r, to - 1, &unused, e);
    }
    while (r->causes && *c0 < r->causes->nr && r->causes->v[*c0].input < from) {
        (*c0)++;
    }
}

size_t *rjson_cause_of(const struct report *r)
{
    return r->causes ? causes_index(r->causes, r->findings->nr) : NULL;
}

cJSON *rjson_findings(const struct report *r, size_t from, size_t to, const size_t *cause_of)
{
    cJSON *list = cJSON_CreateArray();
    size_t b, e, c0;

    range_of(r, from, to, &b, &e, &c0);
    for (size_t i = b; i < e; i++) {
        long cause = cause_of && cause_of[i] < r->causes->nr ? (long)(cause_of[i] - c0) : -1;
        cJSON_AddItemToArray(list, rjson_finding(r, &r->findings->items[i], (long)(i - b), cause));
    }
    return list;
}

cJSON *rjson_causes(const struct report *r, size_t from, size_t to)
{
    cJSON *list = cJSON_CreateArray();
    size_t b, e, c0;

    range_of(r, from, to, &b, &e, &c0);
    for (size_t k = c0; r->causes && k < r->causes->nr && r->causes->v[k].input < to; k++) {
        const struct cause *c = &r->causes->v[k];
        cJSON *o = cJSON_CreateObject(), *counts = cJSON_CreateObject();
        cJSON *ids = cJSON_CreateArray(), *fix = cJSON_CreateObject();
        add_num(o, "id", (double)(k - c0));
        add_str(o, "key", c->key);
        add_str(o, "title", c->title);
        add_str(o, "severity", severity_name(c->severity));
        add_str(o, "input", r->inputs[c->input].name);
        add_str(o, "function", r->inputs[c->input].function);
        cJSON_AddItemToObject(o, "rebuild", cJSON_CreateBool(c->rebuild));
        add_num(counts, "error", (double)c->errors);
        add_num(counts, "warning", (double)c->warnings);
        add_num(counts, "note", (double)c->notes);
        cJSON_AddItemToObject(o, "counts", counts);
        cJSON_AddItemToObject(o, "distributions", strings(&c->dists));
        add_str(fix, "command", c->fix_command);
        add_str(fix, "note", c->fix_note);
        cJSON_AddItemToObject(o, "fix", fix);
        for (size_t i = 0; i < c->nr; i++) {
            cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)(c->findings[i] - b)));
        }
        cJSON_AddItemToObject(o, "findings", ids);
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

int rjson_print(FILE *out, cJSON *root, bool one_line, struct diag *d)
{
    char *text = one_line ? cJSON_PrintUnformatted(root) : cJSON_Print(root);
    int rc = 0;

    if (!text) {
        xalloc_die(0);
    }
    if (fputs(text, out) == EOF || fputc('\n', out) == EOF || ferror(out)) {
        rc = diag_set(d, DIAG_IO, "cannot write the report");
    }
    cJSON_free(text);
    cJSON_Delete(root);
    return rc;
}

int report_json(FILE *out, const struct report *r, struct diag *d)
{
    cJSON *root = cJSON_CreateObject(), *tool = cJSON_CreateObject();
    cJSON *summary = cJSON_CreateObject(), *verdicts = cJSON_CreateObject();
    size_t t[4];

    add_num(root, "schema_version", REPORT_SCHEMA_VERSION);
    add_str(tool, "name", r->tool_name);
    add_str(tool, "version", r->tool_version);
    cJSON_AddItemToObject(root, "tool", tool);
    cJSON_AddItemToObject(root, "target", rjson_target(r->profile));
    cJSON_AddItemToObject(root, "inputs", json_inputs(r));
    cJSON_AddItemToObject(root, "causes", rjson_causes(r, 0, r->inputs_nr));
    size_t *cause_of = rjson_cause_of(r);
    cJSON_AddItemToObject(root, "findings", rjson_findings(r, 0, r->inputs_nr, cause_of));
    free(cause_of);
    if (r->gated) {
        cJSON_AddItemToObject(root, "suppressed", rjson_suppressed(r, 0, r->inputs_nr));
    }
    if (!r->profile && r->matrix_nr) {
        cJSON_AddItemToObject(root, "compatibility", rjson_matrix(r->matrix, r->matrix_nr));
    }
    add_num(summary, "error", (double)findings_count(r->findings, SEV_ERROR));
    add_num(summary, "warning", (double)findings_count(r->findings, SEV_WARNING));
    add_num(summary, "note", (double)findings_count(r->findings, SEV_NOTE));
    add_str(summary, "fail_on", severity_name(r->fail_on));
    cJSON_AddItemToObject(summary, "failed", cJSON_CreateBool(report_failed(r)));
    if (r->gated) {
        add_num(summary, "suppressed", (double)report_suppressed_count(r));
    }
    report_tally(r, t);
    for (enum report_verdict_kind v = REPORT_PASS; v <= REPORT_SKIPPED; v++) {
        add_num(verdicts, report_verdict_name(v), (double)t[v]);
    }
    cJSON_AddItemToObject(summary, "verdicts", verdicts);
    cJSON_AddItemToObject(root, "summary", summary);
    return rjson_print(out, root, false, d);
}
