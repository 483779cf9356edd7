/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for where targets are declared (targets/) and what reads them: YAML with
 * CloudFormation's short-form tags (data/yamljson's template mode), the CloudFormation /
 * SAM reader (Globals, Refs to parameters and layers, code paths, what is not checked),
 * terraform show -json (layers by ARN and by reference, archive_file sources), the aws
 * lambda JSON kinds, and the --files-from list (util/listfile). Each table row names
 * itself when it fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "listfile.h"
#include "targets.h"
#include "xalloc.h"
#include "yamljson.h"

static const struct yamljson_opts cfn = {true, 64, 100000, 1 << 20, false};

/* The document as compact JSON: what the template mode made of it. */
static char *as_json(const char *yaml, struct diag *d)
{
    cJSON *root = NULL;
    char *out;

    if (yamljson_parse_opts(&root, NULL, yaml, strlen(yaml), &cfn, d) != 0) {
        return NULL;
    }
    out = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return out;
}

static void targets__short_tags_become_the_long_form(void **state)
{
    static const struct {
        const char *yaml, *json;
    } rows[] = {
        {"a: !Ref Bucket", "{\"a\":{\"Ref\":\"Bucket\"}}"},
        {"a: !GetAtt Fn.Arn", "{\"a\":{\"Fn::GetAtt\":[\"Fn\",\"Arn\"]}}"},
        {"a: !GetAtt Fn.Outputs.Url", "{\"a\":{\"Fn::GetAtt\":[\"Fn\",\"Outputs.Url\"]}}"},
        {"a: !GetAtt [Fn, Arn]", "{\"a\":{\"Fn::GetAtt\":[\"Fn\",\"Arn\"]}}"},
        {"a: !Sub 'arn:${AWS::Region}'", "{\"a\":{\"Fn::Sub\":\"arn:${AWS::Region}\"}}"},
        {"a: !Join ['', [x, !Ref y]]", "{\"a\":{\"Fn::Join\":[\"\",[\"x\",{\"Ref\":\"y\"}]]}}"},
        {"a: !If [c, !Ref x, !Ref AWS::NoValue]",
         "{\"a\":{\"Fn::If\":[\"c\",{\"Ref\":\"x\"},{\"Ref\":\"AWS::NoValue\"}]}}"},
        {"a: !Condition IsProd", "{\"a\":{\"Condition\":\"IsProd\"}}"},
        {"a: !FindInMap {k: v}", "{\"a\":{\"Fn::FindInMap\":{\"k\":\"v\"}}}"},
        {"a: !!str 3", "{\"a\":\"3\"}"},
        {"a: 3", "{\"a\":3}"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct diag d = DIAG_INIT;
        char *got = as_json(rows[i].yaml, &d);
        if (!got || strcmp(got, rows[i].json) != 0) {
            fail_msg("row %zu (%s): got %s (%s)", i, rows[i].yaml, got ? got : "an error", d.msg);
        }
        cJSON_free(got);
    }
}

static void targets__refuses_what_a_template_never_has(void **state)
{
    static const char *const rows[] = {
        "a: !!python/object/apply:os.system [id]",
        "a: !<tag:example.com,2024:x> 1",
        "a: &x [1]\nb: *x",
        "a: !Ref!x y",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct diag d = DIAG_INIT;
        char *got = as_json(rows[i], &d);
        if (got) {
            fail_msg("row %zu (%s) was read: %s", i, rows[i], got);
        }
    }
}

/* A scratch directory holding files (name, content); its path. */
static char *scratch(const char *const *files)
{
    char tmpl[] = "/tmp/abiscan-targets-XXXXXX";
    char *dir = xstrdup(mkdtemp(tmpl));

    for (size_t i = 0; files[i]; i += 2) {
        char *p = xasprintf("%s/%s", dir, files[i]);
        FILE *f = fopen(p, "w");
        assert_non_null(f);
        fputs(files[i + 1], f);
        fclose(f);
        free(p);
    }
    return dir;
}

static const struct target_fn *fn_named(const struct target_set *s, const char *name)
{
    for (size_t i = 0; i < s->nr; i++) {
        if (!strcmp(s->v[i].function, name)) {
            return &s->v[i];
        }
    }
    fail_msg("no function %s", name);
    return NULL;
}

static const char *or_null(const char *s)
{
    return s ? s : "(null)";
}

static void targets__sam_globals_refs_and_layers(void **state)
{
    static const char sam[] =
        "Transform: AWS::Serverless-2016-10-31\n"
        "Parameters:\n  Py: {Type: String, Default: python3.12}\n  LayerArn: {Type: String}\n"
        "Globals:\n  Function:\n    Runtime: python3.11\n    Architectures: [arm64]\n"
        "    Layers: [!Sub 'arn:aws:lambda:${AWS::Region}:1:layer:g:1']\n"
        "Resources:\n"
        "  Deps: {Type: AWS::Serverless::LayerVersion, Properties: {ContentUri: deps/}}\n"
        "  A: {Type: AWS::Serverless::Function, Properties: {CodeUri: a/}}\n"
        "  B:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: b.zip\n"
        "      Runtime: !Ref Py\n      Architectures: [x86_64]\n"
        "      Layers: [!Ref Deps, !Ref LayerArn, !Ref A, arn:aws:lambda:x:1:layer:y:2]\n"
        "  C: {Type: AWS::Serverless::Function, Properties: {CodeUri: 's3://b/k.zip'}}\n"
        "  D: {Type: AWS::Serverless::Function, Properties: {InlineCode: 'def h(e, c): pass'}}\n"
        "  E: {Type: AWS::Serverless::Function, Properties: {PackageType: Image}}\n"
        "  T: {Type: AWS::SNS::Topic}\n";
    const char *const files[] = {"template.yaml", sam, NULL};
    char *dir = scratch(files), *path = xasprintf("%s/template.yaml", dir), *want;
    struct target_set s = {0};
    struct diag d = DIAG_INIT;
    const struct target_fn *a, *b;

    (void)state;
    if (targets_read_template(&s, path, &d) != 0) {
        fail_msg("%s", d.msg);
    }
    assert_string_equal(s.kind, "sam");
    assert_int_equal(s.nr, 5);
    a = fn_named(&s, "A");
    assert_string_equal(a->runtime, "python3.11"); /* Globals */
    assert_string_equal(a->arch, "arm64");
    want = xasprintf("%s/a/", dir);
    assert_string_equal(a->code, want);
    free(want);
    assert_int_equal(a->not_checked.nr, 1); /* the Globals layer, by !Sub */
    b = fn_named(&s, "B");
    assert_string_equal(b->runtime, "python3.12"); /* the parameter's Default */
    assert_string_equal(b->arch, "x86_64");
    assert_int_equal(b->layers.nr, 1); /* Deps, after the Globals one */
    want = xasprintf("%s/deps/", dir);
    assert_string_equal(b->layers.v[0], want);
    free(want);
    assert_int_equal(b->not_checked.nr, 4); /* Globals', a parameter, a function, an ARN */
    assert_non_null(strstr(b->not_checked.v[1], "a parameter without a default"));
    assert_non_null(strstr(b->not_checked.v[2], "not a LayerVersion"));
    assert_non_null(strstr(or_null(fn_named(&s, "C")->error), "in S3"));
    assert_non_null(strstr(or_null(fn_named(&s, "D")->skip), "inline"));
    assert_non_null(strstr(or_null(fn_named(&s, "E")->skip), "container image"));
    target_set_release(&s);
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
}

static void targets__terraform_layers_by_arn_and_reference(void **state)
{
    static const char state_json[] =
        "{\"format_version\":\"1.0\",\"values\":{\"root_module\":{\"resources\":["
        "{\"address\":\"aws_lambda_layer_version.l\",\"mode\":\"managed\","
        "\"type\":\"aws_lambda_layer_version\",\"values\":{\"arn\":\"arn:l:1\","
        "\"filename\":\"l.zip\"}},"
        "{\"address\":\"data.archive_file.src\",\"mode\":\"data\",\"type\":\"archive_file\","
        "\"values\":{\"output_path\":\"out/f.zip\",\"source_dir\":\"src/f\"}},"
        "{\"address\":\"aws_lambda_function.f\",\"mode\":\"managed\","
        "\"type\":\"aws_lambda_function\",\"values\":{\"function_name\":\"fn\","
        "\"runtime\":\"python3.12\",\"architectures\":[\"arm64\"],\"filename\":\"out/f.zip\","
        "\"layers\":[\"arn:l:1\",\"arn:other:2\"],\"image_uri\":\"\"}},"
        "{\"address\":\"aws_lambda_function.g\",\"mode\":\"managed\","
        "\"type\":\"aws_lambda_function\",\"values\":{\"function_name\":\"g\","
        "\"runtime\":\"python3.11\",\"filename\":\"g.zip\"}}]}},"
        "\"configuration\":{\"root_module\":{\"resources\":[{\"address\":"
        "\"aws_lambda_function.g\",\"expressions\":{\"layers\":{\"references\":["
        "\"aws_lambda_layer_version.l.arn\",\"aws_lambda_layer_version.l\"]}}}]}}}";
    const char *const files[] = {"tf.json", state_json, NULL};
    char *dir = scratch(files), *path = xasprintf("%s/tf.json", dir), *want;
    struct target_set s = {0};
    struct diag d = DIAG_INIT;
    const struct target_fn *f, *g;

    (void)state;
    if (targets_read_template(&s, path, &d) != 0) {
        fail_msg("%s", d.msg);
    }
    assert_string_equal(s.kind, "terraform");
    f = fn_named(&s, "fn");
    assert_string_equal(f->arch, "arm64");
    want = xasprintf("%s/src/f", dir); /* out/f.zip is not built: its archive's source */
    assert_string_equal(f->code, want);
    free(want);
    assert_int_equal(f->layers.nr, 1);
    assert_int_equal(f->not_checked.nr, 1);
    g = fn_named(&s, "g"); /* no layers value (a plan): by the configuration's references */
    assert_int_equal(g->layers.nr, 1);
    assert_null(g->arch);
    target_set_release(&s);
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
}

static void targets__lambda_config_kinds(void **state)
{
    static const struct {
        const char *json;
        int rc;
        size_t nr;
        const char *first;
    } rows[] = {
        {"{\"FunctionName\":\"a\",\"Runtime\":\"python3.12\"}", 0, 1, "a"},
        {"{\"Configuration\":{\"FunctionName\":\"b\"},\"Code\":{\"Location\":\"https://x\"}}", 0, 1,
         "b"},
        {"{\"Functions\":[{\"FunctionName\":\"c\"},{\"FunctionName\":\"d\"}]}", 0, 2, "c"},
        {"{\"Functions\":[]}", 0, 0, NULL},
        {"{\"Nothing\":1}", -1, 0, NULL},
        {"[1, 2]", -1, 0, NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const char *const files[] = {"f.json", rows[i].json, NULL};
        char *dir = scratch(files), *path = xasprintf("%s/f.json", dir);
        struct target_set s = {0};
        struct diag d = DIAG_INIT;
        int rc = targets_read_lambda_config(&s, path, dir, &d);
        if (rc != rows[i].rc || s.nr != rows[i].nr ||
            (rows[i].first && strcmp(s.v[0].function, rows[i].first) != 0)) {
            fail_msg("row %zu: rc %d, %zu functions (%s)", i, rc, s.nr, d.msg);
        }
        target_set_release(&s);
        unlink(path);
        rmdir(dir);
        free(path);
        free(dir);
    }
}

static void listfile__reads_lines_and_nul_lists(void **state)
{
    static const struct {
        const char *bytes;
        size_t len;
        bool nul;
        int rc;
        size_t nr;
        const char *last;
    } rows[] = {
        {"a.zip\nb.zip\n", 12, false, 0, 2, "b.zip"},
        {"a.zip\n\n\nb.zip", 13, false, 0, 2, "b.zip"},   /* empty lines, no last newline */
        {"a\nb.zip\0c\0\0", 12, true, 0, 2, "c"},         /* a newline in a name */
        {"a.zip\nb\0c.zip\n", 14, false, -1, 1, "a.zip"}, /* NUL in a line: give -0 */
        {"", 0, false, 0, 0, NULL},
        {"\0\0\0", 3, true, 0, 0, NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        FILE *f = fmemopen((void *)rows[i].bytes, rows[i].len ? rows[i].len : 1, "r");
        struct strvec v = STRVEC_INIT;
        struct diag d = DIAG_INIT;
        int rc;
        if (!rows[i].len) {
            fgetc(f); /* an empty stream: fmemopen wants a size of at least 1 */
        }
        rc = listfile_read_stream(&v, f, "list", rows[i].nul, &d);
        fclose(f);
        if (rc != rows[i].rc || v.nr != rows[i].nr ||
            (rows[i].last && strcmp(v.v[v.nr - 1], rows[i].last) != 0)) {
            fail_msg("row %zu: rc %d, %zu names (%s)", i, rc, v.nr, d.msg);
        }
        strvec_release(&v);
    }
}

static void listfile__is_bounded(void **state)
{
    size_t n = LISTFILE_MAX_ENTRIES + 1;
    char *zeros = xcalloc(n, 1), *longname = xmalloc(LISTFILE_MAX_NAME + 2);
    struct strvec v = STRVEC_INIT;
    struct diag d = DIAG_INIT;
    FILE *f;

    (void)state;
    f = fmemopen(zeros, n, "r"); /* /dev/zero with -0: a million empty names, then an error */
    assert_int_equal(listfile_read_stream(&v, f, "zeros", true, &d), -1);
    assert_non_null(strstr(d.msg, "more than"));
    fclose(f);
    memset(longname, 'a', LISTFILE_MAX_NAME + 1);
    longname[LISTFILE_MAX_NAME + 1] = '\n';
    f = fmemopen(longname, LISTFILE_MAX_NAME + 2, "r");
    assert_int_equal(listfile_read_stream(&v, f, "long", false, &d), -1);
    assert_non_null(strstr(d.msg, "longer than"));
    fclose(f);
    assert_int_equal(v.nr, 0);
    free(zeros);
    free(longname);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(targets__short_tags_become_the_long_form),
        cmocka_unit_test(targets__refuses_what_a_template_never_has),
        cmocka_unit_test(targets__sam_globals_refs_and_layers),
        cmocka_unit_test(targets__terraform_layers_by_arn_and_reference),
        cmocka_unit_test(targets__lambda_config_kinds),
        cmocka_unit_test(listfile__reads_lines_and_nul_lists),
        cmocka_unit_test(listfile__is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
