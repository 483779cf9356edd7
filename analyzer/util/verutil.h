/* SPDX-License-Identifier: MIT */
/* Dotted version numbers (glibc, libstdc++, Python). Ownership: nothing is allocated. */
#ifndef ANALYZER_VERUTIL_H
#define ANALYZER_VERUTIL_H

/** Compare "2.28" with "2.3.4" number by number: <0, 0, >0. */
int verutil_cmp(const char *a, const char *b);

/**
 * The number part of a version name with this prefix: verutil_number("GLIBC_2.28",
 * "GLIBC_") is "2.28"; NULL when the name has another prefix or is not a number
 * (GLIBC_PRIVATE, CXXABI_TM_1).
 */
const char *verutil_number(const char *name, const char *prefix);

#endif
