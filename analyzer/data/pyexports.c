/* SPDX-License-Identifier: MIT */
/* The C API each CPython exports: symbol -> a bit per minor version, searched with bsearch. */
#include "pyexports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "xalloc.h"

#define MAX_MINOR 63 /* one bit each of a uint64_t */

struct pair {
    const char *name;
    uint64_t minors;
};

static int cmp_pair(const void *a, const void *b)
{
    return strcmp(((const struct pair *)a)->name, ((const struct pair *)b)->name);
}

/* "3.12" -> 12; -1 when it is no "3.N" of a minor the table can hold. */
static int minor_of(const char *s, size_t len)
{
    int minor = 0;

    if (len < 3 || len > 4 || strncmp(s, "3.", 2) != 0) {
        return -1;
    }
    for (size_t i = 2; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        minor = minor * 10 + (s[i] - '0');
    }
    return minor <= MAX_MINOR ? minor : -1;
}

/* "3.6-3.8,3.10-3.13" -> the bits of 6, 7, 8, 10 ... 13; ranges ascending, each of known
 * versions. False when the text says anything else. */
static bool parse_ranges(const char *s, uint64_t known, uint64_t *out)
{
    int last = -1;

    *out = 0;
    while (*s) {
        const char *dash = strchr(s, '-'), *end;
        int first, to;
        if (!dash) {
            return false;
        }
        end = dash + 1 + strcspn(dash + 1, ",");
        first = minor_of(s, (size_t)(dash - s));
        to = minor_of(dash + 1, (size_t)(end - dash - 1));
        if (first < 0 || to < first || first <= last) {
            return false;
        }
        for (int m = first; m <= to; m++) {
            if (!(known >> m & 1)) {
                return false;
            }
            *out |= (uint64_t)1 << m;
        }
        last = to;
        s = *end ? end + 1 : end;
        if (*end && !*s) {
            return false; /* a trailing comma */
        }
    }
    return *out != 0;
}

int pyexports_load(struct py_exports *out, const struct datasrc *src, struct diag *d)
{
    cJSON *root = NULL;
    const cJSON *item;
    struct pair *pairs = NULL;
    size_t nr = 0;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (jsonread_data(&root, src, "python_exports.json", "python_exports.schema.json", d) != 0) {
        goto out;
    }
    cJSON_ArrayForEach(item, jsonread_at(root, "builds"))
    {
        int m = minor_of(item->string, strlen(item->string));
        if (m < 0) {
            diag_set(d, DIAG_DATA, "%s/python_exports.json: builds.%s: not a version 3.N", src->dir,
                     item->string);
            goto out;
        }
        out->known |= (uint64_t)1 << m;
    }
    pairs = xcalloc((size_t)cJSON_GetArraySize(jsonread_at(root, "exports")) + 1, sizeof(*pairs));
    cJSON_ArrayForEach(item, jsonread_at(root, "exports"))
    {
        if (!cJSON_IsString(item) ||
            !parse_ranges(item->valuestring, out->known, &pairs[nr].minors)) {
            diag_set(d, DIAG_DATA,
                     "%s/python_exports.json: exports.%s: not ranges of the versions in builds",
                     src->dir, item->string);
            goto out;
        }
        pairs[nr++].name = item->string;
    }
    qsort(pairs, nr, sizeof(*pairs), cmp_pair);
    out->minors = xcalloc(nr + 1, sizeof(*out->minors));
    for (size_t i = 0; i < nr; i++) {
        strvec_push(&out->names, pairs[i].name);
        out->minors[i] = pairs[i].minors;
    }
    rc = 0;
out:
    if (rc) {
        pyexports_release(out);
    }
    free(pairs);
    cJSON_Delete(root);
    return rc;
}

bool pyexports_known(const struct py_exports *t, int major, int minor)
{
    return major == 3 && minor >= 0 && minor <= MAX_MINOR && (t->known >> minor & 1);
}

static int cmp_name(const void *key, const void *elem)
{
    return strcmp(key, *(char *const *)elem);
}

bool pyexports_has(const struct py_exports *t, const char *sym, int major, int minor)
{
    char **hit =
        t->names.nr ? bsearch(sym, t->names.v, t->names.nr, sizeof(char *), cmp_name) : NULL;
    return hit && pyexports_known(t, major, minor) && (t->minors[hit - t->names.v] >> minor & 1);
}

void pyexports_release(struct py_exports *t)
{
    strvec_release(&t->names);
    free(t->minors);
    memset(t, 0, sizeof(*t));
}
