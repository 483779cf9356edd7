/* SPDX-License-Identifier: MIT */
/*
 * Private to facts/: a Python source cut into logical lines (pystmt_lines.c), for the
 * statement reader (pystmt.c).
 *
 * Ownership: struct pylines borrows the text; buf is its own, freed by the caller.
 */
#ifndef ANALYZER_PYSTMT_INT_H
#define ANALYZER_PYSTMT_INT_H

#include <stddef.h>

struct pylines {
    const char *p, *end;
    unsigned line;        /* the line of line_pos */
    const char *line_pos; /* where line_at() last counted to */
    char *buf;            /* the logical line, strings as "" and comments dropped */
    size_t len, cap;
};

enum pylines_got { PYLINES_END, PYLINES_LINE, PYLINES_SKIPPED };

/* The next logical line: its indentation and first line, and its text in r->buf unless it is
 * indented deeper than skip_above (a def's body, whose statements never run on import: only
 * where it ends matters). */
enum pylines_got pylines_next(struct pylines *r, size_t *indent, unsigned *line, size_t skip_above);

#endif
