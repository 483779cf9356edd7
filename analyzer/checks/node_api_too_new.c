/* SPDX-License-Identifier: MIT */
/*
 * ABI035 node-api-too-new: a Node-API addon that asks for a Node-API version above the
 * runtime's. Built with NAPI_VERSION N, an addon's node_api_module_get_api_version_v1()
 * returns N (src/node_api.h); a Node.js whose highest Node-API version is below N does not
 * refuse it, it crashes loading it: Debian's Node.js 18 and 20 (Node-API 9) die of a
 * segmentation fault on an addon that asks for 10 (doc/sources.md#nodejs-addons).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advice_node.h"
#include "check.h"
#include "xalloc.h"

/* The first runtime of the same architecture whose Node.js has Node-API version n, or NULL. */
static const struct profile *with_napi(const struct check_ctx *ctx, long n)
{
    const struct profiles *ps = datadir_profiles(ctx->data);

    for (size_t i = 0; i < ps->nr; i++) {
        const struct profile *q = &ps->v[i];
        if (profile_node(q) && q->napi_max >= n && !strcmp(q->arch, ctx->profile->arch)) {
            return q;
        }
    }
    return NULL;
}

void check_node_api_too_new(const struct check_ctx *ctx, const struct member *m,
                            struct findings *out)
{
    const struct profile *p = ctx->profile;
    long asks = m->elf->napi_version;
    char expected[48], found[48], pkg_buf[256];

    if (!profile_node(p) || m->role != ROLE_ADDON || asks <= p->napi_max) {
        return;
    }
    const struct profile *newer = with_napi(ctx, asks);
    const char *pkg = advice_npm_package(m->path, pkg_buf, sizeof(pkg_buf));
    char *words = NULL, *cmd = advice_npm_rebuild(p, pkg, &words);
    char *note = xasprintf("build it with NAPI_VERSION %ld or lower (%s)%s%s", p->napi_max, words,
                           newer ? ", or move the function to " : "", newer ? newer->runtime : "");
    snprintf(expected, sizeof(expected), "Node-API %ld or lower", p->napi_max);
    snprintf(found, sizeof(found), "Node-API %ld", asks);
    struct tvar vars[] = {{"fix_command", cmd}, {"fix_note", note}};
    check_report(ctx, out,
                 &(struct check_found){.m = m,
                                       .sev = ctx->rule->severity,
                                       .expected = expected,
                                       .found = found,
                                       .vars = vars,
                                       .nvars = 2},
                 "asks for Node-API %ld (node_api_module_get_api_version_v1); %s runs Node.js %s, "
                 "whose Node-API goes to %ld: it crashes loading the addon",
                 asks, p->runtime, p->node_version, p->napi_max);
    free(words);
    free(cmd);
    free(note);
}
