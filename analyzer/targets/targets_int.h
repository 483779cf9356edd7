/* SPDX-License-Identifier: MIT */
/*
 * What the readers of targets/ share: a declaration read into a cJSON tree (JSON, or YAML
 * with CloudFormation's short-form tags), paths joined onto the declaration's directory,
 * and the CloudFormation reader that SAM, CDK and Serverless all come down to. Private
 * to targets/.
 *
 * Ownership: tdoc_read() gives the caller a tree (cJSON_Delete); tpath_* return fresh
 * strings the caller frees; target_add() returns a zeroed function owned by the set.
 */
#ifndef ANALYZER_TARGETS_INT_H
#define ANALYZER_TARGETS_INT_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "strmap.h"
#include "targets.h"

/** Read path (at most TARGETS_FILE_MAX) as JSON, or as YAML with CloudFormation's tags. */
int tdoc_read(cJSON **out, const char *path, struct diag *d);

/** dir/rel, or rel when it is absolute or dir is "" or "."; fresh. */
char *tpath_join(const char *dir, const char *rel);

/** The directory of a file's path ("." when it has none); fresh. */
char *tpath_dir(const char *path);

bool tpath_is_dir(const char *path);
bool tpath_is_file(const char *path);

/** A string member of o, or NULL (absent, null, or not a string). */
const char *tjson_str(const cJSON *o, const char *key);

struct target_fn *target_add(struct target_set *s);

/** Free what fn holds and zero it (a function not added to a set). */
void target_fn_release(struct target_fn *fn);

/* How a CloudFormation template's code paths are found. */
struct cfn_opts {
    const char *base;         /* relative paths start here (the template's directory) */
    const char *prefix;       /* put before each logical id ("Stack/"), or NULL */
    const char *artifact_dir; /* Serverless: code in S3 is this directory's file named as
                               * the S3 key's last part; NULL: code in S3 is not here */
};

/**
 * The functions of a parsed CloudFormation or SAM template (AWS::Serverless::Function,
 * AWS::Lambda::Function), appended to out; their layers by !Ref to the template's
 * LayerVersion resources; code by CodeUri, Code, or CDK's aws:asset:path metadata.
 * Sets out->kind to "sam" or "cloudformation" when it is not set.
 */
int cfn_read(struct target_set *out, const cJSON *tpl, const struct cfn_opts *o, struct diag *d);

/*
 * The template language abiscan evaluates (cfn_eval.c, cfn_foreach.c, cfn_text.c), from
 * what the template holds: AWS::LanguageExtensions' Fn::ForEach expanded, and the intrinsic
 * functions a property is given by (Ref, Fn::If, Fn::FindInMap, Fn::Sub, Fn::Join) resolved
 * from the Parameters' defaults, the Mappings and the Conditions; what only the stack knows
 * is not resolved.
 */

/* A template holds at most 500 resources; its loops may expand to this many, then stop. */
#define CFN_MAX_EXPANDED 10000
/* Conditions the defaults do not decide that one function's properties may turn on: the
 * function is read once per way they go (2^CFN_MAX_ASSUMED at most). */
#define CFN_MAX_ASSUMED 3

/* What expressions are resolved from. Strings it returns live until cfn_eval_release(). */
struct cfn_eval {
    const cJSON *parameters, *mappings, *conditions; /* the template's sections, or NULL */
    const char *assumed[CFN_MAX_ASSUMED];            /* conditions taken as decided */
    bool assumed_true[CFN_MAX_ASSUMED];
    size_t assumed_nr;
    const char *undecided;      /* since cfn_eval_reset(): the first Fn::If condition not decided */
    char *why;                  /* the last value not resolved: why */
    bool novalue;               /* the last value not resolved is AWS::NoValue (no value at all) */
    size_t steps, total;        /* the last resolution's steps, and every one's */
    struct strvec made;         /* the strings it made */
    size_t made_bytes;          /* what they cost (RESOLVE_MAX_MADE) */
    struct strmap memo;         /* a condition's value from the defaults, once evaluated */
    struct strmap memo_assumed; /* ... under the assumptions (cfn_eval_reset() forgets it) */
    struct strmap ix[3];        /* Parameters, Mappings, Conditions by name, made when asked */
    const cJSON *ix_of[3];
    bool ix_built[3];
};

/* A string being made by cfn_buf_add() (cfn_eval.c), at most 1 MiB; zero it to start. */
struct cfn_buf {
    char *p;
    size_t n, cap;
    bool over; /* it passed 1 MiB */
};

void cfn_buf_add(struct cfn_buf *b, const char *s, size_t len);

/** The string made (fresh, "" when empty), or NULL (freed) when it passed 1 MiB. */
char *cfn_buf_take(struct cfn_buf *b);

/** Why the last value was not resolved ("not resolved" when nothing said why). */
const char *cfn_why(const struct cfn_eval *e);

/** v as a string (a literal, or an expression resolved), or NULL: e->why says why. */
const char *cfn_str(struct cfn_eval *e, const cJSON *v);

/** v with Refs to parameters, Fn::If and Fn::FindInMap followed to what they give (a
 * literal, a list, another expression), or NULL: e->why says why. */
const cJSON *cfn_value(struct cfn_eval *e, const cJSON *v);

/** "Ref", "Condition" or "Fn::X" when v is that intrinsic function, else NULL. */
const char *cfn_fn_name(const cJSON *v);

/** Forget what was undecided, and the conditions' values under the assumptions. */
void cfn_eval_reset(struct cfn_eval *e);
void cfn_eval_release(struct cfn_eval *e);

/** An expression as a YAML template writes it ("!FindInMap [M, !Ref AWS::Region, k]"),
 * cut at about 160 characters; fresh. */
char *cfn_expr_text(const cJSON *v);

struct cfn_loop_issue {
    char *loop; /* "Fn::ForEach::Name", or the entry a bound was passed in */
    char *why;
    bool cut; /* a bound passed (the template is hostile), not a collection unknown */
};

/* A section with its loops expanded, and the loops that declare a function but were not. */
struct cfn_loops {
    cJSON *section; /* NULL when the section has no loop; else its own tree, whose entries not
                     * made by a loop refer to the template's */
    struct cfn_loop_issue *v;
    size_t nr, alloc;
};

/** Expand section's Fn::ForEach loops (at most CFN_MAX_EXPANDED entries, and a bound on
 * what they copy); collections are resolved with e. */
void cfn_expand(struct cfn_loops *out, const cJSON *section, struct cfn_eval *e);
void cfn_loops_release(struct cfn_loops *l);

/** A CDK cloud assembly: dir holds manifest.json. */
int cdk_read(struct target_set *out, const char *dir, struct diag *d);

/** A Serverless Framework package: dir holds cloudformation-template-update-stack.json. */
int serverless_read(struct target_set *out, const char *dir, struct diag *d);

/** The JSON of terraform show -json (state or plan); base: where its paths start. */
int terraform_read(struct target_set *out, const cJSON *doc, const char *base, struct diag *d);

#endif
