/* SPDX-License-Identifier: MIT */
/* The emitter registry, and counts the emitters share. */
#include "report.h"

#include <string.h>

#include "xalloc.h"

static const struct emitter emitters[] = {
    {"text", report_text},
    {"json", report_json},
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

const char *report_format_names(void)
{
    return "text|json";
}

void report_count(const struct report *r, size_t input, struct report_counts *out)
{
    const struct image *img = r->img;

    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < img->nr; i++) {
        const struct member *m = &img->members[i];
        if (m->input != input) {
            continue;
        }
        out->members++;
        out->elf_objects += m->elf != NULL;
        out->extensions += m->role == ROLE_EXTENSION;
    }
    for (size_t i = 0; i < img->dists_nr; i++) {
        out->distributions += img->dists[i].input == input;
    }
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
