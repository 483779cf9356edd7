/* SPDX-License-Identifier: MIT */
/*
 * The exclude lists: the paths the size plan says can be left out (tests/ trees, caches
 * this Python never reads, unread metadata, sources and headers, a layer's copies the
 * runtime never imports), in the form zip -x@FILE reads: a tree as its directory then "*"
 * (zip's * crosses '/'), a file as its path, each relative to its input's root. Each zip
 * is rebuilt on its own, from its own tree: zip -r BUNDLE.zip . -x@FILE; abiscan itself
 * never writes into a bundle.
 *
 * One input: its paths, one a line. Several (a function and its layers, or several
 * bundles): each line carries its input first, a tab between ("layer.zip", a tab,
 * "python/x/tests/" and "*"), or, given a directory (--report exclude=DIR/), one list per
 * input in it, each ready for zip -x@. A name zip cannot be given on a line (a newline in it) is left out; so is an
 * input whose name has a tab or a newline in a list that carries names.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "utf8.h"
#include "xalloc.h"

/* The report input of plan input k of head h. */
static size_t report_index(const struct report *r, size_t h, size_t k)
{
    return h + (k - r->inputs[h].size->view);
}

static bool writable(const char *line)
{
    return !strpbrk(line, "\n\r") && utf8_valid(line, strlen(line));
}

/* The lines of report input `only` (SIZE_MAX: every input, each line carrying its input). */
static void lines(FILE *out, const struct report *r, size_t only)
{
    for (size_t h = 0; h < r->inputs_nr; h++) {
        const struct size_plan *p = r->inputs[h].size;
        for (size_t k = 0; p && k < p->exclude.nr; k++) {
            size_t in = report_index(r, h, p->exclude_input[k]);
            const char *name = in < r->inputs_nr ? r->inputs[in].name : NULL;
            if (!name || !writable(p->exclude.v[k]) || (only != SIZE_MAX && in != only)) {
                continue;
            }
            if (only == SIZE_MAX) {
                if (strpbrk(name, "\t\n\r") || !utf8_valid(name, strlen(name))) {
                    continue;
                }
                fputs(name, out);
                fputc('\t', out);
            }
            fputs(p->exclude.v[k], out);
            fputc('\n', out);
        }
    }
}

/* How many inputs the plans cover (a function's layers with it). */
static size_t planned_inputs(const struct report *r)
{
    size_t n = 0;

    for (size_t h = 0; h < r->inputs_nr; h++) {
        n += r->inputs[h].size ? r->inputs[h].size->uploads_nr : 0;
    }
    return n;
}

int report_exclude(FILE *out, const struct report *r, struct diag *d)
{
    size_t only = SIZE_MAX;

    if (planned_inputs(r) <= 1) {
        for (size_t h = 0; h < r->inputs_nr && only == SIZE_MAX; h++) {
            only = r->inputs[h].size ? h : SIZE_MAX;
        }
        if (only == SIZE_MAX) {
            return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the exclude list") : 0;
        }
    }
    lines(out, r, only);
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the exclude list") : 0;
}

/* The head whose plan covers report input i, or SIZE_MAX. */
static size_t head_of(const struct report *r, size_t i)
{
    for (size_t h = 0; h <= i && h < r->inputs_nr; h++) {
        const struct size_plan *p = r->inputs[h].size;
        for (size_t k = 0; p && k < p->uploads_nr; k++) {
            if (report_index(r, h, p->uploads[k].input) == i) {
                return h;
            }
        }
    }
    return SIZE_MAX;
}

bool report_exclude_has(const struct report *r, size_t i)
{
    return head_of(r, i) != SIZE_MAX;
}

/* The last component of an input's name, or "input-N" when it has none a file can take. */
static char *base_of_input(const char *name, size_t k)
{
    size_t n = strlen(name), len;
    const char *b = name;

    while (n > 1 && name[n - 1] == '/') {
        n--;
    }
    for (size_t j = 0; j + 1 < n; j++) {
        b = name[j] == '/' ? name + j + 1 : b;
    }
    len = n - (size_t)(b - name);
    if (!len || *b == '/' || (len == 1 && *b == '.') || (len == 2 && !strncmp(b, "..", 2)) ||
        memchr(b, '\n', len) || memchr(b, '\r', len)) {
        return xasprintf("input-%zu", k + 1);
    }
    return xstrndup(b, len);
}

char *report_exclude_file(const struct report *r, size_t i)
{
    char *mine = base_of_input(r->inputs[i].name, i), *out;
    bool clash = false;

    for (size_t k = 0; k < i && !clash; k++) {
        char *other = base_of_input(r->inputs[k].name, k);
        clash = report_exclude_has(r, k) && !strcmp(other, mine);
        free(other);
    }
    out = clash ? xasprintf("%s-%zu.exclude", mine, i + 1) : xasprintf("%s.exclude", mine);
    free(mine);
    return out;
}

int report_exclude_one(FILE *out, const struct report *r, size_t i, struct diag *d)
{
    lines(out, r, i);
    return ferror(out) ? diag_set(d, DIAG_IO, "cannot write the exclude list") : 0;
}
