/* SPDX-License-Identifier: MIT */
/* dlopen and dlsym into a table (dynlib.h). */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>

int dynlib_bind(const char *soname, const char *const *names, void **const *slots, size_t n,
                char *why, size_t len)
{
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

    if (!lib) {
        const char *err = dlerror();
        snprintf(why, len, "%s", err ? err : "dlopen failed");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!(*slots[i] = dlsym(lib, names[i]))) {
            snprintf(why, len, "%s has no %s", soname, names[i]);
            return -1;
        }
    }
    return 0;
}
