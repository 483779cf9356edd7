/* SPDX-License-Identifier: MIT */
/* The one path normaliser: member names, RECORD paths and Lambda paths alike. */
#include "path.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Drop the last segment of out[0..*len): the ".." of a resolving mode. False at the root. */
static bool pop(const char *out, size_t *len, size_t floor)
{
    if (*len <= floor) {
        return false;
    }
    while (*len > floor && out[*len - 1] != '/') {
        (*len)--;
    }
    if (*len > floor) {
        (*len)--; /* the separator before the dropped segment */
    }
    return true;
}

char *path_normalize(const char *raw, enum path_mode mode, bool *escapes)
{
    size_t n = strlen(raw);
    /* At most the input, plus the leading '/' of an absolute result. */
    char *out = xmalloc(n + 2);
    size_t len = 0, floor = 0;
    bool esc = false;

    if (mode == PATH_ABSOLUTE) {
        out[len++] = '/';
        floor = 1;
    } else if (raw[0] == '/' && mode == PATH_MEMBER) {
        esc = true;
    }
    for (const char *p = raw; *p;) {
        const char *seg = p;
        size_t seglen = strcspn(p, "/");
        p += seglen + (p[seglen] == '/');
        if (seglen == 0 || (seglen == 1 && seg[0] == '.')) {
            continue;
        }
        if (seglen == 2 && seg[0] == '.' && seg[1] == '.' && mode != PATH_MEMBER) {
            if (!pop(out, &len, floor)) {
                esc = true;
            }
            continue;
        }
        if (seglen == 2 && seg[0] == '.' && seg[1] == '.') {
            esc = true;
        }
        if (len > floor) {
            out[len++] = '/';
        }
        memcpy(out + len, seg, seglen);
        len += seglen;
    }
    out[len] = '\0';
    if (escapes) {
        *escapes = esc;
    }
    return out;
}

const char *path_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

size_t path_dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) : 0;
}

char *path_relative(const char *from_dir, const char *to)
{
    size_t common = 0, ups = 0, start, len;
    char *out;

    /* the longest run of whole leading directories the two share */
    for (size_t i = 0;; i++) {
        bool end_a = !from_dir[i] || from_dir[i] == '/', end_b = !to[i] || to[i] == '/';
        if (end_a && end_b && i > 0) {
            common = i;
        }
        if (!from_dir[i] || !to[i] || from_dir[i] != to[i]) {
            break;
        }
    }
    /* one ".." for each directory of from_dir below the shared part */
    for (size_t i = common; from_dir[i]; i++) {
        ups += i == common ? 1 : from_dir[i] == '/';
    }
    start = common + (to[common] == '/');
    len = strlen(to + start);
    out = xmalloc(3 * ups + len + 1);
    for (size_t i = 0; i < ups; i++) {
        memcpy(out + 3 * i, "../", 3);
    }
    memcpy(out + 3 * ups, to + start, len + 1);
    return out;
}

bool path_has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !memcmp(s + n - m, suffix, m);
}

char *path_resolve(const char *abs, path_link_fn *link_of, void *ctx, int max_hops)
{
    char *cur = path_normalize(abs, PATH_ABSOLUTE, NULL);
    int hops = 0;
    size_t i = 1;

    /* Each prefix of the path, shortest first; a link found there is replaced by its target
     * and the walk starts over from the root (the kernel's path walk). */
    while (cur[0] && i <= strlen(cur)) {
        size_t end = i + strcspn(cur + i, "/");
        const char *to = end > 1 ? link_of(ctx, cur, end) : NULL;
        char *next, *joined;
        if (!to) {
            i = end + 1;
            continue;
        }
        if (++hops > max_hops) {
            free(cur);
            return NULL;
        }
        /* A relative target is relative to the directory holding the link. */
        size_t dir = end;
        while (dir > 0 && cur[dir - 1] != '/') {
            dir--;
        }
        joined = to[0] == '/' ? xasprintf("%s%s", to, cur + end)
                              : xasprintf("%.*s%s%s", (int)dir, cur, to, cur + end);
        next = path_normalize(joined, PATH_ABSOLUTE, NULL);
        free(joined);
        free(cur);
        cur = next;
        i = 1;
    }
    return cur;
}
