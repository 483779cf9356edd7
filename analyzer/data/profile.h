/* SPDX-License-Identifier: MIT */
/*
 * Runtime profiles: one JSON file per Lambda runtime (Python, Node.js, OS-only) and architecture
 * (rules/runtimes/NAME.json), validated against rules/schema/profile.schema.json
 * when loaded. The facts and their sources live in the data, not here.
 *
 * Ownership: struct profiles owns every profile and string in it;
 * profiles_release() frees them all (a zeroed struct is valid). Pointers from
 * profiles_find() are borrowed and live as long as the struct profiles.
 */
#ifndef ANALYZER_PROFILE_H
#define ANALYZER_PROFILE_H

#include <stdbool.h>

#include "diag.h"

struct datasrc;
#include "strvec.h"

struct osdata;

struct profile {
    char *id;      /* "python3.12-arm64" */
    char *runtime; /* "python3.12" */
    char *arch;    /* "x86_64" | "arm64" */
    char *file;    /* the file it was read from */

    /* A Node.js runtime (nodejs20.x) and an OS-only one (provided.al2, provided.al2023) have
     * no Python: python_version, abi_tag and pip_platform are NULL, py_major and py_minor 0,
     * ext_suffixes empty (profile_python()); an OS-only runtime's deprecation, not
     * scheduled, is NULL too. */
    char *python_version; /* "3.12" */
    int py_major, py_minor;
    char *abi_tag;              /* "cp312" */
    struct strvec ext_suffixes; /* in the order the interpreter tries them */
    long pyc_magic;

    long elf_machine; /* e_machine */
    long elf_class;   /* 32 | 64 */
    int elf_data;     /* ELFDATA2LSB | ELFDATA2MSB */
    char *interpreter;
    char *triplet;

    char *os_id, *os_name;
    char *glibc_max, *glibcxx_max, *cxxabi_max, *gcc_max;
    /* What the runtime has had since a later toolchain update of unconfirmed date (AL1's
     * GCC 7.2.1 of mid-2019), or NULL: a need between *_max and this is a warning. */
    char *glibcxx_later, *cxxabi_later, *gcc_later;
    struct strvec cxxabi_extra;
    struct strvec library_path;
    char *pip_platform;
    char *deprecated, *block_create, *block_update;

    /* A Node.js runtime's (nodejs20.x): the major version of the Node.js it runs ("20"), its
     * NODE_MODULE_VERSION (the ABI a node_register_module_v<N> addon is built for) and the
     * highest Node-API version it supports; NULL and 0 for any other runtime. */
    char *node_version;
    long node_abi;
    long napi_max;

    const struct osdata *os; /* the OS library list (borrowed; set by datadir_load) */
};

struct profiles {
    struct profile *v;
    size_t nr;
};

/**
 * Load every rules_dir/runtimes/NAME.json, each validated against
 * rules_dir/schema/profile.schema.json. Any broken profile fails the load
 * with d naming the file and the field. Profiles are sorted by Python version, then arch.
 */
int profiles_load(struct profiles *out, const struct datasrc *src, struct diag *d);

/** Load rules_dir/runtimes/ID.json alone into *out, for trusted data (not validated). */
int profile_load_id(struct profile *out, const struct datasrc *src, const char *id, struct diag *d);

/** Release a profile profile_load_id() filled, and free it. */
void profile_free(struct profile *p);

/** The profile for runtime and arch, or NULL. */
const struct profile *profiles_find(const struct profiles *ps, const char *runtime,
                                    const char *arch);

/** The runtimes a mistyped name meant, in words into buf ("python3.12" for py3.12 or
 * python312, "python3.10 or python3.11" for pyhton3.1x), or NULL. */
const char *profiles_suggest(const struct profiles *ps, const char *runtime, char *buf, size_t n);

void profiles_release(struct profiles *ps);

/** Whether p is a Python runtime (not a Node.js one, nor an OS-only one: provided.*). */
static inline bool profile_python(const struct profile *p)
{
    return p->python_version != NULL;
}

/** Whether p is a Node.js runtime (nodejs20.x). */
static inline bool profile_node(const struct profile *p)
{
    return p->node_version != NULL;
}

/** The runtimes whose code is one language's, in the order --list-runtimes shows them. */
enum runtime_family { FAMILY_PYTHON, FAMILY_NODE, FAMILY_OS };

static inline enum runtime_family profile_family(const struct profile *p)
{
    return profile_python(p) ? FAMILY_PYTHON : profile_node(p) ? FAMILY_NODE : FAMILY_OS;
}

/** A deep copy of from into out (its OS data link borrowed as from's); release with
 * profile_release(). */
void profile_copy(struct profile *out, const struct profile *from);

/** Free what one profile owns (a zeroed profile is valid). */
void profile_release(struct profile *p);

#endif
