/* SPDX-License-Identifier: MIT */
/* abiscan-man: print the manual's OPTIONS section from the option table (tools/gen_man.py). */
#include <stdio.h>
#include <stdlib.h>

#include "options.h"
#include "report.h"

int main(void)
{
    char *formats = report_format_names(", ");

    options_print_man(stdout, formats);
    free(formats);
    return fflush(stdout) == 0 ? 0 : 1;
}
