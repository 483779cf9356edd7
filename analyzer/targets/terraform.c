/* SPDX-License-Identifier: MIT */
/*
 * The JSON of `terraform show -json` (developer.hashicorp.com/terraform/internals/
 * json-format): a state's "values" or a plan's "planned_values", each a root module of
 * resources and child modules. Every managed aws_lambda_function is a function: its
 * runtime, architectures, and code (filename; or, when that zip is not built yet, the
 * source_dir of the archive_file data source whose output_path it is); its layers are
 * the aws_lambda_layer_version resources whose arn it lists (a state), or that its
 * configuration's layers expression references (a plan, where new ARNs are not known).
 * Paths are relative to the root module, where `terraform show` runs: the JSON file's
 * directory.
 */
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "targets_int.h"
#include "xalloc.h"

#define TF_MAX_MODULE_DEPTH 32

struct tf {
    const char *base;
    struct strmap by_address; /* address -> resource (values) */
    struct strmap by_arn;     /* layer arn -> resource */
    struct strmap archives;   /* archive_file output_path -> resource */
    struct strmap config;     /* address (no index) -> configuration resource */
    const cJSON **functions;
    size_t functions_nr, functions_alloc;
};

static const cJSON *item(const cJSON *o, const char *key)
{
    return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

/* The array (object) at key, or NULL: what cJSON_ArrayForEach may walk. */
static const cJSON *list(const cJSON *o, const char *key)
{
    const cJSON *v = item(o, key);
    return cJSON_IsArray(v) ? v : NULL;
}

static const cJSON *object(const cJSON *o, const char *key)
{
    const cJSON *v = item(o, key);
    return cJSON_IsObject(v) ? v : NULL;
}

static void put(struct strmap *m, const char *key, const cJSON *v)
{
    if (key && !strmap_has(m, key, strlen(key))) {
        strmap_put(m, key, strlen(key), (void *)v);
    }
}

static void index_module(struct tf *t, const cJSON *module, bool functions, int depth)
{
    const cJSON *r, *child;

    if (depth > TF_MAX_MODULE_DEPTH) {
        return;
    }
    cJSON_ArrayForEach(r, list(module, "resources"))
    {
        const char *type = tjson_str(r, "type"), *mode = tjson_str(r, "mode");
        const cJSON *values = item(r, "values");
        if (!type || !mode) {
            continue;
        }
        put(&t->by_address, tjson_str(r, "address"), r);
        if (!strcmp(mode, "data") && !strcmp(type, "archive_file")) {
            put(&t->archives, tjson_str(values, "output_path"), r);
        } else if (!strcmp(mode, "managed") && !strcmp(type, "aws_lambda_layer_version")) {
            put(&t->by_arn, tjson_str(values, "arn"), r);
        } else if (functions && !strcmp(mode, "managed") && !strcmp(type, "aws_lambda_function")) {
            ALLOC_GROW(t->functions, t->functions_nr + 1, t->functions_alloc);
            t->functions[t->functions_nr++] = r;
        }
    }
    cJSON_ArrayForEach(child, list(module, "child_modules"))
    {
        index_module(t, child, functions, depth + 1);
    }
}

/* The configuration's resources, by address: "module.a.module.b.aws_lambda_function.f". */
static void index_config(struct tf *t, const cJSON *module, const char *prefix, int depth)
{
    const cJSON *r, *call;

    if (depth > TF_MAX_MODULE_DEPTH) {
        return;
    }
    cJSON_ArrayForEach(r, list(module, "resources"))
    {
        const char *address = tjson_str(r, "address");
        if (address) {
            char *full = xasprintf("%s%s", prefix, address);
            put(&t->config, full, r);
            free(full);
        }
    }
    cJSON_ArrayForEach(call, object(module, "module_calls"))
    {
        char *inner = xasprintf("%smodule.%s.", prefix, call->string);
        index_config(t, item(call, "module"), inner, depth + 1);
        free(inner);
    }
}

/* A zip's path, or the source directory of the archive_file that makes it. */
static char *code_path(const struct tf *t, const char *filename)
{
    char *path = tpath_join(t->base, filename);
    const cJSON *archive = strmap_get(&t->archives, filename, strlen(filename));
    const char *src = tjson_str(item(archive, "values"), "source_dir");

    if (!tpath_is_file(path) && src) {
        free(path);
        path = tpath_join(t->base, src);
    }
    return path;
}

/* The module prefix of an address ("module.m." of "module.m.aws_lambda_function.f[0]"). */
static char *module_prefix(const char *address)
{
    const char *last = address, *p;

    for (p = address; (p = strstr(p, "module.")) != NULL; p += 7) {
        const char *dot = strchr(p + 7, '.');
        if (!dot) {
            break;
        }
        last = dot + 1;
    }
    return xstrndup(address, (size_t)(last - address));
}

static void add_layer(const struct tf *t, const cJSON *layer, struct target_fn *fn,
                      const char *what)
{
    const char *filename = tjson_str(item(layer, "values"), "filename");

    if (filename) {
        target_add_layer(fn, code_path(t, filename));
    } else {
        target_not_checked(fn, xasprintf("%s (no local filename)", what));
    }
}

/* A plan: the layer resources the configuration's layers expression references. */
static void layers_by_reference(const struct tf *t, const char *address, struct target_fn *fn)
{
    char *key = xstrndup(address, strcspn(address, "["));
    char *prefix = module_prefix(address);
    const cJSON *conf = strmap_get(&t->config, key, strlen(key)), *ref;
    const cJSON *refs = item(item(item(conf, "expressions"), "layers"), "references");

    struct strvec seen = STRVEC_INIT;

    cJSON_ArrayForEach(ref, (cJSON_IsArray(refs) ? refs : NULL))
    {
        const char *s = cJSON_IsString(ref) ? ref->valuestring : "";
        char *target;
        const cJSON *layer;
        /* "aws_lambda_layer_version.deps.arn" and "aws_lambda_layer_version.deps" both
         * name the resource: its type and name are the first two parts. */
        if (strncmp(s, "aws_lambda_layer_version.", 25) != 0 || !s[25]) {
            continue;
        }
        target = xasprintf("%s%.*s", prefix, (int)(25 + strcspn(s + 25, ".")), s);
        if (strvec_contains(&seen, target)) {
            free(target);
            continue;
        }
        if ((layer = strmap_get(&t->by_address, target, strlen(target))) != NULL) {
            add_layer(t, layer, fn, target);
        } else {
            target_not_checked(fn, xasprintf("%s (not in the plan)", target));
        }
        strvec_push_nodup(&seen, target);
    }
    strvec_release(&seen);
    free(prefix);
    free(key);
}

static void function_of(const struct tf *t, const cJSON *r, struct target_set *out)
{
    const cJSON *v = item(r, "values"), *layers = item(v, "layers"), *e;
    const char *name = tjson_str(v, "function_name"), *address = tjson_str(r, "address"), *s;
    struct target_fn *fn = target_add(out);

    /* A hand-made file may have neither: the function is still listed, by its position. */
    fn->function = name      ? xstrdup(name)
                   : address ? xstrdup(address)
                             : xasprintf("(function %zu: no function_name, no address)", out->nr);
    if (((s = tjson_str(v, "package_type")) && !strcmp(s, "Image")) ||
        ((s = tjson_str(v, "image_uri")) && *s)) {
        fn->skip = xstrdup("a container image (package_type Image): abiscan checks the image "
                           "itself, not its configuration");
        return;
    }
    if ((s = tjson_str(v, "runtime")) != NULL) {
        fn->runtime = xstrdup(s);
    }
    e = cJSON_GetArrayItem(item(v, "architectures"), 0);
    if (cJSON_IsString(e)) {
        fn->arch = xstrdup(e->valuestring);
    }
    if ((s = tjson_str(v, "handler")) != NULL && *s) {
        fn->handler = xstrdup(s);
    }
    if ((s = tjson_str(v, "filename")) != NULL && *s) {
        fn->code = code_path(t, s);
    } else if (tjson_str(v, "s3_key")) {
        fn->error = xasprintf("its code is in S3 (s3://%s/%s), not on this machine",
                              tjson_str(v, "s3_bucket") ? tjson_str(v, "s3_bucket") : "",
                              tjson_str(v, "s3_key"));
    } else {
        fn->error = xstrdup("its filename is not known (not in the state or plan)");
    }
    if (!cJSON_IsArray(layers)) {
        layers_by_reference(t, address ? address : "", fn);
        return;
    }
    cJSON_ArrayForEach(e, layers)

    {
        const char *arn = cJSON_IsString(e) ? e->valuestring : NULL;
        const cJSON *layer = arn ? strmap_get(&t->by_arn, arn, strlen(arn)) : NULL;
        if (layer) {
            add_layer(t, layer, fn, arn);
        } else if (arn) {
            target_not_checked(fn, xasprintf("%s (no local code)", arn));
        }
    }
}

int terraform_read(struct target_set *out, const cJSON *doc, const char *base, struct diag *d)
{
    const cJSON *values =
        item(doc, "planned_values") ? item(doc, "planned_values") : item(doc, "values");
    struct tf t = {.base = base};
    struct strmap seen = {0};

    out->kind = "terraform";
    if (!cJSON_IsObject(item(values, "root_module"))) {
        return diag_set(d, DIAG_USAGE, "%s: no root_module in its values", out->source);
    }
    index_module(&t, item(values, "root_module"), true, 0);
    /* A plan's prior state knows the ARNs of layers that exist already (its functions are
     * the plan's, or going away). */
    index_module(&t, item(item(item(doc, "prior_state"), "values"), "root_module"), false, 0);
    index_config(&t, item(item(doc, "configuration"), "root_module"), "", 0);
    for (size_t i = 0; i < t.functions_nr; i++) {
        /* A function listed twice (a hand-made file): once. */
        const char *a = tjson_str(t.functions[i], "address");
        if (a && strmap_has(&seen, a, strlen(a))) {
            continue;
        }
        if (a) {
            strmap_put(&seen, a, strlen(a), NULL);
        }
        function_of(&t, t.functions[i], out);
    }
    strmap_release(&seen);
    strmap_release(&t.by_address);
    strmap_release(&t.by_arn);
    strmap_release(&t.archives);
    strmap_release(&t.config);
    free(t.functions);
    return 0;
}
