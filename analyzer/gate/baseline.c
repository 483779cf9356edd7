/* SPDX-License-Identifier: MIT */
/* The baseline file: read into a fingerprint index, written from findings. */
#include "baseline.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "fingerprint.h"
#include "jsonread.h"
#include "rules.h"
#include "utf8.h"
#include "xalloc.h"

static char *str_at(const cJSON *o, const char *key)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
    return xstrdup(cJSON_IsString(n) ? n->valuestring : "");
}

int baseline_load(struct baseline *out, const char *path, const char *schema_path, struct diag *d)
{
    cJSON *root = NULL;
    const cJSON *list, *item;

    memset(out, 0, sizeof(*out));
    if (jsonread_validated_by(&root, path, schema_path, d) != 0) {
        return -1;
    }
    out->file = xstrdup(path);
    list = cJSON_GetObjectItemCaseSensitive(root, "findings");
    out->v = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*out->v));
    cJSON_ArrayForEach(item, list)
    {
        struct baseline_entry *e = &out->v[out->nr++];
        char fp[FINGERPRINT_HEX];
        e->rule = str_at(item, "rule");
        e->slug = str_at(item, "slug");
        e->path = str_at(item, "path");
        e->fact = str_at(item, "fact");
        fingerprint_parts(e->rule, e->path, e->fact, fp);
        strmap_put(&out->index, fp, strlen(fp), e);
    }
    cJSON_Delete(root);
    return 0;
}

bool baseline_match(struct baseline *b, const struct finding *f)
{
    char fp[FINGERPRINT_HEX];
    struct baseline_entry *e;

    fingerprint_of(f, fp);
    e = strmap_get(&b->index, fp, strlen(fp));
    /* The hash finds the entry; the parts decide, so that a collision never hides one. */
    if (e && !strcmp(e->rule, f->rule->id) && !strcmp(e->path, f->path)) {
        char *fact = utf8_escape(fingerprint_fact(f), false);
        bool same = !strcmp(e->fact, fact);
        free(fact);
        e->seen |= same;
        return same;
    }
    return false;
}

static void add_str(cJSON *o, const char *key, const char *value)
{
    char *clean = utf8_escape(value, false); /* the file is valid UTF-8, like every report */
    cJSON_AddItemToObject(o, key, cJSON_CreateString(clean));
    free(clean);
}

int baseline_write(FILE *out, const struct finding *const *fs, size_t n, struct diag *d)
{
    cJSON *root = cJSON_CreateObject(), *list = cJSON_CreateArray();
    struct strmap seen = {0};
    char *text;
    int rc = 0;

    cJSON_AddItemToObject(root, "schema_version", cJSON_CreateNumber(BASELINE_SCHEMA_VERSION));
    add_str(root, "tool", "abiscan");
    add_str(root, "comment",
            "Findings accepted when this baseline was written (abiscan --write-baseline). "
            "abiscan --baseline fails only on findings not listed here. Entries match on "
            "rule, member path and fact, never on the message.");
    for (size_t i = 0; i < n; i++) {
        char fp[FINGERPRINT_HEX];
        cJSON *e;
        fingerprint_of(fs[i], fp);
        if (strmap_has(&seen, fp, strlen(fp))) {
            continue;
        }
        strmap_put(&seen, fp, strlen(fp), NULL);
        e = cJSON_CreateObject();
        add_str(e, "rule", fs[i]->rule->id);
        add_str(e, "slug", fs[i]->rule->slug);
        add_str(e, "path", fs[i]->path);
        add_str(e, "fact", fingerprint_fact(fs[i])); /* escaped as fingerprint_of() does */
        add_str(e, "fingerprint", fp);
        cJSON_AddItemToArray(list, e);
    }
    cJSON_AddItemToObject(root, "findings", list);
    text = cJSON_Print(root);
    if (!text) {
        xalloc_die(0);
    }
    if (fputs(text, out) == EOF || fputc('\n', out) == EOF) {
        rc = diag_set(d, DIAG_IO, "cannot write the baseline");
    }
    cJSON_free(text);
    cJSON_Delete(root);
    strmap_release(&seen);
    return rc;
}

void baseline_release(struct baseline *b)
{
    for (size_t i = 0; i < b->nr; i++) {
        free(b->v[i].rule);
        free(b->v[i].slug);
        free(b->v[i].path);
        free(b->v[i].fact);
    }
    free(b->v);
    free(b->file);
    strmap_release(&b->index);
    memset(b, 0, sizeof(*b));
}
