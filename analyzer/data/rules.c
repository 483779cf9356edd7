/* SPDX-License-Identifier: MIT */
/* The rule catalogue: JSON in, validated, into plain C structs. */
#include "rules.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonread.h"
#include "suggest.h"
#include "xalloc.h"

/* A fix ({"command": ..., "note": ...}, either null) at key of node; none when node lacks it. */
static int read_fix(struct rule_fix *out, const cJSON *node, const char *key, struct diag *d)
{
    char *cmd = xasprintf("%s.command", key), *note = xasprintf("%s.note", key);
    int rc = node ? jsonread_str_opt(&out->command, node, cmd, d) ||
                        jsonread_str_opt(&out->note, node, note, d)
                  : 0;

    free(cmd);
    free(note);
    return rc;
}

/* An optional column of a catalogue row whose value is one word (the schema says which). */
static bool column_is(const cJSON *node, const char *name, const char *value)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(node, name);

    return cJSON_IsTrue(v) || (cJSON_IsString(v) && !strcmp(v->valuestring, value));
}

static int load_rule(struct rule *r, const cJSON *node, const cJSON *program, struct diag *d)
{
    char *sev = NULL;
    int rc = -1;

    if (jsonread_str(&r->id, node, "id", d) || jsonread_str(&r->slug, node, "slug", d) ||
        jsonread_str(&sev, node, "severity", d) || jsonread_str(&r->title, node, "title", d) ||
        jsonread_str(&r->help, node, "help", d) || jsonread_str(&r->summary, node, "summary", d) ||
        jsonread_str_opt(&r->lambda_error, node, "lambda_error", d) ||
        jsonread_str_opt(&r->fix.command, node, "fix.command", d) ||
        jsonread_str_opt(&r->fix.note, node, "fix.note", d)) {
        goto out;
    }
    /* The rule's own fix for a program, else the catalogue's. */
    if (jsonread_at(node, "fix_program") ? read_fix(&r->fix_program, node, "fix_program", d)
                                         : read_fix(&r->fix_program, program, "fix_program", d)) {
        goto out;
    }
    r->blocks_deploy = column_is(node, "blocks", "deploy");
    r->fingerprint_expected = column_is(node, "fingerprint", "expected");
    r->size_plan = column_is(node, "size_plan", "");
    r->not_analysed = column_is(node, "not_analysed", "");
    r->severity = (enum severity)severity_parse(sev);
    if (r->severity >= SEV_NONE) {
        diag_set(d, DIAG_DATA, "severity: expected one of note|warning|error");
        goto out;
    }
    rc = 0;
out:
    free(sev);
    return rc;
}

static void rule_release(struct rule *r)
{
    free(r->id);
    free(r->slug);
    free(r->title);
    free(r->help);
    free(r->summary);
    free(r->lambda_error);
    free(r->fix.command);
    free(r->fix.note);
    free(r->fix_program.command);
    free(r->fix_program.note);
}

int rules_load(struct ruleset *out, const struct datasrc *src, struct diag *d)
{
    char *path = xasprintf("%s/catalog.json", src->dir);
    cJSON *root = NULL;
    const cJSON *list, *node, *program;
    int rc = -1, i = 0;

    memset(out, 0, sizeof(*out));
    if (jsonread_data(&root, src, "catalog.json", "catalog.schema.json", d) != 0) {
        goto out;
    }
    list = cJSON_GetObjectItemCaseSensitive(root, "rules");
    program = root; /* its "fix_program" */
    out->v = xcalloc((size_t)cJSON_GetArraySize(list), sizeof(*out->v));
    cJSON_ArrayForEach(node, list)
    {
        struct rule *r = &out->v[out->nr++];
        if (load_rule(r, node, program, d) != 0) {
            diag_prefix(d, "%s: rules[%d]", path, i);
            goto out;
        }
        for (size_t j = 0; j + 1 < out->nr; j++) {
            if (!strcmp(out->v[j].id, r->id) || !strcmp(out->v[j].slug, r->slug)) {
                diag_set(d, DIAG_DATA, "%s: rules[%d]: duplicate id or slug '%s'", path, i, r->id);
                goto out;
            }
        }
        i++;
    }
    rc = 0;
out:
    if (rc) {
        rules_release(out);
    }
    cJSON_Delete(root);
    free(path);
    return rc;
}

const struct rule *rules_find(const struct ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->nr; i++) {
        if (!strcmp(rs->v[i].id, id)) {
            return &rs->v[i];
        }
    }
    return NULL;
}

const struct rule *rules_find_name(const struct ruleset *rs, const char *name)
{
    for (size_t i = 0; i < rs->nr; i++) {
        if (!strcasecmp(rs->v[i].id, name) || !strcasecmp(rs->v[i].slug, name)) {
            return &rs->v[i];
        }
    }
    return NULL;
}

char *rules_example(const char *rules_dir, const struct rule *rule, struct rule_fix *fix,
                    struct diag *d)
{
    char *path = xasprintf("%s/examples.json", rules_dir);
    char *schema = xasprintf("%s/schema/examples.schema.json", rules_dir);
    cJSON *root = NULL;
    const cJSON *ex, *fx;
    char *out = NULL;

    *fix = (struct rule_fix){0};
    if (jsonread_validated_by(&root, path, schema, d) == 0) {
        ex = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "examples"),
                                              rule->id);
        out = cJSON_IsString(ex) ? xstrdup(ex->valuestring) : NULL;
        fx = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "fixes"),
                                              rule->id);
        ex = cJSON_GetObjectItemCaseSensitive(fx, "command");
        fix->command = cJSON_IsString(ex) ? xstrdup(ex->valuestring) : NULL;
        ex = cJSON_GetObjectItemCaseSensitive(fx, "note");
        fix->note = cJSON_IsString(ex) ? xstrdup(ex->valuestring) : NULL;
    }
    cJSON_Delete(root);
    free(path);
    free(schema);
    return out;
}

void rules_release(struct ruleset *rs)
{
    for (size_t i = 0; rs && i < rs->nr; i++) {
        rule_release(&rs->v[i]);
    }
    if (rs) {
        free(rs->v);
        rs->v = NULL;
        rs->nr = 0;
    }
}

const char *rules_suggest(const struct ruleset *rs, const char *name, char *buf, size_t n)
{
    const char **slugs = xcalloc(rs->nr + 1, sizeof(*slugs));
    const char *said;

    for (size_t i = 0; i < rs->nr; i++) {
        slugs[i] = rs->v[i].slug;
    }
    said = suggest_words(name, slugs, rs->nr, buf, n);
    free(slugs);
    return said;
}
