/* SPDX-License-Identifier: MIT */
/* Error carrier: format into a fixed buffer, print once in main. */
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "version.h"

int diag_set(struct diag *d, enum diag_code code, const char *fmt, ...)
{
    va_list ap;

    if (!d) {
        return -1;
    }
    d->code = code;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    va_end(ap);
    return -1;
}

int diag_prefix(struct diag *d, const char *fmt, ...)
{
    char prefix[DIAG_MSG_MAX];
    char old[DIAG_MSG_MAX];
    va_list ap;

    if (!d) {
        return -1;
    }
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    memcpy(old, d->msg, sizeof(old));
    /* Truncation keeps the start of the message, the part that says what went wrong. */
    if (snprintf(d->msg, sizeof(d->msg), "%s: %s", prefix, old) >= (int)sizeof(d->msg)) {
        d->msg[sizeof(d->msg) - 1] = '\0';
    }
    return -1;
}

void diag_print(const struct diag *d)
{
    /* A path given on the command line may hold a newline or an escape: one line, always. */
    char *msg = utf8_escape(d->msg[0] ? d->msg : "unknown error", true);

    fprintf(stderr, "%s: %s\n", ABISCAN_NAME, msg);
    free(msg);
}

void diag_bug(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: BUG: %s:%d: ", ABISCAN_NAME, file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
