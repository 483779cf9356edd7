/* SPDX-License-Identifier: MIT */
/*
 * Where each function's target is declared: the functions of an AWS Lambda configuration
 * (`aws lambda get-function-configuration`, `get-function`, `list-functions` with the
 * code downloaded into a directory) or of infrastructure code (an AWS SAM or
 * CloudFormation template, YAML with its short-form tags or JSON, the one `sam build`
 * writes; an AWS CDK cloud assembly; a Serverless Framework package; the JSON of
 * `terraform show -json`), each with its runtime, architecture, code and layers as
 * declared. Facts only: whether a runtime is one abiscan knows is the run's question.
 * Every path is made relative to the current directory (joined with the directory the
 * declaration is read from); nothing is opened but the declaration itself (and, for a
 * code directory, a stat of each function's name in it).
 *
 * Ownership: struct target_set owns its functions and every string in them;
 * target_set_release() frees them (a zeroed struct is valid).
 */
#ifndef ANALYZER_TARGETS_H
#define ANALYZER_TARGETS_H

#include <stddef.h>

#include "diag.h"
#include "strvec.h"

/* A declaration is read whole into memory: one larger is refused. */
#define TARGETS_FILE_MAX (256u << 20)
/* Lambda takes 5 layers; a declaration that lists more is reported (size-too-many-layers)
 * with the first 16 read, and the rest, up to 64, listed as not checked. */
#define TARGETS_MAX_LAYERS 16
#define TARGETS_MAX_NOT_CHECKED 64

struct target_fn {
    char *function;            /* logical id (CDK: stack/logical id), or the function's name */
    char *runtime;             /* "python3.12", "nodejs20.x", as declared; NULL when not */
    char *arch;                /* "x86_64" or "arm64" as declared; NULL when not (x86_64) */
    char *handler;             /* "app.lambda_handler" as declared; NULL when not */
    char *code;                /* its code: a zip or a directory; NULL when not on this machine */
    struct strvec layers;      /* its layers' code, in configuration order */
    struct strvec not_checked; /* its layers with no local code: "ARN (why)" */
    char *skip;                /* not a bundle to check: why (a container image, inline code) */
    char *error;               /* a bundle that cannot be checked: why (no code here) */
    char *unresolved;          /* its runtime or architecture is an expression abiscan could not
                       * resolve: "runtime not resolved: EXPR (why)"; it cannot be checked */
};

struct target_set {
    char *source;     /* the declaration, as given */
    const char *kind; /* "lambda-config", "sam", "cloudformation", "cdk", "serverless",
                       * "terraform" (static) */
    struct target_fn *v;
    size_t nr, alloc;
    size_t arn_layers; /* lambda-config of one function: its layers, all in not_checked */
};

/**
 * The functions of a template, recognised by content: a CDK cloud assembly (a directory
 * with manifest.json, or that file), a Serverless package (a .serverless directory), a
 * `sam build` directory (template.yaml in it), the JSON of `terraform show -json`, or an
 * AWS SAM / CloudFormation template (YAML or JSON). An unreadable or unrecognised
 * declaration, or one that declares no function, is an error.
 */
int targets_read_template(struct target_set *out, const char *path, struct diag *d);

/**
 * The functions of an `aws lambda` configuration: get-function-configuration and
 * get-function (one function: its code is the bundle given, or <code_dir>/<name>.zip or
 * directory), list-functions (code_dir required: each function's code found by name).
 */
int targets_read_lambda_config(struct target_set *out, const char *path, const char *code_dir,
                               struct diag *d);

/** Add a layer's code to fn (or, past TARGETS_MAX_LAYERS, say it was not read). */
void target_add_layer(struct target_fn *fn, char *path);

/** Add a layer that is not checked, and why (past TARGETS_MAX_NOT_CHECKED, count it). */
void target_not_checked(struct target_fn *fn, char *what);

void target_set_release(struct target_set *s);

#endif
