/* SPDX-License-Identifier: MIT */
/* The Stable ABI table: symbol -> version that added it, searched with bsearch. */
#include "stableabi.h"

#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "xalloc.h"

struct pair {
    const char *name, *added;
};

static int cmp_pair(const void *a, const void *b)
{
    return strcmp(((const struct pair *)a)->name, ((const struct pair *)b)->name);
}

int stableabi_load(struct stable_abi *out, const struct datasrc *src, struct diag *d)
{
    char *path = xasprintf("%s/stable_abi.json", src->dir);
    cJSON *root = NULL;
    const cJSON *item;
    struct pair *pairs = NULL;
    size_t nr = 0;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if (jsonread_data(&root, src, "stable_abi.json", "stable_abi.schema.json", d) != 0) {
        goto out;
    }
    pairs = xcalloc((size_t)cJSON_GetArraySize(jsonread_at(root, "symbols")) + 1, sizeof(*pairs));
    cJSON_ArrayForEach(item, jsonread_at(root, "symbols"))
    {
        pairs[nr++] = (struct pair){item->string, item->valuestring};
    }
    qsort(pairs, nr, sizeof(*pairs), cmp_pair);
    for (size_t i = 0; i < nr; i++) {
        strvec_push(&out->names, pairs[i].name);
        strvec_push(&out->added, pairs[i].added);
    }
    rc = 0;
out:
    free(pairs);
    cJSON_Delete(root);
    free(path);
    return rc;
}

static int cmp_name(const void *key, const void *elem)
{
    return strcmp(key, *(char *const *)elem);
}

const char *stableabi_added(const struct stable_abi *t, const char *sym)
{
    char **hit =
        t->names.nr ? bsearch(sym, t->names.v, t->names.nr, sizeof(char *), cmp_name) : NULL;
    return hit ? t->added.v[hit - t->names.v] : NULL;
}

void stableabi_release(struct stable_abi *t)
{
    strvec_release(&t->names);
    strvec_release(&t->added);
}
