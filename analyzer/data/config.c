/* SPDX-License-Identifier: MIT */
/* .abiscan.yaml: found upwards to the repository root, read, validated, checked. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jsonread.h"
#include "jsonschema.h"
#include "pathglob.h"
#include "readfile.h"
#include "xalloc.h"
#include "yamljson.h"

/* Directories climbed at most: far beyond any repository, short of a loop. */
#define CONFIG_MAX_UP 64

struct cctx {
    const char *file;
    const struct yamljson_lines *lines;
    struct diag *d;
};

static int fail_at(const struct cctx *c, const char *path, const char *fmt, ...)
    ABISCAN_PRINTF(3, 4);

/* "FILE:LINE: key: what": every configuration error says where, and what. */
static int fail_at(const struct cctx *c, const char *path, const char *fmt, ...)
{
    char what[DIAG_MSG_MAX / 2];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return diag_set(c->d, DIAG_DATA, "%s:%u:%u: %s: %s", c->file, yamljson_line(c->lines, path),
                    yamljson_column(c->lines, path), path[0] ? path : "(top level)", what);
}

static bool exists(const char *path, bool want_dir)
{
    struct stat st;
    return stat(path, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

bool config_is_repo_root(const char *dir)
{
    char *git = xasprintf("%s/.git", dir);
    struct stat st;
    bool yes = lstat(git, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
    free(git);
    return yes;
}

int config_find(char **out, struct diag *d)
{
    char *dir = xstrdup("."), *found = NULL;

    *out = NULL;
    for (int up = 0; up < CONFIG_MAX_UP; up++) {
        char *candidate = xasprintf("%s/%s", dir, CONFIG_FILE_NAME), *parent;
        struct stat here, above;
        if (!found && exists(candidate, false)) {
            found = up ? candidate : xstrdup(CONFIG_FILE_NAME);
            if (!up) {
                free(candidate);
            }
        } else {
            free(candidate);
        }
        if (config_is_repo_root(dir)) {
            *out = found; /* the repository root: the search ends here */
            free(dir);
            return 0;
        }
        parent = up ? xasprintf("%s/..", dir) : xstrdup("..");
        if (stat(dir, &here) != 0 || stat(parent, &above) != 0 ||
            (here.st_dev == above.st_dev && here.st_ino == above.st_ino)) {
            free(parent);
            break; /* the file-system root, and no repository on the way */
        }
        free(dir);
        dir = parent;
    }
    free(dir);
    /* Outside a repository only the current directory's own file counts. */
    if (found && strcmp(found, CONFIG_FILE_NAME) != 0) {
        free(found);
        found = NULL;
    }
    *out = found;
    (void)d;
    return 0;
}

/* Howard Hinnant's days_from_civil (http://howardhinnant.github.io/date_algorithms.html). */
static long days_from_civil(long y, unsigned m, unsigned dd)
{
    long era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

long config_parse_day(const char *ymd)
{
    static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned y, m, dd;
    char tail;

    if (sscanf(ymd, "%4u-%2u-%2u%c", &y, &m, &dd, &tail) != 3 || strlen(ymd) != 10 || m < 1 ||
        m > 12 || dd < 1 || dd > mdays[m - 1] || y < 1970) {
        return -1;
    }
    if (m == 2 && dd == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) {
        return -1;
    }
    return days_from_civil((long)y, m, dd);
}

/* A path in the file, made relative to the current directory. */
static char *join_dir(const char *file, const char *path)
{
    size_t n = strrchr(file, '/') ? (size_t)(strrchr(file, '/') - file) : 0;

    if (path[0] == '/' || n == 0) {
        return xstrdup(path);
    }
    return xasprintf("%.*s/%s", (int)n, file, path);
}

static void read_paths(struct strvec *out, const cJSON *list, const char *file)
{
    const cJSON *item;

    cJSON_ArrayForEach(item, list)
    {
        strvec_push_nodup(out, join_dir(file, item->valuestring));
    }
}

static char *opt_str(const cJSON *root, const char *key)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(root, key);
    return cJSON_IsString(n) ? xstrdup(n->valuestring) : NULL;
}

/* A rule given by id or slug, as the catalogue's id; NULL when it knows neither. */
static const char *rule_id(const struct ruleset *rs, const char *name)
{
    for (size_t i = 0; i < rs->nr; i++) {
        if (!strcmp(rs->v[i].id, name) || !strcmp(rs->v[i].slug, name)) {
            return rs->v[i].id;
        }
    }
    return NULL;
}

static int read_suppression(struct config *cfg, const struct cctx *c, const cJSON *item, int i,
                            const struct ruleset *rs)
{
    struct config_suppression *s = &cfg->suppress[cfg->suppress_nr];
    const char *rule = cJSON_GetObjectItemCaseSensitive(item, "rule")->valuestring;
    const char *id = rule_id(rs, rule), *why = NULL;
    char at[64];

    snprintf(at, sizeof(at), "suppress[%d]", i);
    memset(s, 0, sizeof(*s));
    s->path = opt_str(item, "path");
    s->reason = opt_str(item, "reason");
    s->until = opt_str(item, "until");
    s->until_day = -1;
    s->where = xasprintf("%s:%u", c->file, yamljson_line(c->lines, at));
    cfg->suppress_nr++; /* owned from here on, released with the config */
    if (!id) {
        char guess[160];
        snprintf(at, sizeof(at), "suppress[%d].rule", i);
        if (rules_suggest(rs, rule, guess, sizeof(guess))) {
            return fail_at(c, at, "unknown rule '%s': did you mean %s?", rule, guess);
        }
        return fail_at(c, at, "unknown rule '%s' (see --list-rules)", rule);
    }
    s->rule = xstrdup(id);
    if (!s->path) {
        s->path = xstrdup("**");
    } else if (!pathglob_valid(s->path, &why)) {
        snprintf(at, sizeof(at), "suppress[%d].path", i);
        return fail_at(c, at, "%s", why);
    }
    if (s->until && (s->until_day = config_parse_day(s->until)) < 0) {
        snprintf(at, sizeof(at), "suppress[%d].until", i);
        return fail_at(c, at, "'%s' is not a date (YYYY-MM-DD)", s->until);
    }
    return 0;
}

/* What the schema cannot say: the data knows the runtime, the rule; the globs parse. */
static int read_config(struct config *cfg, const struct cctx *c, const cJSON *root,
                       const struct datadir *dd)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "suppress"), *item;
    int i = 0;

    cfg->runtime = opt_str(root, "runtime");
    cfg->arch = opt_str(root, "arch");
    cfg->handler = opt_str(root, "handler");
    cfg->fail_on = opt_str(root, "fail-on");
    cfg->installer = opt_str(root, "installer");
    read_paths(&cfg->layers, cJSON_GetObjectItemCaseSensitive(root, "layers"), c->file);
    read_paths(&cfg->bundles, cJSON_GetObjectItemCaseSensitive(root, "bundles"), c->file);
    if (cfg->runtime) {
        bool known = false;
        const struct profiles *ps = datadir_profiles(dd);
        for (size_t k = 0; k < ps->nr; k++) {
            known |= !strcmp(ps->v[k].runtime, cfg->runtime);
        }
        if (!known) {
            char guess[128];
            if (profiles_suggest(ps, cfg->runtime, guess, sizeof(guess))) {
                return fail_at(c, "runtime", "unknown runtime '%s': did you mean %s?", cfg->runtime,
                               guess);
            }
            return fail_at(c, "runtime", "unknown runtime '%s' (see --list-runtimes)",
                           cfg->runtime);
        }
    }
    cfg->suppress = xcalloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*cfg->suppress));
    cJSON_ArrayForEach(item, list)
    {
        if (read_suppression(cfg, c, item, i++, &dd->rules) != 0) {
            return -1;
        }
    }
    return 0;
}

/* The schema's message is "PATH: what"; the path finds the line. */
static int schema_error(const struct cctx *c, struct diag *d)
{
    char msg[DIAG_MSG_MAX], *sep;

    snprintf(msg, sizeof(msg), "%s", d->msg);
    sep = strstr(msg, ": ");
    if (!sep) {
        return diag_prefix(d, "%s", c->file);
    }
    *sep = '\0';
    return fail_at(c, strcmp(msg, "(top level)") ? msg : "", "%s", sep + 2);
}

int config_load(struct config *out, const char *path, const struct datadir *dd, struct diag *d)
{
    struct yamljson_lines lines = {0};
    struct cctx c = {path, &lines, d};
    cJSON *root = NULL, *schema = NULL;
    char *text = NULL, *schema_path = xasprintf("%s/schema/config.schema.json", dd->dir);
    size_t len = 0;
    int rc = -1;

    memset(out, 0, sizeof(*out));
    out->file = xstrdup(path);
    if (!(text = readfile(path, CONFIG_FILE_MAX, "larger than 1 MiB", &len, d)) ||
        jsonread_file(&schema, schema_path, d) != 0) {
        goto out;
    }
    if (yamljson_parse(&root, &lines, text, len, d) != 0) {
        char where[DIAG_MSG_MAX];
        snprintf(where, sizeof(where), "%s", d->msg);
        diag_set(d, DIAG_DATA, "%s:%s", path, where); /* "FILE:LINE:COLUMN: what" */
        goto out;
    }
    if (jsonschema_validate(schema, root, d) != 0) {
        schema_error(&c, d);
        goto out;
    }
    rc = read_config(out, &c, root, dd);
out:
    cJSON_Delete(root);
    cJSON_Delete(schema);
    yamljson_lines_release(&lines);
    free(text);
    free(schema_path);
    if (rc) {
        config_release(out);
    }
    return rc;
}

void config_release(struct config *c)
{
    free(c->file);
    free(c->runtime);
    free(c->arch);
    free(c->handler);
    free(c->fail_on);
    free(c->installer);
    strvec_release(&c->layers);
    strvec_release(&c->bundles);
    for (size_t i = 0; i < c->suppress_nr; i++) {
        free(c->suppress[i].rule);
        free(c->suppress[i].path);
        free(c->suppress[i].reason);
        free(c->suppress[i].until);
        free(c->suppress[i].where);
    }
    free(c->suppress);
    memset(c, 0, sizeof(*c));
}
