/* SPDX-License-Identifier: MIT */
/*
 * Words of a POSIX shell command line: the one escaper of the commands abiscan prints (a
 * finding's fix, the strip and exclude commands), CONTRIBUTING.md#house-rules (escaping).
 * Every layer that composes a command quotes what it did not write itself (a member path,
 * a distribution's name and version, a soname, a handler: the bundle chose them) here.
 *
 * Ownership: returned strings are fresh; the caller frees them.
 */
#ifndef ANALYZER_SHWORD_H
#define ANALYZER_SHWORD_H

/**
 * s as one word of a POSIX shell command line: as it is when every byte is one no shell
 * reads specially (letters, digits, _ - . / + , : = @ %, not a '-' first), else in single
 * quotes (a ' as '\''). NULL when s holds a byte a one-line command cannot carry as text
 * (a newline, a control byte, invalid UTF-8).
 */
char *sh_word(const char *s);

#endif
