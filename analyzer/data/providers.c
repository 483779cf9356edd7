/* SPDX-License-Identifier: MIT */
/* Library providers: JSON in, validated, patterns compiled once. */
#include "providers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "regexp.h"
#include "xalloc.h"

static int load_row(struct provider *p, const cJSON *row, int i, bool lazy, struct diag *d)
{
    if (jsonread_str(&p->pattern, row, "pattern", d) ||
        jsonread_str(&p->package, row, "package", d) || jsonread_str(&p->hint, row, "hint", d) ||
        regexp_compile(&p->re, p->pattern, REGEXP_ANCHORED | (lazy ? REGEXP_LAZY : 0), d)) {
        return diag_prefix(d, "providers[%d]", i);
    }
    return 0;
}

int providers_load(struct providers *out, const struct datasrc *src, struct diag *d)
{
    char *path = xasprintf("%s/providers.json", src->dir);
    cJSON *root = NULL;
    const cJSON *row;
    int rc = -1, i = 0;

    memset(out, 0, sizeof(*out));
    if (jsonread_data(&root, src, "providers.json", "providers.schema.json", d) != 0) {
        goto out;
    }
    out->v =
        xcalloc((size_t)cJSON_GetArraySize(jsonread_at(root, "providers")) + 1, sizeof(*out->v));
    cJSON_ArrayForEach(row, jsonread_at(root, "providers"))
    {
        if (load_row(&out->v[out->nr++], row, i++, !src->validate, d) != 0) {
            diag_prefix(d, "%s", path);
            goto out;
        }
    }
    rc = 0;
out:
    if (rc) {
        providers_release(out);
    }
    cJSON_Delete(root);
    free(path);
    return rc;
}

const struct provider *providers_find(const struct providers *ps, const char *soname)
{
    for (size_t i = 0; i < ps->nr; i++) {
        if (regexp_test(ps->v[i].re, soname)) {
            return &ps->v[i];
        }
    }
    return NULL;
}

void providers_release(struct providers *ps)
{
    for (size_t i = 0; i < ps->nr; i++) {
        free(ps->v[i].pattern);
        regexp_free(ps->v[i].re);
        free(ps->v[i].package);
        free(ps->v[i].hint);
    }
    free(ps->v);
    memset(ps, 0, sizeof(*ps));
}
