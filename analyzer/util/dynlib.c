/* SPDX-License-Identifier: MIT */
/* dlopen and dlsym into a table (dynlib.h). */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>

static int bind(struct dynlib *l)
{
    void *lib = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);

    if (!lib) {
        const char *err = dlerror();
        snprintf(l->failure, sizeof(l->failure), "%s", err ? err : "dlopen failed");
        return -1;
    }
    for (size_t i = 0; i < l->n; i++) {
        if (!(*l->slots[i] = dlsym(lib, l->names[i]))) {
            snprintf(l->failure, sizeof(l->failure), "%s has no %s", l->soname, l->names[i]);
            return -1;
        }
    }
    return 1;
}

int dynlib_load(struct dynlib *l, const char *what, struct diag *d)
{
    int state;

    pthread_mutex_lock(&l->lock);
    if (!l->state) {
        l->state = bind(l);
    }
    state = l->state;
    pthread_mutex_unlock(&l->lock);
    if (state < 0) {
        return diag_set(d, DIAG_IO, "cannot load %s (%s)", what, l->failure);
    }
    return 0;
}
