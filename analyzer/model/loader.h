/* SPDX-License-Identifier: MIT */
/*
 * How ld.so finds a DT_NEEDED on Lambda (glibc elf/dl-load.c _dl_map_object and
 * elf/dl-deps.c; doc/sources.md#loader-search), as a model of the loads a function makes.
 *
 * A load starts at a root: an extension module Python dlopen()s, an addon Node.js does, or
 * an executable. A
 * module Python never opens (another version's tag, a build a sibling shadows) loads
 * nothing; a library only such modules would load is not judged at all.
 * Its libraries are mapped breadth-first, each object's DT_NEEDED in order. A name
 * already loaded (a loaded object's SONAME, or a name it was loaded under) is taken
 * as it is, without a search. Otherwise ld.so searches, for the object X that needs
 * the name:
 *   1. when X has no DT_RUNPATH: the DT_RPATH of X, then of the object that loaded X,
 *      and on up the chain to the root (an object with both tags has its DT_RPATH
 *      ignored: elf/get-dynamic-info.h), each with $ORIGIN of its own owner;
 *   2. LD_LIBRARY_PATH: the runtime's system directories first, then /var/task,
 *      /var/task/lib, /opt/lib (the profile's library_path);
 *   3. X's own DT_RUNPATH, never inherited;
 *   4. the system's own libraries (ld.so.cache and the default directories).
 * Bundle directories are looked up in the image; system directories in the OS data. A
 * container image has its own loader: its config's LD_LIBRARY_PATH, its ld.so.cache and
 * default directories, all looked up in its files (container.h), none in the OS data.
 * A library no root loads is loaded by dlopen() or by absolute path, if at all: it is
 * judged on its own DT_RPATH and DT_RUNPATH.
 *
 * Ownership: the model borrows the image and the profile, which must outlive it;
 * loader_model_free() frees it. Resolutions borrow members from the image and rows from
 * the profile's OS data.
 */
#ifndef ANALYZER_LOADER_H
#define ANALYZER_LOADER_H

#include "image.h"
#include "imports.h"
#include "osdata.h"
#include "profile.h"

enum resolve_kind {
    RESOLVED_BUNDLE,      /* a file of the bundle (function or layers) */
    RESOLVED_SYSTEM,      /* the runtime OS ships it (for a container image: m, its file) */
    RESOLVED_UNCONFIRMED, /* not in the bundle; the OS may or may not ship it (U) */
    RESOLVED_MISSING,     /* nothing provides it */
};

struct resolution {
    enum resolve_kind kind;
    const struct member *m;    /* RESOLVED_BUNDLE: the file the loader opens; RESOLVED_SYSTEM:
                                * a container image's own file, NULL for the OS data's */
    const struct oslib *row;   /* the OS data's row for the name, if any */
    const char *via;           /* "DT_RPATH", "inherited DT_RPATH", "LD_LIBRARY_PATH",
                                * "DT_RUNPATH", "system", "loaded", "path" */
    const struct member *root; /* the module or executable whose load this is; NULL when
                                * no root loads the object (judged on its own paths) */
};

/** Resolve soname as needed by obj on its own paths (no load chain, nothing loaded). */
void loader_resolve(const struct image *img, const struct profile *p, const struct member *obj,
                    const char *soname, struct resolution *out);

struct loader_model;

/** The loads from every root of img on the profile's runtime (im says which modules Python
 * opens). Caller frees. */
struct loader_model *loader_model_new(const struct image *img, const struct profile *p,
                                      const struct imports *im);
void loader_model_free(struct loader_model *lm);

/**
 * How obj's j-th DT_NEEDED is resolved: over every load that reaches obj, the worst
 * outcome (missing, then unconfirmed, then found); obj's own paths when no load does.
 */
const struct resolution *loader_model_needed(const struct loader_model *lm,
                                             const struct member *obj, size_t j);

/** Resolve a name obj needs (a DT_NEEDED of it or not) as the model would. */
void loader_model_resolve(const struct loader_model *lm, const struct member *obj,
                          const char *soname, struct resolution *out);

/** Whether a load from some root maps obj (the root itself counts). */
bool loader_model_reached(const struct loader_model *lm, const struct member *obj);

/** Whether only modules Python never opens (imports.h) would map obj: nothing loads it. */
bool loader_model_dead(const struct loader_model *lm, const struct member *obj);

/** Whether obj is a root: a module Python opens, or an executable. */
bool loader_is_root(const struct profile *p, const struct imports *im, const struct member *obj);

/**
 * True for a C library soname of musl: "libc.musl-x86_64.so.1" (Alpine) or a bare
 * "libc.so" (Debian's musl-gcc; glibc's libc.so is a linker script, never a DT_NEEDED).
 */
bool loader_musl_soname(const char *soname);

/** True when obj's ELF header matches the target: only those can be loaded at all. */
bool loader_loadable(const struct profile *p, const struct member *obj);

#endif
