/* SPDX-License-Identifier: MIT */
/* abiscan: check AWS Lambda Python bundles before they ship. main stays thin. */
#include <stdio.h>

#include <stdlib.h>

#include "options.h"
#include "diag.h"
#include "report.h"
#include "command.h"
#include "version.h"

int main(int argc, char **argv)
{
    struct options o;
    struct diag d = DIAG_INIT;
    int code = ABISCAN_EXIT_OK;

    /* libzip turns every entry's DOS time into a time_t with mktime(), and glibc's mktime,
     * when TZ is unset, stats /etc/localtime again on each call (two system calls per
     * entry: 200,000 for a zip of 100,000 entries, half the run) and rewrites its zone
     * name, under a lock ThreadSanitizer cannot see, from every thread that opens a zip.
     * The same zone, named once, is read once. */
    if (!getenv("TZ")) {
        setenv("TZ", ":/etc/localtime", 0);
    }
    switch (options_parse(&o, argc, argv, &d)) {
    case CLI_HELP: {
        char *formats = report_format_names(", ");
        options_print_help(stdout, formats);
        free(formats);
        break;
    }
    case CLI_VERSION:
        printf("%s %s\n", ABISCAN_NAME, ABISCAN_VERSION);
        break;
    case CLI_USAGE_ERROR:
        diag_print(&d);
        code = ABISCAN_EXIT_TROUBLE;
        break;
    case CLI_OK:
        code = command_run(&o, &d);
        if (code == ABISCAN_EXIT_TROUBLE && d.code != DIAG_OK) {
            diag_print(&d); /* inputs that could not be read were said as they were met */
        }
        break;
    }
    options_release(&o);
    return code;
}
