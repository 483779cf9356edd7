/* SPDX-License-Identifier: MIT */
/* Declarations read and recognised by content; the helpers the readers share. */
#include "targets_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "path.h"
#include "readfile.h"
#include "xalloc.h"
#include "yamljson.h"

/* A template is at most 1 MB for CloudFormation; a state may be larger: bounds that let
 * every real one through and keep a hostile one finite. */
#define TDOC_MAX_NODES 4000000
#define TDOC_MAX_SCALAR (1u << 20)
#define TDOC_MAX_DEPTH 64

static int parse_json(cJSON **out, const char *path, const char *text, size_t len, struct diag *d)
{
    const char *end = NULL;
    unsigned line = 1, col = 1;

    /* len + 1: cJSON checks for the terminating NUL inside the given length. */
    if ((*out = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1)) != NULL) {
        return 0;
    }
    for (const char *p = text; end && p < end && *p; p++) {
        col = *p == '\n' ? 1 : col + 1;
        line += *p == '\n';
    }
    return diag_set(d, DIAG_DATA, "%s:%u:%u: invalid JSON", path, line, col);
}

int tdoc_read(cJSON **out, const char *path, struct diag *d)
{
    static const struct yamljson_opts yaml = {true, TDOC_MAX_DEPTH, TDOC_MAX_NODES, TDOC_MAX_SCALAR,
                                              false};
    size_t len = 0, skip;
    char *text = readfile(path, TARGETS_FILE_MAX, "file too large (at most 256 MiB)", &len, d);
    int rc;

    *out = NULL;
    if (!text) {
        return -1;
    }
    skip = strspn(text, " \t\r\n");
    if (strlen(text) != len) {
        rc = diag_set(d, DIAG_DATA, "%s: not a template: it holds a NUL byte", path);
    } else if (text[skip] == '{' || text[skip] == '[') {
        rc = parse_json(out, path, text, len, d);
    } else if ((rc = yamljson_parse_opts(out, NULL, text, len, &yaml, d)) != 0) {
        diag_prefix(d, "%s", path);
    }
    free(text);
    return rc;
}

char *tpath_join(const char *dir, const char *rel)
{
    size_t n = strlen(dir);

    if (rel[0] == '/' || !n || !strcmp(dir, ".")) {
        return xstrdup(rel);
    }
    while (n > 1 && dir[n - 1] == '/') {
        n--;
    }
    return xasprintf("%.*s/%s", (int)n, dir, rel);
}

char *tpath_dir(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash) {
        return xstrdup(".");
    }
    return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

bool tpath_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool tpath_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *tjson_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

struct target_fn *target_add(struct target_set *s)
{
    struct target_fn *fn;

    ALLOC_GROW(s->v, s->nr + 1, s->alloc);
    fn = &s->v[s->nr++];
    memset(fn, 0, sizeof(*fn));
    return fn;
}

/* A directory: a CDK cloud assembly, a Serverless package, a `sam build` directory. */
static int read_dir(struct target_set *out, const char *path, struct diag *d)
{
    static const char *const sam[] = {"template.yaml", "template.yml", "template.json"};
    char *probe = tpath_join(path, "manifest.json");
    int rc;

    if (tpath_is_file(probe)) {
        free(probe);
        return cdk_read(out, path, d);
    }
    free(probe);
    probe = tpath_join(path, "cloudformation-template-update-stack.json");
    if (tpath_is_file(probe)) {
        free(probe);
        return serverless_read(out, path, d);
    }
    free(probe);
    for (size_t i = 0; i < sizeof(sam) / sizeof(sam[0]); i++) {
        probe = tpath_join(path, sam[i]);
        if (tpath_is_file(probe)) {
            rc = targets_read_template(out, probe, d);
            free(probe);
            return rc;
        }
        free(probe);
    }
    return diag_set(d, DIAG_USAGE,
                    "%s: no manifest.json (CDK), cloudformation-template-update-stack.json "
                    "(Serverless) or template.yaml (SAM) in it",
                    path);
}

int targets_read_template(struct target_set *out, const char *path, struct diag *d)
{
    cJSON *doc = NULL;
    char *base = NULL;
    int rc = -1;

    if (!out->source) {
        out->source = xstrdup(path);
    }
    if (tpath_is_dir(path)) {
        rc = read_dir(out, path, d);
        goto check;
    }
    if (!strcmp(path_base(path), "manifest.json")) {
        base = tpath_dir(path);
        rc = cdk_read(out, base, d);
        goto check;
    }
    if (tdoc_read(&doc, path, d) != 0) {
        goto out;
    }
    base = tpath_dir(path);
    if (cJSON_GetObjectItemCaseSensitive(doc, "format_version") &&
        (cJSON_GetObjectItemCaseSensitive(doc, "values") ||
         cJSON_GetObjectItemCaseSensitive(doc, "planned_values"))) {
        rc = terraform_read(out, doc, base, d);
    } else if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "Resources"))) {
        struct cfn_opts o = {base, NULL, NULL};
        rc = cfn_read(out, doc, &o, d);
    } else {
        rc = diag_set(d, DIAG_USAGE,
                      "%s: not a template abiscan knows (no Resources: not CloudFormation or "
                      "SAM; no format_version and values: not terraform show -json)",
                      path);
    }
check:
    if (rc == 0 && !out->nr) {
        rc = diag_set(d, DIAG_USAGE, "%s declares no Lambda function", path);
    }
out:
    cJSON_Delete(doc);
    free(base);
    return rc;
}

void target_add_layer(struct target_fn *fn, char *path)
{
    if (fn->layers.nr < TARGETS_MAX_LAYERS) {
        strvec_push_nodup(&fn->layers, path);
        return;
    }
    target_not_checked(fn, xasprintf("%s (past %d layers: not read)", path, TARGETS_MAX_LAYERS));
    free(path);
}

void target_not_checked(struct target_fn *fn, char *what)
{
    if (fn->not_checked.nr < TARGETS_MAX_NOT_CHECKED) {
        strvec_push_nodup(&fn->not_checked, what);
    } else if (fn->not_checked.nr == TARGETS_MAX_NOT_CHECKED) {
        strvec_push_nodup(&fn->not_checked, xstrdup("and more layers, not listed"));
        free(what);
    } else {
        free(what);
    }
}

void target_fn_release(struct target_fn *fn)
{
    free(fn->function);
    free(fn->runtime);
    free(fn->arch);
    free(fn->handler);
    free(fn->code);
    strvec_release(&fn->layers);
    strvec_release(&fn->not_checked);
    free(fn->skip);
    free(fn->error);
    free(fn->unresolved);
    memset(fn, 0, sizeof(*fn));
}

void target_set_release(struct target_set *s)
{
    for (size_t i = 0; i < s->nr; i++) {
        target_fn_release(&s->v[i]);
    }
    free(s->v);
    free(s->source);
    memset(s, 0, sizeof(*s));
}
