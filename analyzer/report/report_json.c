/* SPDX-License-Identifier: MIT */
/*
 * JSON output: one object, keys in a fixed order (cJSON keeps insertion
 * order), validated in the tests against rules/schema/report.schema.json.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "rules.h"
#include "utf8.h"
#include "xalloc.h"

/* Every string the bundle may have put bytes in passes here: the report is valid UTF-8. */
static void add_str(cJSON *obj, const char *key, const char *value)
{
    if (value) {
        char *clean = utf8_escape(value, false);
        cJSON_AddItemToObject(obj, key, cJSON_CreateString(clean));
        free(clean);
    } else {
        cJSON_AddItemToObject(obj, key, cJSON_CreateNull());
    }
}

static void add_num(cJSON *obj, const char *key, double value)
{
    cJSON_AddItemToObject(obj, key, cJSON_CreateNumber(value));
}

/* The target, or nulls for the matrix (no --runtime). */
static cJSON *json_target(const struct report *r)
{
    const struct profile *p = r->profile;
    cJSON *t = cJSON_CreateObject();

    add_str(t, "runtime", p ? p->runtime : NULL);
    add_str(t, "arch", p ? p->arch : NULL);
    add_str(t, "profile", p ? p->id : NULL);
    add_str(t, "python", p ? p->python_version : NULL);
    add_str(t, "os", p ? p->os_name : NULL);
    return t;
}

static cJSON *json_matrix(const struct report *r)
{
    cJSON *list = cJSON_CreateArray();

    for (size_t i = 0; i < r->matrix_nr; i++) {
        const struct report_verdict *v = &r->matrix[i];
        cJSON *o = cJSON_CreateObject(), *rules = cJSON_CreateArray();
        add_str(o, "runtime", v->profile->runtime);
        add_str(o, "arch", v->profile->arch);
        cJSON_AddItemToObject(o, "imports", cJSON_CreateBool(v->imports));
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

static cJSON *json_inputs(const struct report *r)
{
    cJSON *list = cJSON_CreateArray();

    for (size_t i = 0; i < r->inputs_nr; i++) {
        const struct report_input *in = &r->inputs[i];
        cJSON *o = cJSON_CreateObject(), *notes = cJSON_CreateArray();
        add_str(o, "path", in->name);
        add_str(o, "kind", in->kind);
        add_str(o, "role", in->role);
        add_str(o, "role_reason", in->role_reason);
        add_num(o, "files", (double)in->files);
        add_num(o, "elf_objects", (double)in->elf_objects);
        add_num(o, "extension_modules", (double)in->extensions);
        add_num(o, "distributions", (double)in->distributions);
        for (size_t j = 0; in->notes && j < in->notes->nr; j++) {
            cJSON_AddItemToArray(notes, cJSON_CreateString(in->notes->v[j]));
        }
        cJSON_AddItemToObject(o, "notes", notes);
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

static cJSON *json_finding(const struct report *r, const struct finding *f)
{
    cJSON *o = cJSON_CreateObject(), *aliases = cJSON_CreateArray();

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
    add_str(o, "remediation", f->remediation);
    return o;
}

/* What the gate set aside (suppressions, the baseline): the findings, each with why. */
static cJSON *json_suppressed(const struct report *r)
{
    cJSON *list = cJSON_CreateArray();

    for (size_t i = 0; i < report_suppressed_count(r); i++) {
        const struct gate_mark *m = &r->gate->marks[i];
        cJSON *o = json_finding(r, &r->gate->suppressed.items[i]), *why = cJSON_CreateObject();
        add_str(why, "kind", m->kind);
        add_str(why, "reason", m->reason);
        add_str(why, "where", m->where);
        cJSON_AddItemToObject(o, "suppression", why);
        cJSON_AddItemToArray(list, o);
    }
    return list;
}

int report_json(FILE *out, const struct report *r, struct diag *d)
{
    cJSON *root = cJSON_CreateObject(), *tool = cJSON_CreateObject();
    cJSON *findings = cJSON_CreateArray(), *summary = cJSON_CreateObject();
    char *text;
    int rc = 0;

    add_num(root, "schema_version", REPORT_SCHEMA_VERSION);
    add_str(tool, "name", r->tool_name);
    add_str(tool, "version", r->tool_version);
    cJSON_AddItemToObject(root, "tool", tool);
    cJSON_AddItemToObject(root, "target", json_target(r));
    cJSON_AddItemToObject(root, "inputs", json_inputs(r));
    for (size_t i = 0; i < r->findings->nr; i++) {
        cJSON_AddItemToArray(findings, json_finding(r, &r->findings->items[i]));
    }
    cJSON_AddItemToObject(root, "findings", findings);
    if (r->gated) {
        cJSON_AddItemToObject(root, "suppressed", json_suppressed(r));
    }
    if (!r->profile) {
        cJSON_AddItemToObject(root, "compatibility", json_matrix(r));
    }
    add_num(summary, "error", (double)findings_count(r->findings, SEV_ERROR));
    add_num(summary, "warning", (double)findings_count(r->findings, SEV_WARNING));
    add_num(summary, "note", (double)findings_count(r->findings, SEV_NOTE));
    add_str(summary, "fail_on", severity_name(r->fail_on));
    cJSON_AddItemToObject(summary, "failed", cJSON_CreateBool(report_failed(r)));
    if (r->gated) {
        add_num(summary, "suppressed", (double)report_suppressed_count(r));
    }
    cJSON_AddItemToObject(root, "summary", summary);

    text = cJSON_Print(root);
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
