/* SPDX-License-Identifier: MIT */
/*
 * libarchive, loaded when the first container image is opened (dlopen): a run that reads
 * no image maps neither libarchive nor what it links (libxml2 and ICU, liblzma, libzstd,
 * liblz4, libacl), which cost a start-up more than twice the rest of an empty run
 * (bench/run.py). The functions the image backend calls are archapi.def's rows, each with
 * libarchive's own prototype; ARC(fn) calls one.
 *
 * Ownership: the library stays loaded for the process; nothing is freed.
 */
#ifndef ANALYZER_ARCHAPI_H
#define ANALYZER_ARCHAPI_H

#include <archive.h>
#include <archive_entry.h>

#include "diag.h"

struct archapi {
#define ARCFN(name) __typeof__(name) *name;
#include "archapi.def"
#undef ARCFN
};

/* Its functions: called only after a call of archapi_load() returned 0. */
extern const struct archapi *const archapi;

/** Load libarchive and resolve its functions, once (thread-safe). -1 with d set when it
 * cannot be: the input then cannot be read as an image. */
int archapi_load(struct diag *d);

#define ARC(fn) (archapi->fn)

#endif
