/* SPDX-License-Identifier: MIT */
/* The target of a run whose inputs are container images: the images' own (image_target.h). */
#include "image_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* "python3.12" for an image's interpreter, or NULL when it has none that says. */
static char *runtime_of(const struct container *c)
{
    return c->py_major == 3 ? xasprintf("python%d.%d", c->py_major, c->py_minor) : NULL;
}

/* The architecture the image is checked against: the function's (--arch, its declaration,
 * Lambda's default), which is where it runs. What the image's config and files say are facts
 * about the image, which image-arch-mismatch holds against it, once. */
static const char *arch_of(const struct container *c)
{
    return c->function_arch;
}

/* The profile's OS facts replaced by the image's: its name, and the versions its own C
 * library and toolchain libraries define where it has them. */
static void take_os(struct profile *p, const struct container *c)
{
    char **fields[] = {&p->glibc_max, &p->glibcxx_max, &p->cxxabi_max, &p->gcc_max};
    const char *values[] = {c->glibc_max, c->glibcxx_max, c->cxxabi_max, c->gcc_max};

    free(p->os_name);
    p->os_name =
        c->os_name ? xasprintf("the image's %s", c->os_name) : xstrdup("the image's own system");
    for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
        if (values[i]) {
            free(*fields[i]);
            *fields[i] = xstrdup(values[i]);
        }
    }
}

int image_target(struct profile *out, const struct image *img, const struct profiles *ps,
                 const char *runtime, struct diag *d)
{
    const struct container *first = NULL;
    const struct profile *base;
    char *want = NULL, *have = NULL;
    int rc = 1;

    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < img->inputs_nr; i++) {
        const struct container *c = img->inputs[i].container;
        if (!c) {
            return 1; /* a bundle among them: the target is the command line's */
        }
        have = runtime ? xstrdup(runtime) : runtime_of(c);
        if (!have) {
            return 1; /* no Python found: every runtime, as for a bundle */
        }
        if (first && (strcmp(have, want) != 0 || strcmp(arch_of(c), arch_of(first)) != 0)) {
            rc = diag_set(d, DIAG_USAGE,
                          "the images '%s' (%s %s) and '%s' (%s %s) have different targets: "
                          "check them one at a time",
                          img->inputs[0].name, want, arch_of(first), img->inputs[i].name, have,
                          arch_of(c));
            goto out;
        }
        if (!first) {
            first = c;
            want = have;
            have = NULL;
        }
        free(have);
        have = NULL;
    }
    if (!first) {
        goto out;
    }
    if (!(base = profiles_find(ps, want, arch_of(first)))) {
        rc = diag_set(d, DIAG_USAGE,
                      "'%s' runs %s on %s, which no Lambda runtime profile describes "
                      "(see --list-runtimes; --runtime names the one to check against)",
                      img->inputs[0].name, want, arch_of(first));
        goto out;
    }
    profile_copy(out, base);
    take_os(out, first);
    rc = 0;
out:
    free(have);
    free(want);
    return rc;
}
