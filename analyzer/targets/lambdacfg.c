/* SPDX-License-Identifier: MIT */
/*
 * What `aws lambda` prints of functions (the Lambda API's FunctionConfiguration): one
 * function from get-function-configuration (the object itself) or get-function (under
 * "Configuration"), many from list-functions ("Functions"). Each: FunctionName, Runtime,
 * Architectures, Layers[].Arn, PackageType. Their code is not in the JSON (get-function's
 * Code.Location is a presigned URL, and abiscan downloads nothing): it is the bundle
 * given, or the zip or directory named after the function in --code-dir.
 */
#include <stdlib.h>
#include <string.h>

#include "targets_int.h"
#include "xalloc.h"

/* A function's name as the Lambda API allows it ([a-zA-Z0-9-_]+, 64 at most as a name):
 * anything else would name a file outside the code directory. */
static bool valid_name(const char *s)
{
    size_t n = strlen(s);

    if (n < 1 || n > 64) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_')) {
            return false;
        }
    }
    return true;
}

/* DIR/<name>.zip, else DIR/<name> as a directory. */
static void find_code(struct target_fn *fn, const char *code_dir)
{
    char *zip, *dir;

    if (!valid_name(fn->function)) {
        fn->error = xstrdup("its FunctionName is not a Lambda function name, so no file in "
                            "--code-dir is its code");
        return;
    }
    zip = xasprintf("%s.zip", fn->function);
    fn->code = tpath_join(code_dir, zip);
    free(zip);
    if (tpath_is_file(fn->code)) {
        return;
    }
    dir = tpath_join(code_dir, fn->function);
    if (tpath_is_dir(dir)) {
        free(fn->code);
        fn->code = dir;
        return;
    }
    fn->error =
        xasprintf("no code for it in --code-dir: neither %s nor a directory %s", fn->code, dir);
    free(dir);
    free(fn->code);
    fn->code = NULL;
}

static void function_of(const cJSON *cfg, const char *code_dir, size_t index,
                        struct target_set *out)
{
    struct target_fn *fn = target_add(out);
    const char *name = tjson_str(cfg, "FunctionName"), *s;
    const cJSON *layers = cJSON_GetObjectItemCaseSensitive(cfg, "Layers"), *l;
    const cJSON *arch =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cfg, "Architectures"), 0);

    fn->function = name ? xstrdup(name) : xasprintf("(function %zu: no FunctionName)", index + 1);
    if (!name) {
        fn->error = xstrdup("the configuration has no FunctionName");
        return;
    }
    if ((s = tjson_str(cfg, "PackageType")) != NULL && !strcmp(s, "Image")) {
        fn->skip = xstrdup("a container image (PackageType Image): abiscan checks the image "
                           "itself, not its configuration");
        return;
    }
    if ((s = tjson_str(cfg, "Runtime")) != NULL) {
        fn->runtime = xstrdup(s);
    }
    if (cJSON_IsString(arch)) {
        fn->arch = xstrdup(arch->valuestring);
    }
    if ((s = tjson_str(cfg, "Handler")) != NULL && *s) {
        fn->handler = xstrdup(s);
    }
    cJSON_ArrayForEach(l, (cJSON_IsArray(layers) ? layers : NULL))
    {
        const char *arn = tjson_str(l, "Arn");
        target_not_checked(fn,
                           xasprintf("%s (no local code)", arn ? arn : "(a layer with no Arn)"));
    }
    if (code_dir) {
        find_code(fn, code_dir);
    }
}

int targets_read_lambda_config(struct target_set *out, const char *path, const char *code_dir,
                               struct diag *d)
{
    cJSON *doc = NULL;
    const cJSON *list, *cfg, *one;
    int rc = -1;

    out->source = xstrdup(path);
    out->kind = "lambda-config";
    if (tdoc_read(&doc, path, d) != 0) {
        return -1;
    }
    list = cJSON_GetObjectItemCaseSensitive(doc, "Functions");
    one = cJSON_GetObjectItemCaseSensitive(doc, "Configuration");
    one = cJSON_IsObject(one) ? one : tjson_str(doc, "FunctionName") ? doc : NULL;
    if (cJSON_IsArray(list)) {
        if (!code_dir) {
            diag_set(d, DIAG_USAGE,
                     "%s is the output of list-functions: give --code-dir DIR with each "
                     "function's code in it as NAME.zip or a directory NAME (its FunctionName)",
                     path);
            goto out;
        }
        size_t i = 0;
        cJSON_ArrayForEach(cfg, list)

        {
            function_of(cfg, code_dir, i++, out);
        }
    } else if (one) {
        function_of(one, code_dir, 0, out);
        out->arn_layers = out->v[0].not_checked.nr;
    } else {
        diag_set(d, DIAG_USAGE,
                 "%s: not the JSON of aws lambda get-function-configuration, get-function or "
                 "list-functions (no FunctionName, Configuration or Functions)",
                 path);
        goto out;
    }
    rc = 0;
out:
    cJSON_Delete(doc);
    return rc;
}
