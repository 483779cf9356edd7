/* SPDX-License-Identifier: MIT */
/*
 * Python-specific classification: what a member is (extension module,
 * bundled library, executable, bytecode, metadata), from its path, its first
 * bytes and, for ELF objects, its facts.
 *
 * Ownership: functions here fill fields of a caller-owned struct member;
 * strings they set belong to the member.
 */
#ifndef ANALYZER_PYCLASS_H
#define ANALYZER_PYCLASS_H

#include <stdbool.h>
#include <stddef.h>

#include "image.h"
#include "pyname.h"

/** The content kind from a member's first bytes. */
enum content_kind pyclass_content(const unsigned char *head, size_t len);

/** True when the path's role needs no bytes at all (Python source, text, data files). */
bool pyclass_skip_content(const char *path);

/** True for a name ld.so would load as a shared object: "*.so" or "*.so.N...". */
bool pyclass_shared_object_name(const char *basename);

/** True for a file that belongs to a *.dist-info or *.egg-info directory. */
bool pyclass_in_distinfo(const char *path);

/**
 * Set m->role, m->ext and m->module from m->path, m->content and m->elf.
 * g is the file-name grammar.
 */
void pyclass_classify(struct member *m, const struct pyname *g);

/** "ELF", "Mach-O", "PE", ... */
const char *pyclass_content_name(enum content_kind kind);

#endif
