/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for where targets are declared (targets/) and what reads them: YAML with
 * CloudFormation's short-form tags (data/yamljson's template mode), the CloudFormation /
 * SAM reader (Globals, Refs to parameters and layers, code paths, what is not checked;
 * Fn::ForEach expanded, and bounded against a template that would expand without end;
 * Fn::If, Fn::FindInMap, Fn::Sub resolved from the template's values), terraform show -json (layers by ARN and by reference, archive_file sources), the aws
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
#include <time.h>
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

/* The functions of a template given as text (template.yaml, or .json when it starts with
 * '{'), read; the directory is removed, the set is the caller's. */
static void read_text(struct target_set *s, const char *text)
{
    const char *name = text[0] == '{' ? "template.json" : "template.yaml";
    const char *const files[] = {name, text, NULL};
    char *dir = scratch(files), *path = xasprintf("%s/%s", dir, name);
    struct diag d = DIAG_INIT;

    if (targets_read_template(s, path, &d) != 0) {
        fail_msg("%s", d.msg);
    }
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
}

static bool has_fn(const struct target_set *s, const char *name)
{
    for (size_t i = 0; i < s->nr; i++) {
        if (!strcmp(s->v[i].function, name)) {
            return true;
        }
    }
    return false;
}

static void targets__foreach_expands_as_cloudformation_does(void **state)
{
    static const char tpl[] =
        "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n"
        "Parameters:\n"
        "  Names: {Type: CommaDelimitedList, Default: ' alpha , beta-one,gamma '}\n"
        "  Later: {Type: CommaDelimitedList}\n"
        "Globals: {Function: {Runtime: python3.11}}\n"
        "Resources:\n"
        "  Fn::ForEach::List:\n"
        "    - N\n"
        "    - [a.b, c]\n"
        "    - '&{N}Fn': {Type: AWS::Serverless::Function, Properties: {CodeUri: !Sub "
        "'src/${N}'}}\n"
        "      '${N}Deps': {Type: AWS::Serverless::LayerVersion, Properties: {ContentUri: "
        "'l/${N}'}}\n"
        "  Fn::ForEach::Param:\n"
        "    - Name\n"
        "    - !Ref Names\n"
        "    - '&{Name}':\n"
        "        Type: AWS::Serverless::Function\n"
        "        Properties: {CodeUri: '${Name}/', Layers: [!Ref a.bDeps], Runtime: !Ref Name}\n"
        "  Fn::ForEach::Outer:\n"
        "    - A\n"
        "    - [x, y]\n"
        "    - Fn::ForEach::Inner:\n"
        "        - B\n"
        "        - ['${A}1', '${A}2']\n"
        "        - 'F${B}':\n"
        "            Type: AWS::Lambda::Function\n"
        "            Properties: {Code: 'c/&{A}', Architectures: [!Ref B]}\n"
        "  Fn::ForEach::Unknown:\n"
        "    - T\n"
        "    - !Ref Later\n"
        "    - '${T}Fn': {Type: AWS::Serverless::Function, Properties: {CodeUri: t/}}\n"
        "  Fn::ForEach::Topics: [T, !Ref Later, {'${T}Topic': {Type: AWS::SNS::Topic}}]\n"
        "  Fn::ForEach::Broken: [T, [a], {X: {Type: AWS::Lambda::Function}}, extra]\n"
        "  Fn::ForEach::Dup: [D, [c], {'&{D}Fn': {Type: AWS::Lambda::Function, "
        "Properties: {Code: dup/}}}]\n";
    struct target_set s = {0};
    const struct target_fn *f;

    (void)state;
    read_text(&s, tpl);
    assert_string_equal(s.kind, "sam");
    /* a.b, c; alpha, beta-one, gamma (trimmed); x1 x2 y1 y2; Unknown, Broken: errors */
    assert_int_equal(s.nr, 2 + 3 + 4 + 2);
    f = fn_named(&s, "abFn"); /* &{}: letters and digits only */
    assert_non_null(strstr(f->code, "/src/a.b"));
    assert_string_equal(f->runtime, "python3.11");
    assert_non_null(strstr(fn_named(&s, "cFn")->code, "/src/c")); /* Dup's cFn came second */
    f = fn_named(&s, "betaone");
    assert_string_equal(f->runtime, "beta-one"); /* a Ref to the identifier is its value */
    assert_non_null(strstr(f->code, "/beta-one/"));
    assert_int_equal(f->layers.nr, 1); /* a layer the first loop made */
    assert_non_null(strstr(f->layers.v[0], "/l/a.b"));
    assert_true(has_fn(&s, "alpha") && has_fn(&s, "gamma"));
    f = fn_named(&s, "Fy2");
    assert_string_equal(f->arch, "y2");
    assert_non_null(strstr(f->code, "/c/y"));
    assert_true(has_fn(&s, "Fx1") && has_fn(&s, "Fx2") && has_fn(&s, "Fy1"));
    f = fn_named(&s, "Fn::ForEach::Unknown");
    assert_non_null(strstr(or_null(f->error), "parameter Later has no default"));
    assert_non_null(strstr(or_null(fn_named(&s, "Fn::ForEach::Broken")->error), "not [identifier"));
    assert_false(has_fn(&s, "Fn::ForEach::Topics")); /* it declares no function */
    target_set_release(&s);
    /* A list of transforms is SAM's when SAM's is in it, not for being a list. */
    read_text(&s, "Transform: [AWS::LanguageExtensions]\nResources:\n"
                  "  F: {Type: AWS::Lambda::Function, Properties: {Code: c/}}\n");
    assert_string_equal(s.kind, "cloudformation");
    target_set_release(&s);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 16 loops in one another, 4 values each: 4^16 functions; and 40 deep; and a string each
 * iteration makes 2 MB of: each stops at a bound, quickly, and says so. */
static void targets__foreach_bomb_stops_at_the_bound(void **state)
{
    char *tpl = xstrdup("{\"Resources\": {\"Plain\": {\"Type\": \"AWS::Lambda::Function\", "
                        "\"Properties\": {\"Code\": \"p/\"}}, ");
    char *deep = xstrdup("{\"Resources\": ");
    char *longer = xstrdup("{\"Resources\": {\"Fn::ForEach::S\": [\"X\", [\"");
    struct target_set s = {0};
    double t0 = seconds();
    char *next;

    (void)state;
    for (int i = 0; i < 16; i++) {
        next = xasprintf("%s\"Fn::ForEach::L%d\": [\"I%d\", [\"a\", \"b\", \"c\", \"d\"], {", tpl,
                         i, i);
        free(tpl);
        tpl = next;
    }
    next = xasprintf("%s\"F${I0}${I1}${I2}${I3}${I4}${I5}${I6}${I7}${I8}${I9}${I10}${I11}${I12}"
                     "${I13}${I14}${I15}\": {\"Type\": \"AWS::Lambda::Function\"}",
                     tpl);
    free(tpl);
    tpl = next;
    for (int i = 0; i < 16; i++) {
        next = xasprintf("%s}]", tpl);
        free(tpl);
        tpl = next;
    }
    next = xasprintf("%s}}", tpl);
    free(tpl);
    tpl = next;
    read_text(&s, tpl);
    /* Plain, 10,000 made, and the loop that passed the bound, named and skipped */
    assert_int_equal(s.nr, 1 + 10000 + 1);
    assert_string_equal(s.v[0].function, "Plain");
    assert_string_equal(s.v[s.nr - 1].function, "Fn::ForEach::L0");
    assert_non_null(strstr(or_null(s.v[s.nr - 1].skip), "10,000 resources"));
    target_set_release(&s);

    for (int i = 0; i < 40; i++) {
        next = xasprintf("%s{\"Fn::ForEach::D%d\": [\"I%d\", [\"a\", \"b\"], ", deep, i, i);
        free(deep);
        deep = next;
    }
    next = xasprintf("%s{\"F\": {\"Type\": \"AWS::Lambda::Function\"}}", deep);
    free(deep);
    deep = next;
    for (int i = 0; i < 40; i++) {
        next = xasprintf("%s]}", deep);
        free(deep);
        deep = next;
    }
    next = xasprintf("%s}", deep);
    free(deep);
    deep = next;
    read_text(&s, deep);
    assert_int_equal(s.nr, 1);
    assert_non_null(strstr(or_null(s.v[0].error), "nested more than 16 deep"));
    target_set_release(&s);

    next = xasprintf("%s%0*d\"], {\"F&{X}\": {\"Type\": \"AWS::Lambda::Function\", "
                     "\"Properties\": {\"Description\": \"",
                     longer, 100000, 0);
    free(longer);
    longer = next;
    for (int i = 0; i < 20; i++) { /* 20 x 100 kB: past a template's longest string */
        next = xasprintf("%s${X}", longer);
        free(longer);
        longer = next;
    }
    next = xasprintf("%s\"}}}]}}", longer);
    free(longer);
    longer = next;
    read_text(&s, longer);
    assert_int_equal(s.nr, 1);
    assert_non_null(strstr(or_null(s.v[0].skip), "longer than 1 MiB"));
    target_set_release(&s);

    /* A tenth of a second here, seconds under valgrind; unbounded, 4^16 would take hours. */
    if (seconds() - t0 > 30) {
        fail_msg("the bombs took %.1f s", seconds() - t0);
    }
    free(tpl);
    free(deep);
    free(longer);
}

/* One function a row, its Runtime (and Architectures) given by an expression: what it is
 * resolved to, or why not; a condition the defaults do not decide reads it both ways. */
static void targets__intrinsics_resolve_from_the_template(void **state)
{
    static const char head[] = "Parameters:\n"
                               "  Py: {Type: String, Default: python3.12}\n"
                               "  Stage: {Type: String, Default: prod}\n"
                               "  Minor: {Type: String, Default: '12'}\n"
                               "  Open: {Type: String}\n"
                               "Mappings:\n"
                               "  M: {prod: {rt: python3.11, arch: arm64}, dev: {rt: python3.12}}\n"
                               "Conditions:\n"
                               "  IsProd: !Equals [!Ref Stage, prod]\n"
                               "  IsDev: !Not [!Condition IsProd]\n"
                               "  Either: !Or [!Condition IsDev, !Equals [a, a]]\n"
                               "  Both: !And [!Condition IsProd, !Equals [!Ref Open, x]]\n"
                               "  Never: !And [!Condition IsDev, !Equals [!Ref Open, x]]\n"
                               "  Undecided: !Equals [!Ref Open, x]\n"
                               "  Other: !Equals [!Ref AWS::Region, us-east-1]\n"
                               "  Self: !Condition Self\n";
    static const struct {
        const char *props; /* the function's Properties, inline */
        const char *name, *runtime, *arch, *unresolved;
    } rows[] = {
        {"Runtime: !Ref Py", "F0", "python3.12", NULL, NULL},
        {"Runtime: !FindInMap [M, !Ref Stage, rt]", "F1", "python3.11", NULL, NULL},
        {"Runtime: !FindInMap [M, x, rt, {DefaultValue: python3.13}]", "F2", "python3.13", NULL,
         NULL},
        {"Runtime: !Sub 'python3.${Minor}'", "F3", "python3.12", NULL, NULL},
        {"Runtime: !Sub ['python3.${N}', {N: !Ref Minor}]", "F4", "python3.12", NULL, NULL},
        {"Runtime: !Sub 'python${!Minor}'", "F5", "python${Minor}", NULL, NULL},
        {"Runtime: !Join ['', [python3., !Ref Minor]]", "F6", "python3.12", NULL, NULL},
        {"Runtime: !If [IsProd, python3.11, python3.9]", "F7", "python3.11", NULL, NULL},
        {"Runtime: !If [IsDev, python3.11, python3.9]", "F8", "python3.9", NULL, NULL},
        {"Runtime: !If [Either, python3.10, python3.9]", "F9", "python3.10", NULL, NULL},
        {"Runtime: !If [Never, python3.10, python3.9]", "F10", "python3.9", NULL, NULL},
        {"Runtime: !If [IsProd, !Ref AWS::NoValue, python3.9]", "F11", NULL, NULL, NULL},
        {"Runtime: !FindInMap [M, !Ref AWS::Region, rt]", "F12", NULL, NULL,
         "runtime not resolved: !FindInMap [M, !Ref AWS::Region, rt] (AWS::Region is the "
         "stack's"},
        {"Runtime: !Ref Open", "F13", NULL, NULL, "(parameter Open has no default)"},
        {"Runtime: !GetAtt X.Y", "F14", NULL, NULL, "known when the stack is deployed"},
        {"Runtime: !Sub 'python3.${Nowhere.Minor}'", "F15", NULL, NULL, "resource's attribute"},
        {"Runtime: !If [Nothing, python3.12, python3.11]", "F16", NULL, NULL,
         "no condition Nothing"},
        {"Runtime: python3.12\n      Architectures: [!FindInMap [M, !Ref Stage, arch]]", "F17",
         "python3.12", "arm64", NULL},
        {"Runtime: python3.12\n      Architectures: !FindInMap [M, !Ref AWS::Region, a]", "F18",
         "python3.12", NULL, "architecture not resolved"},
        /* Undecided: read both ways, named for the way */
        {"Runtime: !If [Undecided, python3.12, python3.11]", "F19 [if Undecided]", "python3.12",
         NULL, NULL},
        {NULL, "F19 [if not Undecided]", "python3.11", NULL, NULL},
        {"Runtime: !If [Both, python3.12, python3.11]\n      Architectures: !If [Both, [arm64], "
         "[x86_64]]",
         "F20 [if Both]", "python3.12", "arm64", NULL},
        {NULL, "F20 [if not Both]", "python3.11", "x86_64", NULL},
        {"Runtime: !If [Undecided, python3.12, !If [Other, python3.11, python3.10]]",
         "F21 [if Undecided]", "python3.12", NULL, NULL},
        {NULL, "F21 [if not Undecided and Other]", "python3.11", NULL, NULL},
        {NULL, "F21 [if not Undecided and not Other]", "python3.10", NULL, NULL},
        {"Runtime: !If [Self, python3.12, python3.11]", "F22 [if Self]", "python3.12", NULL, NULL},
        {NULL, "F22 [if not Self]", "python3.11", NULL, NULL},
        {"Runtime: !If [Undecided, python3.12, python3.12]", "F23", "python3.12", NULL, NULL},
    };
    char *tpl = xasprintf("%sResources:\n", head), *next;
    struct target_set s = {0};
    size_t want = 0;

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        want++;
        if (!rows[i].props) {
            continue;
        }
        next = xasprintf("%s  F%zu:\n    Type: AWS::Lambda::Function\n    Properties:\n"
                         "      Code: c/\n      %s\n",
                         tpl, (size_t)atoi(rows[i].name + 1), rows[i].props);
        free(tpl);
        tpl = next;
    }
    read_text(&s, tpl);
    free(tpl);
    assert_string_equal(s.kind, "cloudformation");
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        const struct target_fn *f = fn_named(&s, rows[i].name);
        bool ok =
            rows[i].runtime ? f->runtime && !strcmp(f->runtime, rows[i].runtime) : !f->runtime;
        ok = ok && (rows[i].arch ? f->arch && !strcmp(f->arch, rows[i].arch)
                                 : !f->arch || rows[i].unresolved);
        ok = ok && (rows[i].unresolved ? f->unresolved && strstr(f->unresolved, rows[i].unresolved)
                                       : !f->unresolved);
        if (!ok) {
            fail_msg("row %zu (%s): runtime %s, arch %s, %s", i, rows[i].name, or_null(f->runtime),
                     or_null(f->arch), or_null(f->unresolved));
        }
    }
    assert_int_equal(s.nr, want);
    target_set_release(&s);
}

/* Conditions that name each other twice, 24 deep (2^24 paths): each evaluated once. */
static void targets__conditions_are_evaluated_once(void **state)
{
    char *tpl = xstrdup("Conditions:\n  C24: !Equals [a, a]\n"), *next;
    struct target_set s = {0};
    double t0 = seconds();

    (void)state;
    for (int i = 23; i >= 0; i--) {
        next = xasprintf("%s  C%d: !And [!Condition C%d, !Not [!Not [!Condition C%d]]]\n", tpl, i,
                         i + 1, i + 1);
        free(tpl);
        tpl = next;
    }
    next = xasprintf("%sResources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n"
                     "      Code: c/\n      Runtime: !If [C0, python3.12, python3.11]\n",
                     tpl);
    free(tpl);
    tpl = next;
    read_text(&s, tpl);
    free(tpl);
    assert_int_equal(s.nr, 1);
    assert_string_equal(or_null(s.v[0].runtime), "python3.12");
    assert_true(seconds() - t0 < 30); /* unbounded: 2^24 evaluations of each */
    target_set_release(&s);
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
        cmocka_unit_test(targets__foreach_expands_as_cloudformation_does),
        cmocka_unit_test(targets__foreach_bomb_stops_at_the_bound),
        cmocka_unit_test(targets__intrinsics_resolve_from_the_template),
        cmocka_unit_test(targets__conditions_are_evaluated_once),
        cmocka_unit_test(targets__terraform_layers_by_arn_and_reference),
        cmocka_unit_test(targets__lambda_config_kinds),
        cmocka_unit_test(listfile__reads_lines_and_nul_lists),
        cmocka_unit_test(listfile__is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
