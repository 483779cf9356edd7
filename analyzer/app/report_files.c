/* SPDX-License-Identifier: MIT */
/* The reports of a run: stdout or -o, and every --report, atomically. */
#include "report_files.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "strvec.h"
#include "suggest.h"
#include "xalloc.h"

/* "junit=reports/a.xml" -> format "junit" (into buf) and the file after the first '='. */
static const char *split(const char *spec, char *buf, size_t n)
{
    const char *eq = strchr(spec, '=');
    size_t len = (size_t)(eq - spec);

    snprintf(buf, n, "%.*s", (int)(len < n ? len : n - 1), spec);
    return eq + 1;
}

static int unknown_format(const char *name, struct diag *d)
{
    char *names = report_format_names(", "), *copy = xstrdup(names), *save = NULL, guess[128];
    struct strvec list = STRVEC_INIT;

    for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
        strvec_push(&list, w);
    }
    if (suggest_words(name, (const char *const *)list.v, list.nr, guess, sizeof(guess))) {
        diag_set(d, DIAG_USAGE, "unknown format '%s': did you mean %s?", name, guess);
    } else {
        diag_set(d, DIAG_USAGE, "unknown format '%s' (%s)", name, names);
    }
    strvec_release(&list);
    free(copy);
    free(names);
    return -1;
}

int report_files_check(const struct options *o, struct diag *d)
{
    if (!report_emitter_find(o->format)) {
        return unknown_format(o->format, d);
    }
    for (size_t i = 0; i < o->reports.nr; i++) {
        char fmt[64];
        const char *file = split(o->reports.v[i], fmt, sizeof(fmt));
        if (!report_emitter_find(fmt)) {
            return unknown_format(fmt, d);
        }
        if (o->output && !strcmp(file, o->output)) {
            return diag_set(d, DIAG_USAGE, "'%s' is named by both -o and --report", file);
        }
        for (size_t j = 0; j < i; j++) {
            char other[64];
            if (!strcmp(split(o->reports.v[j], other, sizeof(other)), file)) {
                return diag_set(d, DIAG_USAGE, "'%s' is named by two --report options", file);
            }
        }
    }
    return 0;
}

static bool sized_format(const char *name)
{
    return !strcmp(name, "exclude") || !strcmp(name, "treemap") || !strcmp(name, "strip");
}

bool report_files_want_size(const struct options *o)
{
    if (o->size || sized_format(o->format)) {
        return true;
    }
    for (size_t i = 0; i < o->reports.nr; i++) {
        char fmt[64];
        split(o->reports.v[i], fmt, sizeof(fmt));
        if (sized_format(fmt)) {
            return true;
        }
    }
    return false;
}

struct emit_arg {
    const struct emitter *em;
    struct report *r;
};

static int emit_fn(FILE *out, void *arg, struct diag *d)
{
    struct emit_arg *a = arg;
    return a->em->emit(out, a->r, d);
}

int report_files_write_one(const char *path, int (*fn)(FILE *out, void *arg, struct diag *d),
                           void *arg, struct diag *d)
{
    struct atomicfile af;

    if (atomicfile_open(&af, path, d) != 0) {
        return -1;
    }
    if (fn(af.f, arg, d) != 0) {
        atomicfile_abort(&af);
        return -1;
    }
    return atomicfile_commit(&af, d);
}

struct exclude_arg {
    const struct report *r;
    size_t input;
};

static int exclude_fn(FILE *out, void *arg, struct diag *d)
{
    const struct exclude_arg *a = arg;
    return report_exclude_one(out, a->r, a->input, d);
}

/* --report exclude=DIR (a directory, or a name ending in '/'): one list per input in it,
 * each zip being rebuilt on its own. */
static bool is_dir_target(const char *file)
{
    struct stat st;
    size_t n = strlen(file);

    return (n && file[n - 1] == '/') || (stat(file, &st) == 0 && S_ISDIR(st.st_mode));
}

static int write_exclude_dir(const char *dir, const struct report *r, struct diag *d)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        return diag_set(d, DIAG_IO, "cannot make the directory '%s': %s", dir, strerror(errno));
    }
    for (size_t i = 0; i < r->inputs_nr; i++) {
        struct exclude_arg a = {r, i};
        char *name, *path;
        int rc;
        if (!report_exclude_has(r, i)) {
            continue;
        }
        name = report_exclude_file(r, i);
        path = xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
        rc = report_files_write_one(path, exclude_fn, &a, d);
        free(path);
        free(name);
        if (rc != 0) {
            return -1;
        }
    }
    return 0;
}

static bool want_color(const struct options *o)
{
    const char *no_color = getenv("NO_COLOR");

    if (o->color != COLOR_AUTO) {
        return o->color == COLOR_ALWAYS;
    }
    return !(no_color && *no_color) && isatty(fileno(stdout)); /* https://no-color.org */
}

static int write_main(const struct options *o, struct report *r, struct diag *d)
{
    struct emit_arg a = {report_emitter_find(o->format), r};
    int rc;

    r->color = !o->output && !strcmp(o->format, "text") && want_color(o);
    if (o->output) {
        rc = report_files_write_one(o->output, emit_fn, &a, d);
    } else {
        rc = a.em->emit(stdout, r, d);
        if (fflush(stdout) != 0 && rc == 0) {
            rc = diag_set(d, DIAG_IO, "cannot write the report: %s", strerror(errno));
        }
    }
    r->color = false;
    return rc;
}

int report_files_write(const struct options *o, struct report *r, bool main_written, struct diag *d)
{
    if (!main_written && write_main(o, r, d) != 0) {
        return -1;
    }
    for (size_t i = 0; i < o->reports.nr; i++) {
        char fmt[64];
        const char *file = split(o->reports.v[i], fmt, sizeof(fmt));
        struct emit_arg a = {report_emitter_find(fmt), r};
        if (!strcmp(fmt, "exclude") && is_dir_target(file)) {
            if (write_exclude_dir(file, r, d) != 0) {
                return -1;
            }
            continue;
        }
        if (report_files_write_one(file, emit_fn, &a, d) != 0) {
            return -1;
        }
    }
    if (o->output || strcmp(o->format, "text") != 0) {
        report_print_summary_line(stderr, r);
    }
    return 0;
}

int report_files_stream_open(struct report_files_stream *s, const struct options *o, struct diag *d)
{
    memset(s, 0, sizeof(*s));
    if (!o->output) {
        s->f = stdout;
        return 0;
    }
    if (atomicfile_open(&s->af, o->output, d) != 0) {
        return -1;
    }
    s->f = s->af.f;
    s->file = true;
    return 0;
}

int report_files_stream_close(struct report_files_stream *s, bool commit, struct diag *d)
{
    int rc = 0;

    if (s->file && commit) {
        rc = atomicfile_commit(&s->af, d);
    } else if (s->file) {
        atomicfile_abort(&s->af);
    } else if (s->f && fflush(s->f) != 0 && commit) {
        rc = diag_set(d, DIAG_IO, "cannot write the report: %s", strerror(errno));
    }
    memset(s, 0, sizeof(*s));
    return rc;
}

void report_files_remove_stale(const struct options *o)
{
    if (o->output) {
        atomicfile_remove_stale(o->output);
    }
    for (size_t i = 0; i < o->reports.nr; i++) {
        char fmt[64];
        atomicfile_remove_stale(split(o->reports.v[i], fmt, sizeof(fmt)));
    }
}
