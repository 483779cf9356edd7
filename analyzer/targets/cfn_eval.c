/* SPDX-License-Identifier: MIT */
/*
 * The part of a CloudFormation template's language abiscan evaluates, from what the
 * template itself holds: the intrinsic functions a property is given by (Ref, Fn::If,
 * Fn::FindInMap, Fn::Sub, Fn::Join), resolved from the Parameters' defaults, the Mappings
 * and the Conditions (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition). What only the stack
 * knows (AWS::Region, a parameter without a default, a resource's attribute) is not
 * resolved, and the caller is told why. A template is hostile input: a resolution stops at
 * a bound on its steps. Fn::ForEach is expanded by cfn_foreach.c, an expression is written
 * as text by cfn_text.c.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "targets_int.h"
#include "xalloc.h"

/* One resolution: Conditions name each other, a Sub names parameters. */
#define RESOLVE_MAX_STEPS 100000
#define RESOLVE_MAX_DEPTH 64
/* Every resolution of one template (50,000 functions may share a Globals expression): its
 * steps, and the bytes of the strings it makes (each charged 32 more, what holding it costs). */
#define RESOLVE_MAX_TOTAL 20000000
#define RESOLVE_MAX_MADE (64u << 20)
/* A string made by a substitution, Fn::Sub or Fn::Join: a template's scalar is at most this. */
#define MADE_MAX (1u << 20)

static const cJSON *member(const cJSON *o, const char *key)
{
    return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

/* The intrinsic function v is (Ref, Condition, Fn::*: an object of that one member), or NULL. */
static const char *fn_name(const cJSON *v)
{
    const cJSON *m = cJSON_IsObject(v) ? v->child : NULL;

    if (!m || m->next || !m->string) {
        return NULL;
    }
    if (!strcmp(m->string, "Ref") || !strcmp(m->string, "Condition") ||
        !strncmp(m->string, "Fn::", 4)) {
        return m->string;
    }
    return NULL;
}

/* -- strings made ------------------------------------------------------------------------- */

void cfn_buf_add(struct cfn_buf *b, const char *s, size_t len)
{
    if (b->over || b->n + len > MADE_MAX) {
        b->over = true;
        return;
    }
    if (b->n + len + 1 > b->cap) {
        b->cap = (b->n + len + 1) * 2;
        b->p = xrealloc_array(b->p, b->cap, 1);
    }
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = '\0';
}

/* The string made (fresh, "" when empty), or NULL (freed) when it passed MADE_MAX. */
char *cfn_buf_take(struct cfn_buf *b)
{
    if (b->over) {
        free(b->p);
        return NULL;
    }
    return b->p ? b->p : xstrdup("");
}

/* -- resolution ---------------------------------------------------------------------------- */

static void set_why(struct cfn_eval *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Why the value is not resolved: the first reason found, the innermost. */
static void set_why(struct cfn_eval *e, const char *fmt, ...)
{
    va_list ap;

    if (e->why) {
        return;
    }
    va_start(ap, fmt);
    e->why = xvasprintf(fmt, ap);
    va_end(ap);
}

const char *cfn_why(const struct cfn_eval *e)
{
    return e->why ? e->why : "not resolved";
}

/* s, held until cfn_eval_release(); NULL (s freed) past RESOLVE_MAX_MADE. */
static const char *made(struct cfn_eval *e, char *s)
{
    size_t cost = strlen(s) + 32;

    if (e->made_bytes + cost > RESOLVE_MAX_MADE) {
        set_why(e, "the template's expressions make more than abiscan's bound (64 MiB)");
        free(s);
        return NULL;
    }
    e->made_bytes += cost;
    strvec_push_nodup(&e->made, s);
    return s;
}

static bool step(struct cfn_eval *e, int depth)
{
    if (++e->total > RESOLVE_MAX_TOTAL) {
        set_why(e, "the template's expressions take more steps than abiscan's bound");
        return false;
    }
    if (++e->steps > RESOLVE_MAX_STEPS || depth > RESOLVE_MAX_DEPTH) {
        set_why(e, "%s",
                depth > RESOLVE_MAX_DEPTH ? "nested too deep to resolve"
                                          : "too many steps to resolve");
        return false;
    }
    return true;
}

/* o's member key, each member looked at charged to the template's steps: a mapping of
 * 100,000 keys looked in by 50,000 functions stops at the bound, not at 5 billion
 * comparisons. */
static const cJSON *lookup(struct cfn_eval *e, const cJSON *o, const char *key)
{
    const cJSON *m;

    for (m = cJSON_IsObject(o) ? o->child : NULL; m; m = m->next) {
        if (++e->total > RESOLVE_MAX_TOTAL) {
            set_why(e, "the template's expressions take more steps than abiscan's bound");
            return NULL;
        }
        if (m->string && !strcmp(m->string, key)) {
            return m;
        }
    }
    return NULL;
}

enum { SEC_PARAMETERS, SEC_MAPPINGS, SEC_CONDITIONS };

/* A parameter, mapping or condition by name, through an index of its section made once. */
static const cJSON *section_get(struct cfn_eval *e, int which, const char *name)
{
    const cJSON *sec = which == SEC_PARAMETERS ? e->parameters
                       : which == SEC_MAPPINGS ? e->mappings
                                               : e->conditions;
    const cJSON *m;

    if (!e->ix_built[which] || e->ix_of[which] != sec) {
        strmap_release(&e->ix[which]);
        for (m = cJSON_IsObject(sec) ? sec->child : NULL; m; m = m->next) {
            if (m->string && !strmap_has(&e->ix[which], m->string, strlen(m->string))) {
                strmap_put(&e->ix[which], m->string, strlen(m->string), (void *)m);
            }
        }
        e->ix_of[which] = sec;
        e->ix_built[which] = true;
    }
    return strmap_get(&e->ix[which], name, strlen(name));
}

static const cJSON *value_at(struct cfn_eval *e, const cJSON *v, int depth);
static const char *str_at(struct cfn_eval *e, const cJSON *v, int depth);
static int cond_at(struct cfn_eval *e, const cJSON *v, int depth);

/* A parameter's default; NULL (why) for a pseudo parameter, a resource, no default. */
static const cJSON *ref_value(struct cfn_eval *e, const char *name)
{
    const cJSON *p = section_get(e, SEC_PARAMETERS, name), *def;

    if (!strncmp(name, "AWS::", 5)) {
        set_why(e, "%.100s is the stack's, known when it is deployed", name);
        return NULL;
    }
    if (!p) {
        set_why(e, "%.100s is not a parameter: known when the stack is deployed", name);
        return NULL;
    }
    def = lookup(e, p, "Default");
    if (!def || cJSON_IsNull(def)) {
        set_why(e, "parameter %.100s has no default", name);
        return NULL;
    }
    return def;
}

/* A condition's value (-1 unknown, 0 false, 1 true), and why it is unknown. */
struct cond_memo {
    int value;
    char *why;
};

/* A named condition: assumed, or evaluated once (once a round, under assumptions). */
static int cond_named(struct cfn_eval *e, const char *name, int depth)
{
    struct strmap *memo = e->assumed_nr ? &e->memo_assumed : &e->memo;
    struct cond_memo *m;
    const cJSON *def;
    char *outer;

    for (size_t i = 0; i < e->assumed_nr; i++) {
        if (!strcmp(e->assumed[i], name)) {
            return e->assumed_true[i];
        }
    }
    if ((m = strmap_get(memo, name, strlen(name))) != NULL) {
        if (m->value < 0 && m->why) {
            set_why(e, "%s", m->why);
        }
        return m->value;
    }
    if ((def = section_get(e, SEC_CONDITIONS, name)) == NULL) {
        set_why(e, "no condition %.100s in the template", name);
        return -1;
    }
    m = xcalloc(1, sizeof(*m));
    m->value = -1; /* while it is evaluated: a condition that names itself is unknown */
    strmap_put(memo, name, strlen(name), m);
    outer = e->why;
    e->why = NULL;
    m->value = cond_at(e, def, depth + 1);
    m->why = m->value < 0 && e->why ? xstrdup(e->why) : NULL;
    if (outer) {
        free(e->why);
        e->why = outer;
    }
    return m->value;
}

static int cond_at(struct cfn_eval *e, const cJSON *v, int depth)
{
    const char *fn = fn_name(v);
    const cJSON *args = fn ? v->child : NULL, *a;
    const char *x, *y;
    int r, all;

    if (!step(e, depth)) {
        return -1;
    }
    if (fn && !strcmp(fn, "Condition") && cJSON_IsString(args)) {
        return cond_named(e, args->valuestring, depth);
    }
    if (fn && !strcmp(fn, "Fn::Equals") && cJSON_IsArray(args) && cJSON_GetArraySize(args) == 2) {
        x = str_at(e, args->child, depth + 1);
        y = x ? str_at(e, args->child->next, depth + 1) : NULL;
        return x && y ? !strcmp(x, y) : -1;
    }
    if (fn && !strcmp(fn, "Fn::Not") && cJSON_IsArray(args) && cJSON_GetArraySize(args) == 1) {
        r = cond_at(e, args->child, depth + 1);
        return r < 0 ? r : !r;
    }
    if (fn && (!strcmp(fn, "Fn::And") || !strcmp(fn, "Fn::Or")) && cJSON_IsArray(args)) {
        bool is_and = !strcmp(fn, "Fn::And");
        all = is_and ? 1 : 0; /* what it is when no member decides it */
        cJSON_ArrayForEach(a, args)
        {
            r = cond_at(e, a, depth + 1);
            if (r == !is_and) {
                return r; /* And: one false; Or: one true */
            }
            all = r < 0 ? -1 : all;
        }
        return all;
    }
    set_why(e, "a condition abiscan does not evaluate (%.60s)", fn ? fn : "not a function");
    return -1;
}

/* Fn::FindInMap [map, top key, second key, {DefaultValue}]: the value, or NULL (why). */
static const cJSON *find_in_map(struct cfn_eval *e, const cJSON *args, int depth)
{
    const cJSON *k = cJSON_IsArray(args) ? args->child : NULL, *found;
    const char *map, *top, *second;

    if (!k || !k->next || !k->next->next) {
        set_why(e, "Fn::FindInMap is not [map, key, key]");
        return NULL;
    }
    if (!(map = str_at(e, k, depth + 1)) || !(top = str_at(e, k->next, depth + 1)) ||
        !(second = str_at(e, k->next->next, depth + 1))) {
        return NULL;
    }
    if ((found = lookup(e, lookup(e, section_get(e, SEC_MAPPINGS, map), top), second)) != NULL) {
        return found;
    }
    if ((found = member(k->next->next->next, "DefaultValue")) != NULL) {
        return found;
    }
    set_why(e, "mapping %.100s has no %.100s.%.100s", map, top, second);
    return NULL;
}

/* Ref to a parameter, Fn::If and Fn::FindInMap followed to what they give. */
static const cJSON *value_at(struct cfn_eval *e, const cJSON *v, int depth)
{
    for (;;) {
        const char *fn = fn_name(v);
        const cJSON *args = fn ? v->child : NULL;
        if (!step(e, depth)) {
            return NULL;
        }
        if (!fn) {
            return v;
        }
        if (!strcmp(fn, "Ref") && cJSON_IsString(args)) {
            if (!strcmp(args->valuestring, "AWS::NoValue")) {
                e->novalue = true;
                set_why(e, "it is AWS::NoValue");
                return NULL;
            }
            v = ref_value(e, args->valuestring);
        } else if (!strcmp(fn, "Fn::If") && cJSON_IsArray(args) && cJSON_GetArraySize(args) == 3 &&
                   cJSON_IsString(args->child)) {
            const char *name = args->child->valuestring;
            int r = cond_named(e, name, depth + 1);
            if (r < 0 && !section_get(e, SEC_CONDITIONS, name)) {
                return NULL; /* no such condition: a broken template, nothing to assume */
            }
            if (r < 0) {
                e->undecided = e->undecided ? e->undecided : name;
                set_why(e, "condition %.100s is not decided by the parameters' defaults", name);
                return NULL;
            }
            v = r ? args->child->next : args->child->next->next;
        } else if (!strcmp(fn, "Fn::FindInMap")) {
            v = find_in_map(e, args, depth);
        } else {
            return v; /* Fn::Sub, Fn::Join: a string; the rest: the caller's to refuse */
        }
        if (!v) {
            return NULL;
        }
    }
}

/* Fn::Sub: "text" or ["text", {Name: value}]; ${Name} from the map, else a parameter's
 * default; ${!Literal} is "${Literal}". */
static const char *sub_at(struct cfn_eval *e, const cJSON *args, int depth)
{
    const cJSON *text = cJSON_IsArray(args) ? args->child : args;
    const cJSON *vars = cJSON_IsArray(args) && text ? text->next : NULL;
    struct cfn_buf b = {0};
    const char *s, *open, *close;
    char *out;

    if (!cJSON_IsString(text)) {
        set_why(e, "Fn::Sub is not a string or [string, {variables}]");
        return NULL;
    }
    /* A walk, not strstr(): a sanitizer's strstr measures the rest of the string each call. */
    for (s = text->valuestring;; s = close + 1) {
        const cJSON *var;
        const char *val;
        char *name;
        open = s;
        while (*open && (open[0] != '$' || open[1] != '{')) {
            open++;
        }
        if (!*open) {
            break;
        }
        cfn_buf_add(&b, s, (size_t)(open - s));
        if (!(close = strchr(open, '}'))) {
            s = open; /* no name closes: the rest as written */
            break;
        }
        if (open[2] == '!') {
            cfn_buf_add(&b, "${", 2);
            cfn_buf_add(&b, open + 3, (size_t)(close - open - 2));
            continue;
        }
        name = xstrndup(open + 2, (size_t)(close - open - 2));
        if ((var = lookup(e, vars, name)) != NULL) {
            val = str_at(e, var, depth + 1);
        } else if (strchr(name, '.') && strncmp(name, "AWS::", 5) != 0) {
            set_why(e, "${%.100s} is a resource's attribute, known when the stack is deployed",
                    name);
            val = NULL;
        } else {
            const cJSON *def = ref_value(e, name);
            val = def ? str_at(e, def, depth + 1) : NULL;
        }
        free(name);
        if (!val || !step(e, depth)) {
            free(b.p);
            return NULL;
        }
        cfn_buf_add(&b, val, strlen(val));
    }
    cfn_buf_add(&b, s, strlen(s));
    if ((out = cfn_buf_take(&b)) == NULL) {
        set_why(e, "Fn::Sub makes a string longer than %u bytes", MADE_MAX);
        return NULL;
    }
    return made(e, out);
}

/* Fn::Join [delimiter, [values]]. */
static const char *join_at(struct cfn_eval *e, const cJSON *args, int depth)
{
    const cJSON *list, *item;
    const char *sep, *s;
    struct cfn_buf b = {0};
    char *out;

    if (!cJSON_IsArray(args) || cJSON_GetArraySize(args) != 2 ||
        !(sep = str_at(e, args->child, depth + 1))) {
        set_why(e, "Fn::Join is not [delimiter, [values]]");
        return NULL;
    }
    if (!(list = value_at(e, args->child->next, depth + 1)) || !cJSON_IsArray(list)) {
        set_why(e, "Fn::Join's values are not a list");
        return NULL;
    }
    cJSON_ArrayForEach(item, list)
    {
        if (!(s = str_at(e, item, depth + 1))) {
            free(b.p);
            return NULL;
        }
        cfn_buf_add(&b, item == list->child ? "" : sep, item == list->child ? 0 : strlen(sep));
        cfn_buf_add(&b, s, strlen(s));
    }
    if ((out = cfn_buf_take(&b)) == NULL) {
        set_why(e, "Fn::Join makes a string longer than %u bytes", MADE_MAX);
        return NULL;
    }
    return made(e, out);
}

static const char *str_at(struct cfn_eval *e, const cJSON *v, int depth)
{
    const char *fn;

    if (!(v = value_at(e, v, depth))) {
        return NULL;
    }
    if (cJSON_IsString(v)) {
        return v->valuestring;
    }
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        bool whole = d > -1e15 && d < 1e15 && d == (double)(long long)d;
        return made(e, whole ? xasprintf("%.0f", d) : xasprintf("%.15g", d));
    }
    if (cJSON_IsBool(v)) {
        return cJSON_IsTrue(v) ? "true" : "false";
    }
    fn = fn_name(v);
    if (fn && !strcmp(fn, "Fn::Sub")) {
        return sub_at(e, v->child, depth + 1);
    }
    if (fn && !strcmp(fn, "Fn::Join")) {
        return join_at(e, v->child, depth + 1);
    }
    if (fn && (!strcmp(fn, "Fn::GetAtt") || !strcmp(fn, "Fn::ImportValue") ||
               !strcmp(fn, "Fn::GetAZs") || !strcmp(fn, "Fn::Cidr"))) {
        set_why(e, "%s is known when the stack is deployed", fn);
    } else if (fn) {
        set_why(e, "abiscan does not evaluate %.60s", fn);
    } else {
        set_why(e, "not a string");
    }
    return NULL;
}

static void begin(struct cfn_eval *e)
{
    free(e->why);
    e->why = NULL;
    e->novalue = false;
    e->steps = 0;
}

const char *cfn_str(struct cfn_eval *e, const cJSON *v)
{
    begin(e);
    if (cJSON_IsString(v)) {
        return v->valuestring; /* what almost every template says */
    }
    return v ? str_at(e, v, 0) : NULL;
}

const char *cfn_fn_name(const cJSON *v)
{
    return fn_name(v);
}

const cJSON *cfn_value(struct cfn_eval *e, const cJSON *v)
{
    begin(e);
    return v ? value_at(e, v, 0) : NULL;
}

static void memo_release(struct strmap *memo)
{
    for (size_t i = 0; i < memo->cap; i++) {
        struct cond_memo *m = memo->slots[i].key ? memo->slots[i].value : NULL;
        if (m) {
            free(m->why);
            free(m);
        }
    }
    strmap_release(memo);
}

void cfn_eval_reset(struct cfn_eval *e)
{
    begin(e);
    memo_release(&e->memo_assumed);
    e->undecided = NULL;
}

void cfn_eval_release(struct cfn_eval *e)
{
    cfn_eval_reset(e);
    memo_release(&e->memo);
    strvec_release(&e->made);
    for (size_t i = 0; i < ARRAY_SIZE(e->ix); i++) {
        strmap_release(&e->ix[i]);
    }
}
