/* SPDX-License-Identifier: MIT */
/*
 * A library bound on first use (dlopen, then dlsym of each function into a table of
 * pointers): what zipapi and archapi share. Private to input/.
 *
 * Ownership: the library stays loaded for the process; nothing is freed.
 */
#ifndef ANALYZER_DYNLIB_H
#define ANALYZER_DYNLIB_H

#include <stddef.h>

/**
 * Open soname and set *slots[i] to its symbol names[i], for i < n. 0 when every one was
 * found; else -1 with why (size len) saying what failed, and the slots not to be used.
 */
int dynlib_bind(const char *soname, const char *const *names, void **const *slots, size_t n,
                char *why, size_t len);

#endif
