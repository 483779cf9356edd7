/* SPDX-License-Identifier: MIT */
/*
 * CloudFormation and SAM templates: each function's runtime and architecture (SAM's
 * Globals where the function does not say), its code and its layers. The template is
 * evaluated as far as it holds its own values (cfn_eval.c): Fn::ForEach loops are expanded
 * (a loop that cannot be, or passes the bound, is named with why), and a property given by
 * Ref, Fn::If, Fn::FindInMap, Fn::Sub or Fn::Join is resolved from the Parameters' defaults,
 * the Mappings and the Conditions. A function whose properties turn on a condition the
 * defaults do not decide is read once per way it goes ("Fn [if IsProd]", "Fn [if not
 * IsProd]"); a runtime or architecture that still cannot be resolved (AWS::Region) is
 * said to be, with the expression, and the function is not checked.
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
    struct cfn_eval e;
    struct cfn_loops resource_loops, condition_loops;
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

/* A string, as written or resolved (a Ref to a parameter's Default, Fn::If, Fn::FindInMap,
 * Fn::Sub, Fn::Join), or NULL: c->e.why says why. */
static const char *literal(struct cfn *c, const cJSON *v)
{
    return cfn_str(&c->e, v);
}

/* "what not resolved: EXPR (why)", of the value last resolved; fresh. */
static char *unresolved(struct cfn *c, const char *what, const cJSON *v)
{
    char *text = cfn_expr_text(v);
    char *out =
        xasprintf("%s not resolved: %s (%s)", what, text, c->e.why ? c->e.why : "not resolved");
    free(text);
    return out;
}

/* A property of the function, else (SAM) of Globals.Function. */
static const cJSON *prop(const struct cfn *c, const cJSON *props, const char *key, bool sam)
{
    const cJSON *v = item(props, key);
    return v || !sam ? v : item(c->globals, key);
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
static char *s3_code(struct cfn *c, const cJSON *bucket, const char *key, char **error)
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
static void code_of(struct cfn *c, const cJSON *res, const cJSON *props, bool sam,
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
    } else if (cfn_fn_name(code) && !c->e.novalue) {
        fn->error = unresolved(c, prop_name, code);
    } else {
        fn->error = xasprintf("the template gives no local %s for it", prop_name);
    }
}

/* One entry of Layers: a LayerVersion of this template, by Ref (its code), or not checked. */
static void layer_of(struct cfn *c, const cJSON *entry, struct target_fn *fn)
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

static void layers_of(struct cfn *c, const cJSON *props, bool sam, struct target_fn *fn)
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

/* The function as the template says under the conditions assumed (c->e). */
static void read_function(struct cfn *c, const cJSON *res, bool sam, struct target_fn *fn)
{
    const cJSON *props = item(res, "Properties"), *v, *list, *first;
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
    /* AWS::NoValue takes the property away: as if it were not there. */
    if ((v = prop(c, props, "Runtime", sam)) != NULL) {
        if ((s = literal(c, v)) != NULL) {
            fn->runtime = xstrdup(s);
        } else if (!c->e.novalue) {
            fn->unresolved = unresolved(c, "runtime", v);
        }
    }
    if ((v = prop(c, props, "Architectures", sam)) != NULL) {
        list = cfn_value(&c->e, v);
        first = cJSON_IsArray(list) ? list->child : list;
        if (first && (s = literal(c, first)) != NULL) {
            fn->arch = xstrdup(s);
        } else if ((!list || first) && !c->e.novalue && !fn->unresolved) {
            fn->unresolved = unresolved(c, "architecture", v); /* not [] */
        }
    }
    if ((s = literal(c, prop(c, props, "Handler", sam))) != NULL) {
        fn->handler = xstrdup(s);
    }
    code_of(c, res, props, sam, fn);
    layers_of(c, props, sam, fn);
}

/* What one function is read as, once per way the undecided conditions go. */
struct readings {
    struct target_fn v[1 << CFN_MAX_ASSUMED];
    char *label[1 << CFN_MAX_ASSUMED]; /* "if IsProd and not UseArm", NULL: nothing assumed */
    size_t nr;
};

static char *label_of(const struct cfn_eval *e)
{
    struct strvec terms = STRVEC_INIT;
    char *joined, *out;

    if (!e->assumed_nr) {
        return NULL;
    }
    for (size_t i = 0; i < e->assumed_nr; i++) {
        strvec_push_nodup(&terms,
                          xasprintf("%s%.100s", e->assumed_true[i] ? "" : "not ", e->assumed[i]));
    }
    joined = strvec_join(&terms, " and ");
    out = xasprintf("if %s", joined);
    free(joined);
    strvec_release(&terms);
    return out;
}

/* Read the function; when it turned on a condition the defaults do not decide, read it
 * again with the condition true, and false (CFN_MAX_ASSUMED conditions deep). */
static void explore(struct cfn *c, const cJSON *res, bool sam, struct readings *r)
{
    struct target_fn fn = {0};
    const char *cond;

    cfn_eval_reset(&c->e);
    read_function(c, res, sam, &fn);
    if ((cond = c->e.undecided) != NULL && c->e.assumed_nr < CFN_MAX_ASSUMED) {
        target_fn_release(&fn);
        for (int way = 1; way >= 0; way--) {
            c->e.assumed[c->e.assumed_nr] = cond;
            c->e.assumed_true[c->e.assumed_nr++] = way;
            explore(c, res, sam, r);
            c->e.assumed_nr--;
        }
        return;
    }
    r->label[r->nr] = label_of(&c->e);
    r->v[r->nr++] = fn;
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool same_strvec(const struct strvec *a, const struct strvec *b)
{
    for (size_t i = 0; a->nr == b->nr && i < a->nr; i++) {
        if (strcmp(a->v[i], b->v[i]) != 0) {
            return false;
        }
    }
    return a->nr == b->nr;
}

static bool same_fn(const struct target_fn *a, const struct target_fn *b)
{
    return same_str(a->runtime, b->runtime) && same_str(a->arch, b->arch) &&
           same_str(a->code, b->code) && same_str(a->handler, b->handler) &&
           same_str(a->skip, b->skip) && same_str(a->error, b->error) &&
           same_str(a->unresolved, b->unresolved) && same_strvec(&a->layers, &b->layers) &&
           same_strvec(&a->not_checked, &b->not_checked);
}

/* The function, or one per way the conditions it turns on go when they make it differ. */
static void function_of(struct cfn *c, const cJSON *res, bool sam, struct target_set *out)
{
    struct readings r = {0};
    bool same = true;

    c->e.assumed_nr = 0;
    explore(c, res, sam, &r);
    for (size_t i = 1; i < r.nr; i++) {
        same = same && same_fn(&r.v[0], &r.v[i]);
    }
    for (size_t i = 0; i < r.nr; i++) {
        if (same && i) {
            target_fn_release(&r.v[i]);
        } else {
            struct target_fn *fn = target_add(out);
            *fn = r.v[i];
            if (!same && r.label[i]) {
                char *name = xasprintf("%s [%s]", fn->function, r.label[i]);
                free(fn->function);
                fn->function = name;
            }
        }
        free(r.label[i]);
    }
}

/* A loop that declares functions, not expanded (whole): named, with why. */
static void loop_issues(struct cfn *c, struct target_set *out)
{
    for (size_t i = 0; i < c->resource_loops.nr; i++) {
        const struct cfn_loop_issue *l = &c->resource_loops.v[i];
        struct target_fn *fn = target_add(out);
        fn->function = xasprintf("%s%s", c->o->prefix ? c->o->prefix : "", l->loop);
        if (l->cut) {
            fn->skip = xstrdup(l->why);
        } else {
            fn->error = xasprintf("%s: the functions it declares are not read", l->why);
        }
    }
}

/* Whether a Transform (a name or a list of them) is SAM's. */
static bool sam_transform(const cJSON *transform)
{
    const cJSON *t;

    if (cJSON_IsString(transform)) {
        return strstr(transform->valuestring, "Serverless") != NULL;
    }
    cJSON_ArrayForEach(t, (cJSON_IsArray(transform) ? transform : NULL))
    {
        if (cJSON_IsString(t) && strstr(t->valuestring, "Serverless")) {
            return true;
        }
    }
    return false;
}

int cfn_read(struct target_set *out, const cJSON *tpl, const struct cfn_opts *o, struct diag *d)
{
    struct cfn c = {.tpl = tpl, .o = o};
    const cJSON *resources = item(tpl, "Resources"), *res;
    const cJSON *conditions = item(tpl, "Conditions");

    if (!cJSON_IsObject(resources)) {
        return diag_set(d, DIAG_USAGE, "%s: the template has no Resources", out->source);
    }
    c.globals = item(item(tpl, "Globals"), "Function");
    c.e.parameters = item(tpl, "Parameters");
    c.e.mappings = item(tpl, "Mappings");
    /* Loops may make conditions, and a loop's collection may turn on a condition. */
    cfn_expand(&c.condition_loops, conditions, &c.e);
    c.e.conditions = c.condition_loops.section ? c.condition_loops.section : conditions;
    cfn_expand(&c.resource_loops, resources, &c.e);
    resources = c.resource_loops.section ? c.resource_loops.section : resources;
    index_section(&c.resources, resources);
    index_section(&c.parameters, c.e.parameters);
    c.sam = sam_transform(item(tpl, "Transform"));
    cJSON_ArrayForEach(res, resources)

    {
        const char *type = tjson_str(res, "Type");
        bool sam = type && !strcmp(type, "AWS::Serverless::Function");
        c.sam |= sam;
        if (sam || (type && !strcmp(type, "AWS::Lambda::Function"))) {
            function_of(&c, res, sam, out);
        }
    }
    loop_issues(&c, out);
    if (!out->kind) {
        out->kind = c.sam ? "sam" : "cloudformation";
    }
    strmap_release(&c.resources);
    strmap_release(&c.parameters);
    cfn_loops_release(&c.resource_loops);
    cfn_loops_release(&c.condition_loops);
    cfn_eval_release(&c.e);
    return 0;
}
