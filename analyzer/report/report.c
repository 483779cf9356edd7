/* SPDX-License-Identifier: MIT */
/* The emitter registry: the one list of output formats. */
#include "report.h"

#include <string.h>

#include "xalloc.h"

static const struct emitter emitters[] = {
#define EMITTER(name, help) {#name, help, report_##name},
#include "emitters.def"
#undef EMITTER
};

const struct emitter *report_emitter_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(emitters); i++) {
        if (!strcmp(emitters[i].name, name)) {
            return &emitters[i];
        }
    }
    return NULL;
}

char *report_format_names(const char *sep)
{
    struct strvec names = STRVEC_INIT;
    char *out;

    for (size_t i = 0; i < ARRAY_SIZE(emitters); i++) {
        strvec_push(&names, emitters[i].name);
    }
    out = strvec_join(&names, sep);
    strvec_release(&names);
    return out;
}

bool report_failed(const struct report *r)
{
    if (!r->profile) {
        for (size_t i = 0; i < r->matrix_nr; i++) {
            if (r->matrix[i].imports) {
                return false;
            }
        }
        return true;
    }
    return findings_count_at_least(r->findings, r->fail_on) > 0;
}
