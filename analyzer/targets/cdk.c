/* SPDX-License-Identifier: MIT */
/*
 * An AWS CDK cloud assembly (cdk.out) and a Serverless Framework package (.serverless):
 * both come down to CloudFormation templates whose code is beside them. A cloud assembly's
 * manifest.json lists its stacks (artifacts of type aws:cloudformation:stack, each with
 * its templateFile) and nested assemblies (cdk:cloud-assembly, a Stage's: directoryName);
 * each function's and layer's code is the asset its aws:asset:path metadata names, a
 * directory or zip in the assembly. A Serverless package's template names its code by S3
 * key; the zip of that name is in the package.
 */
#include <stdlib.h>
#include <string.h>

#include "targets_int.h"
#include "xalloc.h"

/* Stages nest assemblies; deeper than this is not one a CDK app makes. */
#define CDK_MAX_NESTING 8

static int read_stack(struct target_set *out, const char *dir, const char *id,
                      const char *template_file, struct diag *d)
{
    char *path, *prefix = xasprintf("%s/", id);
    struct cfn_opts o = {dir, prefix, NULL};
    cJSON *tpl = NULL;
    int rc = -1;

    if (strstr(template_file, "..") || template_file[0] == '/') {
        diag_set(d, DIAG_USAGE, "%s/manifest.json: stack %s: templateFile '%s' leaves the assembly",
                 dir, id, template_file);
        free(prefix);
        return -1;
    }
    path = tpath_join(dir, template_file);
    if (tdoc_read(&tpl, path, d) == 0) {
        rc = cfn_read(out, tpl, &o, d);
    }
    cJSON_Delete(tpl);
    free(path);
    free(prefix);
    return rc;
}

static int read_assembly(struct target_set *out, const char *dir, int depth, struct diag *d)
{
    char *manifest = tpath_join(dir, "manifest.json");
    cJSON *doc = NULL;
    const cJSON *artifacts, *a;
    int rc = -1;

    if (depth > CDK_MAX_NESTING) {
        diag_set(d, DIAG_USAGE, "%s: cloud assemblies nested more than %d deep", dir,
                 CDK_MAX_NESTING);
        goto out;
    }
    if (tdoc_read(&doc, manifest, d) != 0) {
        goto out;
    }
    artifacts = cJSON_GetObjectItemCaseSensitive(doc, "artifacts");
    if (!cJSON_IsObject(artifacts)) {
        diag_set(d, DIAG_USAGE, "%s: not a cloud assembly manifest (no artifacts)", manifest);
        goto out;
    }
    cJSON_ArrayForEach(a, artifacts)

    {
        const char *type = tjson_str(a, "type");
        const cJSON *props = cJSON_GetObjectItemCaseSensitive(a, "properties");
        const char *file = tjson_str(props, "templateFile");
        const char *sub = tjson_str(props, "directoryName");
        if (type && !strcmp(type, "aws:cloudformation:stack") && file) {
            if (read_stack(out, dir, a->string, file, d) != 0) {
                goto out;
            }
        } else if (type && !strcmp(type, "cdk:cloud-assembly") && sub) {
            char *inner;
            if (strchr(sub, '/') || !strcmp(sub, "..") || !strcmp(sub, ".")) {
                diag_set(d, DIAG_USAGE, "%s: nested assembly '%s' is not a directory in it",
                         manifest, sub);
                goto out;
            }
            inner = tpath_join(dir, sub);
            rc = read_assembly(out, inner, depth + 1, d);
            free(inner);
            if (rc != 0) {
                goto out;
            }
        }
    }
    rc = 0;
out:
    cJSON_Delete(doc);
    free(manifest);
    return rc;
}

int cdk_read(struct target_set *out, const char *dir, struct diag *d)
{
    out->kind = "cdk";
    return read_assembly(out, dir, 0, d);
}

int serverless_read(struct target_set *out, const char *dir, struct diag *d)
{
    char *path = tpath_join(dir, "cloudformation-template-update-stack.json");
    struct cfn_opts o = {dir, NULL, dir};
    cJSON *tpl = NULL;
    int rc = -1;

    out->kind = "serverless";
    if (tdoc_read(&tpl, path, d) == 0) {
        rc = cfn_read(out, tpl, &o, d);
    }
    cJSON_Delete(tpl);
    free(path);
    return rc;
}
