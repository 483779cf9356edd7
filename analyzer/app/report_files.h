/* SPDX-License-Identifier: MIT */
/*
 * Where a run's reports go: the main one (--format to stdout, or -o FILE) and every
 * --report FORMAT=FILE, each file written whole or not at all (atomicfile.h). When stdout
 * is not the text report, the one-line summary goes to stderr, so that a CI log says why
 * the build failed.
 *
 * Ownership: nothing is kept; the options and the report are borrowed for the call.
 */
#ifndef ANALYZER_REPORT_FILES_H
#define ANALYZER_REPORT_FILES_H

#include "atomicfile.h"
#include "options.h"
#include "diag.h"
#include "report.h"

/** Every format named (--format, each --report) has an emitter, and no file is named twice. */
int report_files_check(const struct options *o, struct diag *d);

/** Whether the run needs a size plan of every bundle: --size, or a format that draws on it
 * (exclude, treemap) named by --format or a --report. */
bool report_files_want_size(const struct options *o);

/**
 * Write every report; main_written: the main one was streamed already (report_files_stream),
 * only the --report files and the summary line are left.
 */
int report_files_write(const struct options *o, struct report *r, bool main_written,
                       struct diag *d);

/* The main output opened before an audit (--format jsonl), so that each line goes out as
 * its function is done: stdout, or -o FILE (whole or not at all, at the end). */
struct report_files_stream {
    FILE *f;
    struct atomicfile af;
    bool file;
};

int report_files_stream_open(struct report_files_stream *s, const struct options *o,
                             struct diag *d);

/** Finish the stream: commit -o FILE (or, when the run failed, drop it). */
int report_files_stream_close(struct report_files_stream *s, bool commit, struct diag *d);

/** The run failed: remove the report files an earlier run left, so that none is taken for
 * this run's. */
void report_files_remove_stale(const struct options *o);

/** Write a file whole or not at all through fn. */
int report_files_write_one(const char *path, int (*fn)(FILE *out, void *arg, struct diag *d),
                           void *arg, struct diag *d);

#endif
