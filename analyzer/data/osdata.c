/* SPDX-License-Identifier: MIT */
/* Runtime OS library lists: JSON in, validated, patterns compiled once. */
#include "osdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonread.h"
#include "regexp.h"
#include "strmap.h"
#include "xalloc.h"

/* OS lists loaded one at a time (osdatas_load_id): rules/os/ holds three. */
#define OSDATA_IDS_MAX 64

/* Shipped data was tested: its patterns are compiled when first used; anyone else's now,
 * so that a bad one is an error at load. */
static struct regexp *compile(const char *pattern, const char *where, bool lazy, struct diag *d)
{
    struct regexp *re = NULL;

    if (regexp_compile(&re, pattern, REGEXP_ANCHORED | (lazy ? REGEXP_LAZY : 0), d) != 0) {
        diag_prefix(d, "%s", where);
    }
    return re;
}

static int load_lib(struct oslib *l, const cJSON *row, int i, bool lazy, struct diag *d)
{
    char *status = NULL, where[64];
    int rc = -1;

    snprintf(where, sizeof(where), "libraries[%d]", i);
    if (jsonread_str_opt(&l->soname, row, "soname", d) ||
        jsonread_str_opt(&l->pattern, row, "pattern", d) ||
        jsonread_str(&status, row, "status", d) || jsonread_str(&l->family, row, "family", d) ||
        jsonread_str(&l->source, row, "source", d) ||
        jsonread_str_opt(&l->confidence, row, "confidence", d)) {
        diag_prefix(d, "%s", where);
        goto out;
    }
    if (!l->soname == !l->pattern) {
        diag_set(d, DIAG_DATA, "%s: give exactly one of soname and pattern", where);
        goto out;
    }
    if (l->pattern && !(l->re = compile(l->pattern, where, lazy, d))) {
        goto out;
    }
    l->status = !strcmp(status, "present")  ? LIB_PRESENT
                : !strcmp(status, "absent") ? LIB_ABSENT
                                            : LIB_UNKNOWN;
    rc = 0;
out:
    free(status);
    return rc;
}

/* What a soname no row names is: a row of its own, with no name and no pattern. */
static int load_unlisted(struct oslib *l, const cJSON *obj, struct diag *d)
{
    char *status = NULL;

    if (!obj) {
        return diag_set(d, DIAG_DATA, "no 'unlisted'");
    }
    if (jsonread_str(&status, obj, "status", d) || jsonread_str(&l->says, obj, "says", d) ||
        jsonread_str(&l->source, obj, "source", d) ||
        jsonread_str_opt(&l->confidence, obj, "confidence", d)) {
        free(status);
        return diag_prefix(d, "unlisted");
    }
    l->status = !strcmp(status, "absent") ? LIB_ABSENT : LIB_UNKNOWN;
    l->family = xstrdup("system");
    free(status);
    return 0;
}

static int load_one(struct osdata *os, const char *path, const cJSON *schema, struct diag *d)
{
    cJSON *root = NULL;
    const cJSON *item;
    int rc = -1, i;

    if (jsonread_validated(&root, path, schema, d) != 0) {
        return -1;
    }
    if (jsonread_str(&os->id, root, "id", d) || jsonread_str(&os->name, root, "name", d)) {
        goto fail;
    }
    os->libs =
        xcalloc((size_t)cJSON_GetArraySize(jsonread_at(root, "libraries")) + 1, sizeof(*os->libs));
    i = 0;
    cJSON_ArrayForEach(item, jsonread_at(root, "libraries"))
    {
        if (load_lib(&os->libs[os->libs_nr++], item, i++, !schema, d) != 0) {
            goto fail;
        }
    }
    if (load_unlisted(&os->unlisted, jsonread_at(root, "unlisted"), d) != 0) {
        goto fail;
    }
    for (size_t k = 0; k < os->libs_nr; k++) {
        const char *name = os->libs[k].soname;
        if (name && !strmap_has(&os->by_soname, name, strlen(name))) {
            strmap_put(&os->by_soname, name, strlen(name), &os->libs[k]);
        }
    }
    rc = 0;
    goto out;
fail:
    diag_prefix(d, "%s", path);
out:
    cJSON_Delete(root);
    return rc;
}

int osdatas_load(struct osdatas *out, const struct datasrc *src, struct diag *d)
{
    char *dir = xasprintf("%s/os", src->dir);
    char *schema_path = xasprintf("%s/schema/os.schema.json", src->dir);
    struct strvec names = STRVEC_INIT;
    cJSON *schema = NULL;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    if ((src->validate && jsonread_file(&schema, schema_path, d) != 0) ||
        jsonread_list_dir(&names, dir, d) != 0) {
        goto out;
    }
    out->v = xcalloc(names.nr + 1, sizeof(*out->v));
    for (size_t i = 0; i < names.nr; i++) {
        char *path = xasprintf("%s/%s", dir, names.v[i]);
        int bad = load_one(&out->v[out->nr++], path, schema, d);
        free(path);
        if (bad) {
            goto out;
        }
    }
    rc = 0;
out:
    if (rc) {
        osdatas_release(out);
    }
    cJSON_Delete(schema);
    strvec_release(&names);
    free(schema_path);
    free(dir);
    return rc;
}

int osdatas_load_id(struct osdatas *os, const struct datasrc *src, const char *id, struct diag *d)
{
    char *path = xasprintf("%s/os/%s.json", src->dir, id);
    char *schema_path = xasprintf("%s/schema/os.schema.json", src->dir);
    cJSON *schema = NULL;
    int rc = -1;

    if (src->validate && jsonread_file(&schema, schema_path, d) != 0) {
        goto out;
    }
    /* Rows loaded one by one (trusted data, on first use) are pointed at by profiles, from
     * several threads: the array never moves, so it is made once, for every OS there can be. */
    if (!os->v) {
        os->v = xcalloc(OSDATA_IDS_MAX, sizeof(*os->v));
    }
    if (os->nr == OSDATA_IDS_MAX) {
        diag_set(d, DIAG_DATA, "%s: more than %d OS lists", path, OSDATA_IDS_MAX);
        goto out;
    }
    rc = load_one(&os->v[os->nr++], path, schema, d);
out:
    cJSON_Delete(schema);
    free(schema_path);
    free(path);
    return rc;
}

const struct osdata *osdatas_find(const struct osdatas *os, const char *id)
{
    for (size_t i = 0; i < os->nr; i++) {
        if (!strcmp(os->v[i].id, id)) {
            return &os->v[i];
        }
    }
    return NULL;
}

const struct oslib *osdata_library(const struct osdata *os, const char *soname)
{
    const struct oslib *l = strmap_get(&os->by_soname, soname, strlen(soname));

    if (l) {
        return l;
    }
    for (size_t i = 0; i < os->libs_nr; i++) {
        if (os->libs[i].re && regexp_test(os->libs[i].re, soname)) {
            return &os->libs[i];
        }
    }
    return &os->unlisted;
}

bool oslib_listed(const struct oslib *l)
{
    return l && (l->soname || l->pattern);
}

static void release_lib(struct oslib *l)
{
    free(l->soname);
    free(l->pattern);
    regexp_free(l->re);
    free(l->family);
    free(l->source);
    free(l->confidence);
    free(l->says);
}

void osdatas_release(struct osdatas *os)
{
    for (size_t i = 0; os && i < os->nr; i++) {
        struct osdata *o = &os->v[i];
        for (size_t j = 0; j < o->libs_nr; j++) {
            release_lib(&o->libs[j]);
        }
        release_lib(&o->unlisted);
        strmap_release(&o->by_soname);
        free(o->libs);
        free(o->id);
        free(o->name);
    }
    if (os) {
        free(os->v);
        os->v = NULL;
        os->nr = 0;
    }
}
