/* SPDX-License-Identifier: MIT */
/* An input's role (function or layer), from what the command line says and what its top holds. */
#include <stdint.h>
#include <string.h>

#include "bundle.h"
#include "path.h"
#include "pyclass.h"
#include "scan_int.h"
#include "xalloc.h"

/* What the top of a bundle says of its role. */
struct top_signs {
    bool outside;        /* an entry outside python/, lib/ and bin/ */
    bool function;       /* something only a function has at its top: a .py or .pyc file, a
                    * package (X/__init__.py), a dist-info directory */
    bool python;         /* python/ holds something (a module, a package, site-packages) */
    bool python_package; /* python/__init__.py: python/ is a package of a function's */
    bool native;         /* lib/ or bin/ holds a file */
    bool files;          /* any file at all */
    bool wrapped;        /* one top-level directory holds everything, and python/, lib/ or bin/ */
    size_t wrapper;      /* one top-level directory (not python/, lib/, bin/) holds everything,
                          * Python code among it: its name's length, else 0 */
};

static bool top_is(const char *p, size_t top, const char *dir)
{
    return top == strlen(dir) && !strncmp(p, dir, top);
}

static bool identifier(const char *p, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        char c = p[k];
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (k && c >= '0' && c <= '9'))) {
            return false;
        }
    }
    return n > 0;
}

static void read_top(const struct bundle_entry *entries, size_t nr, struct top_signs *s)
{
    static const char *const dirs[] = {"python", "lib", "bin"};

    const char *first = nr ? entries[0].path : "";
    size_t first_top = strcspn(first, "/");
    bool one_top = nr > 0, layer_dirs = false;

    memset(s, 0, sizeof(*s));
    for (size_t i = 0; i < nr; i++) {
        const char *p = entries[i].path;
        size_t top = strcspn(p, "/");
        bool inside = false, dir = entries[i].type == ENTRY_DIR;
        one_top &= top == first_top && !strncmp(p, first, top) && (p[top] == '/' || dir);
        if (one_top && p[top] == '/') {
            const char *sub = p + top + 1;
            size_t n = strcspn(sub, "/");
            layer_dirs |= sub[n] == '/' && (top_is(sub, n, "python") || top_is(sub, n, "lib") ||
                                            top_is(sub, n, "bin"));
        }
        for (size_t k = 0; k < ARRAY_SIZE(dirs); k++) {
            inside |= top_is(p, top, dirs[k]) && (p[top] == '/' || dir);
        }
        s->outside |= !inside;
        s->files |= !dir;
        if (top_is(p, top, "python") && p[top] == '/' && p[top + 1] && !dir) {
            s->python_package |= !strcmp(p + top + 1, "__init__.py");
            s->python = true;
        }
        s->native |= (top_is(p, top, "lib") || top_is(p, top, "bin")) && p[top] == '/' && !dir;
        if (dir || s->function) {
            continue;
        }
        if (!p[top] && (path_has_suffix(p, ".py") || path_has_suffix(p, ".pyc"))) {
            s->function = true; /* a handler at the top */
        } else if (p[top] == '/' && (!strcmp(p + top, "/__init__.py") ||
                                     (top > 10 && !strncmp(p + top - 10, ".dist-info", 10)))) {
            s->function = true; /* a package or a distribution: /var/task is on sys.path */
        } else if (p[top] == '/' && !strchr(p + top + 1, '/') && !inside &&
                   (path_has_suffix(p, ".py") || strstr(p + top, ".cpython-") ||
                    path_has_suffix(p, ".abi3.so"))) {
            s->function = true; /* modules in a top-level directory: a namespace package */
        }
    }
    s->wrapped = one_top && layer_dirs && !top_is(first, first_top, "python") &&
                 !top_is(first, first_top, "lib") && !top_is(first, first_top, "bin");
    /* A wrapper, not a package: a name no import statement can spell ("psycopg2-compiled",
     * "my.function"), holding code. A bundle of one package (numpy/) is not one. */
    if (one_top && !layer_dirs && !identifier(first, first_top)) {
        for (size_t i = 0; i < nr && !s->wrapper; i++) {
            const char *p = entries[i].path;
            if (entries[i].type != ENTRY_DIR &&
                (path_has_suffix(p, ".py") || pyclass_shared_object_name(path_base(p)))) {
                s->wrapper = first_top;
            }
        }
    }
}

/* A layer by content: everything under python/, lib/ or bin/, the directories Lambda puts on
 * sys.path, LD_LIBRARY_PATH and PATH from /opt ([aws-layers]); or a python/ with content and
 * nothing at the top that a function has: a layer that brings directories of its own (an
 * ODBC driver in microsoft/, an odbc.ini that /opt's ODBCSYSINI reads). */
static bool looks_like_layer(const struct top_signs *s)
{
    return s->files && !s->function && !s->python_package &&
           (!s->outside || s->python || s->native || s->wrapped);
}

/* The most recent function input: the one a --layer belongs to. */
size_t scan_last_function(const struct image *img)
{
    for (size_t i = img->inputs_nr; i-- > 0;) {
        if (img->inputs[i].role == INPUT_FUNCTION) {
            return i;
        }
    }
    return SIZE_MAX;
}

void scan_set_role(struct image *img, struct image_input *in, size_t input, enum scan_as as,
                   const struct bundle_entry *entries, size_t nr)
{
    struct top_signs top;

    read_top(entries, nr, &top);

    in->view = input;
    switch (as) {
    case SCAN_LAYER_OF:
        in->role = INPUT_LAYER;
        in->view = scan_last_function(img);
        in->role_why = "given with --layer";
        break;
    case SCAN_LAYER:
        in->role = INPUT_LAYER;
        in->role_why = "--role layer: checked as Lambda mounts it at /opt, under an empty function";
        break;
    case SCAN_FUNCTION:
        in->role = INPUT_FUNCTION;
        in->role_why = "--role function";
        break;
    case SCAN_HOST:
        in->role = INPUT_FUNCTION;
        in->role_why = "the function bundle its --layer options belong to";
        break;
    case SCAN_GUESS:
        if (looks_like_layer(&top)) {
            in->role = INPUT_LAYER;
            in->role_why =
                top.wrapped   ? "a layer by its content, zipped one directory too deep (its "
                                "python/, lib/ or bin/ sit in a directory of their own): checked "
                                "as Lambda mounts it at /opt, under an empty function; --role "
                                "function checks it as a function"
                : top.outside ? "a layer by its content (python/, lib/ or bin/ hold its files, "
                                "and nothing at its top is a function's): checked as Lambda "
                                "mounts it at /opt, under an empty function; --role function "
                                "checks it as a function"
                              : "a layer by its content (everything sits under python/, lib/ "
                                "or bin/): checked as Lambda mounts it at /opt, under an empty "
                                "function; --role function checks it as a function";
        } else {
            in->role = INPUT_FUNCTION;
            in->role_why = "a function bundle";
            if (top.python && !top.python_package) {
                /* A function that also holds a layer's python/: say why it is a function. */
                in->tell_role = true;
                in->role_why = "a function bundle (it has a handler, a package or a "
                               "dist-info at its top), though its python/ is laid out as a "
                               "layer's: --role layer checks it as a layer";
            }
        }
        break;
    }
    /* A function zipped with its directory: /var/task/X/ holds everything, and /var/task/X is
     * on no sys.path entry (not-on-sys-path says so, once). */
    in->wrapper = in->role == INPUT_FUNCTION ? top.wrapper : 0;
}
