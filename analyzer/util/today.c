/* SPDX-License-Identifier: MIT */
/* Today's date: SOURCE_DATE_EPOCH when set, else the clock; UTC. */
#include "today.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

void today_iso(char out[11])
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    time_t now = time(NULL);
    struct tm tm;

    if (env && *env) {
        char *end;
        long long v;
        errno = 0;
        v = strtoll(env, &end, 10);
        if (!errno && !*end && v >= 0) {
            now = (time_t)v;
        }
    }
    if (!gmtime_r(&now, &tm) || !strftime(out, 11, "%Y-%m-%d", &tm)) {
        out[0] = '\0';
    }
}
