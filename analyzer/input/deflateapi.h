/* SPDX-License-Identifier: MIT */
/*
 * libdeflate, bound when the first zip is opened or the first member is checksummed or
 * weighed (util/dynlib.h): an empty run, or one over directories of pure Python, maps none
 * of it. The functions are called by their own names: each is defined below as its slot.
 * Private to input/ (bundle.c, bundle_zip.c).
 *
 * Ownership: the library stays loaded for the process; nothing is freed.
 */
#ifndef ANALYZER_DEFLATEAPI_H
#define ANALYZER_DEFLATEAPI_H

#include <libdeflate.h>

#include "diag.h"

#define DEFLATE_FUNCTIONS(X)                                                                       \
    X(libdeflate_alloc_decompressor)                                                               \
    X(libdeflate_free_decompressor)                                                                \
    X(libdeflate_deflate_decompress)                                                               \
    X(libdeflate_alloc_compressor)                                                                 \
    X(libdeflate_free_compressor)                                                                  \
    X(libdeflate_deflate_compress)                                                                 \
    X(libdeflate_crc32)

struct deflateapi {
#define DEFLATE_SLOT(fn) __typeof__(fn) *fn;
    DEFLATE_FUNCTIONS(DEFLATE_SLOT)
#undef DEFLATE_SLOT
};

/* Its functions: called only after a call of deflateapi_load() returned 0. */
extern const struct deflateapi *const deflateapi;

/** Load libdeflate and resolve its functions, once (thread-safe); -1 with d set when it
 * cannot be. */
int deflateapi_load(struct diag *d);

/** deflateapi_load() where a failure cannot be reported: the library is a dependency of the
 * package, its absence a broken installation (BUG). */
void deflateapi_need(void);

#define libdeflate_alloc_decompressor (deflateapi->libdeflate_alloc_decompressor)
#define libdeflate_free_decompressor (deflateapi->libdeflate_free_decompressor)
#define libdeflate_deflate_decompress (deflateapi->libdeflate_deflate_decompress)
#define libdeflate_alloc_compressor (deflateapi->libdeflate_alloc_compressor)
#define libdeflate_free_compressor (deflateapi->libdeflate_free_compressor)
#define libdeflate_deflate_compress (deflateapi->libdeflate_deflate_compress)
#define libdeflate_crc32 (deflateapi->libdeflate_crc32)

#endif
