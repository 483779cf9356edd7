/* SPDX-License-Identifier: MIT */
/* A Node.js package's index.js, as text: whether it falls back when its addon cannot load. */
#define _GNU_SOURCE /* memmem */
#include "nodepkg.h"

#include <string.h>

#include "path.h"

bool nodepkg_is_index(const char *path)
{
    const char *at = NULL, *name;

    if (strcmp(path_base(path), "index.js") != 0) {
        return false;
    }
    for (const char *s = path; (s = strstr(s, "node_modules/")); s++) {
        if (s == path || s[-1] == '/') {
            at = s;
        }
    }
    if (!at) {
        return false;
    }
    name = at + 13;
    if (name[0] == '@' && strchr(name, '/')) {
        name = strchr(name, '/') + 1; /* @scope/name/index.js */
    }
    return strchr(name, '/') == path_base(path) - 1;
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
