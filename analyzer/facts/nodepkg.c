/* SPDX-License-Identifier: MIT */
/* A Node.js package's index.js, as text: whether it falls back when its addon cannot load. */
#define _GNU_SOURCE /* memmem */
#include "nodepkg.h"

#include <string.h>

bool nodepkg_name_at(const char *path, const char **name, size_t *len)
{
    const char *at = NULL, *end;

    for (const char *s = path; (s = strstr(s, "node_modules/")); s++) {
        if (s == path || s[-1] == '/') {
            at = s;
        }
    }
    if (!at) {
        return false;
    }
    *name = at + 13;
    end = strchr(*name, '/');
    if (end && **name == '@') {
        end = strchr(end + 1, '/'); /* a scoped name: @scope/name */
    }
    *len = end ? (size_t)(end - *name) : strlen(*name);
    return *len > 0;
}

bool nodepkg_is_index(const char *path)
{
    const char *name;
    size_t len;

    return nodepkg_name_at(path, &name, &len) && !strcmp(name + len, "/index.js");
}

bool nodepkg_falls_back(const char *text, size_t len)
{
    const char *end = text + len;
    const char *t = memmem(text, len, "try", 3);
    const char *g = t ? memmem(t, (size_t)(end - t), "node-gyp-build", 14) : NULL;
    const char *c = g ? memmem(g, (size_t)(end - g), "catch", 5) : NULL;
    const char *open = c ? memchr(c, '{', (size_t)(end - c)) : NULL;
    const char *close = open ? memchr(open, '}', (size_t)(end - open)) : NULL;

    return close && !memmem(open, (size_t)(close - open), "throw", 5);
}
