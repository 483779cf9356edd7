/* SPDX-License-Identifier: MIT */
/* Distribution names on PyPI: JSON in, validated, looked up by normalised name. */
#include "pypinames.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "xalloc.h"

int pypi_names_load(struct pypi_names *out, const struct datasrc *src, struct diag *d)
{
    char *path = xasprintf("%s/pypi_names.json", src->dir);
    cJSON *root = NULL;
    const cJSON *row;
    int rc = -1, i = 0;

    memset(out, 0, sizeof(*out));
    if (jsonread_data(&root, src, "pypi_names.json", "pypi_names.schema.json", d) != 0) {
        goto out;
    }
    out->v = xcalloc((size_t)cJSON_GetArraySize(jsonread_at(root, "names")) + 1, sizeof(*out->v));
    cJSON_ArrayForEach(row, jsonread_at(root, "names"))
    {
        struct pypi_name *n = &out->v[out->nr++];
        if (jsonread_str(&n->name, row, "name", d) || jsonread_str_opt(&n->use, row, "use", d) ||
            jsonread_str(&n->why, row, "why", d)) {
            diag_prefix(d, "%s: names[%d]", path, i);
            goto out;
        }
        i++;
    }
    rc = 0;
out:
    if (rc) {
        pypi_names_release(out);
    }
    cJSON_Delete(root);
    free(path);
    return rc;
}

/* PEP 503: runs of '-', '_' and '.' are one '-', and case does not count. */
static bool same_name(const char *a, const char *b)
{
    while (*a || *b) {
        bool sa = *a == '-' || *a == '_' || *a == '.', sb = *b == '-' || *b == '_' || *b == '.';
        if (sa && sb) {
            a += strspn(a, "-_.");
            b += strspn(b, "-_.");
            continue;
        }
        if (sa != sb || tolower((unsigned char)*a) != tolower((unsigned char)*b)) {
            return false;
        }
        a++;
        b++;
    }
    return true;
}

const struct pypi_name *pypi_names_find(const struct pypi_names *pn, const char *name)
{
    for (size_t i = 0; name && i < pn->nr; i++) {
        if (same_name(pn->v[i].name, name)) {
            return &pn->v[i];
        }
    }
    return NULL;
}

void pypi_names_release(struct pypi_names *pn)
{
    for (size_t i = 0; i < pn->nr; i++) {
        free(pn->v[i].name);
        free(pn->v[i].use);
        free(pn->v[i].why);
    }
    free(pn->v);
    memset(pn, 0, sizeof(*pn));
}
