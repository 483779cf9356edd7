/* SPDX-License-Identifier: MIT */
/*
 * A whole file into memory, with a bound: what the readers of rules, configurations and
 * declarations share (anyone's file may be huge, or a FIFO that never ends).
 *
 * Ownership: the buffer returned is the caller's to free.
 */
#ifndef ANALYZER_READFILE_H
#define ANALYZER_READFILE_H

#include <stddef.h>

#include "diag.h"

/**
 * The file at path, NUL-terminated (*len: its bytes, the NUL not counted). NULL with d set
 * (DIAG_IO, naming path) when it cannot be opened or read, or holds more than max bytes:
 * "cannot read 'PATH': TOO_LARGE".
 */
char *readfile(const char *path, size_t max, const char *too_large, size_t *len, struct diag *d);

#endif
