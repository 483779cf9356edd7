/* SPDX-License-Identifier: MIT */
/*
 * The image: every fact read from every input, the view the checks work on
 * (/var/task for the function; /opt for layers, later). Facts only: the
 * checks draw the conclusions.
 *
 * A container image is one input whose members are the files of its task root, /opt and
 * its Python's site-packages, at their paths in the image ("var/task/app.py"); the rest of
 * its files that the loader may open (libraries, links, the C library) are its system
 * members (img->sys), which lookups find and checks never iterate.
 *
 * Ownership: struct image owns its inputs, members, system members, distributions and all
 * their strings and elfinfo structs; image_release() frees them all (a
 * zeroed struct is valid). Members point at distributions of the same image
 * (borrowed).
 */
#ifndef ANALYZER_IMAGE_H
#define ANALYZER_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "container.h"
#include "elfinfo.h"
#include "npmpkg.h"
#include "pyname.h"
#include "pysource.h"
#include "strmap.h"
#include "strvec.h"

/* What a member is to Python and to the loader, from its path and content. */
enum member_role {
    ROLE_OTHER = 0,
    ROLE_EXTENSION, /* an importable extension module */
    ROLE_LIBRARY,   /* a shared library, loaded through DT_NEEDED or dlopen */
    ROLE_EXECUTABLE,
    ROLE_OTHER_ELF, /* relocatable object, core file, ... */
    ROLE_PYC,
    ROLE_DISTINFO, /* a file in *.dist-info or *.egg-info */
    ROLE_ADDON,    /* a Node.js addon: a file named *.node, which require() dlopen()s */
};

/* What the first bytes say. */
enum content_kind {
    CONTENT_UNREAD = 0, /* not looked at (its role needs no bytes) */
    CONTENT_EMPTY,
    CONTENT_ELF,
    CONTENT_MACHO,
    CONTENT_PE,
    CONTENT_PYC,
    CONTENT_TEXT,
    CONTENT_DATA,
};

struct distribution {
    char *name; /* from METADATA/PKG-INFO Name:, else the directory name */
    char *version;
    char *root;     /* the directory holding the .dist-info ("" at the bundle root) */
    char *info_dir; /* "pandas-0.22.0.dist-info" */
    size_t input;
    struct strvec files;     /* RECORD paths, relative to root */
    struct strvec top_level; /* top_level.txt, or the normalised name */
    struct strvec wheel_tags;
    bool purelib; /* WHEEL says Root-Is-Purelib: true */
};

struct member {
    char *path;            /* relative to its input's root; invalid UTF-8 written as \xNN */
    char *raw_path;        /* the name's own bytes when they are not UTF-8, else NULL */
    char *abs;             /* where Lambda puts it: /var/task/<path>, or /opt/<path> for a layer */
    size_t site_off;       /* path + site_off is the path below the sys.path entry holding it */
    bool on_site;          /* under a sys.path entry at all (a layer's lib/, bin/ are not) */
    size_t off_tree;       /* a function's member in a tree Python never searches (a
                        * site-packages zipped as it is, a layer's python/): that tree's
                        * length in path; 0 when there is none */
    int site_minor;        /* N of a layer's python/lib/python3.N/site-packages/, else -1 */
    struct strvec aliases; /* the links that resolve to this file (their paths) */
    char *link_target;     /* a symbolic link stored in a zip: where it points */
    size_t input;
    uint64_t size;
    uint64_t stored; /* bytes in the zip (compressed), else size */
    uint32_t crc;    /* CRC-32 of the content: a zip member's, or an ELF file's read whole */
    bool crc_known;
    enum member_role role;
    enum content_kind content;
    unsigned char head[4]; /* the first bytes, when read: all the content sniff needs */
    size_t head_len;
    struct pyext_name
        ext;      /* the file-name grammar's verdict (kind PYEXT_NONE if not a module name) */
    char *module; /* dotted import name for extension modules */
    struct elfinfo *elf;     /* when content is ELF */
    char *problem;           /* the member could not be read: why */
    struct strvec guards;    /* Python source: the extension modules beside it that it imports
                              * under a guard (pysource.h); empty for anything else */
    struct strvec unguarded; /* ... and those it imports without one */
    struct pysource *py;     /* a Python source on sys.path: its module-level imports (and,
                              * the handler's module, the names it binds); else NULL */
    const struct distribution *dist;
    const struct member *overwritten_by; /* a later layer's file at the same path in /opt,
                                          * which Lambda extracts over this one: NULL for a
                                          * file that is there (image_index()) */
    bool system; /* a system member of a container image (img->sys): the loader's */
    /* Its permission bits as the input stores them (a zip's Unix mode, an image layer's),
     * 0 when unknown (a directory: how it will be zipped is not known); mode_lost: a zip
     * member without a Unix mode, which Lambda extracts without an execute bit. */
    uint32_t mode;
    bool mode_lost;
    char *shebang; /* a bootstrap's '#!' line, as written (up to its newline), else NULL */
    struct npm_package *npm; /* a package.json of a Node.js package (its directory's), else
                              * NULL */
    bool js_fallback;        /* a package's index.js that calls node-gyp-build inside a try
                              * whose catch does not throw: it falls back to JavaScript */
};

enum input_role { INPUT_FUNCTION, INPUT_LAYER };

/* The most of a bootstrap's '#!' line read: the kernel reads at most 256 bytes of it
 * (BINPRM_BUF_SIZE), and a longer line is not an interpreter a runtime has. */
#define SHEBANG_MAX 256

/** Whether m is where an OS-only runtime looks for its entry point: /var/task/bootstrap or
 * /opt/bootstrap (doc/sources.md#os-only-runtimes). */
bool image_is_bootstrap(const struct member *m);

struct image_input {
    char *name;               /* as given on the command line */
    size_t view;              /* the function whose /var/task + /opt this input is part of: its
                           * own index, or, for a --layer, its function's */
    const char *role_why;     /* why it is checked in its role (static text) */
    bool tell_role;           /* a guess worth saying first in text (a function with a python/) */
    bool python_package;      /* a function with python/__init__.py: python/ is a package */
    size_t wrapper;           /* a function whose one top-level directory X/ holds everything:
                           * X's length (its files are below no sys.path entry), else 0 */
    char *handler;            /* the handler's module, when the bundle says (image_handler()) */
    char *declared;           /* the handler as the function's configuration says it,
                           * MODULE.FUNCTION (--handler, a template's Handler), else NULL */
    const char *declared_why; /* where it was said (static) */
    const char *kind;         /* "zip", "directory", "file" (static) */
    bool zipped;              /* one zip file: file_size is what a direct upload sends */
    enum input_role role;
    uint64_t file_size;
    bool zip_estimated;          /* a directory whose members' stored bytes are what zip -r
                                  * would make of them (scan_opts.estimate_zip) */
    size_t entries;              /* entries listed, directories included */
    size_t dirs;                 /* of them, directories (zip -r stores an entry for each) */
    uint64_t dir_names;          /* the bytes of their names, a '/' after each */
    struct strvec notes;         /* remarks on the input as a whole */
    struct container *container; /* a container image: what it says of itself, else NULL */
};

/* One file of the Lambda filesystem view, by absolute path (see image_index()). */
struct image_file {
    const char *abs;
    const struct member *m;
    size_t view;
};

struct image {
    struct image_input *inputs;
    size_t inputs_nr, inputs_alloc;
    struct member *members;
    size_t nr, alloc;
    struct distribution *dists;
    size_t dists_nr, dists_alloc;
    struct strmap dist_by_dir; /* "<input>:<dir>" -> index + 1 in dists */
    struct image_file *files;  /* sorted by abs; for a path in several layers, the last layer's */
    size_t files_nr;
    size_t links;       /* files that are symbolic links (none: a path is looked up as it is) */
    struct member *sys; /* the system members of container images (member.system) */
    size_t sys_nr, sys_alloc;
};

/**
 * Add a member of input; sets abs and the sys.path placement from the input's role (for a
 * container image, from where path sits in it: a system file goes to img->sys).
 */
struct member *image_add_member(struct image *img, size_t input, const char *path);

/**
 * A member of a container image that stands for the image itself (a layer it could not
 * apply, a name no layer may hold: input/bundle.h image_level): checked, on no sys.path.
 */
struct member *image_add_image_level(struct image *img, size_t input, const char *path);

/** Whether a file of a container image at path (relative to its root) is a system file. */
bool image_is_system_path(const struct image *img, size_t input, const char *path);
struct distribution *image_add_dist(struct image *img);
void image_release(struct image *img);

/** True when m sits below a sys.path entry that python<major>.<minor> has. */
bool image_on_sys_path(const struct member *m, int major, int minor);

/**
 * Build the filesystem views once all inputs are read: for each function, /var/task from
 * it and /opt from its layers merged in order, the later layer winning
 * (doc/sources.md#environment-and-filesystem). A layer given as a bundle of its own is a
 * view of its own: /opt under an empty function.
 */
void image_index(struct image *img);

/**
 * The member at an absolute path as the function bundle `view` (its input index) sees
 * it: /var/task is that bundle, /opt its layers (for an image, the image). Symbolic links
 * are followed on the whole path, a link to a directory on the way too (up to 16). NULL
 * when nothing of the bundle is there.
 */
const struct member *image_lookup(const struct image *img, size_t view, const char *abs);

/** Whether view has any file below the absolute directory abs (a namespace package). */
bool image_has_below(const struct image *img, size_t view, const char *abs);

/* What one input holds, counted. */
struct image_counts {
    size_t members, elf_objects, extensions, distributions;
};

/** Count the members, ELF objects, extension modules and distributions of one input. */
void image_count(const struct image *img, size_t input, struct image_counts *out);

/** "function" or "layer". */
const char *image_role_name(enum input_role role);

/**
 * A member of view (the function and its layers) that ld.so could load as soname: named
 * so, or an ELF object with that DT_SONAME; NULL when there is none. For messages only:
 * whether ld.so finds it is the loader's question.
 */
const struct member *image_find_library(const struct image *img, size_t view, const char *soname);

/**
 * The handler's module as Lambda names it in an import error: lambda_function when the
 * view's /var/task has lambda_function.py (Lambda's default handler,
 * lambda_function.lambda_handler), else its only top-level .py file, else the default.
 */
const char *image_handler(const struct image *img, size_t view);

/** The view m is seen in (the index of the input that heads it). */
size_t image_view_of(const struct image *img, const struct member *m);

#endif
