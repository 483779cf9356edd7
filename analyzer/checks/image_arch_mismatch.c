/* SPDX-License-Identifier: MIT */
/*
 * ABI022 image-arch-mismatch: a container image built for another architecture than the
 * function's (an image built on an arm64 laptop pushed to an x86_64 function, Lambda's
 * default). Lambda cannot exec its entrypoint: "IMAGE Launch error: fork/exec
 * /lambda-entrypoint.sh: exec format error", Runtime.InvalidEntrypoint
 * (aws/aws-lambda-base-images#26 and #34, aws-samples/bedrock-access-gateway#32). The
 * image's architecture is its config's; the function's is --arch, or x86_64.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xalloc.h"

/* Docker's name for a Lambda architecture. */
static const char *docker_arch(const char *arch)
{
    return !strcmp(arch, "arm64") ? "arm64" : "amd64";
}

static void check_one(const struct check_ctx *ctx, struct findings *out, size_t input)
{
    const struct container *c = ctx->img->inputs[input].container;
    struct member where = {0};
    char *exe, *ep, *cmd, *fix, *expected;

    if (!c->arch[0] || !strcmp(c->arch, c->function_arch)) {
        return; /* a config that names no architecture is not said to be another one */
    }
    exe = xstrdup(c->entrypoint.nr ? c->entrypoint.v[0] : c->cmd.nr ? c->cmd.v[0] : "");
    ep = strvec_join(&c->entrypoint, " ");
    cmd = strvec_join(&c->cmd, " ");
    expected = xasprintf("linux/%s", docker_arch(c->function_arch));
    fix = xasprintf("rebuild the image for the function's architecture: docker buildx build "
                    "--platform linux/%s -t %s . (the base image too: FROM --platform=linux/%s), "
                    "or give the function the image's architecture (Architectures: [%s])",
                    docker_arch(c->function_arch),
                    strchr(c->ref, ':') || strchr(c->ref, '/') ? c->ref : "IMAGE",
                    docker_arch(c->function_arch),
                    !strcmp(c->arch, "x86_64") || !strcmp(c->arch, "arm64") ? c->arch
                                                                            : "its architecture");
    struct tvar vars[] = {{"entrypoint", exe},  {"entrypoint_list", ep},
                          {"cmd_list", cmd},    {"workdir", c->workdir[0] ? c->workdir : "/"},
                          {"remediation", fix}, {"platform", c->platform}};
    where.path = ".";
    where.abs = "/";
    where.input = input;
    check_report(ctx, out,
                 &(struct check_found){.m = &where,
                                       .sev = ctx->rule->severity,
                                       .expected = expected,
                                       .found = c->platform,
                                       .vars = vars,
                                       .nvars = ARRAY_SIZE(vars)},
                 "the image is %s, but the function runs on %s (%s): Lambda cannot start its "
                 "entrypoint%s%s",
                 c->platform, c->function_arch, c->function_arch_why, exe[0] ? " " : "", exe);
    free(fix);
    free(expected);
    free(cmd);
    free(ep);
    free(exe);
}

void check_image_arch_mismatch(const struct check_ctx *ctx, struct findings *out)
{
    for (size_t i = 0; i < ctx->img->inputs_nr; i++) {
        if (ctx->img->inputs[i].container) {
            check_one(ctx, out, i);
        }
    }
}
