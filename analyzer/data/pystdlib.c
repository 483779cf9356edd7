/* SPDX-License-Identifier: MIT */
/* The standard library of each Python: JSON in, sorted lists, looked up by name. */
#include "pystdlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "xalloc.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool sorted_has(const struct strvec *sv, const char *name)
{
    return sv->nr && bsearch(&name, sv->v, sv->nr, sizeof(*sv->v), cmp_str) != NULL;
}

int stdlib_load(struct stdlib *out, const struct datasrc *src, struct diag *d)
{
    cJSON *root = NULL;
    const cJSON *row, *versions;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (jsonread_data(&root, src, "stdlib.json", "stdlib.schema.json", d) != 0) {
        goto out;
    }
    versions = jsonread_at(root, "versions");
    out->v = xcalloc((size_t)cJSON_GetArraySize(versions) + 1, sizeof(*out->v));
    cJSON_ArrayForEach(row, versions)
    {
        struct stdlib_version *v = &out->v[out->nr++];
        if (sscanf(row->string, "%d.%d", &v->major, &v->minor) != 2 ||
            jsonread_strv(&v->modules, row, "modules", d) != 0) {
            diag_set(d, DIAG_DATA, "stdlib.json: versions.%s: not a version's list", row->string);
            goto out;
        }
        strvec_sort(&v->modules);
    }
    out->removed = xcalloc((size_t)cJSON_GetArraySize(jsonread_at(root, "removed")) + 1,
                           sizeof(*out->removed));
    cJSON_ArrayForEach(row, jsonread_at(root, "removed"))
    {
        struct stdlib_removed *r = &out->removed[out->removed_nr++];
        char *in = NULL;
        if (jsonread_str(&r->module, row, "module", d) || jsonread_str(&in, row, "removed_in", d) ||
            jsonread_str_opt(&r->backport, row, "backport", d) ||
            jsonread_str_opt(&r->instead, row, "instead", d) ||
            sscanf(in, "%d.%d", &r->major, &r->minor) != 2) {
            free(in);
            diag_prefix(d, "stdlib.json: removed[%zu]", out->removed_nr - 1);
            goto out;
        }
        free(in);
    }
    if (jsonread_strv(&out->provided, root, "provided.modules", d) != 0) {
        goto out;
    }
    strvec_sort(&out->provided);
    rc = 0;
out:
    if (rc) {
        stdlib_release(out);
    }
    cJSON_Delete(root);
    return rc;
}

static const struct stdlib_version *version(const struct stdlib *s, int major, int minor)
{
    for (size_t i = 0; i < s->nr; i++) {
        if (s->v[i].major == major && s->v[i].minor == minor) {
            return &s->v[i];
        }
    }
    return NULL;
}

bool stdlib_knows(const struct stdlib *s, int major, int minor)
{
    return version(s, major, minor) != NULL;
}

bool stdlib_has(const struct stdlib *s, int major, int minor, const char *name)
{
    const struct stdlib_version *v = version(s, major, minor);

    return v && sorted_has(&v->modules, name);
}

const struct stdlib_removed *stdlib_removed_in(const struct stdlib *s, int major, int minor,
                                               const char *name)
{
    for (size_t i = 0; i < s->removed_nr; i++) {
        const struct stdlib_removed *r = &s->removed[i];
        if (!strcmp(r->module, name) &&
            (major > r->major || (major == r->major && minor >= r->minor)) &&
            !stdlib_has(s, major, minor, name)) {
            return r;
        }
    }
    return NULL;
}

bool stdlib_provided(const struct stdlib *s, const char *name)
{
    return sorted_has(&s->provided, name);
}

void stdlib_release(struct stdlib *s)
{
    for (size_t i = 0; i < s->nr; i++) {
        strvec_release(&s->v[i].modules);
    }
    free(s->v);
    for (size_t i = 0; i < s->removed_nr; i++) {
        free(s->removed[i].module);
        free(s->removed[i].backport);
        free(s->removed[i].instead);
    }
    free(s->removed);
    strvec_release(&s->provided);
    memset(s, 0, sizeof(*s));
}
