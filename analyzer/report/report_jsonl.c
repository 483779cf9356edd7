/* SPDX-License-Identifier: MIT */
/*
 * JSON Lines (jsonlines.org): one JSON object per function (or layer checked alone), on
 * one line, in input order; validated in the tests against rules/schema/line.schema.json.
 * A line holds what --format json says of the input (its entry of inputs[], the same
 * fields at the top of the line), its layers' entries, and its findings, so that each
 * line stands alone: `jq 'select(.verdict != "pass") | .path'` lists what to look at, and
 * lines from several runs (shards, hosts) concatenate into one audit. An audit writes
 * each line as its function is done (run: audit.c); this emitter writes a whole report's.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "report.h"
#include "report_int.h"

/* What each line of a report is written from: the report, and its findings' causes (made
 * once, not once a line). */
struct lines {
    const struct report *r;
    const size_t *cause_of; /* rjson_cause_of(r) */
};

/** The line of the function (or layer alone) that heads inputs [h, end). */
static int line(FILE *out, const struct lines *ls, size_t h, size_t end, struct diag *d)
{
    const struct report *r = ls->r;
    cJSON *o = cJSON_CreateObject(), *tool = cJSON_CreateObject(), *layers = cJSON_CreateArray();

    rjson_add_num(o, "schema_version", REPORT_SCHEMA_VERSION);
    rjson_add_str(tool, "name", r->tool_name);
    rjson_add_str(tool, "version", r->tool_version);
    cJSON_AddItemToObject(o, "tool", tool);
    rjson_input_into(o, r, h);
    for (size_t k = h + 1; k < end; k++) {
        cJSON *l = cJSON_CreateObject();
        rjson_input_into(l, r, k);
        cJSON_AddItemToArray(layers, l);
    }
    cJSON_AddItemToObject(o, "layers", layers);
    cJSON_AddItemToObject(o, "fail_on", cJSON_CreateString(severity_name(r->fail_on)));
    cJSON_AddItemToObject(o, "causes", rjson_causes(r, h, end));
    cJSON_AddItemToObject(o, "findings", rjson_findings(r, h, end, ls->cause_of));
    if (r->gated) {
        cJSON_AddItemToObject(o, "suppressed", rjson_suppressed(r, h, end));
    }
    return rjson_print(out, o, true, d);
}

int report_jsonl(FILE *out, const struct report *r, struct diag *d)
{
    size_t *cause_of = rjson_cause_of(r);
    struct lines ls = {r, cause_of};
    int rc = 0;

    for (size_t h = 0; h < r->inputs_nr && !rc;) {
        size_t end = h + 1;
        while (end < r->inputs_nr && report_head_of(r, end) == h) {
            end++;
        }
        rc = line(out, &ls, h, end, d) != 0 ? -1 : 0;
        h = end;
    }
    free(cause_of);
    return rc;
}
