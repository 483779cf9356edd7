/* SPDX-License-Identifier: MIT */
/* One run: data -> jobs -> audit (each job checked on its target) -> reports -> status. */
#include "run.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "checks.h"
#include "datadir.h"
#include "explain.h"
#include "gating.h"
#include "jobs.h"
#include "outputs.h"
#include "report.h"
#include "settings.h"
#include "version.h"

static void list_runtimes(const struct profiles *ps, FILE *out)
{
    fprintf(out, "%-11s %-7s %-6s %-7s %-18s %-6s %-9s %-10s %-12s %s\n", "RUNTIME", "ARCH",
            "PYTHON", "ABI", "OS", "GLIBC", "GLIBCXX", "DEPRECATED", "BLOCK-CREATE",
            "BLOCK-UPDATE");
    for (size_t i = 0; i < ps->nr; i++) {
        const struct profile *p = &ps->v[i];
        fprintf(out, "%-11s %-7s %-6s %-7s %-18s %-6s %-9s %-10s %-12s %s\n", p->runtime, p->arch,
                p->python_version, p->abi_tag, p->os_name, p->glibc_max, p->glibcxx_max,
                p->deprecated, p->block_create, p->block_update);
    }
}

/* What needs no bundle: the runtimes, the rules, one rule explained. 1: not asked. */
static int info_only(const struct options *o, const struct datadir *dd, struct diag *d)
{
    if (o->list_runtimes) {
        list_runtimes(datadir_profiles(dd), stdout);
        return 0;
    }
    if (o->list_rules) {
        return explain_list(stdout, dd, !strcmp(o->format, "json"), d);
    }
    if (o->explain) {
        return explain_rule(stdout, dd, o->explain, d);
    }
    return 1;
}

/* Everything of one run that outlives the audit until the reports are written. */
struct run {
    struct jobs jobs;
    struct gating gating;
    struct audit audit;
    struct outputs_stream stream;
    bool gated, streaming;
};

/* The jobs and the gate; -1 when the run cannot start (its reports are then removed). */
static int prepare(struct run *rn, const struct options *o, const struct options *cli,
                   const struct config *cfg, const struct datadir *dd, struct diag *d)
{
    if (jobs_build(&rn->jobs, o, cli, dd, d) != 0) {
        return -1;
    }
    rn->gated = jobs_any_target(&rn->jobs);
    if (!rn->gated && (o->baseline || o->write_baseline)) {
        return diag_set(d, DIAG_USAGE, "--baseline and --write-baseline need a target (--runtime)");
    }
    if (rn->gated && gating_open(&rn->gating, o, cfg, dd->dir, d) != 0) {
        return -1;
    }
    /* JSON Lines go out as each function is done; with --write-baseline, at the end, once
     * the run's findings are accepted. */
    rn->streaming = !strcmp(o->format, "jsonl") && !o->write_baseline;
    return rn->streaming ? outputs_stream_open(&rn->stream, o, d) : 0;
}

/* The exit status; *whole: the run as a whole could not do its job (d says why). An
 * input that could not be read is exit 2 too, but after every report is written. */
static int audit_and_report(struct run *rn, const struct options *o, const struct options *cli,
                            const struct config *cfg, const struct datadir *dd, bool *whole,
                            struct diag *d)
{
    struct audit_opts ao = {o, dd, NULL, NULL, false};
    struct report r = {.tool_name = ABISCAN_NAME,
                       .tool_version = ABISCAN_VERSION,
                       .fail_on = o->fail_on,
                       .verbose = o->verbose,
                       .rules = &dd->rules};

    *whole = true;
    if (prepare(rn, o, cli, cfg, dd, d) != 0) {
        return ABISCAN_EXIT_TROUBLE;
    }
    ao.gating = rn->gated ? &rn->gating : NULL;
    ao.stream = rn->streaming ? rn->stream.f : NULL;
    ao.size = outputs_want_size(o);
    if (audit_run(&rn->audit, &rn->jobs, &ao, d) != 0 ||
        (rn->gated && gating_close(&rn->gating, &rn->audit.findings, o, d) != 0)) {
        return ABISCAN_EXIT_TROUBLE;
    }
    audit_report(&r, &rn->audit);
    if (!r.profile && !r.matrix_nr && o->runtime) {
        r.profile = datadir_profile(dd, o->runtime, o->arch); /* an empty slice's */
    }
    r.gate = rn->gated ? &rn->gating.gate : NULL;
    r.gated = rn->gated && rn->gating.gated;
    if ((rn->streaming && outputs_stream_close(&rn->stream, true, d) != 0) ||
        outputs_write(o, &r, rn->streaming, d) != 0) {
        return ABISCAN_EXIT_TROUBLE;
    }
    *whole = false;
    if (rn->audit.unreadable) {
        return ABISCAN_EXIT_TROUBLE;
    }
    return report_failed(&r) ? ABISCAN_EXIT_FINDINGS : ABISCAN_EXIT_OK;
}

int run_main(const struct options *cli, struct diag *d)
{
    struct datadir dd;
    struct config cfg = {0};
    struct options o = {0};
    struct run rn;
    bool whole = true;
    int code = ABISCAN_EXIT_TROUBLE, info;

    memset(&rn, 0, sizeof(rn));
    if (outputs_check(cli, d) != 0) {
        return code;
    }
    if (datadir_load(&dd, cli->rules_dir, d) != 0) {
        outputs_remove_stale(cli);
        return code;
    }
    if (checks_verify(&dd.rules, d) != 0) {
        goto out;
    }
    if ((info = info_only(cli, &dd, d)) <= 0) {
        code = info ? ABISCAN_EXIT_TROUBLE : ABISCAN_EXIT_OK;
        whole = info != 0;
        goto out;
    }
    if (settings_resolve(&o, &cfg, cli, &dd, d) == 0) {
        code = audit_and_report(&rn, &o, cli, &cfg, &dd, &whole, d);
    }
out:
    /* Reports are removed only when the run as a whole could not do its job; inputs that
     * could not be read are in them, as errors. */
    if (code == ABISCAN_EXIT_TROUBLE && whole) {
        outputs_stream_close(&rn.stream, false, d);
        outputs_remove_stale(cli);
    }
    audit_release(&rn.audit);
    gating_release(&rn.gating);
    jobs_release(&rn.jobs);
    options_release(&o);
    config_release(&cfg);
    datadir_release(&dd);
    return code;
}
