/* SPDX-License-Identifier: MIT */
/*
 * CloudFormation and SAM templates: each function's runtime and architecture (SAM's
 * Globals where the function does not say), its code and its layers. What the template
 * holds is read as written, never evaluated: a Ref to a parameter takes the parameter's
 * Default; anything else that is not a literal is said to be not checked.
 */
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "strmap.h"
#include "targets_int.h"
#include "xalloc.h"

struct cfn {
    const cJSON *tpl;
    const struct cfn_opts *o;
    const cJSON *globals; /* Globals.Function (SAM) */
    struct strmap resources, parameters;
    bool sam;
};

static const cJSON *item(const cJSON *o, const char *key)
{
    return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

static void index_section(struct strmap *map, const cJSON *section)
{
    const cJSON *r;

    cJSON_ArrayForEach(r, (cJSON_IsObject(section) ? section : NULL))
    {
        if (r->string) {
            strmap_put(map, r->string, strlen(r->string), (void *)r);
        }
    }
}

/* A literal string, or a Ref to a parameter with a string Default. */
static const char *literal(const struct cfn *c, const cJSON *v)
{
    const char *ref;
    const cJSON *param;

    if (cJSON_IsString(v)) {
        return v->valuestring;
    }
    if ((ref = tjson_str(v, "Ref")) != NULL &&
        (param = strmap_get(&c->parameters, ref, strlen(ref))) != NULL) {
        return tjson_str(param, "Default");
    }
    return NULL;
}

/* A property of the function, else (SAM) of Globals.Function. */
static const cJSON *prop(const struct cfn *c, const cJSON *props, const char *key, bool sam)
{
    const cJSON *v = item(props, key);
    return v || !sam ? v : item(c->globals, key);
}

static const char *first_of(const struct cfn *c, const cJSON *list)
{
    return cJSON_IsArray(list) ? literal(c, cJSON_GetArrayItem(list, 0)) : literal(c, list);
}

/* Where a resource's code is, by CDK's asset metadata (and SAM CLI's, which reads the
 * same): the asset's directory or zip, relative to the template's. */
static char *asset_path(const struct cfn *c, const cJSON *res, const char *property)
{
    const cJSON *meta = item(res, "Metadata");
    const char *path = tjson_str(meta, "aws:asset:path");
    const char *prop_name = tjson_str(meta, "aws:asset:property");

    if (!path || !prop_name || strcmp(prop_name, property) != 0) {
        return NULL;
    }
    return tpath_join(c->o->base, path);
}

/* Code in S3: for a Serverless package, the artifact of that name beside the template. */
static char *s3_code(const struct cfn *c, const cJSON *bucket, const char *key, char **error)
{
    const char *b = cJSON_IsString(bucket) ? bucket->valuestring : "(a bucket the stack names)";

    if (key && c->o->artifact_dir && path_base(key)[0]) {
        return tpath_join(c->o->artifact_dir, path_base(key));
    }
    *error = xasprintf("its code is in S3 (s3://%s/%s), not on this machine", b,
                       key ? key : "(a key the stack names)");
    return NULL;
}

/* Where the code is (code: SAM's CodeUri or Lambda's Code), or why it is not checked. */
static void code_of(const struct cfn *c, const cJSON *res, const cJSON *props, bool sam,
                    struct target_fn *fn)
{
    const char *prop_name = sam ? "CodeUri" : "Code";
    const cJSON *code = prop(c, props, prop_name, sam);
    const char *s;

    /* InlineCode is what SAM deploys, even beside a CodeUri (its own or the Globals'). */
    if (sam && item(props, "InlineCode")) {
        fn->skip = xstrdup("its code is inline in the template (InlineCode): no bundle");
        return;
    }
    if ((fn->code = asset_path(c, res, sam ? "CodeUri" : "Code")) != NULL) {
        return;
    }
    if (sam && !code) {
        /* No CodeUri: sam build takes the template's own directory (sample applications'
         * handlers are src/api/x.handler, relative to it). */
        fn->code = xstrdup(c->o->base[0] ? c->o->base : ".");
    } else if (!sam && item(code, "ZipFile")) {
        fn->skip = xstrdup("its code is inline in the template (Code.ZipFile): no bundle");
    } else if ((s = literal(c, code)) != NULL && !strncmp(s, "s3://", 5)) {
        fn->error = xasprintf("its code is in S3 (%s), not on this machine", s);
    } else if (s) {
        fn->code = tpath_join(c->o->base, s);
    } else if (cJSON_IsObject(code) && (item(code, "S3Key") || item(code, "Key"))) {
        fn->code = s3_code(c, item(code, sam ? "Bucket" : "S3Bucket"),
                           literal(c, item(code, sam ? "Key" : "S3Key")), &fn->error);
    } else {
        fn->error = xasprintf("the template gives no local %s for it", prop_name);
    }
}

/* One entry of Layers: a LayerVersion of this template, by Ref (its code), or not checked. */
static void layer_of(const struct cfn *c, const cJSON *entry, struct target_fn *fn)
{
    const char *ref = tjson_str(entry, "Ref"), *type, *s;
    const cJSON *res = ref ? strmap_get(&c->resources, ref, strlen(ref)) : NULL;
    const cJSON *props, *content;
    char *path, *error = NULL;
    bool sam;

    if (cJSON_IsString(entry) || (ref && !res)) {
        s = cJSON_IsString(entry) ? entry->valuestring : literal(c, entry);
        if (s) {
            target_not_checked(fn, xasprintf("%s (no local code)", s));
        } else {
            target_not_checked(fn, xasprintf("%s (%s)", ref,
                                             strmap_has(&c->parameters, ref, strlen(ref))
                                                 ? "a parameter without a default"
                                                 : "not in the template"));
        }
        return;
    }
    type = tjson_str(res, "Type");
    sam = type && !strcmp(type, "AWS::Serverless::LayerVersion");
    if (!ref && (s = tjson_str(entry, "Fn::Sub")) != NULL) {
        target_not_checked(fn, xasprintf("%s (no local code)", s));
        return;
    }
    if (!res || !type || (!sam && strcmp(type, "AWS::Lambda::LayerVersion") != 0)) {
        target_not_checked(fn, ref ? xasprintf("%s (not a LayerVersion of the template)", ref)
                                   : xstrdup("a layer given by an expression (no local code)"));
        return;
    }
    props = item(res, "Properties");
    content = item(props, sam ? "ContentUri" : "Content");
    if ((path = asset_path(c, res, sam ? "ContentUri" : "Content")) == NULL) {
        if ((s = literal(c, content)) != NULL && strncmp(s, "s3://", 5) != 0) {
            path = tpath_join(c->o->base, s);
        } else if (cJSON_IsObject(content)) {
            path = s3_code(c, item(content, sam ? "Bucket" : "S3Bucket"),
                           literal(c, item(content, sam ? "Key" : "S3Key")), &error);
        }
    }
    if (path) {
        target_add_layer(fn, path);
    } else {
        target_not_checked(fn, xasprintf("%s (%s)", ref,
                                         error ? error
                                               : "no local "
                                                 "content"));
    }
    free(error);
}

static void layers_of(const struct cfn *c, const cJSON *props, bool sam, struct target_fn *fn)
{
    const cJSON *lists[2] = {sam ? item(c->globals, "Layers") : NULL, item(props, "Layers")};
    const cJSON *e;

    /* SAM's Globals: a list is added to, the global entries first. */
    for (size_t i = 0; i < 2; i++) {
        cJSON_ArrayForEach(e, (cJSON_IsArray(lists[i]) ? lists[i] : NULL))
        {
            layer_of(c, e, fn);
        }
    }
}

static void function_of(struct cfn *c, const cJSON *res, bool sam, struct target_set *out)
{
    const cJSON *props = item(res, "Properties");
    struct target_fn *fn = target_add(out);
    const char *s;

    fn->function = xasprintf("%s%s", c->o->prefix ? c->o->prefix : "", res->string);
    /* PackageType decides when it is given: Zip with a stray ImageUri is a zip function. */
    s = literal(c, prop(c, props, "PackageType", sam));
    if (s ? !strcmp(s, "Image")
          : item(props, "ImageUri") || item(item(props, "Code"), "ImageUri")) {
        fn->skip = xstrdup("a container image (PackageType Image): abiscan checks the image "
                           "itself, not its template");
        return;
    }
    if ((s = literal(c, prop(c, props, "Runtime", sam))) != NULL) {
        fn->runtime = xstrdup(s);
    }
    if ((s = first_of(c, prop(c, props, "Architectures", sam))) != NULL) {
        fn->arch = xstrdup(s);
    }
    if ((s = literal(c, prop(c, props, "Handler", sam))) != NULL) {
        fn->handler = xstrdup(s);
    }
    code_of(c, res, props, sam, fn);
    layers_of(c, props, sam, fn);
}

int cfn_read(struct target_set *out, const cJSON *tpl, const struct cfn_opts *o, struct diag *d)
{
    struct cfn c = {.tpl = tpl, .o = o};
    const cJSON *resources = item(tpl, "Resources"), *res;
    const cJSON *transform = item(tpl, "Transform");

    if (!cJSON_IsObject(resources)) {
        return diag_set(d, DIAG_USAGE, "%s: the template has no Resources", out->source);
    }
    c.globals = item(item(tpl, "Globals"), "Function");
    index_section(&c.resources, resources);
    index_section(&c.parameters, item(tpl, "Parameters"));
    c.sam = (cJSON_IsString(transform) && strstr(transform->valuestring, "Serverless")) ||
            cJSON_IsArray(transform);
    cJSON_ArrayForEach(res, resources)

    {
        const char *type = tjson_str(res, "Type");
        bool sam = type && !strcmp(type, "AWS::Serverless::Function");
        c.sam |= sam;
        if (sam || (type && !strcmp(type, "AWS::Lambda::Function"))) {
            function_of(&c, res, sam, out);
        }
    }
    if (!out->kind) {
        out->kind = c.sam ? "sam" : "cloudformation";
    }
    strmap_release(&c.resources);
    strmap_release(&c.parameters);
    return 0;
}
