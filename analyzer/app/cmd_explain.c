/* SPDX-License-Identifier: MIT */
/* --explain RULE: the rule, by id or slug, with its example from the golden cases. */
#include <stdio.h>
#include <stdlib.h>

#include "command.h"
#include "report_catalog.h"
#include "rules.h"

int cmd_explain(const struct options *o, const struct datadir *dd, struct diag *d)
{
    const struct rule *rule = rules_find_name(&dd->rules, o->explain);
    struct diag ignored = DIAG_INIT;
    struct rule_fix fix;
    char *example;
    int rc;

    if (!rule) {
        char guess[160];
        if (rules_suggest(&dd->rules, o->explain, guess, sizeof(guess))) {
            diag_set(d, DIAG_USAGE, "unknown rule '%s': did you mean %s?", o->explain, guess);
        } else {
            diag_set(d, DIAG_USAGE, "unknown rule '%s' (see --list-rules)", o->explain);
        }
        return ABISCAN_EXIT_TROUBLE;
    }
    example = rules_example(dd->dir, rule, &fix, &ignored); /* a rule may have none yet */
    rc = report_catalog_rule(stdout, rule, example, &fix, d);
    free(example);
    free(fix.command);
    free(fix.note);
    return rc == 0 ? ABISCAN_EXIT_OK : ABISCAN_EXIT_TROUBLE;
}
