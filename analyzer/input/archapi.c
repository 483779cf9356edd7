/* SPDX-License-Identifier: MIT */
/* libarchive through dlopen (archapi.h); its soname comes from the build (CMake reads it). */
#include "archapi.h"

#include <pthread.h>

#include "dynlib.h"

static struct archapi api;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[256];

const struct archapi *archapi;

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

static void load(void)
{
    if (dynlib_bind(ABISCAN_LIBARCHIVE_SONAME, names, slots, sizeof(names) / sizeof(*names),
                    failure, sizeof(failure)) == 0) {
        archapi = &api;
    }
}

int archapi_load(struct diag *d)
{
    pthread_once(&once, load);
    if (!archapi) {
        return diag_set(d, DIAG_IO, "cannot load libarchive (%s)", failure);
    }
    return 0;
}
