/* SPDX-License-Identifier: MIT */
/* --list-rules and --explain: the catalogue, read by people. */
#include "explain.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonread.h"
#include "rules.h"
#include "xalloc.h"

#define WRAP 76

int explain_list(FILE *out, const struct datadir *dd, bool json, struct diag *d)
{
    const struct ruleset *rs = &dd->rules;

    if (json) {
        cJSON *root = cJSON_CreateObject(), *list = cJSON_CreateArray();
        char *text;
        for (size_t i = 0; i < rs->nr; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", rs->v[i].id);
            cJSON_AddStringToObject(o, "slug", rs->v[i].slug);
            cJSON_AddStringToObject(o, "severity", severity_name(rs->v[i].severity));
            cJSON_AddStringToObject(o, "title", rs->v[i].title);
            cJSON_AddStringToObject(o, "summary", rs->v[i].summary);
            cJSON_AddItemToArray(list, o);
        }
        cJSON_AddItemToObject(root, "rules", list);
        if (!(text = cJSON_Print(root))) {
            xalloc_die(0);
        }
        fprintf(out, "%s\n", text);
        cJSON_free(text);
        cJSON_Delete(root);
    } else {
        fprintf(out, "%-7s %-20s %-8s %s\n", "ID", "SLUG", "SEVERITY", "TITLE");
        for (size_t i = 0; i < rs->nr; i++) {
            fprintf(out, "%-7s %-20s %-8s %s\n", rs->v[i].id, rs->v[i].slug,
                    severity_name(rs->v[i].severity), rs->v[i].title);
        }
    }
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the rule list") : 0;
}

/* Paragraph text, wrapped at WRAP columns, indented by two. */
static void wrapped(FILE *out, const char *text)
{
    const char *p = text;

    while (*p) {
        size_t n = strlen(p), cut = n;
        if (n > WRAP) {
            cut = WRAP;
            while (cut > 0 && p[cut] != ' ') {
                cut--;
            }
            if (cut == 0) {
                cut = strcspn(p, " ");
            }
        }
        fprintf(out, "  %.*s\n", (int)cut, p);
        p += cut;
        while (*p == ' ') {
            p++;
        }
    }
}

static const struct rule *find(const struct ruleset *rs, const char *name)
{
    for (size_t i = 0; i < rs->nr; i++) {
        if (!strcasecmp(rs->v[i].id, name) || !strcasecmp(rs->v[i].slug, name)) {
            return &rs->v[i];
        }
    }
    return NULL;
}

/* The example from rules/examples.json, or NULL (a rule may have none yet). Caller frees. */
static char *example_of(const struct datadir *dd, const struct rule *rule, struct diag *d)
{
    char *path = xasprintf("%s/examples.json", dd->dir);
    char *schema = xasprintf("%s/schema/examples.schema.json", dd->dir);
    cJSON *root = NULL;
    const cJSON *ex;
    char *out = NULL;

    if (jsonread_validated_by(&root, path, schema, d) == 0) {
        ex = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "examples"),
                                              rule->id);
        out = cJSON_IsString(ex) ? xstrdup(ex->valuestring) : NULL;
    }
    cJSON_Delete(root);
    free(path);
    free(schema);
    return out;
}

int explain_rule(FILE *out, const struct datadir *dd, const char *name, struct diag *d)
{
    const struct rule *rule = find(&dd->rules, name);
    struct diag ignored = DIAG_INIT;
    char *example;

    if (!rule) {
        return diag_set(d, DIAG_USAGE, "unknown rule '%s' (see --list-rules)", name);
    }
    fprintf(out, "%s %s (%s by default)\n%s\n\nWhat it means:\n", rule->id, rule->slug,
            severity_name(rule->severity), rule->title);
    wrapped(out, rule->help);
    if ((example = example_of(dd, rule, &ignored)) != NULL) {
        fprintf(out, "\nExample:\n  %s\n", example);
        free(example);
    }
    fprintf(out, "\nWhat Lambda logs:\n  %s\n",
            rule->lambda_error ? rule->lambda_error : "nothing at import: a risk, not a failure");
    fprintf(out, "\nHow to fix it:\n  %s\n",
            rule->remediation ? rule->remediation : "see what it means, above");
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the explanation") : 0;
}
