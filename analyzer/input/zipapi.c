/* SPDX-License-Identifier: MIT */
/* libzip through dlopen (zipapi.h); its soname comes from the build (CMake reads it). */
#include "zipapi.h"

#include <pthread.h>

#include "dynlib.h"

static struct zipapi api;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[256];

const struct zipapi *zipapi;

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

static void load(void)
{
    if (dynlib_bind(ABISCAN_LIBZIP_SONAME, names, slots, sizeof(names) / sizeof(*names), failure,
                    sizeof(failure)) == 0) {
        zipapi = &api;
    }
}

int zipapi_load(struct diag *d)
{
    pthread_once(&once, load);
    if (!zipapi) {
        return diag_set(d, DIAG_IO, "cannot load libzip (%s)", failure);
    }
    return 0;
}
