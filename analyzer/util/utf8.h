/* SPDX-License-Identifier: MIT */
/*
 * UTF-8 hygiene for what a bundle says about itself: member names, sonames,
 * metadata. Invalid bytes are written as \xNN so that every report is valid
 * UTF-8 and nothing is lost; in text, control characters too, so that a hostile
 * name cannot drive the terminal.
 *
 * Ownership: returned strings are fresh; the caller frees them.
 */
#ifndef ANALYZER_UTF8_H
#define ANALYZER_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/** True when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
bool utf8_valid(const char *s, size_t n);

/** s with every byte that is not part of valid UTF-8 written as \xNN; with controls set,
 * C0 controls and DEL as well. */
char *utf8_escape(const char *s, bool controls);

/** Lower-case hex of s's bytes ("caf\xe9" -> "636166e9"). */
char *utf8_hex(const char *s);

#endif
