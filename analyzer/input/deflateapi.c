/* SPDX-License-Identifier: MIT */
/* libdeflate through dlopen (deflateapi.h); its soname comes from the build (CMake reads it). */
#include "deflateapi.h"

#include "dynlib.h"

static struct deflateapi api;

const struct deflateapi *const deflateapi = &api;

/* The names before deflateapi.h's macros turn them into slots. */
static const char *const names[] = {
#undef libdeflate_alloc_decompressor
#undef libdeflate_free_decompressor
#undef libdeflate_deflate_decompress
#undef libdeflate_alloc_compressor
#undef libdeflate_free_compressor
#undef libdeflate_deflate_compress
#undef libdeflate_crc32
#define DEFLATE_NAME(fn) #fn,
    DEFLATE_FUNCTIONS(DEFLATE_NAME)
#undef DEFLATE_NAME
};

static void **const slots[] = {
#define DEFLATE_ADDR(fn) (void **)&api.fn,
    DEFLATE_FUNCTIONS(DEFLATE_ADDR)
#undef DEFLATE_ADDR
};

static struct dynlib lib = DYNLIB_INIT(ABISCAN_LIBDEFLATE_SONAME, names, slots);

int deflateapi_load(struct diag *d)
{
    return dynlib_load(&lib, "libdeflate", d);
}

void deflateapi_need(void)
{
    struct diag d = DIAG_INIT;

    if (deflateapi_load(&d) != 0) {
        BUG("%s: a dependency of abiscan's package is missing", d.msg);
    }
}
