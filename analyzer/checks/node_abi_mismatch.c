/* SPDX-License-Identifier: MIT */
/*
 * ABI032 node-abi-mismatch: a Node.js addon built against another Node.js release's ABI.
 * An addon built with node.h is for the NODE_MODULE_VERSION N of the headers it was compiled
 * with: NODE_MODULE registers a static node_module holding N (Node.js throws "was compiled
 * against a different Node.js version" when N is not its own), NODE_MODULE_INIT exports
 * node_register_module_v<N> (Node.js looks for its own N's, and throws "Module did not
 * self-register" when that is missing). A Node-API addon (napi_register_module_v1) is built
 * once for every release (doc/sources.md#nodejs-addons).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xalloc.h"

/* The Node.js major a NODE_MODULE_VERSION is, from the profiles that know it, or NULL. */
static const char *node_of_abi(const struct check_ctx *ctx, long abi)
{
    const struct profiles *ps = datadir_profiles(ctx->data);

    for (size_t i = 0; i < ps->nr; i++) {
        if (profile_node(&ps->v[i]) && ps->v[i].node_abi == abi) {
            return ps->v[i].node_version;
        }
    }
    return NULL;
}

/* What DLOpen does with the addon (src/node_binding.cc): the NODE_MODULE_VERSION it was built
 * for when that is not the runtime's and nothing else lets it load, else -1. *registered:
 * it registered itself from a static constructor (the version is in its data). */
static long built_for(const struct profile *p, const struct elfinfo *e, bool *registered)
{
    char own[48];
    long exported = -1;

    snprintf(own, sizeof(own), "node_register_module_v%ld", p->node_abi);
    if (strvec_contains(&e->node_symbols, own)) {
        return -1; /* the initializer of its own release: loaded, whatever registered */
    }
    *registered = e->node_registers && e->node_module_version >= 0;
    if (*registered) {
        return e->node_module_version == p->node_abi ? -1 : e->node_module_version;
    }
    for (size_t i = 0; i < e->node_symbols.nr; i++) {
        const char *s = e->node_symbols.v[i];
        if (!strncmp(s, "napi_register_module_v", 22)) {
            return -1; /* Node-API: any release loads it */
        }
        if (!strncmp(s, "node_register_module_v", 22)) {
            exported = strtol(s + 22, NULL, 10);
        }
    }
    return exported; /* another release's initializer only, or nothing that says */
}

void check_node_abi_mismatch(const struct check_ctx *ctx, const struct member *m,
                             struct findings *out)
{
    const struct profile *p = ctx->profile;
    bool registered = false;
    char expected[64], found[64], words[64] = "";

    if (!profile_node(p) || m->role != ROLE_ADDON) {
        return;
    }
    long built = built_for(p, m->elf, &registered);
    if (built < 0) {
        return;
    }
    const char *node = node_of_abi(ctx, built);
    if (node) {
        snprintf(words, sizeof(words), " (Node.js %s)", node);
    }
    snprintf(expected, sizeof(expected), "NODE_MODULE_VERSION %ld", p->node_abi);
    snprintf(found, sizeof(found), "NODE_MODULE_VERSION %ld", built);
    char *abi = xasprintf("%ld", built), *want = xasprintf("%ld", p->node_abi);
    /* Registered from its data, Node.js names the version; found by its initializer's name,
     * it finds none for its own and says only that the module did not register. */
    struct tvar vars[] = {{"built_abi", abi},
                          {"node_abi", want},
                          {"lambda_error", registered
                                               ? ctx->rule->lambda_error
                                               : "Error: Module did not self-register: '{abs}'."}};
    check_report(ctx, out,
                 &(struct check_found){.m = m,
                                       .sev = ctx->rule->severity,
                                       .expected = expected,
                                       .found = found,
                                       .vars = vars,
                                       .nvars = 3},
                 "built for NODE_MODULE_VERSION %ld%s%s; %s runs Node.js %s, NODE_MODULE_VERSION "
                 "%ld",
                 built, words, registered ? "" : " (it exports only that release's initializer)",
                 p->runtime, p->node_version, p->node_abi);
    free(abi);
    free(want);
}
