/* SPDX-License-Identifier: MIT */
/* YAML events (libyaml) to a cJSON tree with a line for every path, bounded. */
#include "yamljson.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "dynlib.h"
#include "xalloc.h"

/* libyaml is bound when the first document is parsed (dynlib.h): most runs read none. */
#define YAML_FUNCTIONS(X)                                                                          \
    X(yaml_parser_initialize)                                                                      \
    X(yaml_parser_set_input_string)                                                                \
    X(yaml_parser_parse)                                                                           \
    X(yaml_event_delete)                                                                           \
    X(yaml_parser_delete)

static struct {
#define SLOT(fn) __typeof__(fn) *fn;
    YAML_FUNCTIONS(SLOT)
#undef SLOT
} yaml;

static const char *const names[] = {
#define NAME(fn) #fn,
    YAML_FUNCTIONS(NAME)
#undef NAME
};

static void **const slots[] = {
#define ADDR(fn) (void **)&yaml.fn,
    YAML_FUNCTIONS(ADDR)
#undef ADDR
};

static struct dynlib lib = DYNLIB_INIT(ABISCAN_YAML_SONAME, names, slots);

#define PATH_MAX_LEN 1024
#define KEY_MAX 256

/* One open collection. */
struct frame {
    cJSON *node;
    char *key;        /* a mapping's key waiting for its value, or NULL */
    int index;        /* a sequence's next index */
    size_t path_len;  /* the length of this collection's own path */
    const char *wrap; /* a template's tag: the key the collection goes under, or NULL */
};

struct builder {
    struct frame stack[YAMLJSON_STACK_MAX + 1];
    int depth; /* frames in use */
    cJSON *root;
    char path[PATH_MAX_LEN];
    size_t nodes;
    struct yamljson_lines *lines;
    const struct yamljson_opts *o;
    char wrap_keys[YAMLJSON_STACK_MAX + 1][KEY_MAX]; /* the frames' wrap keys */
    struct diag *d;
};

static int fail_at(struct builder *b, const yaml_mark_t *m, const char *what)
{
    return diag_set(b->d, DIAG_DATA, "%zu:%zu: %s", m->line + 1, m->column + 1, what);
}

/* The YAML 1.2 core schema, for a plain scalar: null, bool, int or float, else NULL. */
static cJSON *core_scalar(const char *v)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
    static const char *const trues[] = {"true", "True", "TRUE"};
    static const char *const falses[] = {"false", "False", "FALSE"};
    char *end;
    double num;

    for (size_t i = 0; i < ARRAY_SIZE(nulls); i++) {
        if (!strcmp(v, nulls[i])) {
            return cJSON_CreateNull();
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(trues); i++) {
        if (!strcmp(v, trues[i]) || !strcmp(v, falses[i])) {
            return cJSON_CreateBool(v[0] == 't' || v[0] == 'T');
        }
    }
    /* [-+]?[0-9]..., 0x..., 0o...: strtod reads all but 0o; inf/nan words stay strings. */
    if (!strncmp(v, "0o", 2) && v[2]) {
        unsigned long long o;
        errno = 0;
        o = strtoull(v + 2, &end, 8);
        return !*end && !errno ? cJSON_CreateNumber((double)o) : NULL;
    }
    if (!((v[0] >= '0' && v[0] <= '9') ||
          ((v[0] == '-' || v[0] == '+' || v[0] == '.') && v[1] >= '0' && v[1] <= '9'))) {
        return NULL;
    }
    errno = 0;
    num = strtod(v, &end);
    if (*end || errno == ERANGE || num != num) {
        return NULL;
    }
    return cJSON_CreateNumber(num);
}

static cJSON *scalar_node(const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    cJSON *n = NULL;

    if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        n = core_scalar(v);
    }
    return n ? n : cJSON_CreateString(v);
}

static void record_line(struct builder *b, const yaml_mark_t *m)
{
    size_t len = strlen(b->path);
    if (b->o->lines && !strmap_has(&b->lines->map, b->path, len)) {
        strmap_put(&b->lines->map, b->path, len, (void *)(uintptr_t)(m->line + 1));
        strmap_put(&b->lines->cols, b->path, len, (void *)(uintptr_t)(m->column + 1));
    }
}

/* Extend the path with the place the next value goes in the innermost collection. */
static void path_enter(struct builder *b)
{
    struct frame *f = &b->stack[b->depth - 1];
    size_t n = f->path_len;

    if (cJSON_IsArray(f->node)) {
        snprintf(b->path + n, sizeof(b->path) - n, "[%d]", f->index);
    } else {
        snprintf(b->path + n, sizeof(b->path) - n, "%s%s", n ? "." : "", f->key);
    }
}

/* Put a finished value where it belongs: the root, a sequence, or under a waiting key. */
static int place(struct builder *b, cJSON *v, const yaml_mark_t *m)
{
    struct frame *f;

    if (++b->nodes > b->o->max_nodes) {
        char what[96];
        cJSON_Delete(v);
        snprintf(what, sizeof(what), "too many values (at most %zu)", b->o->max_nodes);
        return fail_at(b, m, what);
    }
    if (!b->depth) {
        b->root = v;
        return 0;
    }
    f = &b->stack[b->depth - 1];
    if (cJSON_IsArray(f->node)) {
        cJSON_AddItemToArray(f->node, v);
        f->index++;
    } else {
        cJSON_AddItemToObject(f->node, f->key, v);
        free(f->key);
        f->key = NULL;
    }
    return 0;
}

/* A scalar in a mapping with no key waiting is the next key. */
static int take_key(struct builder *b, const yaml_event_t *ev)
{
    struct frame *f = &b->stack[b->depth - 1];
    const char *k = (const char *)ev->data.scalar.value;

    if (ev->data.scalar.length > KEY_MAX) {
        return fail_at(b, &ev->start_mark, "key too long");
    }
    if (cJSON_GetObjectItemCaseSensitive(f->node, k)) {
        char what[KEY_MAX + 32];
        snprintf(what, sizeof(what), "duplicate key '%s'", k);
        return fail_at(b, &ev->start_mark, what);
    }
    f->key = xstrdup(k);
    /* A key's path is on the key's line (a list under it starts on the next). */
    path_enter(b);
    record_line(b, &ev->start_mark);
    b->path[f->path_len] = '\0';
    return 0;
}

static bool waiting_for_key(const struct builder *b)
{
    return b->depth && cJSON_IsObject(b->stack[b->depth - 1].node) && !b->stack[b->depth - 1].key;
}

/* A template's tag: the long form's key into key (KEY_MAX), "" for a tag that only types
 * (!!str), NULL when the tag is refused. */
static const char *tag_key(const struct builder *b, const unsigned char *tag, char *key)
{
    const char *t = (const char *)tag;

    if (!b->o->cfn_tags) {
        return NULL;
    }
    if (!strncmp(t, "tag:yaml.org,2002:", 18)) {
        return !strcmp(t + 18, "str") ? "" : NULL;
    }
    if (t[0] != '!' || !t[1] || strlen(t) > KEY_MAX - 8 || strchr(t + 1, '!')) {
        return NULL;
    }
    if (!strcmp(t, "!Ref") || !strcmp(t, "!Condition")) {
        snprintf(key, KEY_MAX, "%s", t + 1);
    } else {
        snprintf(key, KEY_MAX, "Fn::%s", t + 1);
    }
    return key;
}

/* A tagged scalar of a template: {"Ref": "X"}, {"Fn::GetAtt": ["A", "B"]}, {"Fn::Sub": s}. */
static int place_tagged(struct builder *b, const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    char buf[KEY_MAX];
    const char *key = tag_key(b, ev->data.scalar.tag, buf);
    const char *dot;
    cJSON *value, *wrapper;

    if (!key) {
        return fail_at(b, &ev->start_mark, "tags are not supported");
    }
    if (!*key) {
        return place(b, cJSON_CreateString(v), &ev->start_mark);
    }
    if (!strcmp(key, "Fn::GetAtt") && (dot = strchr(v, '.')) != NULL) {
        char *res = xstrndup(v, (size_t)(dot - v));
        value = cJSON_CreateArray();
        cJSON_AddItemToArray(value, cJSON_CreateString(res));
        cJSON_AddItemToArray(value, cJSON_CreateString(dot + 1));
        free(res);
    } else {
        value = cJSON_CreateString(v);
    }
    wrapper = cJSON_CreateObject();
    cJSON_AddItemToObject(wrapper, key, value);
    b->nodes++;
    return place(b, wrapper, &ev->start_mark);
}

static int on_scalar(struct builder *b, const yaml_event_t *ev)
{
    if (waiting_for_key(b)) {
        return take_key(b, ev);
    }
    if (ev->data.scalar.length > b->o->max_scalar) {
        char what[96];
        snprintf(what, sizeof(what), "value too long (at most %zu bytes)", b->o->max_scalar);
        return fail_at(b, &ev->start_mark, what);
    }
    if (b->depth) {
        path_enter(b);
    }
    record_line(b, &ev->start_mark);
    b->path[b->depth ? b->stack[b->depth - 1].path_len : 0] = '\0';
    if (ev->data.scalar.tag) {
        return place_tagged(b, ev);
    }
    return place(b, scalar_node(ev), &ev->start_mark);
}

static int on_open(struct builder *b, const yaml_event_t *ev, bool mapping,
                   const unsigned char *tag)
{
    struct frame *f;

    if (waiting_for_key(b)) {
        return fail_at(b, &ev->start_mark, "a key must be a plain value, not a collection");
    }
    if (b->depth >= (int)b->o->max_depth) {
        char what[64];
        snprintf(what, sizeof(what), "nested too deeply (at most %u levels)", b->o->max_depth);
        return fail_at(b, &ev->start_mark, what);
    }
    if (b->depth) {
        path_enter(b);
    }
    record_line(b, &ev->start_mark);
    f = &b->stack[b->depth++];
    *f = (struct frame){mapping ? cJSON_CreateObject() : cJSON_CreateArray(), NULL, 0,
                        strlen(b->path), NULL};
    if (tag) {
        char *key = b->wrap_keys[b->depth - 1];
        if (!(f->wrap = tag_key(b, tag, key))) {
            return fail_at(b, &ev->start_mark, "tags are not supported");
        }
        f->wrap = *f->wrap ? f->wrap : NULL; /* !!str on a collection: no wrapper */
    }
    return 0;
}

static int on_close(struct builder *b, const yaml_event_t *ev)
{
    struct frame f = b->stack[--b->depth];

    free(f.key); /* NULL unless a mapping ended on a key, which libyaml does not allow */
    b->path[b->depth ? b->stack[b->depth - 1].path_len : 0] = '\0';
    if (f.wrap) {
        cJSON *wrapper = cJSON_CreateObject();
        cJSON_AddItemToObject(wrapper, f.wrap, f.node);
        b->nodes++;
        return place(b, wrapper, &ev->start_mark);
    }
    return place(b, f.node, &ev->start_mark);
}

static int on_event(struct builder *b, const yaml_event_t *ev, int *docs)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        if (ev->data.scalar.tag && !b->o->cfn_tags) {
            return fail_at(b, &ev->start_mark, "tags are not supported");
        }
        return on_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        const unsigned char *tag = ev->type == YAML_SEQUENCE_START_EVENT
                                       ? ev->data.sequence_start.tag
                                       : ev->data.mapping_start.tag;
        if (tag && !b->o->cfn_tags) {
            return fail_at(b, &ev->start_mark, "tags are not supported");
        }
        return on_open(b, ev, ev->type == YAML_MAPPING_START_EVENT, tag);
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return on_close(b, ev);
    case YAML_ALIAS_EVENT:
        return fail_at(b, &ev->start_mark, "aliases (*name) are not supported");
    case YAML_DOCUMENT_START_EVENT:
        return ++*docs > 1 ? fail_at(b, &ev->start_mark, "more than one document") : 0;
    default:
        return 0;
    }
}

static void builder_release(struct builder *b)
{
    while (b->depth) {
        struct frame *f = &b->stack[--b->depth];
        free(f->key);
        cJSON_Delete(f->node);
    }
    cJSON_Delete(b->root);
}

int yamljson_parse(cJSON **out, struct yamljson_lines *lines, const char *text, size_t len,
                   struct diag *d)
{
    static const struct yamljson_opts config = {false, YAMLJSON_MAX_DEPTH, YAMLJSON_MAX_NODES,
                                                YAMLJSON_MAX_SCALAR, true};
    return yamljson_parse_opts(out, lines, text, len, &config, d);
}

int yamljson_parse_opts(cJSON **out, struct yamljson_lines *lines, const char *text, size_t len,
                        const struct yamljson_opts *o, struct diag *d)
{
    yaml_parser_t parser;
    struct yamljson_lines none;
    struct builder b = {.lines = lines ? lines : &none, .o = o, .d = d};
    int docs = 0, rc = -1;
    bool done = false;

    *out = NULL;
    memset(b.lines, 0, sizeof(*b.lines));
    if (o->max_depth > YAMLJSON_STACK_MAX) {
        BUG("yamljson: depth %u over the stack's %d", o->max_depth, YAMLJSON_STACK_MAX);
    }
    if (dynlib_load(&lib, "libyaml", d) != 0) {
        return -1;
    }
    if (!yaml.yaml_parser_initialize(&parser)) {
        xalloc_die(0);
    }
    yaml.yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    while (!done) {
        yaml_event_t ev;
        if (!yaml.yaml_parser_parse(&parser, &ev)) {
            diag_set(d, DIAG_DATA, "%zu:%zu: %s%s%s", parser.problem_mark.line + 1,
                     parser.problem_mark.column + 1,
                     parser.problem ? parser.problem : "invalid YAML", parser.context ? " " : "",
                     parser.context ? parser.context : "");
            goto out;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        rc = on_event(&b, &ev, &docs);
        yaml.yaml_event_delete(&ev);
        if (rc) {
            goto out;
        }
        rc = -1;
    }
    *out = b.root ? b.root : cJSON_CreateNull(); /* an empty file is a null document */
    b.root = NULL;
    rc = 0;
out:
    builder_release(&b);
    yaml.yaml_parser_delete(&parser);
    if (rc || !lines) {
        yamljson_lines_release(b.lines);
    }
    return rc;
}

static unsigned nearest(const struct strmap *map, const char *path)
{
    size_t n = strlen(path);

    for (;;) {
        void *v = strmap_get(map, path, n);
        if (v || strmap_has(map, path, n) || !n) {
            return (unsigned)(uintptr_t)v;
        }
        while (n && path[n - 1] != '.' && path[n - 1] != '[') {
            n--; /* up one level: "a.b[2]" -> "a.b[" -> "a.b" */
        }
        n -= n > 0;
    }
}

unsigned yamljson_line(const struct yamljson_lines *lines, const char *path)
{
    return nearest(&lines->map, path);
}

unsigned yamljson_column(const struct yamljson_lines *lines, const char *path)
{
    return nearest(&lines->cols, path);
}

void yamljson_lines_release(struct yamljson_lines *lines)
{
    strmap_release(&lines->map);
    strmap_release(&lines->cols);
}
