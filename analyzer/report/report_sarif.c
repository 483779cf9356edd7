/* SPDX-License-Identifier: MIT */
/*
 * SARIF 2.1.0 output (OASIS, "Static Analysis Results Interchange Format Version 2.1.0",
 * errata 01), for GitHub code scanning (github/codeql-action/upload-sarif) and any SARIF
 * viewer. Section numbers are the standard's. What GitHub requires beyond the standard
 * ("SARIF support for code scanning", docs.github.com): a physical location on every
 * result, and rules in tool.driver.rules; and it places a result on a file by the file's
 * path from the repository root, so each artifact under the report's path_base is a URI
 * relative to SRCROOT, which the run's originalUriBaseIds resolves. Validated in the tests
 * by Microsoft's sarif-multitool (`validate`: no error-level result).
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "fingerprint.h"
#include "report.h"
#include "report_int.h"
#include "rules.h"
#include "utf8.h"
#include "xalloc.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

struct sctx {
    const struct report *r;
    const struct rule **rules;
    size_t rules_nr;
};

/* Every string a bundle may have put bytes in passes here: the log is valid UTF-8. */
static void add_str(cJSON *o, const char *key, const char *value)
{
    char *clean = utf8_escape(value ? value : "", false);
    cJSON_AddItemToObject(o, key, cJSON_CreateString(clean));
    free(clean);
}

/* A message object (§3.11): {"text": ...}, and "markdown" when given. */
static cJSON *message(const char *text, const char *markdown)
{
    cJSON *m = cJSON_CreateObject();
    add_str(m, "text", text);
    if (markdown) {
        add_str(m, "markdown", markdown);
    }
    return m;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-encode everything but RFC 3986's unreserved characters and '/' (§3.10.2: a
 * uri property is a URI reference). */
static void uri_put(char **o, const unsigned char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            strchr("-._~/", c)) {
            *(*o)++ = (char)c;
        } else {
            *(*o)++ = '%';
            *(*o)++ = hex[c >> 4];
            *(*o)++ = hex[c & 15];
        }
    }
}

/* A path as a URI reference: relative as it is, file:// when absolute. */
static char *uri_of(const unsigned char *path, size_t n)
{
    char *uri = xmalloc(3 * n + 8), *o = uri;

    if (n && path[0] == '/') {
        memcpy(o, "file://", 7);
        o += 7;
    }
    uri_put(&o, path, n);
    *o = '\0';
    return uri;
}

/* The uriBaseId (§3.4.4) of paths from the report's path_base, which the run's
 * originalUriBaseIds (§3.14.14) resolve; GitHub code scanning places a result by it. */
#define SRCROOT "SRCROOT"

/* Where input in is said from: relative to SRCROOT (*base_id) when it is under the base;
 * with a base, an input outside it by its absolute path (a relative URI without a base id
 * would be taken from wherever the log is read); without one, as given. */
static const char *input_at(const struct report *r, const struct report_input *in,
                            const char **base_id)
{
    const char *based = report_input_based(r, in);

    *base_id = based ? SRCROOT : NULL;
    return based ? based : r->path_base && in->real ? in->real : in->name;
}

/* The artifact's URI: relative to the base (*base_id SRCROOT), or file:// for an absolute
 * path, or without a base relative to where abiscan ran. A member whose name is not UTF-8
 * is encoded from its own bytes (path_bytes), so that the URI names the file that is
 * really there. */
static char *artifact_uri(const struct report *r, const struct finding *f, const char **base_id)
{
    char *path = report_artifact_at(r, f, input_at(r, &r->inputs[f->input], base_id)), *uri;
    size_t n = strlen(path);
    unsigned char *raw = NULL;

    if (f->path_bytes && report_on_member_file(r, f)) {
        size_t in_len = n - strlen(f->path), hn = strlen(f->path_bytes) / 2;
        raw = xmalloc(in_len + hn + 1);
        memcpy(raw, path, in_len);
        for (size_t i = 0; i < hn; i++) {
            raw[in_len + i] = (unsigned char)(hexval(f->path_bytes[2 * i]) << 4 |
                                              hexval(f->path_bytes[2 * i + 1]));
        }
        n = in_len + hn;
    }
    uri = uri_of(raw ? raw : (const unsigned char *)path, n);
    free(raw);
    free(path);
    return uri;
}

/* A physical location (§3.29) on an artifact as a whole: line 1, as for every result. */
static cJSON *artifact_location(const char *uri, const char *base_id)
{
    cJSON *loc = cJSON_CreateObject(), *phys = cJSON_CreateObject(), *art = cJSON_CreateObject();
    cJSON *region = cJSON_CreateObject();

    add_str(art, "uri", uri);
    if (base_id) {
        add_str(art, "uriBaseId", base_id);
    }
    cJSON_AddItemToObject(phys, "artifactLocation", art);
    cJSON_AddItemToObject(region, "startLine", cJSON_CreateNumber(1));
    cJSON_AddItemToObject(phys, "region", region);
    cJSON_AddItemToObject(loc, "physicalLocation", phys);
    return loc;
}

/* A location (§3.28): the physical artifact (§3.29), and for a member of an archive the
 * member as a logical location (§3.33), which GitHub ignores and other viewers show. */
static cJSON *location(const struct report *r, const struct finding *f)
{
    const char *base_id;
    char *uri = artifact_uri(r, f, &base_id);
    /* A binary artifact has no lines; GitHub places a result without a region poorly,
     * so the whole-file convention: line 1 (§3.30.5). */
    cJSON *loc = artifact_location(uri, base_id);

    if (report_in_archive(r, f) && f->path[0]) {
        cJSON *logical = cJSON_CreateArray(), *l = cJSON_CreateObject();
        add_str(l, "name", f->path);
        add_str(l, "fullyQualifiedName", f->path);
        add_str(l, "kind", "module");
        cJSON_AddItemToArray(logical, l);
        cJSON_AddItemToObject(loc, "logicalLocations", logical);
    }
    free(uri);
    return loc;
}

static int rule_index(const struct sctx *c, const struct rule *rule)
{
    for (size_t i = 0; i < c->rules_nr; i++) {
        if (c->rules[i] == rule) {
            return (int)i;
        }
    }
    return -1;
}

/* A reportingDescriptor (§3.49) per rule: id, name (§3.49.7), descriptions, help,
 * defaultConfiguration.level (§3.50.3). */
static cJSON *descriptor(const struct rule *rule)
{
    cJSON *d = cJSON_CreateObject(), *cfg = cJSON_CreateObject(), *props = cJSON_CreateObject();
    cJSON *tags = cJSON_CreateArray();
    /* Words: the command is each result's, rendered for its member (properties.fix_command). */
    const char *note = rule->fix.note ? rule->fix.note : "";
    char *md = xasprintf("%s\n\n**What Lambda logs:** `%s`\n\n**Fix:** %s%s%s", rule->help,
                         rule->lambda_error ? rule->lambda_error : "(nothing: a warning)", note,
                         *note && rule->fix.command ? "; " : "",
                         rule->fix.command ? "each result's `fix_command` property is the command "
                                             "to run, as it is"
                         : *note           ? ""
                                           : "see the help text");

    add_str(d, "id", rule->id);
    add_str(d, "name", rule->slug);
    cJSON_AddItemToObject(d, "shortDescription", message(rule->title, NULL));
    cJSON_AddItemToObject(d, "fullDescription", message(rule->summary, rule->summary));
    cJSON_AddItemToObject(d, "help", message(rule->help, md));
    add_str(cfg, "level", severity_name(rule->severity));
    cJSON_AddItemToObject(d, "defaultConfiguration", cfg);
    cJSON_AddItemToArray(tags, cJSON_CreateString("aws-lambda"));
    cJSON_AddItemToArray(tags, cJSON_CreateString("python-abi"));
    cJSON_AddItemToObject(props, "tags", tags);
    cJSON_AddItemToObject(d, "properties", props);
    free(md);
    return d;
}

/* A suppression (§3.35): kind "external" (§3.35.2: outside the source, in the
 * configuration or the baseline), status accepted, the reason as justification, and
 * for the configuration the file and line it is written at. */
static cJSON *suppression(const struct gate_mark *m)
{
    cJSON *list = cJSON_CreateArray(), *s = cJSON_CreateObject();
    const char *colon = strrchr(m->where, ':');

    add_str(s, "kind", "external");
    add_str(s, "status", "accepted");
    add_str(s, "justification", m->reason);
    if (!strcmp(m->kind, "config") && colon && colon[1]) {
        char *file = xstrndup(m->where, (size_t)(colon - m->where));
        cJSON *loc = cJSON_CreateObject(), *phys = cJSON_CreateObject();
        cJSON *art = cJSON_CreateObject(), *region = cJSON_CreateObject();
        add_str(art, "uri", file);
        cJSON_AddItemToObject(region, "startLine", cJSON_CreateNumber(atoi(colon + 1)));
        cJSON_AddItemToObject(phys, "artifactLocation", art);
        cJSON_AddItemToObject(phys, "region", region);
        cJSON_AddItemToObject(loc, "physicalLocation", phys);
        cJSON_AddItemToObject(s, "location", loc);
        free(file);
    }
    cJSON_AddItemToArray(list, s);
    return list;
}

/* The finding's own facts, for viewers that show a property bag (§3.8). */
static cJSON *properties(const struct report *r, const struct finding *f)
{
    cJSON *p = cJSON_CreateObject();
    const char *function = r->inputs[report_head_of(r, f->input)].function;

    add_str(p, "slug", f->rule->slug);
    if (function) {
        add_str(p, "function", function);
    }
    add_str(p, "member", f->path);
    if (f->dist_name) {
        add_str(p, "distribution", f->dist_name);
        add_str(p, "distributionVersion", f->dist_version);
    }
    if (f->expected) {
        add_str(p, "expected", f->expected);
    }
    if (f->found) {
        add_str(p, "found", f->found);
    }
    if (f->lambda_error) {
        add_str(p, "lambdaError", f->lambda_error);
    }
    if (f->fix_command) {
        add_str(p, "fix_command", f->fix_command);
    }
    if (f->fix_note) {
        add_str(p, "fix_note", f->fix_note);
    }
    return p;
}

/* A result (§3.27): ruleId, ruleIndex, level, message, locations, partialFingerprints
 * (§3.27.17, stable across runs: rule, member, fact), suppressions (§3.27.23). */
static cJSON *result(const struct sctx *c, const struct finding *f, const struct gate_mark *m)
{
    cJSON *res = cJSON_CreateObject(), *locs = cJSON_CreateArray(), *fps = cJSON_CreateObject();
    char fp[FINGERPRINT_HEX], *text, *also;

    add_str(res, "ruleId", f->rule->id);
    cJSON_AddItemToObject(res, "ruleIndex", cJSON_CreateNumber(rule_index(c, f->rule)));
    add_str(res, "level", severity_name(f->severity));
    also = finding_also_words(f);
    text = xasprintf("%s%s%s%s%s", report_in_archive(c->r, f) ? f->path : "",
                     report_in_archive(c->r, f) && f->path[0] ? ": " : "", f->message,
                     also ? "; " : "", also ? also : "");
    cJSON_AddItemToObject(res, "message", message(text, NULL));
    free(text);
    free(also);
    cJSON_AddItemToArray(locs, location(c->r, f));
    cJSON_AddItemToObject(res, "locations", locs);
    fingerprint_of(f, fp);
    add_str(fps, "abiscanFinding/v1", fp);
    cJSON_AddItemToObject(res, "partialFingerprints", fps);
    if (m) {
        cJSON_AddItemToObject(res, "suppressions", suppression(m));
    }
    cJSON_AddItemToObject(res, "properties", properties(c->r, f));
    return res;
}

/* A notification (§3.58) for toolExecutionNotifications (§3.20.21): what the tool could
 * not do, such as a member it could not read (gcc's SARIF writer does the same). */
static cJSON *notification(const char *level, const char *text, const struct sctx *c,
                           const struct finding *f)
{
    cJSON *n = cJSON_CreateObject();

    add_str(n, "level", level);
    cJSON_AddItemToObject(n, "message", message(text, NULL));
    if (f) {
        cJSON *locs = cJSON_CreateArray(), *rule = cJSON_CreateObject();
        cJSON_AddItemToArray(locs, location(c->r, f));
        cJSON_AddItemToObject(n, "locations", locs);
        add_str(rule, "id", f->rule->id);
        cJSON_AddItemToObject(rule, "index", cJSON_CreateNumber(rule_index(c, f->rule)));
        cJSON_AddItemToObject(n, "associatedRule", rule);
    }
    return n;
}

static void add_notes(cJSON *list, const char *level, const struct strvec *notes)
{
    for (size_t i = 0; notes && i < notes->nr; i++) {
        cJSON_AddItemToArray(list, notification(level, notes->v[i], NULL, NULL));
    }
}

/* An input that could not be read is an error notification on it (the tool could not
 * analyse it: no result can say it is clean); one not checked (not Python, an image) a
 * note. */
static void add_inputs(cJSON *list, const struct report *r, bool *failed)
{
    for (size_t i = 0; i < r->inputs_nr; i++) {
        const struct report_input *in = &r->inputs[i];
        const char *why = in->error ? in->error : in->skipped, *at, *base_id;
        char *text, *uri;
        cJSON *n, *locs;
        if (!why) {
            continue;
        }
        *failed |= in->error != NULL;
        text =
            xasprintf("%s%s%s: %s: %s", in->function ? in->function : "", in->function ? " " : "",
                      in->name, in->error ? "could not be read" : "not checked", why);
        n = notification(in->error ? "error" : "note", text, NULL, NULL);
        locs = cJSON_CreateArray();
        at = input_at(r, in, &base_id);
        uri = uri_of((const unsigned char *)at, strlen(at));
        cJSON_AddItemToArray(locs, artifact_location(uri, base_id));
        cJSON_AddItemToObject(n, "locations", locs);
        cJSON_AddItemToArray(list, n);
        free(uri);
        free(text);
    }
}

/* An invocation (§3.20): whether it did its job (executionSuccessful, required: false when
 * an input could not be read, with the exit code, §3.20.16), and what it has to say about
 * members it could not read, the inputs and the gate. */
static cJSON *invocation(const struct sctx *c)
{
    cJSON *inv = cJSON_CreateArray(), *one = cJSON_CreateObject(), *list = cJSON_CreateArray();
    const struct findings *fs = c->r->findings;
    bool failed = false;

    add_inputs(list, c->r, &failed);
    cJSON_AddItemToObject(one, "executionSuccessful", cJSON_CreateBool(!failed));
    if (failed) {
        cJSON_AddItemToObject(one, "exitCode", cJSON_CreateNumber(2));
    }
    for (size_t i = 0; i < fs->nr; i++) {
        if (fs->items[i].rule->not_analysed) {
            char *text = xasprintf("%s: not analysed: %s", fs->items[i].path,
                                   fs->items[i].found ? fs->items[i].found : "unreadable");
            cJSON_AddItemToArray(list, notification("warning", text, c, &fs->items[i]));
            free(text);
        }
    }
    for (size_t i = 0; i < c->r->inputs_nr; i++) {
        add_notes(list, "note", c->r->inputs[i].notes);
    }
    if (c->r->gate) {
        add_notes(list, "warning", &c->r->gate->warnings);
        add_notes(list, "note", &c->r->gate->notes);
    }
    cJSON_AddItemToObject(one, "toolExecutionNotifications", list);
    cJSON_AddItemToArray(inv, one);
    return inv;
}

static cJSON *tool(const struct sctx *c)
{
    cJSON *t = cJSON_CreateObject(), *driver = cJSON_CreateObject(), *rules = cJSON_CreateArray();

    add_str(driver, "name", c->r->tool_name);
    add_str(driver, "version", c->r->tool_version);
    add_str(driver, "semanticVersion", c->r->tool_version);
    for (size_t i = 0; i < c->rules_nr; i++) {
        cJSON_AddItemToArray(rules, descriptor(c->rules[i]));
    }
    cJSON_AddItemToObject(driver, "rules", rules);
    cJSON_AddItemToObject(t, "driver", driver);
    return t;
}

/* originalUriBaseIds (§3.14.14): SRCROOT is the base, an absolute file URI that ends
 * with '/' (§3.14.14: so that a relative reference resolves under it, RFC 3986 §5.2). */
static cJSON *base_ids(const char *base)
{
    cJSON *ids = cJSON_CreateObject(), *root = cJSON_CreateObject();
    char *uri = uri_of((const unsigned char *)base, strlen(base));
    char *dir = xasprintf("%s%s", uri, strcmp(base, "/") ? "/" : "");

    add_str(root, "uri", dir);
    cJSON_AddItemToObject(ids, SRCROOT, root);
    free(dir);
    free(uri);
    return ids;
}

static cJSON *sarif_run(const struct sctx *c)
{
    cJSON *run = cJSON_CreateObject(), *results = cJSON_CreateArray();
    const struct gate *g = c->r->gate;

    cJSON_AddItemToObject(run, "tool", tool(c));
    if (c->r->path_base) {
        cJSON_AddItemToObject(run, "originalUriBaseIds", base_ids(c->r->path_base));
    }
    cJSON_AddItemToObject(run, "invocations", invocation(c));
    for (size_t i = 0; i < c->r->findings->nr; i++) {
        cJSON_AddItemToArray(results, result(c, &c->r->findings->items[i], NULL));
    }
    for (size_t i = 0; g && i < g->suppressed.nr; i++) {
        cJSON_AddItemToArray(results, result(c, &g->suppressed.items[i], &g->marks[i]));
    }
    cJSON_AddItemToObject(run, "results", results);
    return run;
}

int report_sarif(FILE *out, const struct report *r, struct diag *d)
{
    struct sctx c = {r, NULL, 0};
    cJSON *root = cJSON_CreateObject(), *runs = cJSON_CreateArray();
    int rc;

    c.rules_nr = report_rules(r, &c.rules);
    add_str(root, "$schema", SARIF_SCHEMA); /* §3.13.3 */
    add_str(root, "version", "2.1.0");      /* §3.13.2 */
    cJSON_AddItemToArray(runs, sarif_run(&c));
    cJSON_AddItemToObject(root, "runs", runs);
    rc = rjson_print(out, root, false, d);
    free(c.rules);
    return rc;
}
