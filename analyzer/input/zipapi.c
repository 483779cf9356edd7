/* SPDX-License-Identifier: MIT */
/* libzip through dlopen (zipapi.h); its soname comes from the build (CMake reads it). */
#include "zipapi.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

static struct zipapi api;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[256];

const struct zipapi *zipapi;

static void load(void)
{
    void *lib = dlopen(ABISCAN_LIBZIP_SONAME, RTLD_NOW | RTLD_LOCAL);
    const char *why;

    if (!lib) {
        why = dlerror();
        snprintf(failure, sizeof(failure), "%s", why ? why : "dlopen failed");
        return;
    }
#define ZIPFN(name)                                                                                \
    if (!(*(void **)&api.name = dlsym(lib, #name))) {                                              \
        snprintf(failure, sizeof(failure), "%s has no %s", ABISCAN_LIBZIP_SONAME, #name);          \
        return;                                                                                    \
    }
#include "zipapi.def"
#undef ZIPFN
    zipapi = &api;
}

int zipapi_load(struct diag *d)
{
    pthread_once(&once, load);
    if (!zipapi) {
        return diag_set(d, DIAG_IO, "cannot load libzip (%s)", failure);
    }
    return 0;
}
