/* SPDX-License-Identifier: MIT */
/* Suppressions and the baseline applied to a run's findings. */
#include "gate.h"

#include <stdlib.h>
#include <string.h>

#include "pathglob.h"
#include "rules.h"
#include "today.h"
#include "xalloc.h"

/* At most this many notes about baseline entries gone; the rest are counted. */
#define GATE_MAX_GONE_NOTES 20

int gate_today(long *out, struct diag *d)
{
    char iso[11];

    today_iso(iso); /* the one clock of the tool: SOURCE_DATE_EPOCH when set (util/today.h) */
    if ((*out = config_parse_day(iso)) < 0) {
        return diag_set(d, DIAG_USAGE, "cannot tell today's date ('%s')", iso);
    }
    return 0;
}

static void set_aside(struct gate *g, const struct finding *f, struct gate_mark mark)
{
    *findings_push(&g->suppressed) = *f; /* the strings move with it */
    ALLOC_GROW(g->marks, g->suppressed.nr, g->marks_alloc);
    g->marks[g->suppressed.nr - 1] = mark;
}

static bool expired(const struct config_suppression *s, long today)
{
    return s->until_day >= 0 && today > s->until_day;
}

static const struct config_suppression *match(const struct gate_rules *r, const struct finding *f,
                                              size_t *index)
{
    for (size_t i = 0; i < r->suppress_nr; i++) {
        const struct config_suppression *s = &r->suppress[i];
        if (!expired(s, r->today) && !strcmp(s->rule, f->rule->id) &&
            pathglob_match(s->path, f->path)) {
            *index = i;
            return s;
        }
    }
    return NULL;
}

static void say_unused(struct gate *g, const struct gate_rules *r, const size_t *hits)
{
    size_t gone = 0;

    for (size_t i = 0; i < r->suppress_nr; i++) {
        const struct config_suppression *s = &r->suppress[i];
        if (expired(s, r->today)) {
            strvec_push_nodup(&g->warnings,
                              xasprintf("%s: the suppression of %s in '%s' expired on %s: its "
                                        "findings count again (reason given: %s)",
                                        s->where, s->rule, s->path, s->until, s->reason));
        } else if (!hits[i]) {
            strvec_push_nodup(&g->notes, xasprintf("%s: the suppression of %s in '%s' matched "
                                                   "nothing",
                                                   s->where, s->rule, s->path));
        }
    }
    for (size_t i = 0; r->baseline && i < r->baseline->nr; i++) {
        const struct baseline_entry *e = &r->baseline->v[i];
        if (!e->seen && gone++ < GATE_MAX_GONE_NOTES) {
            strvec_push_nodup(&g->notes,
                              xasprintf("%s: %s %s in '%s' (%s) is no longer found",
                                        r->baseline->file, e->rule, e->slug, e->path, e->fact));
        }
    }
    if (gone > GATE_MAX_GONE_NOTES) {
        strvec_push_nodup(&g->notes, xasprintf("%s: and %zu more entries no longer found",
                                               r->baseline->file, gone - GATE_MAX_GONE_NOTES));
    }
}

void gate_apply_part(struct gate *g, struct findings *fs, const struct gate_rules *r, size_t *hits)
{
    size_t kept = 0;

    for (size_t i = 0; i < fs->nr; i++) {
        const struct finding *f = &fs->items[i];
        const struct config_suppression *s;
        size_t which = 0;
        if ((s = match(r, f, &which)) != NULL) {
            hits[which]++;
            set_aside(g, f, (struct gate_mark){"config", s->reason, s->where});
        } else if (r->baseline && baseline_match(r->baseline, f)) {
            set_aside(g, f, (struct gate_mark){"baseline", r->baseline->file, r->baseline->file});
        } else {
            fs->items[kept++] = *f;
        }
    }
    fs->nr = kept;
}

void gate_finish(struct gate *g, const struct gate_rules *r, const size_t *hits)
{
    say_unused(g, r, hits);
}

void gate_apply(struct gate *g, struct findings *fs, const struct gate_rules *r)
{
    size_t *hits = xcalloc(r->suppress_nr + 1, sizeof(*hits));

    gate_apply_part(g, fs, r, hits);
    gate_finish(g, r, hits);
    free(hits);
}

void gate_accept_all(struct gate *g, struct findings *fs, const char *kind, const char *reason,
                     const char *where)
{
    for (size_t i = 0; i < fs->nr; i++) {
        set_aside(g, &fs->items[i], (struct gate_mark){kind, reason, where});
    }
    fs->nr = 0;
}

void gate_release(struct gate *g)
{
    findings_release(&g->suppressed);
    free(g->marks);
    strvec_release(&g->notes);
    strvec_release(&g->warnings);
    memset(g, 0, sizeof(*g));
}
