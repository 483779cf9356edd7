/* SPDX-License-Identifier: MIT */
/*
 * The fixes the checks advise, written to work when pasted: the pip command that
 * reinstalls a member's distribution for the target runtime (every manylinux platform
 * the target's glibc runs, the name pip finds wheels under, a pin only where the metadata
 * can be trusted), the words for a distribution the bundle does not name, and the chmod
 * that gives a zip's member back its execute bit.
 *
 * Ownership: returned strings are fresh; the caller frees them.
 */
#ifndef ANALYZER_ADVICE_H
#define ANALYZER_ADVICE_H

#include "check.h"

/**
 * "pip install --platform manylinux_2_34_x86_64 ... --implementation cp --python-version
 * 3.12 --only-binary=:all: --target ./package numpy==1.24.2", one line a POSIX shell runs
 * as it is (every value from the bundle's metadata or paths one shell word); "-r
 * requirements.txt" for a member no distribution owns; NULL when a value cannot be a word
 * on one line (a newline in a name). *note: the words the command cannot say (what to do
 * when the pinned release has no wheel for the target's Python, why the name changes), or
 * NULL; fresh.
 */
char *advice_pip(const struct check_ctx *ctx, const struct member *m, char **note);

/** "numpy==1.24.2", "kiwisolver" (a version that cannot be pinned), or words for none. */
char *advice_requirement(const struct check_ctx *ctx, const struct distribution *dist);

/* The fix of a member a zip stores without an execute bit, or with no Unix mode at all (a
 * zip made on Windows): chmod it, and put it back in the zip with its mode. */
struct advice_exec_bit {
    char found[32];      /* "mode 0644", or "no Unix mode" */
    const char *command; /* "chmod 755 {path} && zip -X {zip} {path}" (a check's template) */
    char *note;          /* where to run it and how to zip; fresh */
};

/**
 * Fill out for m. tool: a tool that stores the mode, said as another way ("sam build"), or
 * NULL. The caller frees out->note.
 */
void advice_exec_bit(const struct member *m, const char *tool, struct advice_exec_bit *out);

/* The tool that installs the bundle's distributions: the rebuild is written in it. */
enum installer_kind {
    INSTALLER_PIP,
    INSTALLER_UV,
    INSTALLER_POETRY,
    INSTALLER_PIPENV,
    INSTALLER_SAM
};

struct installer {
    enum installer_kind kind;
    const char *why; /* "uv.lock beside the bundle", ".abiscan.yaml", or NULL (the default) */
};

/** The installer named name ("pip", "uv", "poetry", "pipenv", "sam"), or -1. */
int installer_parse(const char *name);

/** "pip", "uv" ... */
const char *installer_name(enum installer_kind k);

/**
 * The one command that rebuilds the whole bundle for the target from wheels, in the user's
 * installer: "pip install --platform ... --python-version 3.9 --only-binary=:all: --target
 * package -r requirements.txt", uv's "uv pip install --python-platform
 * x86_64-manylinux_2_26 ...", Poetry's and Pipenv's export into it, "sam build
 * --use-container". layer: the packages go in python/ (a layer's), not package/. *note: what
 * it does and what to do for a distribution with no wheel; fresh. NULL when p has no Python.
 */
char *advice_rebuild(const struct profile *p, bool layer, const struct installer *in, char **note);

#endif
