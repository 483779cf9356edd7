/* SPDX-License-Identifier: MIT */
/*
 * What the JSON and JSON Lines emitters share: the objects both write (a target, an input,
 * a finding, a matrix), built the same way, so that a line of --format jsonl holds what
 * the input's entry and findings hold in --format json. Private to report/.
 *
 * Ownership: every function returns a fresh cJSON tree the caller owns (or adds to one).
 */
#ifndef ANALYZER_REPORT_INT_H
#define ANALYZER_REPORT_INT_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "report.h"

/** A string from a bundle, made valid UTF-8 (NULL: null). */
void rjson_add_str(cJSON *obj, const char *key, const char *value);
void rjson_add_num(cJSON *obj, const char *key, double value);

/** {runtime, arch, profile, python, os}, all null for no profile. */
cJSON *rjson_target(const struct profile *p);

/** The compatibility rows. */
cJSON *rjson_matrix(const struct report_verdict *rows, size_t nr);

/** The fields of input i's entry, added to o (inputs[] of the report, a line of jsonl). */
void rjson_input_into(cJSON *o, const struct report *r, size_t i);

/** A finding; id >= 0: its place in the findings array written ("id") and its cause's in
 * the causes array ("cause", null when < 0); id < 0: neither (a suppressed finding). */
cJSON *rjson_finding(const struct report *r, const struct finding *f, long id, long cause);

/** The causes of inputs [from, to): each with its title, counts, fix and its findings'
 * ids (their places in rjson_findings' array of the same inputs). */
cJSON *rjson_causes(const struct report *r, size_t from, size_t to);

/** The cause of each finding of r (causes_index(): an index into r->causes), made once per
 * report for rjson_findings(); NULL when r has no causes. Caller frees. */
size_t *rjson_cause_of(const struct report *r);

/** The findings of inputs [from, to) (cause_of: rjson_cause_of(r)), and (when gated) those
 * set aside, with why. */
cJSON *rjson_findings(const struct report *r, size_t from, size_t to, const size_t *cause_of);
cJSON *rjson_suppressed(const struct report *r, size_t from, size_t to);

/** Input h's size plan (r->inputs[h].size, not NULL), for its entry. */
cJSON *rjson_size(const struct report *r, size_t h);

#define RTEXT_RESET "\033[0m"
#define RTEXT_BOLD "\033[1m"

/** Write s as text a terminal cannot be driven by: control characters and invalid UTF-8
 * from the bundle come out as \xNN. */
void rtext_put(FILE *out, const char *s);

/** The findings shown (errors, warnings; notes with -v) of inputs [from, to), by cause:
 * each cause's title, a few of its findings (-v: all), its one fix. Returns how many notes
 * were not shown. */
size_t rtext_causes(FILE *out, const struct report *r, size_t from, size_t to);

/** Input h's size plan as text, when it has one. */
void rtext_size(FILE *out, const struct report *r, size_t h);

/**
 * Write s as XML 1.0 character data (attr: an attribute value, quotes and TAB, LF, CR as
 * references); bytes XML cannot carry are written as \xNN. The one escaper of the XML
 * formats (JUnit, the SVG treemap), CONTRIBUTING.md#house-rules (escaping).
 */
void rxml_put(FILE *out, const char *s, bool attr);

/** A debug item's strip command, its path a shell word ("./" before a path that starts
 * with '-', so that it is no option); NULL when no command line carries its path. */
char *rstrip_command(const struct size_item *it);

/** Whether a and b are the same text, or both NULL: two causes' fixes (command, note) that
 * are the same fix are said once. */
bool report_same_text(const char *a, const char *b);

/** Print the tree (formatted, or on one line), then a newline; frees it. */
int rjson_print(FILE *out, cJSON *root, bool one_line, struct diag *d);

#endif
