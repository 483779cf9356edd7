/* SPDX-License-Identifier: MIT */
/*
 * How ld.so finds a DT_NEEDED on Lambda (glibc elf/dl-load.c; lambda-facts.md
 * §2.3): DT_RPATH when there is no DT_RUNPATH, then LD_LIBRARY_PATH (the
 * runtime's system directories first, then /var/task, /var/task/lib, /opt/lib),
 * then DT_RUNPATH, then the system's default directories. Bundle directories
 * are looked up in the image; system directories in the OS library list.
 *
 * Ownership: a resolution borrows its member and row from the image and the
 * profile's OS data.
 */
#ifndef ANALYZER_LOADER_H
#define ANALYZER_LOADER_H

#include "image.h"
#include "osdata.h"
#include "profile.h"

enum resolve_kind {
    RESOLVED_BUNDLE,      /* a file of the bundle (function or layers) */
    RESOLVED_SYSTEM,      /* the runtime OS ships it */
    RESOLVED_UNCONFIRMED, /* not in the bundle; the OS may or may not ship it (U) */
    RESOLVED_MISSING,     /* nothing provides it */
};

struct resolution {
    enum resolve_kind kind;
    const struct member *m;  /* RESOLVED_BUNDLE: the file the loader opens */
    const struct oslib *row; /* the OS data's row for the name, if any */
    const char *via;         /* "DT_RPATH", "LD_LIBRARY_PATH", "DT_RUNPATH", "system" */
};

/** Resolve soname as needed by obj (an ELF member of img) on the profile's runtime. */
void loader_resolve(const struct image *img, const struct profile *p, const struct member *obj,
                    const char *soname, struct resolution *out);

/**
 * True for a C library soname of musl: "libc.musl-x86_64.so.1" (Alpine) or a bare
 * "libc.so" (Debian's musl-gcc; glibc's libc.so is a linker script, never a DT_NEEDED).
 */
bool loader_musl_soname(const char *soname);

/** True when obj's ELF header matches the target: only those can be loaded at all. */
bool loader_loadable(const struct profile *p, const struct member *obj);

#endif
