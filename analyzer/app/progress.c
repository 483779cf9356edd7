/* SPDX-License-Identifier: MIT */
/* One line of progress on a terminal's stderr, rewritten at most ten times a second. */
#include "progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "utf8.h"

#define PROGRESS_EVERY_MS 100
#define PROGRESS_NAME_MAX 48

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void progress_init(struct progress *p, FILE *out, size_t total, bool quiet)
{
    const char *delay = getenv("ABISCAN_PROGRESS_DELAY_MS");

    memset(p, 0, sizeof(*p));
    p->out = out;
    p->total = total;
    p->on = !quiet && total > 0 && isatty(fileno(out));
    p->delay_ms = delay && *delay ? atoll(delay) : 1000;
    p->start_ms = now_ms();
}

static void draw(struct progress *p, bool force)
{
    long long t = now_ms(), elapsed = t - p->start_ms;
    char *name;
    size_t n;

    if (!p->on || elapsed < p->delay_ms || (!force && t - p->last_ms < PROGRESS_EVERY_MS)) {
        return;
    }
    p->last_ms = t;
    name = utf8_escape(p->current ? p->current : "", true);
    n = strlen(name);
    fprintf(p->out, "\r\033[Kabiscan: %zu/%zu done", p->done, p->total);
    if (n) { /* the end of a long path says most: keep it */
        fprintf(p->out, ", %s%s", n > PROGRESS_NAME_MAX ? "..." : "",
                n > PROGRESS_NAME_MAX ? name + n - PROGRESS_NAME_MAX : name);
    }
    if (p->done) {
        long long left = elapsed * (long long)(p->total - p->done) / (long long)p->done / 1000;
        fprintf(p->out, ", about %lld:%02lld left", left / 60, left % 60);
    }
    fflush(p->out);
    p->shown = true;
    free(name);
}

void progress_started(struct progress *p, const char *name)
{
    p->current = name;
    draw(p, false);
}

void progress_done(struct progress *p)
{
    p->done++;
    draw(p, false);
}

void progress_end(struct progress *p)
{
    if (p->shown) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
    }
    p->shown = false;
    p->current = NULL;
}
