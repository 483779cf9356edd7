/* SPDX-License-Identifier: MIT */
/*
 * libzip, loaded when the first zip is opened (dlopen): a run that reads no zip maps
 * neither libzip nor the libcrypto, libbz2 and libz it links, which cost a start-up more
 * than the whole of an empty run (bench/run.py). The functions the backend calls are
 * zipapi.def's rows, each with libzip's own prototype; ZIP(fn) calls one.
 *
 * Ownership: the library stays loaded for the process; nothing is freed.
 */
#ifndef ANALYZER_ZIPAPI_H
#define ANALYZER_ZIPAPI_H

#include <zip.h>

#include "diag.h"

struct zipapi {
#define ZIPFN(name) __typeof__(name) *name;
#include "zipapi.def"
#undef ZIPFN
};

/* Its functions: called only after a call of zipapi_load() returned 0. */
extern const struct zipapi *const zipapi;

/** Load libzip and resolve its functions, once (thread-safe). -1 with d set when it cannot
 * be: the input then cannot be read as a zip. */
int zipapi_load(struct diag *d);

#define ZIP(fn) (zipapi->fn)

#endif
