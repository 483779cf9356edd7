/* SPDX-License-Identifier: MIT */
/*
 * A library bound on first use: dlopen() of its soname (the build reads it from the library
 * pkg-config names), then dlsym() of each function into a table of pointers. Every library
 * linked is mapped and relocated at each start, which an empty run pays for more than for
 * its own work (bench/run.py): those a run may not need (libzip, libarchive, pcre2, libyaml,
 * nettle) are bound here instead, by the one file that calls each.
 *
 * Ownership: a library stays loaded for the process; nothing is freed.
 */
#ifndef ANALYZER_DYNLIB_H
#define ANALYZER_DYNLIB_H

#include <pthread.h>
#include <stddef.h>

#include "diag.h"

struct dynlib {
    const char *soname;
    const char *const *names; /* the functions, [0, n) */
    void **const *slots;      /* where each one's address goes */
    size_t n;
    pthread_mutex_t lock;
    int state; /* 0: not tried yet; 1: bound; -1: failed, failure says why */
    char failure[256];
};

#define DYNLIB_INIT(soname, names, slots)                                                          \
    {                                                                                              \
        soname, names, slots, sizeof(names) / sizeof(*(names)), PTHREAD_MUTEX_INITIALIZER, 0, ""   \
    }

/**
 * Bind l once (thread-safe; a caller that gets 0 may call through every slot). -1 with d
 * saying "cannot load <what> (<why>)" when the library or one of its functions is missing.
 */
int dynlib_load(struct dynlib *l, const char *what, struct diag *d);

#endif
