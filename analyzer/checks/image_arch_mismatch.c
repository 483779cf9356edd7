/* SPDX-License-Identifier: MIT */
/*
 * ABI022 image-arch-mismatch: a container image built for another architecture than the
 * function's (an image built on an arm64 laptop pushed to an x86_64 function, Lambda's
 * default). Lambda cannot exec its entrypoint: "IMAGE Launch error: fork/exec
 * /lambda-entrypoint.sh: exec format error", Runtime.InvalidEntrypoint
 * (aws/aws-lambda-base-images#26 and #34, aws-samples/bedrock-access-gateway#32). The
 * image's architecture is what its files are built for (its interpreter, else its C
 * library), else what its config says; the function's is --arch, its declaration's, or
 * x86_64. One cause, said once: the image's files of that architecture are not each an
 * arch-mismatch (container_foreign_arch), and the target stays the function's.
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
    const char *foreign = container_foreign_arch(c);
    bool files_other = c->content_arch && c->arch[0] && strcmp(c->content_arch, c->arch) != 0;
    struct member where = {.path = ".", .abs = "/", .input = input};
    char *exe, *ep, *cmd, *fix, *expected, *found, *msg;
    const char *tag = strchr(c->ref, ':') || strchr(c->ref, '/') ? c->ref : "IMAGE";

    if (!foreign && !(files_other && strcmp(c->arch, c->function_arch) != 0)) {
        return; /* the image is the function's; a config that names none is not another */
    }
    exe = xstrdup(c->entrypoint.nr ? c->entrypoint.v[0] : c->cmd.nr ? c->cmd.v[0] : "");
    ep = strvec_join(&c->entrypoint, " ");
    cmd = strvec_join(&c->cmd, " ");
    expected = xasprintf("linux/%s", docker_arch(c->function_arch));
    found = files_other ? xasprintf("%s (its files: %s)", c->platform, c->content_arch)
                        : xstrdup(c->platform[0] ? c->platform : foreign);
    if (!foreign) {
        /* Its files are the function's, its config says another: the label is what is wrong,
         * and what goes by it (a multi-platform index, docker run) picks the wrong image. */
        msg = xasprintf("the image's config says %s, but its files are built for %s (%s), "
                        "which the function runs on (%s): the label is wrong",
                        c->platform, c->content_arch, c->content_from, c->function_arch_why);
        fix = xasprintf("build the image with the platform its files are (FROM "
                        "--platform=linux/%s too)",
                        docker_arch(c->function_arch));
    } else {
        msg = files_other
                  ? xasprintf("the image's files are built for %s (%s), though its config says "
                              "%s, and the function runs on %s (%s): Lambda cannot start its "
                              "entrypoint%s%s",
                              c->content_arch, c->content_from, c->platform, c->function_arch,
                              c->function_arch_why, exe[0] ? " " : "", exe)
                  : xasprintf("the image is %s, but the function runs on %s (%s): Lambda cannot "
                              "start its entrypoint%s%s",
                              c->platform[0] ? c->platform : foreign, c->function_arch,
                              c->function_arch_why, exe[0] ? " " : "", exe);
        fix = xasprintf(
            "rebuild the image for the function's architecture (the base image too: FROM "
            "--platform=linux/%s), or give the function the image's architecture "
            "(Architectures: [%s])",
            docker_arch(c->function_arch),
            !strcmp(foreign, "x86_64") || !strcmp(foreign, "arm64") ? foreign : "its architecture");
    }
    struct tvar vars[] = {{"entrypoint", exe},
                          {"entrypoint_list", ep},
                          {"cmd_list", cmd},
                          {"workdir", c->workdir[0] ? c->workdir : "/"},
                          {"fix_note", fix},
                          {"platform", c->platform},
                          {"docker_arch", docker_arch(c->function_arch)},
                          {"tag", tag},
                          {"fix_command", "docker buildx build --platform linux/{docker_arch} -t "
                                          "{tag} ."},
                          {"lambda_error", NULL}};
    check_report(ctx, out,
                 &(struct check_found){.m = &where,
                                       .sev = ctx->rule->severity,
                                       .expected = expected,
                                       .found = found,
                                       .vars = vars,
                                       /* a wrong label alone: no launch error to quote */
                                       .nvars = ARRAY_SIZE(vars) - (foreign != NULL)},
                 "%s", msg);
    free(msg);
    free(found);
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
