/* SPDX-License-Identifier: MIT */
/*
 * Did you mean: the names closest to a word the user typed, for every place a name is
 * looked up (options, formats, runtimes, architectures, rules, configuration keys). Close is
 * the optimal-string-alignment distance (an insertion, deletion, substitution or swap of two
 * neighbours costs one), case-insensitive, within a third of the word's length (at least
 * one); a name the word begins (x86 for x86_64) is close too.
 *
 * Ownership: nothing is allocated; the words are written into the caller's buffer.
 */
#ifndef ANALYZER_SUGGEST_H
#define ANALYZER_SUGGEST_H

#include <stddef.h>

/** The names closest to word (at most five), in their order, as "a", "a or b", "a, b or c"
 * into buf; NULL when none is close, more than five are, or word is one of them. */
const char *suggest_words(const char *word, const char *const *names, size_t n, char *buf,
                          size_t len);

#endif
