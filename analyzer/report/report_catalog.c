/* SPDX-License-Identifier: MIT */
/* The rule catalogue, read by people: the rule table (--list-rules) and one rule explained
 * (--explain), rendered from its catalogue row; the app finds the rule and its example. */
#include "report_catalog.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "strvec.h"
#include "rules.h"
#include "xalloc.h"

#define WRAP 76

int report_catalog_list(FILE *out, const struct ruleset *rs, bool json, struct diag *d)
{
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
        fprintf(out, "%-7s %-22s %-8s %s\n", "ID", "SLUG", "SEVERITY", "TITLE");
        for (size_t i = 0; i < rs->nr; i++) {
            fprintf(out, "%-7s %-22s %-8s %s\n", rs->v[i].id, rs->v[i].slug,
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

/* What the catalogue's template variables stand for, for the legend under a template. */
static const struct {
    const char *name, *what;
} metavars[] = {
    {"abs", "the member's path in the Lambda file system (/var/task/..., /opt/...)"},
    {"arch", "the target architecture"},
    {"cmd_list", "the container image's CMD"},
    {"dir", "the directory the bundle is built in"},
    {"dist", "the distribution the member belongs to"},
    {"entrypoint", "the program the container image's ENTRYPOINT runs"},
    {"entrypoint_list", "the container image's ENTRYPOINT"},
    {"expected", "what the runtime accepts"},
    {"found", "what the member has or needs"},
    {"handler", "the function's handler module"},
    {"init", "the module's init function (PyInit_<name>)"},
    {"lib", "the library, as the loader names it"},
    {"loader_error", "the dynamic loader's message"},
    {"magic_bytes", "the first bytes of the .pyc file (its magic number)"},
    {"module", "the module being imported"},
    {"newer", "a release of the distribution that fixes it, when one is known"},
    {"os", "the target runtime's operating system"},
    {"path", "the member's path in the bundle"},
    {"pip_install", "a pip command that fetches a build for the runtime and architecture"},
    {"pip_platform", "the manylinux platform tag of the runtime"},
    {"pyver", "the runtime's Python version"},
    {"requirement", "the distribution and its version (name==version)"},
    {"runtime", "the target runtime"},
    {"soname", "the shared library, as DT_NEEDED names it"},
    {"symbol", "the C API symbol the module calls"},
    {"triplet", "the platform triplet (x86_64-linux-gnu, aarch64-linux-gnu)"},
    {"version", "the distribution's version"},
    {"workdir", "the container image's WorkingDir"},
};

/* The variable "{name}" or "<name>" at p, as its length (0: none); *n gets the name's. */
static size_t metavar_at(const char *p, size_t *n)
{
    const char *close = *p == '{' ? strchr(p, '}') : *p == '<' ? strchr(p, '>') : NULL;

    *n = close ? (size_t)(close - p - 1) : 0;
    if (!close || !*n || *n >= 32 || strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_") < *n) {
        return 0;
    }
    return *n + 2;
}

/*
 * A catalogue text as a man page writes a synopsis: "{requirement}" and "<dir>" become
 * REQUIREMENT and DIR, metavariables a reader fills in, never text a shell would take for
 * a redirect if pasted (the golden lint forbids placeholders in any output). The names
 * met are added to seen when it is given. Caller frees.
 */
static char *metavars_upper(const char *t, struct strvec *seen)
{
    char *out = xmalloc(2 * strlen(t) + 1), *o = out;
    size_t n, len;

    for (const char *p = t; *p; p++) {
        if ((len = metavar_at(p, &n)) == 0) {
            *o++ = *p;
            continue;
        }
        if (p > t && p[-1] == ')') {
            *o++ = ' '; /* "...glibc){newer}": the variable is a phrase of its own */
        }
        for (size_t i = 1; i <= n; i++) {
            *o++ = p[i] == '_' ? '_' : (char)(p[i] - 'a' + 'A');
        }
        if (seen) {
            char *name = xstrndup(p + 1, n);
            if (!strvec_contains(seen, name)) {
                strvec_push(seen, name);
            }
            free(name);
        }
        p += len - 1;
    }
    *o = '\0';
    return out;
}

/* A template, then what each of its metavariables stands for. */
static void put_template(FILE *out, const char *t)
{
    struct strvec seen = STRVEC_INIT;
    char *text = metavars_upper(t, &seen);

    fprintf(out, "  %s\n", text);
    for (size_t i = 0; i < seen.nr; i++) {
        for (size_t k = 0; k < ARRAY_SIZE(metavars); k++) {
            if (!strcmp(metavars[k].name, seen.v[i])) {
                fputs("    ", out);
                for (const char *c = seen.v[i]; *c; c++) {
                    fputc(*c == '_' ? '_' : *c - 'a' + 'A', out);
                }
                fprintf(out, ": %s\n", metavars[k].what);
            }
        }
    }
    free(text);
    strvec_release(&seen);
}

int report_catalog_rule(FILE *out, const struct rule *rule, const char *example,
                        const struct rule_fix *fix, struct diag *d)
{
    char *help;

    fprintf(out, "%s %s (%s by default)\n%s\n\nWhat it means:\n", rule->id, rule->slug,
            severity_name(rule->severity), rule->title);
    help = metavars_upper(rule->help, NULL);
    wrapped(out, help);
    free(help);
    if (example) {
        help = metavars_upper(example, NULL);
        fprintf(out, "\nExample:\n  %s\n", help);
        free(help);
    }
    fputs("\nWhat Lambda logs:\n", out);
    put_template(out, rule->lambda_error ? rule->lambda_error
                                         : "nothing at import: a risk, not a failure");
    fputs("\nHow to fix it:\n", out);
    if (example && (fix->command || fix->note)) {
        /* The example's own fix, rendered as the report prints it: a command to run as it
         * is, then its words; the catalogue's template would show only metavariables. */
        if (fix->command) {
            fprintf(out, "  fix: %s\n", fix->command);
        }
        if (fix->note) {
            fprintf(out, "  note: %s\n", fix->note);
        }
        fputs("  (for the example above; each finding's fix is rendered for its own file, "
              "distribution and target)\n",
              out);
    } else if (rule->fix.command || rule->fix.note) {
        if (rule->fix.command) {
            fputs("  the command:\n", out);
            put_template(out, rule->fix.command);
        }
        if (rule->fix.note) {
            put_template(out, rule->fix.note);
        }
    } else {
        put_template(out, "see what it means, above");
    }
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the explanation") : 0;
}
