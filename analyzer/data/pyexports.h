/* SPDX-License-Identifier: MIT */
/*
 * What each CPython minor version exports to extension modules (rules/python_exports.json,
 * read from real builds by tools/gen_python_exports.py): for every Py* / _Py* symbol, the
 * versions whose build defines it. Only the versions the file has a build of are known.
 *
 * Ownership: struct py_exports owns its strings; pyexports_release() frees them.
 */
#ifndef ANALYZER_PYEXPORTS_H
#define ANALYZER_PYEXPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "strvec.h"

struct datasrc;

struct py_exports {
    struct strvec names; /* sorted */
    uint64_t *minors;    /* parallel to names: bit N set when 3.N exports it */
    uint64_t known;      /* bit N set when the file has a build of 3.N */
};

int pyexports_load(struct py_exports *out, const struct datasrc *src, struct diag *d);

/** Whether the table has a build of major.minor: else nothing is known of what it exports. */
bool pyexports_known(const struct py_exports *t, int major, int minor);

/** Whether major.minor (a known version) exports sym. */
bool pyexports_has(const struct py_exports *t, const char *sym, int major, int minor);

void pyexports_release(struct py_exports *t);

#endif
