/* SPDX-License-Identifier: MIT */
/* The command table: which command the options ask for, and the data every command reads. */
#include "command.h"

#include <stdbool.h>

#include "checks.h"
#include "report_files.h"
#include "diag.h"
#include "xalloc.h"

static bool wants_list_runtimes(const struct options *o)
{
    return o->list_runtimes;
}

static bool wants_list_rules(const struct options *o)
{
    return o->list_rules;
}

static bool wants_explain(const struct options *o)
{
    return o->explain != NULL;
}

/* In order: the first whose wants() holds runs; the last row is the default. */
static const struct command {
    const char *name;
    bool (*wants)(const struct options *o);
    int (*run)(const struct options *o, const struct datadir *dd, struct diag *d);
} commands[] = {
    {"list-runtimes", wants_list_runtimes, cmd_list_runtimes},
    {"list-rules", wants_list_rules, cmd_list_rules},
    {"explain", wants_explain, cmd_explain},
    {"check", NULL, cmd_check},
};

int command_run(const struct options *o, struct diag *d)
{
    const struct command *c = &commands[ARRAY_SIZE(commands) - 1];
    struct datadir dd;
    int code = ABISCAN_EXIT_TROUBLE;

    for (size_t i = 0; i + 1 < ARRAY_SIZE(commands); i++) {
        if (commands[i].wants(o)) {
            c = &commands[i];
            break;
        }
    }
    if (report_files_check(o, d) != 0) {
        return code;
    }
    if (datadir_load(&dd, o->rules_dir, d) != 0) {
        report_files_remove_stale(o);
        return code;
    }
    if (checks_verify(&dd.rules, d) == 0) {
        code = c->run(o, &dd, d);
    } else {
        report_files_remove_stale(o);
    }
    /* The commands that need no bundle write no report: a failure of theirs leaves none. */
    if (code == ABISCAN_EXIT_TROUBLE && c->run != cmd_check) {
        report_files_remove_stale(o);
    }
    datadir_release(&dd);
    return code;
}
