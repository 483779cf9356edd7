/* SPDX-License-Identifier: MIT */
/* --list-runtimes and --list-rules: what abiscan knows, without a bundle. */
#include <stdio.h>
#include <string.h>

#include "command.h"
#include "report_catalog.h"

static const char *dash(const char *s)
{
    return s ? s : "-";
}

int cmd_list_runtimes(const struct options *o, const struct datadir *dd, struct diag *d)
{
    const struct profiles *ps = datadir_profiles(dd);
    FILE *out = stdout;

    (void)o;
    fprintf(out, "%-15s %-7s %-6s %-7s %-6s %-18s %-6s %-9s %-10s %-12s %s\n", "RUNTIME", "ARCH",
            "PYTHON", "ABI", "NODE", "OS", "GLIBC", "GLIBCXX", "DEPRECATED", "BLOCK-CREATE",
            "BLOCK-UPDATE");
    for (size_t i = 0; i < ps->nr; i++) {
        const struct profile *p = &ps->v[i];
        char node[24] = "-";
        if (profile_node(p)) { /* the release, and the NODE_MODULE_VERSION addons need */
            snprintf(node, sizeof(node), "%s/%ld", p->node_version, p->node_abi);
        }
        /* A runtime of another language has no Python; an OS-only one no deprecation: "-". */
        fprintf(out, "%-15s %-7s %-6s %-7s %-6s %-18s %-6s %-9s %-10s %-12s %s\n", p->runtime,
                p->arch, dash(p->python_version), dash(p->abi_tag), node, p->os_name, p->glibc_max,
                p->glibcxx_max, dash(p->deprecated), dash(p->block_create), dash(p->block_update));
    }
    (void)d;
    return ABISCAN_EXIT_OK;
}

int cmd_list_rules(const struct options *o, const struct datadir *dd, struct diag *d)
{
    return report_catalog_list(stdout, &dd->rules, !strcmp(o->format, "json"), d) == 0
               ? ABISCAN_EXIT_OK
               : ABISCAN_EXIT_TROUBLE;
}
