/* SPDX-License-Identifier: MIT */
/*
 * The image: every fact read from every input, the view the checks work on
 * (/var/task for the function; /opt for layers, later). Facts only: the
 * checks draw the conclusions.
 *
 * Ownership: struct image owns its inputs, members, distributions and all
 * their strings and elfinfo structs; image_release() frees them all (a
 * zeroed struct is valid). Members point at distributions of the same image
 * (borrowed).
 */
#ifndef ANALYZER_IMAGE_H
#define ANALYZER_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bundle.h"
#include "elfinfo.h"
#include "pyname.h"
#include "strvec.h"

/* What a member is to Python and to the loader, from its path and content. */
enum member_role {
    ROLE_OTHER = 0,
    ROLE_EXTENSION, /* an importable extension module */
    ROLE_LIBRARY,   /* a shared library, loaded through DT_NEEDED or dlopen */
    ROLE_EXECUTABLE,
    ROLE_OTHER_ELF, /* relocatable object, core file, ... */
    ROLE_PYC,
    ROLE_DISTINFO,  /* a file in *.dist-info or *.egg-info */
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
    char *name;     /* from METADATA/PKG-INFO Name:, else the directory name */
    char *version;
    char *root;     /* the directory holding the .dist-info ("" at the bundle root) */
    char *info_dir; /* "pandas-0.22.0.dist-info" */
    size_t input;
    struct strvec files;     /* RECORD paths, relative to root */
    struct strvec top_level; /* top_level.txt, or the normalised name */
    struct strvec wheel_tags;
};

struct member {
    char *path;     /* relative to its input's root */
    size_t input;
    uint64_t size;
    enum member_role role;
    enum content_kind content;
    unsigned char head[16]; /* the first bytes, when read */
    size_t head_len;
    struct pyext_name ext;  /* the file-name grammar's verdict (kind PYEXT_NONE if not a module name) */
    char *module;           /* dotted import name for extension modules */
    struct elfinfo *elf;    /* when content is ELF */
    char *problem;          /* the member could not be read: why */
    const struct distribution *dist;
};

enum input_role { INPUT_FUNCTION, INPUT_LAYER };

struct image_input {
    char *name;            /* as given on the command line */
    enum bundle_kind kind;
    enum input_role role;
    uint64_t file_size;
    size_t entries;        /* entries listed, directories included */
    struct strvec notes;   /* remarks on the input as a whole */
};

struct image {
    struct image_input *inputs;
    size_t inputs_nr, inputs_alloc;
    struct member *members;
    size_t nr, alloc;
    struct distribution *dists;
    size_t dists_nr, dists_alloc;
};

struct member *image_add_member(struct image *img, size_t input, const char *path);
struct distribution *image_add_dist(struct image *img);
void image_release(struct image *img);

/** Where Lambda puts a member: "/var/task/<path>" for the function, "/opt/<path>" for layers. */
char *image_abs_path(const struct image *img, const struct member *m);

#endif
