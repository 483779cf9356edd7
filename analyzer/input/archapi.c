/* SPDX-License-Identifier: MIT */
/* libarchive through dlopen (archapi.h); its soname comes from the build (CMake reads it). */
#include "archapi.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

static struct archapi api;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[256];

const struct archapi *archapi;

static void load(void)
{
    void *lib = dlopen(ABISCAN_LIBARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
    const char *why;

    if (!lib) {
        why = dlerror();
        snprintf(failure, sizeof(failure), "%s", why ? why : "dlopen failed");
        return;
    }
#define ARCFN(name)                                                                                \
    if (!(*(void **)&api.name = dlsym(lib, #name))) {                                              \
        snprintf(failure, sizeof(failure), "%s has no %s", ABISCAN_LIBARCHIVE_SONAME, #name);      \
        return;                                                                                    \
    }
#include "archapi.def"
#undef ARCFN
    archapi = &api;
}

int archapi_load(struct diag *d)
{
    pthread_once(&once, load);
    if (!archapi) {
        return diag_set(d, DIAG_IO, "cannot load libarchive (%s)", failure);
    }
    return 0;
}
