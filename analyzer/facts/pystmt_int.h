/* SPDX-License-Identifier: MIT */
/*
 * Private to facts/: a Python source cut into logical lines (pystmt_lines.c), and the words
 * of a line (pystmt_words.c), for the statement reader (pystmt.c).
 *
 * Ownership: struct pylines borrows the text; buf is its own, freed by the caller.
 */
#ifndef ANALYZER_PYSTMT_INT_H
#define ANALYZER_PYSTMT_INT_H

#include <stdbool.h>
#include <stddef.h>

struct pylines {
    const char *p, *end;
    unsigned line;        /* the line of line_pos */
    const char *line_pos; /* where pylines_line() last counted to */
    const char *start;    /* where the last logical line begins */
    char *buf;            /* the logical line, strings as "" and comments dropped */
    size_t len, cap;
};

enum pylines_got { PYLINES_END, PYLINES_LINE, PYLINES_SKIPPED };

/* The next logical line: its indentation, and its text in r->buf unless it is indented
 * deeper than skip_above (a def's body, whose statements never run on import: only where it
 * ends matters). */
enum pylines_got pylines_next(struct pylines *r, size_t *indent, size_t skip_above);

/* The first line number of the logical line pylines_next() returned last: counted when asked
 * (for the statements kept), by one memchr() sweep from where it last counted. */
unsigned pylines_line(struct pylines *r);

/* The words of a logical line (pystmt_words.c). */
bool pyw_ident_char(char c);
/** Whether s starts with word, followed by no name character. */
bool pyw_is_word(const char *s, const char *word);
const char *pyw_skip_blanks(const char *s);
/** Whether s names word as a whole identifier. */
bool pyw_names(const char *s, const char *word);
/** The ':' that ends a compound statement's header (at bracket depth 0, no walrus), or NULL. */
char *pyw_header_colon(char *s);
/** The length of the dotted name at s (with leading dots when relative). */
size_t pyw_dotted(const char *s, bool relative);
/** "a . b" as written with blanks: "a.b", fresh. */
char *pyw_squeeze(const char *s, size_t n);
/** Whether text names sys.meta_path, sys.path_hooks or __path__. */
bool pyw_hooks(const char *text, size_t len);

#endif
