/* SPDX-License-Identifier: MIT */
/*
 * Findings: what a check concluded about one member, already rendered for
 * every output format.
 *
 * Ownership: a struct finding owns all its strings; its rule pointer is
 * borrowed from the ruleset, which must outlive it. struct findings owns its
 * items; findings_release() frees them all (a zeroed struct is valid).
 */
#ifndef ANALYZER_FINDING_H
#define ANALYZER_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "severity.h"
#include "strvec.h"

struct rule;

/* What a file Python never opens under its name would also fail on, renamed or rebuilt as it
 * is: another rule's finding about it, folded into the finding that says why. */
struct finding_also {
    const struct rule *rule;
    enum severity severity;
    char *expected; /* may be NULL */
    char *found;    /* may be NULL */
    char *message;
};

struct finding {
    const struct rule *rule;
    enum severity severity;
    size_t input;          /* index of the input it was found in */
    char *path;            /* member path relative to the input's root (valid UTF-8) */
    char *path_bytes;      /* hex of the name's own bytes when they are not UTF-8, else NULL */
    struct strvec aliases; /* other names of the same file (links to it) */
    char *dist_name;       /* NULL when the member belongs to no known distribution */
    char *dist_version;
    char *expected;
    char *found;
    char *message;
    char *lambda_error; /* NULL when the rule has none */
    /* The fix as data: one line a POSIX shell runs as it is, every value the bundle chose in
     * it quoted (NULL: a fix that is only words), and the words (NULL when none). */
    char *fix_command;
    char *fix_note;
    struct finding_also *also; /* folded findings of a never-opened file (its reason's) */
    size_t also_nr, also_alloc;
    bool rebuild;  /* rebuilding the bundle for the target from wheels removes it: its fix is
                    * the distribution's reinstall ({pip_install}) under its own name */
    bool unopened; /* about a file Python never opens under its name: folded into its reason */
    struct strvec chain; /* an import that fails: the modules from the handler's to the missing
                          * one (module-not-found); empty for every other finding */
};

struct findings {
    struct finding *items;
    size_t nr, alloc;
};

/** Append a zeroed finding and return it for the caller to fill (strings owned by it). */
struct finding *findings_push(struct findings *fs);

/** Sort by input, path, rule id, found: output never depends on read order. */
void findings_sort(struct findings *fs);

/** How many findings are of severity sev. */
size_t findings_count(const struct findings *fs, enum severity sev);

/** Free what one finding owns (findings_release frees them all). */
void finding_release(struct finding *f);

/**
 * Fold the findings of [from, nr) about files Python never opens (f->unopened) into the
 * finding that says why (another finding about the same file), as its also[]: a file gets
 * one finding, its reason, and accepting that accepts the file. An unopened finding with no
 * reason beside it stays, its unopened flag set (the caller words it).
 */
void findings_fold_unopened(struct findings *fs, size_t from);

/** What f would also fail on, in one line ("renamed or rebuilt as it is, it would also fail:
 * needed-not-found (libyaml-0.so.2), glibc-too-new (GLIBC_2.34)"), for every format; NULL
 * when nothing is folded into it. The caller frees it. */
char *finding_also_words(const struct finding *f);

void findings_release(struct findings *fs);

#endif
