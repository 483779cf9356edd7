/* SPDX-License-Identifier: MIT */
/* The size plan in words: its verdict and its one-line summary (sizeplan.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sizeplan.h"
#include "strvec.h"
#include "xalloc.h"

const char *sizeplan_verdict_text(enum size_verdict v)
{
    switch (v) {
    case SIZE_FITS:
        return "fits both limits";
    case SIZE_OVER_UNZIPPED:
        return "still over the unzipped limit";
    case SIZE_OVER_UPLOAD:
        return "within the unzipped limit, but a zip is over a direct upload's (S3 takes it)";
    case SIZE_UPLOAD_UNKNOWN:
        return "within the unzipped limit; the zip's bytes are not known";
    }
    return "?";
}

/* The zipped half of the summary: the largest zip after the plan against a direct
 * upload's limit (each zip is weighed on its own). */
static char *zip_clause(const struct size_plan *p)
{
    const struct size_upload *worst = NULL;
    bool unknown = false;

    for (size_t i = 0; i < p->uploads_nr; i++) {
        const struct size_upload *u = &p->uploads[i];
        unknown |= !u->known;
        if (u->known && (!worst || u->after > worst->after)) {
            worst = u;
        }
    }
    if (!worst) {
        return xstrdup(unknown && p->after <= p->limit
                           ? "; the zip's bytes are not known (--size estimates a directory's)"
                           : "");
    }
    if (worst->after > p->zipped_limit) {
        return xasprintf("; %s%s%llu bytes zipped, still over a direct upload's %llu by %llu "
                         "bytes: upload it through S3",
                         p->uploads_nr > 1 ? "the largest zip " : "",
                         worst->estimated ? "about " : "", (unsigned long long)worst->after,
                         (unsigned long long)p->zipped_limit,
                         (unsigned long long)(worst->after - p->zipped_limit));
    }
    return xasprintf("; %s%s%llu bytes zipped, within a direct upload's %llu%s",
                     p->uploads_nr > 1 ? "the largest zip " : "", worst->estimated ? "about " : "",
                     (unsigned long long)worst->after, (unsigned long long)p->zipped_limit,
                     unknown ? " (another's bytes are not known)" : "");
}

char *sizeplan_summary(const struct size_plan *p)
{
    char *choices = NULL, *zip = zip_clause(p), *out, *kinds_text;
    struct strvec parts = STRVEC_INIT;

    if (p->saving[SIZE_DUPLICATE] || p->saving[SIZE_PROVIDED]) {
        choices = xasprintf("; dropping the runtime's own packages (%llu bytes) and duplicate "
                            "libraries (%llu bytes) would leave %llu bytes unzipped",
                            (unsigned long long)p->saving[SIZE_PROVIDED],
                            (unsigned long long)p->saving[SIZE_DUPLICATE],
                            (unsigned long long)p->after_choices);
    }
    /* The removable kinds that save anything, each with its bytes. */
    for (size_t k = 0; k < SIZE_KIND_NR; k++) {
        if (sizeplan_kind_removable((enum size_kind)k) && p->saving[k]) {
            strvec_push_nodup(&parts,
                              xasprintf("%s %llu bytes", sizeplan_kind_name((enum size_kind)k),
                                        (unsigned long long)p->saving[k]));
        }
    }
    kinds_text = strvec_join(&parts, ", ");
    out = xasprintf("size plan: %llu bytes can be left out%s%s%s and strip saves %llu bytes; then "
                    "%llu bytes unzipped, %s%s%s",
                    (unsigned long long)p->removable, parts.nr ? " (" : "", kinds_text,
                    parts.nr ? ")" : "", (unsigned long long)p->saving[SIZE_DEBUG],
                    (unsigned long long)p->after,
                    p->fits_unzipped ? "within the unzipped limit" : "still over the limit", zip,
                    choices ? choices : "");
    strvec_release(&parts);
    free(kinds_text);
    free(zip);
    free(choices);
    return out;
}
