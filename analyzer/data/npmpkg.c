/* SPDX-License-Identifier: MIT */
/* A package.json's name, platform fields and optional dependencies (cJSON). */
#include "npmpkg.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static char *string_of(const cJSON *root, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);

    return cJSON_IsString(v) && v->valuestring[0] ? xstrdup(v->valuestring) : NULL;
}

/* A field that is an array of strings, or one string (npm accepts both for os and cpu). */
static void strings_of(struct strvec *out, const cJSON *root, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key), *item;

    if (cJSON_IsString(v)) {
        strvec_push(out, v->valuestring);
        return;
    }
    cJSON_ArrayForEach(item, v)
    {
        if (cJSON_IsString(item)) {
            strvec_push(out, item->valuestring);
        }
    }
}

void npmpkg_read(struct npm_package *out, const char *text, size_t len)
{
    cJSON *root = cJSON_ParseWithLength(text, len), *dep;

    memset(out, 0, sizeof(*out));
    if (!cJSON_IsObject(root)) {
        out->broken = true;
        cJSON_Delete(root);
        return;
    }
    out->name = string_of(root, "name");
    out->version = string_of(root, "version");
    strings_of(&out->os, root, "os");
    strings_of(&out->cpu, root, "cpu");
    strings_of(&out->libc, root, "libc");
    cJSON_ArrayForEach(dep, cJSON_GetObjectItemCaseSensitive(root, "optionalDependencies"))
    {
        if (dep->string) {
            strvec_push(&out->optional, dep->string);
        }
    }
    cJSON_ArrayForEach(dep, cJSON_GetObjectItemCaseSensitive(root, "devDependencies"))
    {
        if (dep->string) {
            strvec_push(&out->dev, dep->string);
        }
    }
    cJSON_Delete(root);
}

/* npm-install-checks: a list that names values allows only those; one of "!x" entries
 * excludes x; a list of both is decided by the allowed names. */
static bool field_fits(const struct strvec *field, const char *value)
{
    bool allowed = false, any_allowed = false;

    for (size_t i = 0; i < field->nr; i++) {
        const char *v = field->v[i];
        if (v[0] == '!') {
            if (!strcmp(v + 1, value)) {
                return false;
            }
            continue;
        }
        any_allowed = true;
        allowed |= !strcmp(v, value) || !strcmp(v, "any");
    }
    return allowed || !any_allowed;
}

bool npmpkg_fits(const struct npm_package *p, const char *cpu, const char *libc, char *why,
                 size_t n)
{
    const struct {
        const char *name;
        const struct strvec *field;
        const char *want;
    } fields[] = {{"os", &p->os, "linux"}, {"cpu", &p->cpu, cpu}, {"libc", &p->libc, libc}};

    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (!field_fits(fields[i].field, fields[i].want)) {
            char *list = strvec_join(fields[i].field, ", ");
            snprintf(why, n, "%s %s", fields[i].name, list);
            free(list);
            return false;
        }
    }
    return true;
}

void npmpkg_release(struct npm_package *p)
{
    free(p->name);
    free(p->version);
    strvec_release(&p->os);
    strvec_release(&p->cpu);
    strvec_release(&p->libc);
    strvec_release(&p->optional);
    strvec_release(&p->dev);
    memset(p, 0, sizeof(*p));
}
