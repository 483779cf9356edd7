/* SPDX-License-Identifier: MIT */
/* Distribution metadata: name, version, files, top-level names, wheel tags. */
#include "distinfo.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "pyclass.h"
#include "xalloc.h"

static const char *const wanted[] = {"METADATA", "PKG-INFO", "RECORD", "top_level.txt", "WHEEL"};

/* A single-file egg-info ("mpmath-1.3.0-py3.11.egg-info", as distutils installed them):
 * PKG-INFO's content under the directory's name. */
static bool egg_info_file(const char *path)
{
    const char *base = path_base(path);
    size_t n = strlen(base);

    return n > 9 && !strcmp(base + n - 9, ".egg-info");
}

/* The metadata directory of path ("a/b/x-1.0.dist-info") and the file in it, or false; a
 * single-file egg-info is its own directory, its file PKG-INFO. */
static bool split_info(const char *path, char **dir, const char **file)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;

    if (slash && ((n > 10 && !strncmp(slash - 10, ".dist-info", 10)) ||
                  (n > 9 && !strncmp(slash - 9, ".egg-info", 9)))) {
        *dir = xstrndup(path, n);
        *file = slash + 1;
        return true;
    }
    if (egg_info_file(path)) {
        *dir = xstrdup(path);
        *file = "PKG-INFO";
        return true;
    }
    return false;
}

bool distinfo_wants(const char *path)
{
    char *dir = NULL;
    const char *file;
    bool want = false;

    if (!split_info(path, &dir, &file)) {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(wanted); i++) {
        want |= !strcmp(file, wanted[i]);
    }
    free(dir);
    return want;
}

/* PEP 503 normalisation, then '-' to '_' as the top-level package would be named. */
static char *module_name(const char *name)
{
    char *out = xstrdup(name);
    for (char *p = out; *p; p++) {
        *p = (*p == '-' || *p == '.') ? '_' : (char)tolower((unsigned char)*p);
    }
    return out;
}

static struct distribution *find_or_add(struct image *img, size_t input, const char *dir)
{
    const char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : dir;
    size_t rootlen = slash ? (size_t)(slash - dir) : 0;
    const char *dash;
    char *stem;
    struct distribution *dist;
    char *key = xasprintf("%zu:%s", input, dir);
    size_t at = (size_t)(uintptr_t)strmap_get(&img->dist_by_dir, key, strlen(key));

    if (at) {
        free(key);
        return &img->dists[at - 1];
    }
    dist = image_add_dist(img);
    strmap_put(&img->dist_by_dir, key, strlen(key), (void *)(uintptr_t)img->dists_nr);
    free(key);
    dist->input = input;
    dist->info_dir = xstrdup(base);
    dist->root = xstrndup(dir, rootlen);
    /* "name-version.dist-info", "name-version-py3.11.egg-info", "name.egg-info": the
     * defaults until METADATA says. The suffix goes first: "egg-info" has a dash of its own. */
    stem = xstrndup(base, strlen(base) - (strstr(base, ".dist-info") ? 10 : 9));
    dash = strchr(stem, '-');
    if (dash) {
        dist->name = xstrndup(stem, (size_t)(dash - stem));
        dist->version = xstrndup(dash + 1, strcspn(dash + 1, "-"));
    } else {
        dist->name = xstrdup(stem);
    }
    free(stem);
    return dist;
}

/* Each line of data[0..len), NUL-terminated in a scratch copy. */
#define FOR_EACH_LINE(line, copy)                                                                  \
    for (char *save_ = NULL, *line = strtok_r(copy, "\r\n", &save_); line;                         \
         line = strtok_r(NULL, "\r\n", &save_))

/* RFC 822-style headers (core metadata spec): they end at the first blank line; what
 * follows is the description, whose lines must not be read as fields. */
static void parse_metadata(struct distribution *dist, char *text)
{
    for (char *line = text; line && *line && *line != '\n' && *line != '\r';) {
        char *next = strchr(line, '\n');
        char **slot = NULL;
        if (next) {
            *next++ = '\0';
        }
        line[strcspn(line, "\r")] = '\0';
        if (!strncmp(line, "Name:", 5)) {
            slot = &dist->name;
        } else if (!strncmp(line, "Version:", 8)) {
            slot = &dist->version;
        }
        if (slot) {
            line = strchr(line, ':') + 1;
            line += strspn(line, " \t");
            free(*slot);
            *slot = xstrdup(line);
        }
        line = next;
    }
}

/* RECORD is CSV: path,hash,size; a path with a comma is quoted (PEP 376). */
static void parse_record(struct distribution *dist, char *text)
{
    FOR_EACH_LINE(line, text)
    {
        char *path, *end;
        if (*line == '"') {
            path = ++line;
            end = strchr(line, '"');
        } else {
            path = line;
            end = strchr(line, ',');
        }
        if (end) {
            *end = '\0';
        }
        char *joined = *dist->root ? xjoin(dist->root, "/", path) : xstrdup(path);
        bool escapes;
        path = path_normalize(joined, PATH_RELATIVE, &escapes);
        free(joined);
        if (!escapes) {
            strvec_push_nodup(&dist->files, path); /* a path above the root is no member */
        } else {
            free(path);
        }
    }
}

static void parse_lines(struct strvec *out, char *text, const char *prefix)
{
    size_t n = prefix ? strlen(prefix) : 0;

    FOR_EACH_LINE(line, text)
    {
        if (prefix && strncmp(line, prefix, n) != 0) {
            continue;
        }
        line += n;
        while (*line == ' ') {
            line++;
        }
        if (*line) {
            strvec_push(out, line);
        }
    }
}

void distinfo_add_file(struct image *img, size_t input, const char *path, const char *data,
                       size_t len)
{
    char *dir = NULL, *text;
    const char *file;
    struct distribution *dist;

    if (!split_info(path, &dir, &file)) {
        return;
    }
    dist = find_or_add(img, input, dir);
    text = xstrndup(data, strnlen(data, len));
    if (!strcmp(file, "METADATA") || !strcmp(file, "PKG-INFO")) {
        parse_metadata(dist, text);
    } else if (!strcmp(file, "RECORD")) {
        parse_record(dist, text);
    } else if (!strcmp(file, "top_level.txt")) {
        parse_lines(&dist->top_level, text, NULL);
    } else if (!strcmp(file, "WHEEL")) {
        dist->purelib = strstr(text, "Root-Is-Purelib: true") != NULL; /* before the lines
                                                                        * are cut apart */
        parse_lines(&dist->wheel_tags, text, "Tag:");
    }
    free(text);
    free(dir);
}

struct owner {
    const char *path;
    const struct distribution *dist;
    size_t input;
};

static int cmp_owner(const void *a, const void *b)
{
    const struct owner *x = a, *y = b;
    if (x->input != y->input) {
        return x->input < y->input ? -1 : 1;
    }
    return strcmp(x->path, y->path);
}

/* "<input>:<root>/<top>" -> distribution, for every top-level name of every distribution
 * (top_level.txt, else its normalised name). */
static void index_tops(const struct image *img, struct strmap *tops)
{
    for (size_t i = 0; i < img->dists_nr; i++) {
        const struct distribution *d = &img->dists[i];
        char *fallback = d->top_level.nr ? NULL : module_name(d->name);
        for (size_t j = 0; j < (d->top_level.nr ? d->top_level.nr : 1); j++) {
            const char *top = d->top_level.nr ? d->top_level.v[j] : fallback;
            char *key = xasprintf("%zu:%s%s%s", d->input, d->root, *d->root ? "/" : "", top);
            if (!strmap_has(tops, key, strlen(key))) {
                strmap_put(tops, key, strlen(key), (void *)d);
            }
            free(key);
        }
        free(fallback);
    }
}

/* The distribution whose top-level name holds m: "numpy/...", "numpy.libs/...", "six.py".
 * Every directory on m's path may be a distribution's root: one lookup per level. */
static const struct distribution *by_top_level(const struct strmap *tops, const struct member *m)
{
    const char *p = m->path;

    for (const char *rest = p; rest;) {
        size_t n = strcspn(rest, "/");
        size_t dot = strcspn(rest, ".");
        size_t cands[2] = {n, dot < n ? dot : n};
        for (size_t c = 0; c < 2; c++) {
            /* the component itself; the part before its first dot (numpy.libs, six.py) */
            char *key = xasprintf("%zu:%.*s", m->input, (int)(rest - p) + (int)cands[c], p);
            const struct distribution *d = strmap_get(tops, key, strlen(key));
            free(key);
            if (d) {
                return d;
            }
        }
        rest = rest[n] == '/' ? rest + n + 1 : NULL;
    }
    return NULL;
}

/* The distribution whose .dist-info/.egg-info directory holds m, if any. */
static const struct distribution *own_info_dir(const struct image *img, const struct member *m)
{
    const char *slash = strrchr(m->path, '/');
    char *key;
    size_t at;

    if (!pyclass_in_distinfo(m->path) && egg_info_file(m->path)) {
        slash = m->path + strlen(m->path); /* a single-file egg-info is its own */
    } else if (!slash || !pyclass_in_distinfo(m->path)) {
        return NULL;
    }
    key = xasprintf("%zu:%.*s", m->input, (int)(slash - m->path), m->path);
    at = (size_t)(uintptr_t)strmap_get(&img->dist_by_dir, key, strlen(key));
    free(key);
    return at ? &img->dists[at - 1] : NULL;
}

void distinfo_assign(struct image *img)
{
    struct owner *owners = NULL;
    size_t nr = 0, alloc = 0;
    struct strmap tops = {0};

    index_tops(img, &tops);
    for (size_t i = 0; i < img->dists_nr; i++) {
        const struct distribution *dist = &img->dists[i];
        for (size_t j = 0; j < dist->files.nr; j++) {
            ALLOC_GROW(owners, nr + 1, alloc);
            owners[nr++] = (struct owner){dist->files.v[j], dist, dist->input};
        }
    }
    if (nr > 1) {
        qsort(owners, nr, sizeof(*owners), cmp_owner);
    }
    for (size_t i = 0; i < img->nr; i++) {
        struct member *m = &img->members[i];
        struct owner key = {m->path, NULL, m->input};
        const struct distribution *own = own_info_dir(img, m);
        if (own) {
            m->dist = own; /* a metadata file belongs to its own distribution */
            continue;
        }
        const struct owner *hit = nr ? bsearch(&key, owners, nr, sizeof(*owners), cmp_owner) : NULL;
        m->dist = hit ? hit->dist : by_top_level(&tops, m);
    }
    strmap_release(&tops);
    free(owners);
}

char *distinfo_requirement(const struct distribution *dist)
{
    if (!dist) {
        return xstrdup("<distribution>");
    }
    return dist->version ? xasprintf("%s==%s", dist->name, dist->version) : xstrdup(dist->name);
}
