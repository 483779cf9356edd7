/* SPDX-License-Identifier: MIT */
/*
 * A container image as Lambda runs it, facts only: where the function's code is (the task
 * root), which Python runs it and where that Python's site-packages are, the handler the
 * CMD names, the C library and toolchain libraries the image carries with the versions
 * they define, the loader's search path (LD_LIBRARY_PATH from the config, ld.so.cache, the
 * default directories) and the OS it says it is. All of it read from the image's own
 * configuration and files: for an image, "the runtime" is the image.
 *
 * The image's paths are relative to its root ("var/task/app.py"), as its members' are;
 * directories the loader searches are absolute ("/usr/lib64"), as ld.so has them.
 *
 * Ownership: struct container owns every string and list in it; container_free() frees
 * it (NULL accepted). The image input that has one owns it (image_release()).
 */
#ifndef ANALYZER_CONTAINER_H
#define ANALYZER_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strvec.h"

struct bundle_entry;
struct bundle_image;
struct image;
struct member;

/* Where a file of the image sits for the checks. */
enum container_place {
    PLACE_SYSTEM, /* the image's own OS: the loader's to search, never checked */
    PLACE_TASK,   /* below the task root (/var/task): the function's code, on sys.path */
    PLACE_OPT,    /* below /opt, where a layer's content goes */
    PLACE_SITE,   /* below the interpreter's site-packages */
};

struct container {
    const char *form;        /* "docker-archive", "oci-layout", "oci-archive" (static) */
    char *platform;          /* "linux/arm64" of the image checked */
    char *arch;              /* "x86_64" or "arm64", or the config's word for another ("s390x") */
    struct strvec platforms; /* every platform the archive offers */
    char *ref;
    struct strvec env, entrypoint, cmd;
    char *workdir;

    char *task_root;           /* "var/task": LAMBDA_TASK_ROOT, else WorkingDir, else Lambda's */
    const char *task_root_why; /* "LAMBDA_TASK_ROOT", "WorkingDir", "Lambda's default" */
    char *python;              /* the interpreter's file ("var/lang/bin/python3.12"), or NULL */
    char *python_why;          /* how it was found: "the ENTRYPOINT runs it", ... */
    int py_major, py_minor;    /* -1 when no interpreter was found */
    struct strvec site_dirs;   /* "var/lang/lib/python3.12/site-packages", ... */
    char *handler;             /* "app.handler" when the image starts Lambda's runtime client */
    char *handler_module;      /* its module, dotted ("app", "src.app"), or NULL */

    /* What Lambda starts: the ENTRYPOINT's first word, else the CMD's, as written (NULL when
     * the image names neither), and why it cannot start, in words ("/usr/bin/python3 is
     * not in the image"; NULL: it can, as far as the image's files say). start_errno is
     * the exec's failure ("no such file or directory", "permission denied"), or NULL when
     * the file starts and what it runs fails (start_exit: the shell's 126 or 127). */
    char *start;
    const char *start_from; /* "ENTRYPOINT" or "CMD" */
    char *start_problem;
    const char *start_errno;
    int start_exit;

    struct strvec ld_library_path; /* LD_LIBRARY_PATH of the config's Env, absolute dirs */
    struct strvec ld_cache;        /* /etc/ld.so.cache: "soname", "/path", pairs in order */
    bool has_ld_cache;
    struct strvec default_dirs; /* ld.so's own directories for this C library */

    char *os_name;   /* PRETTY_NAME of its os-release, or NULL */
    char *libc;      /* the C library ld.so loads (a file of the image, abs), or NULL */
    char *glibc_max; /* the highest GLIBC_ version libc.so.6 defines ("2.34"), or NULL */
    char *libstdcxx; /* libstdc++.so.6's file, with its highest GLIBCXX_ and CXXABI_ */
    char *glibcxx_max, *cxxabi_max;
    char *libgcc; /* libgcc_s.so.1's file, with its highest GCC_ */
    char *gcc_max;

    size_t layers;
    uint64_t stored, uncompressed;
    uint64_t *layer_bytes; /* each layer's tar stream, uncompressed, in order */

    /* What the function is configured with (the run sets it): its architecture, and why. */
    char *function_arch;
    char *function_arch_why;

    /* What the image's files are built for, whatever its config says: the machine of its
     * interpreter (else of the C library the loader finds) as an architecture ("x86_64",
     * "arm64", or the ELF's word for another), and that file; NULL when neither was read. */
    char *content_arch;
    char *content_from;
};

/** The image's description (input/bundle.h) as a container; the plan is made by
 * container_plan(). */
struct container *container_new(const struct bundle_image *meta);
void container_free(struct container *c);

/**
 * From the configuration and the list of the image's files (sorted by path, links not
 * followed): the task root, the interpreter and its site-packages, the handler, the loader's
 * directories, and the system files worth reading (container_wants()).
 */
void container_plan(struct container *c, const struct bundle_entry *entries, size_t nr);

/**
 * Where path (relative to the image root) sits; *site_off receives the length of the
 * sys.path entry's directory and its '/' (0 when none), *site_minor the N of a
 * python3.N directory it is below (-1 when none says).
 */
enum container_place container_place(const struct container *c, const char *path, size_t *site_off,
                                     int *site_minor);

/** Whether a system file is worth reading: glibc's libraries, libstdc++, libgcc_s (by their
 * names), os-release, ld.so.cache, and the interpreter (what the image's files are built for). */
bool container_wants(const struct container *c, const char *path);

/** Whether path is one of the small system files container_read_text() reads. */
bool container_wants_text(const char *path);

/** A small system file's bytes (os-release, ld.so.cache), as the reading phase got them. */
void container_read_text(struct container *c, const char *path, const char *data, size_t len);

/**
 * Once the image is indexed: the versions its C library and toolchain libraries define,
 * from their ELF facts (image_lookup() through the loader's own directories).
 */
void container_finish(struct container *c, const struct image *img, size_t view);

/**
 * The architecture the image is, when it is not the function's: its files' (content_arch),
 * else its config's; NULL when the image is the function's, or says nothing. One cause,
 * said once (image-arch-mismatch): the files of that architecture are not each another
 * finding (arch-mismatch).
 */
const char *container_foreign_arch(const struct container *c);

/** "x86_64" for EM_X86_64, "arm64" for EM_AARCH64, NULL for another machine. */
const char *container_arch_of_machine(unsigned machine);

/** The path ld.so opens lib under (libc.so.6 as /lib64/libc.so.6, say), for its messages:
 * the one container_finish() found it by, else the file's own. Borrowed. */
const char *container_opened_as(const struct container *c, const struct image *img, size_t view,
                                const struct member *lib);

/**
 * What abiscan found in the image, a line each, appended to out: what it is (its platform,
 * the name it goes by, its layers and their uncompressed bytes), its OS and C library, its
 * Python and where, its task root and handler. The text report opens with them.
 */
void container_about(const struct container *c, struct strvec *out);

/** The same in one line ("; " between), for the input's notes. Caller frees. */
char *container_describe(const struct container *c);

/** The lines ld.so.cache holds, "soname", "/path" pairs (arch_flags: the cache's
 * FLAG_* bits of the target; 0 takes every entry). 0, or -1 when data is no cache. */
int container_parse_ld_cache(struct strvec *out, const unsigned char *data, size_t len,
                             unsigned arch_flags);

#endif
