/* SPDX-License-Identifier: MIT */
/* The check command: jobs -> audit (each job checked on its target) -> reports -> status. */
#include "command.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "datadir.h"
#include "gate_run.h"
#include "jobs.h"
#include "report_files.h"
#include "report.h"
#include "config_apply.h"
#include "srcroot.h"
#include "version.h"

/* Everything of one run that outlives the audit until the reports are written. */
struct run {
    struct jobs jobs;
    struct gate_run gate_run;
    struct audit audit;
    struct report_files_stream stream;
    char *path_base; /* the report's (srcroot_find()), or NULL */
    bool gated, streaming;
};

/* The jobs and the gate; -1 when the run cannot start (its reports are then removed). */
static int prepare(struct run *rn, const struct options *o, const struct options *cli,
                   const struct config *cfg, const struct datadir *dd, struct diag *d)
{
    /* Before any bundle is read: a --path-base that is no directory is a usage error. */
    if (srcroot_find(&rn->path_base, o->path_base, d) != 0 ||
        jobs_build(&rn->jobs, o, cli, dd, d) != 0) {
        return -1;
    }
    rn->gated = jobs_any_target(&rn->jobs);
    if (!rn->gated && (o->baseline || o->write_baseline)) {
        return diag_set(d, DIAG_USAGE, "--baseline and --write-baseline need a target (--runtime)");
    }
    if (rn->gated && gate_run_open(&rn->gate_run, o, cfg, dd->dir, d) != 0) {
        return -1;
    }
    /* JSON Lines go out as each function is done; with --write-baseline, at the end, once
     * the run's findings are accepted. */
    rn->streaming = !strcmp(o->format, "jsonl") && !o->write_baseline;
    return rn->streaming ? report_files_stream_open(&rn->stream, o, d) : 0;
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
    ao.gate_run = rn->gated ? &rn->gate_run : NULL;
    ao.stream = rn->streaming ? rn->stream.f : NULL;
    ao.size = report_files_want_size(o);
    if (audit_run(&rn->audit, &rn->jobs, &ao, d) != 0 ||
        (rn->gated && gate_run_close(&rn->gate_run, &rn->audit.findings, o, d) != 0)) {
        return ABISCAN_EXIT_TROUBLE;
    }
    audit_report(&r, &rn->audit);
    if (!r.profile && !r.matrix_nr && o->runtime) {
        r.profile = datadir_profile(dd, o->runtime, o->arch); /* an empty slice's */
    }
    r.gate = rn->gated ? &rn->gate_run.gate : NULL;
    r.gated = rn->gated && rn->gate_run.gated;
    r.path_base = rn->path_base;
    if ((rn->streaming && report_files_stream_close(&rn->stream, true, d) != 0) ||
        report_files_write(o, &r, rn->streaming, d) != 0) {
        return ABISCAN_EXIT_TROUBLE;
    }
    *whole = false;
    if (rn->audit.unreadable) {
        return ABISCAN_EXIT_TROUBLE;
    }
    return report_failed(&r) ? ABISCAN_EXIT_FINDINGS : ABISCAN_EXIT_OK;
}

int cmd_check(const struct options *cli, const struct datadir *dd, struct diag *d)
{
    struct config cfg = {0};
    struct options o = {0};
    struct run rn;
    bool whole = true;
    int code = ABISCAN_EXIT_TROUBLE;

    memset(&rn, 0, sizeof(rn));
    if (config_apply(&o, &cfg, cli, dd, d) == 0) {
        code = audit_and_report(&rn, &o, cli, &cfg, dd, &whole, d);
    }
    /* Reports are removed only when the run as a whole could not do its job; inputs that
     * could not be read are in them, as errors. */
    if (code == ABISCAN_EXIT_TROUBLE && whole) {
        report_files_stream_close(&rn.stream, false, d);
        report_files_remove_stale(cli);
    }
    audit_release(&rn.audit);
    gate_run_release(&rn.gate_run);
    jobs_release(&rn.jobs);
    free(rn.path_base);
    options_release(&o);
    config_release(&cfg);
    return code;
}
