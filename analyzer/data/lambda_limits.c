/* SPDX-License-Identifier: MIT */
/* Deployment limits: JSON in, validated, into plain C structs. */
#include "lambda_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jsonread.h"
#include "xalloc.h"

static int load_limit(struct limit *out, const cJSON *root, const char *key, struct diag *d)
{
    char path[64];
    long v;

    snprintf(path, sizeof(path), "%s.value", key);
    if (jsonread_int(&v, root, path, d) != 0) {
        return -1;
    }
    out->value = (uint64_t)v; /* the schema says >= 1 */
    snprintf(path, sizeof(path), "%s.lambda_error", key);
    return jsonread_str(&out->lambda_error, root, path, d);
}

static void load_strings(struct strvec *out, const cJSON *list)
{
    const cJSON *e;

    cJSON_ArrayForEach(e, list)
    {
        if (cJSON_IsString(e)) {
            strvec_push(out, e->valuestring);
        }
    }
}

/* runtime_packages.value: validated by the schema already. */
static void load_provided(struct lambda_limits *out, const cJSON *root)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(
                    cJSON_GetObjectItemCaseSensitive(root, "runtime_packages"), "value"),
                *e;

    out->provided = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*out->provided));
    cJSON_ArrayForEach(e, list)
    {
        struct runtime_packages *rp = &out->provided[out->provided_nr++];
        load_strings(&rp->runtimes, cJSON_GetObjectItemCaseSensitive(e, "runtimes"));
        load_strings(&rp->packages, cJSON_GetObjectItemCaseSensitive(e, "packages"));
    }
}

const struct strvec *lambda_runtime_packages(const struct lambda_limits *l, const char *runtime)
{
    if (!runtime) {
        return l->provided_nr == 1 ? &l->provided[0].packages : NULL;
    }
    for (size_t i = 0; i < l->provided_nr; i++) {
        if (strvec_contains(&l->provided[i].runtimes, runtime)) {
            return &l->provided[i].packages;
        }
    }
    return NULL;
}

int lambda_limits_load(struct lambda_limits *out, const struct datasrc *src, struct diag *d)
{
    char *path = xasprintf("%s/limits.json", src->dir);
    cJSON *root = NULL;
    long pct = 0;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (jsonread_data(&root, src, "limits.json", "limits.schema.json", d) != 0) {
        goto out;
    }
    if (load_limit(&out->zipped, root, "zipped_direct_upload", d) ||
        load_limit(&out->unzipped, root, "unzipped_total", d) ||
        load_limit(&out->layers, root, "layers", d) ||
        load_limit(&out->image, root, "image_uncompressed", d) ||
        jsonread_int(&pct, root, "warn_percent.value", d)) {
        diag_prefix(d, "%s", path);
        goto out;
    }
    out->warn_percent = (unsigned)pct;
    load_provided(out, root);
    rc = 0;
out:
    if (rc) {
        lambda_limits_release(out);
    }
    cJSON_Delete(root);
    free(path);
    return rc;
}

void lambda_limits_release(struct lambda_limits *l)
{
    free(l->zipped.lambda_error);
    free(l->unzipped.lambda_error);
    free(l->layers.lambda_error);
    free(l->image.lambda_error);
    for (size_t i = 0; i < l->provided_nr; i++) {
        strvec_release(&l->provided[i].runtimes);
        strvec_release(&l->provided[i].packages);
    }
    free(l->provided);
    memset(l, 0, sizeof(*l));
}
