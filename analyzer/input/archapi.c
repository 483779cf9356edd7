/* SPDX-License-Identifier: MIT */
/* libarchive through dlopen (archapi.h); its soname comes from the build (CMake reads it). */
#include "archapi.h"

#include "dynlib.h"

static struct archapi api;

const struct archapi *const archapi = &api;

static const char *const names[] = {
#define ARCFN(name) #name,
#include "archapi.def"
#undef ARCFN
};

static void **const slots[] = {
#define ARCFN(name) (void **)&api.name,
#include "archapi.def"
#undef ARCFN
};

static struct dynlib lib = DYNLIB_INIT(ABISCAN_LIBARCHIVE_SONAME, names, slots);

int archapi_load(struct diag *d)
{
    return dynlib_load(&lib, "libarchive", d);
}
