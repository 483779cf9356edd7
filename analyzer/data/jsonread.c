/* SPDX-License-Identifier: MIT */
/* Typed, path-aware cJSON readers. */
#include "jsonread.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonschema.h"
#include "readfile.h"
#include "xalloc.h"

/* Data files are small; anything past this is not a rules file. */
#define JSON_FILE_MAX (16u << 20)

int jsonread_file(cJSON **out, const char *path, struct diag *d)
{
    size_t len = 0;
    char *text = readfile(path, JSON_FILE_MAX, "file too large", &len, d);
    const char *end = NULL;

    *out = NULL;
    if (!text) {
        return -1;
    }
    /* len + 1: cJSON checks for the terminating NUL inside the given length. */
    *out = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (!*out) {
        unsigned line = 1, col = 1;
        for (const char *p = text; end && p < end && *p; p++) {
            col = *p == '\n' ? 1 : col + 1;
            line += *p == '\n';
        }
        free(text);
        return diag_set(d, DIAG_DATA, "%s:%u:%u: invalid JSON", path, line, col);
    }
    free(text);
    return 0;
}

int jsonread_validated(cJSON **out, const char *path, const cJSON *schema, struct diag *d)
{
    if (jsonread_file(out, path, d) != 0) {
        return -1;
    }
    if (schema && jsonschema_validate(schema, *out, d) != 0) {
        cJSON_Delete(*out);
        *out = NULL;
        return diag_prefix(d, "%s", path);
    }
    return 0;
}

int jsonread_data(cJSON **out, const struct datasrc *src, const char *name, const char *schema_name,
                  struct diag *d)
{
    char *path = xasprintf("%s/%s", src->dir, name);
    char *schema_path = xasprintf("%s/schema/%s", src->dir, schema_name);
    int rc = src->validate ? jsonread_validated_by(out, path, schema_path, d)
                           : jsonread_file(out, path, d);

    free(schema_path);
    free(path);
    return rc;
}

int jsonread_validated_by(cJSON **out, const char *path, const char *schema_path, struct diag *d)
{
    cJSON *schema = NULL;
    int rc;

    *out = NULL;
    if (jsonread_file(&schema, schema_path, d) != 0) {
        return -1;
    }
    rc = jsonread_validated(out, path, schema, d);
    cJSON_Delete(schema);
    return rc;
}

const cJSON *jsonread_at(const cJSON *root, const char *dotted)
{
    const cJSON *node = root;
    const char *p = dotted;

    while (node && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        char key[128];
        if (n >= sizeof(key) || !cJSON_IsObject(node)) {
            return NULL;
        }
        memcpy(key, p, n);
        key[n] = '\0';
        node = cJSON_GetObjectItemCaseSensitive(node, key);
        p += n + (dot ? 1 : 0);
    }
    return node;
}

int jsonread_str(char **out, const cJSON *root, const char *dotted, struct diag *d)
{
    const cJSON *n = jsonread_at(root, dotted);

    *out = NULL;
    if (!cJSON_IsString(n)) {
        return diag_set(d, DIAG_DATA, "%s: expected a string", dotted);
    }
    *out = xstrdup(n->valuestring);
    return 0;
}

int jsonread_str_opt(char **out, const cJSON *root, const char *dotted, struct diag *d)
{
    const cJSON *n = jsonread_at(root, dotted);

    *out = NULL;
    if (!n || cJSON_IsNull(n)) {
        return 0;
    }
    return jsonread_str(out, root, dotted, d);
}

int jsonread_int(long *out, const cJSON *root, const char *dotted, struct diag *d)
{
    const cJSON *n = jsonread_at(root, dotted);

    *out = 0;
    /* In range before the cast: a double past long's range makes (long) undefined. */
    if (!cJSON_IsNumber(n) || !(n->valuedouble >= -9.0e18 && n->valuedouble <= 9.0e18) ||
        n->valuedouble != (double)(long)n->valuedouble) {
        return diag_set(d, DIAG_DATA, "%s: expected an integer", dotted);
    }
    *out = (long)n->valuedouble;
    return 0;
}

int jsonread_strv(struct strvec *out, const cJSON *root, const char *dotted, struct diag *d)
{
    const cJSON *n = jsonread_at(root, dotted), *item;
    int i = 0;

    if (!cJSON_IsArray(n)) {
        return diag_set(d, DIAG_DATA, "%s: expected an array of strings", dotted);
    }
    cJSON_ArrayForEach(item, n)
    {
        if (!cJSON_IsString(item)) {
            return diag_set(d, DIAG_DATA, "%s[%d]: expected a string", dotted, i);
        }
        strvec_push(out, item->valuestring);
        i++;
    }
    return 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int jsonread_list_dir(struct strvec *out, const char *dir, struct diag *d)
{
    DIR *dh = opendir(dir);
    struct dirent *de;

    if (!dh) {
        return diag_set(d, DIAG_DATA, "cannot open directory '%s': %s", dir, strerror(errno));
    }
    while ((de = readdir(dh)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n > 5 && !strcmp(de->d_name + n - 5, ".json")) {
            strvec_push(out, de->d_name);
        }
    }
    closedir(dh);
    if (out->nr > 1) {
        qsort(out->v, out->nr, sizeof(*out->v), cmp_name);
    }
    return 0;
}
