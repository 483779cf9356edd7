/* SPDX-License-Identifier: MIT */
/* Severity names, written once. */
#include "severity.h"

#include <string.h>

#include "xalloc.h"

static const char *const severity_names[] = {
    [SEV_NOTE] = "note", [SEV_WARNING] = "warning", [SEV_ERROR] = "error", [SEV_NONE] = "none"};

const char *severity_name(enum severity sev)
{
    return (unsigned)sev < ARRAY_SIZE(severity_names) ? severity_names[sev] : "unknown";
}

int severity_parse(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(severity_names); i++) {
        if (!strcmp(name, severity_names[i])) {
            return (int)i;
        }
    }
    return SEV_NONE + 1;
}
