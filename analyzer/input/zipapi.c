/* SPDX-License-Identifier: MIT */
/* libzip through dlopen (zipapi.h); its soname comes from the build (CMake reads it). */
#include "zipapi.h"

#include "dynlib.h"

static struct zipapi api;

const struct zipapi *const zipapi = &api;

static const char *const names[] = {
#define ZIPFN(name) #name,
#include "zipapi.def"
#undef ZIPFN
};

static void **const slots[] = {
#define ZIPFN(name) (void **)&api.name,
#include "zipapi.def"
#undef ZIPFN
};

static struct dynlib lib = DYNLIB_INIT(ABISCAN_LIBZIP_SONAME, names, slots);

int zipapi_load(struct diag *d)
{
    return dynlib_load(&lib, "libzip", d);
}
