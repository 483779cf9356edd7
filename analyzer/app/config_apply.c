/* SPDX-License-Identifier: MIT */
/* The command line over .abiscan.yaml. */
#include "config_apply.h"

#include <stdlib.h>
#include <string.h>

#include "severity.h"

static void copy_strvec(struct strvec *out, const struct strvec *from)
{
    for (size_t i = 0; i < from->nr; i++) {
        strvec_push(out, from->v[i]);
    }
}

/* The file's values under the command line's: each only where the command line is silent. */
static void merge(struct options *out, const struct config *cfg, const struct options *cli)
{
    bool named = cli->inputs.nr || cli->files_from || cli->template_path || cli->lambda_config;

    if (!cli->runtime && cfg->runtime) {
        out->runtime = cfg->runtime;
    }
    if (!cli->arch_given && cfg->arch) {
        out->arch = !strcmp(cfg->arch, "amd64")     ? "x86_64"
                    : !strcmp(cfg->arch, "aarch64") ? "arm64"
                                                    : cfg->arch;
        out->arch_given = true;
    }
    if (!cli->handler && cfg->handler && !cli->template_path && !cli->lambda_config) {
        out->handler = cfg->handler; /* the file's function; a declaration says its own */
    }
    if (!cli->installer && cfg->installer) {
        out->installer = cfg->installer; /* the schema's enum */
    }
    if (!cli->fail_on_given && cfg->fail_on) {
        out->fail_on = (enum severity)severity_parse(cfg->fail_on); /* the schema's enum */
    }
    copy_strvec(&out->inputs, named ? &cli->inputs : &cfg->bundles);
    /* The file's layers belong to the file's bundles: bundles named on the command line
     * (or declared) are another function, whose layers the command line names. */
    copy_strvec(&out->layers, cli->layers.nr || named ? &cli->layers : &cfg->layers);
}

int config_apply(struct options *out, struct config *cfg, const struct options *cli,
                 const struct datadir *dd, struct diag *d)
{
    char *found = NULL;
    const char *path = cli->config;

    *out = *cli;
    memset(&out->inputs, 0, sizeof(out->inputs));
    memset(&out->layers, 0, sizeof(out->layers));
    memset(&out->reports, 0, sizeof(out->reports));
    copy_strvec(&out->reports, &cli->reports);
    memset(cfg, 0, sizeof(*cfg));
    if (!cli->no_config && !path) {
        if (config_find(&found, d) != 0) {
            return -1;
        }
        path = found;
    }
    if (!cli->no_config && path && config_load(cfg, path, dd, d) != 0) {
        free(found);
        copy_strvec(&out->inputs, &cli->inputs);
        return -1;
    }
    free(found);
    merge(out, cfg, cli);
    return 0;
}
