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

/** A CDK cloud assembly: dir holds manifest.json. */
int cdk_read(struct target_set *out, const char *dir, struct diag *d);

/** A Serverless Framework package: dir holds cloudformation-template-update-stack.json. */
int serverless_read(struct target_set *out, const char *dir, struct diag *d);

/** The JSON of terraform show -json (state or plan); base: where its paths start. */
int terraform_read(struct target_set *out, const cJSON *doc, const char *base, struct diag *d);

#endif
