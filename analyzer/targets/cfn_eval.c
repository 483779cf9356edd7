/* SPDX-License-Identifier: MIT */
/*
 * The part of a CloudFormation template's language abiscan evaluates, from what the
 * template itself holds. AWS::LanguageExtensions' Fn::ForEach is expanded as CloudFormation
 * expands it: each value of the collection (a list, or a Ref to a CommaDelimitedList
 * parameter's default) put for ${Identifier} and &{Identifier} (its letters and digits
 * only) in the output key and in every string of the fragment, and for a Ref to the
 * identifier; loops nest. The intrinsic functions a property is given by (Ref, Fn::If,
 * Fn::FindInMap, Fn::Sub, Fn::Join) are resolved from the Parameters' defaults, the
 * Mappings and the Conditions (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition). What only
 * the stack knows (AWS::Region, a parameter without a default, a resource's attribute) is
 * not resolved, and the caller is told why. A template is hostile input: expansion stops
 * at CFN_MAX_EXPANDED resources and at a bound on what it copies, a resolution at a bound
 * on its steps.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "targets_int.h"
#include "xalloc.h"

#define LOOP_PREFIX "Fn::ForEach::"
#define LOOP_PREFIX_LEN (sizeof(LOOP_PREFIX) - 1)
/* What a template's loops may copy: nodes (and iterations), bytes of strings. */
#define EXPAND_MAX_NODES 1000000
#define EXPAND_MAX_BYTES (16u << 20)
/* Loops in loops: deeper than this is not a template anyone writes; nor a longer identifier
 * (CloudFormation's are alphanumeric names). */
#define LOOP_MAX_NESTING 16
#define LOOP_MAX_ID 255
/* One resolution: Conditions name each other, a Sub names parameters. */
#define RESOLVE_MAX_STEPS 100000
#define RESOLVE_MAX_DEPTH 64
/* Every resolution of one template (50,000 functions may share a Globals expression): its
 * steps, and the bytes of the strings it makes (each charged 32 more, what holding it costs). */
#define RESOLVE_MAX_TOTAL 20000000
#define RESOLVE_MAX_MADE (64u << 20)
/* A string made by a substitution, Fn::Sub or Fn::Join: a template's scalar is at most this. */
#define MADE_MAX (1u << 20)
#define EXPR_TEXT_MAX 160

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

struct buf {
    char *p;
    size_t n, cap;
    bool over; /* it passed MADE_MAX */
};

static void buf_add(struct buf *b, const char *s, size_t len)
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
static char *buf_take(struct buf *b)
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

static const char *why_of(const struct cfn_eval *e)
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
    struct buf b = {0};
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
        buf_add(&b, s, (size_t)(open - s));
        if (!(close = strchr(open, '}'))) {
            s = open; /* no name closes: the rest as written */
            break;
        }
        if (open[2] == '!') {
            buf_add(&b, "${", 2);
            buf_add(&b, open + 3, (size_t)(close - open - 2));
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
        buf_add(&b, val, strlen(val));
    }
    buf_add(&b, s, strlen(s));
    if ((out = buf_take(&b)) == NULL) {
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
    struct buf b = {0};
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
        buf_add(&b, item == list->child ? "" : sep, item == list->child ? 0 : strlen(sep));
        buf_add(&b, s, strlen(s));
    }
    if ((out = buf_take(&b)) == NULL) {
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

/* -- an expression as text ----------------------------------------------------------------- */

static void add_capped(struct buf *b, const char *s)
{
    size_t len = strlen(s);
    buf_add(b, s, len > EXPR_TEXT_MAX ? EXPR_TEXT_MAX : len);
}

static void text_of(struct buf *b, const cJSON *v, int depth)
{
    const char *fn = fn_name(v);
    const cJSON *m;
    char num[64];

    if (b->n > EXPR_TEXT_MAX) {
        return;
    }
    if (depth > 8) {
        buf_add(b, "...", 3);
    } else if (fn) {
        buf_add(b, "!", 1);
        add_capped(b, strncmp(fn, "Fn::", 4) ? fn : fn + 4);
        buf_add(b, " ", 1);
        text_of(b, v->child, depth + 1);
    } else if (cJSON_IsString(v)) {
        const char *s = v->valuestring;
        bool quote = !*s || strpbrk(s, ",[]{}#'\"") || strstr(s, ": ") || s[0] == ' ' ||
                     s[0] == '!' || s[0] == '&' || s[0] == '*';
        buf_add(b, "'", quote);
        add_capped(b, s);
        buf_add(b, "'", quote);
    } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        buf_add(b, cJSON_IsArray(v) ? "[" : "{", 1);
        for (m = v->child; m && b->n <= EXPR_TEXT_MAX; m = m->next) {
            buf_add(b, ", ", m == v->child ? 0 : 2);
            if (cJSON_IsObject(v) && m->string) {
                add_capped(b, m->string);
                buf_add(b, ": ", 2);
            }
            text_of(b, m, depth + 1);
        }
        buf_add(b, cJSON_IsArray(v) ? "]" : "}", 1);
    } else if (cJSON_IsNumber(v)) {
        snprintf(num, sizeof(num), "%g", v->valuedouble);
        buf_add(b, num, strlen(num));
    } else {
        add_capped(b, cJSON_IsTrue(v) ? "true" : cJSON_IsFalse(v) ? "false" : "null");
    }
}

char *cfn_expr_text(const cJSON *v)
{
    struct buf b = {0};
    char *out;

    text_of(&b, v, 0);
    if (b.n > EXPR_TEXT_MAX) {
        out = xasprintf("%.*s...", EXPR_TEXT_MAX, b.p);
        free(b.p);
        return out;
    }
    return buf_take(&b);
}

/* -- Fn::ForEach ----------------------------------------------------------------------------- */

struct binding {
    const char *id, *value;
};

struct expander {
    struct cfn_eval *e;
    struct cfn_loops *out;
    struct binding env[LOOP_MAX_NESTING];
    size_t env_nr;
    struct strmap keys;   /* the section's keys so far: the first of a name is kept */
    struct strmap issued; /* loops looked at for an issue */
    size_t nodes, bytes, resources;
    const char *cut; /* the bound it stopped at */
};

static bool is_loop(const char *key)
{
    return key && !strncmp(key, LOOP_PREFIX, LOOP_PREFIX_LEN);
}

static bool has_loop(const cJSON *v)
{
    const cJSON *m;

    for (m = cJSON_IsArray(v) || cJSON_IsObject(v) ? v->child : NULL; m; m = m->next) {
        if ((cJSON_IsObject(v) && is_loop(m->string)) || has_loop(m)) {
            return true;
        }
    }
    return false;
}

/* Whether v declares a Lambda function (a Type of AWS::Serverless::Function or
 * AWS::Lambda::Function anywhere in it): a loop not expanded matters only then. */
static bool declares_function(const cJSON *v)
{
    const cJSON *m;

    for (m = cJSON_IsArray(v) || cJSON_IsObject(v) ? v->child : NULL; m; m = m->next) {
        if (cJSON_IsString(m) && m->string && !strcmp(m->string, "Type") &&
            (!strcmp(m->valuestring, "AWS::Serverless::Function") ||
             !strcmp(m->valuestring, "AWS::Lambda::Function"))) {
            return true;
        }
        if (declares_function(m)) {
            return true;
        }
    }
    return false;
}

/* A loop of the section not expanded (whole), when it declares a function; once a loop. */
static void issue(struct expander *x, const cJSON *loop, char *why, bool cut)
{
    struct cfn_loops *l = x->out;
    const char *key = loop->string ? loop->string : "";

    if (strmap_has(&x->issued, key, strlen(key)) || !declares_function(loop)) {
        strmap_put(&x->issued, key, strlen(key), NULL);
        free(why);
        return;
    }
    strmap_put(&x->issued, key, strlen(key), NULL);
    ALLOC_GROW(l->v, l->nr + 1, l->alloc);
    l->v[l->nr++] = (struct cfn_loop_issue){xstrdup(key), why, cut};
}

static bool charge(struct expander *x, size_t nodes, size_t bytes)
{
    x->nodes += nodes;
    x->bytes += bytes;
    if (!x->cut && (x->nodes > EXPAND_MAX_NODES || x->bytes > EXPAND_MAX_BYTES)) {
        x->cut = "abiscan's bound on what loops copy (1,000,000 values, 16 MiB)";
    }
    return !x->cut;
}

/* s with ${Id} and &{Id} (Id's value, its letters and digits only) of every loop around;
 * fresh, or NULL when a bound is passed. */
static char *subst(struct expander *x, const char *s)
{
    struct buf b = {0};
    const char *p, *close;
    size_t longest = 0;
    char *out;

    if (!x->env_nr || !strchr(s, '{')) {
        return charge(x, 0, strlen(s)) ? xstrdup(s) : NULL;
    }
    for (size_t i = 0; i < x->env_nr; i++) {
        longest = strlen(x->env[i].id) > longest ? strlen(x->env[i].id) : longest;
    }
    for (p = s; *p;) {
        const struct binding *hit = NULL;
        size_t len;
        /* the '}' is looked for no further than an identifier reaches: linear in s */
        if ((p[0] != '$' && p[0] != '&') || p[1] != '{' ||
            !(close = memchr(p + 2, '}', strnlen(p + 2, longest + 1)))) {
            buf_add(&b, p, 1);
            p++;
            continue;
        }
        len = (size_t)(close - p - 2);
        for (size_t i = x->env_nr; i-- > 0 && !hit;) {
            if (strlen(x->env[i].id) == len && !memcmp(x->env[i].id, p + 2, len)) {
                hit = &x->env[i];
            }
        }
        if (!hit) {
            buf_add(&b, p, 2);
            p += 2;
            continue;
        }
        for (const char *c = hit->value; p[0] == '&' && *c; c++) {
            if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')) {
                buf_add(&b, c, 1);
            }
        }
        if (p[0] == '$') {
            buf_add(&b, hit->value, strlen(hit->value));
        }
        p = close + 1;
    }
    if ((out = buf_take(&b)) == NULL) {
        x->cut = x->cut ? x->cut : "a string longer than 1 MiB";
        return NULL;
    }
    if (!charge(x, 0, strlen(out))) {
        free(out);
        return NULL;
    }
    return out;
}

static void expand_loop(struct expander *x, cJSON *into, const cJSON *loop, bool section);

/* v with the loops' values put in, and the loops in it expanded; NULL when a bound is passed. */
static cJSON *copy(struct expander *x, const cJSON *v)
{
    const cJSON *m;
    const char *ref;
    cJSON *out;
    char *s;

    if (!charge(x, 1, 0)) {
        return NULL;
    }
    if (cJSON_IsString(v)) {
        if (!(s = subst(x, v->valuestring))) {
            return NULL;
        }
        out = cJSON_CreateString(s);
        free(s);
        return out;
    }
    if (cJSON_IsNumber(v)) {
        return cJSON_CreateNumber(v->valuedouble);
    }
    if (cJSON_IsBool(v)) {
        return cJSON_CreateBool(cJSON_IsTrue(v));
    }
    if (!cJSON_IsArray(v) && !cJSON_IsObject(v)) {
        return cJSON_CreateNull();
    }
    if (cJSON_IsObject(v) && (ref = tjson_str(v, "Ref")) != NULL && !v->child->next) {
        for (size_t i = x->env_nr; i-- > 0;) {
            if (!strcmp(x->env[i].id, ref)) {
                return cJSON_CreateString(x->env[i].value); /* Ref to the identifier */
            }
        }
    }
    out = cJSON_IsArray(v) ? cJSON_CreateArray() : cJSON_CreateObject();
    for (m = v->child; m; m = m->next) {
        cJSON *c = NULL;
        if (cJSON_IsObject(v) && is_loop(m->string)) {
            expand_loop(x, out, m, false);
        } else if ((c = copy(x, m)) != NULL) {
            if (cJSON_IsArray(v)) {
                cJSON_AddItemToArray(out, c);
            } else {
                cJSON_AddItemToObject(out, m->string ? m->string : "", c);
            }
        }
        if (x->cut) {
            cJSON_Delete(out);
            return NULL;
        }
    }
    return out;
}

/* key: value into the section (the first of a key kept; at most CFN_MAX_EXPANDED), or into
 * an object of a fragment. */
static void put(struct expander *x, cJSON *into, const char *key, cJSON *value, bool section)
{
    if (section && strmap_has(&x->keys, key, strlen(key))) {
        cJSON_Delete(value);
        return;
    }
    if (section && ++x->resources > CFN_MAX_EXPANDED) {
        x->cut = "10,000 resources (a template has at most 500)";
        cJSON_Delete(value);
        return;
    }
    if (section) {
        strmap_put(&x->keys, key, strlen(key), NULL);
    }
    cJSON_AddItemToObject(into, key, value);
}

/* A loop's collection: each value, or false with why (a bound passed: x->cut). */
static bool collection(struct expander *x, const cJSON *coll, struct strvec *out, char **why)
{
    cJSON *mine = x->env_nr ? copy(x, coll) : NULL;
    const cJSON *v = x->env_nr ? mine : coll, *item;
    const char *s;
    bool ok = true;

    if (!v) {
        return false;
    }
    v = cfn_value(x->e, v);
    if (!charge(x, x->e->steps, 0)) {
        cJSON_Delete(mine);
        return false;
    }
    if (!v) {
        char *text = cfn_expr_text(coll);
        *why = xasprintf("its collection %s is not known (%s)", text, why_of(x->e));
        free(text);
        cJSON_Delete(mine);
        return false;
    }
    if (cJSON_IsString(v)) { /* a CommaDelimitedList's default */
        for (s = v->valuestring; ok && *s;) {
            size_t len = strcspn(s, ","), lead = strspn(s, " \t"), n = len;
            while (n > lead && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
                n--;
            }
            if (n > lead) {
                strvec_push_nodup(out, xstrndup(s + lead, n - lead));
                ok = charge(x, 1, n - lead);
            }
            s += len + (s[len] == ',');
        }
    } else if (cJSON_IsArray(v)) {
        cJSON_ArrayForEach(item, v)
        {
            s = cfn_str(x->e, item);
            if (!charge(x, x->e->steps, 0)) {
                ok = false;
                break;
            }
            if (!s) {
                char *text = cfn_expr_text(item);
                *why = xasprintf("a value of its collection, %s, is not known (%s)", text,
                                 why_of(x->e));
                free(text);
                ok = false;
                break;
            }
            strvec_push(out, s);
            if (!(ok = charge(x, 1, strlen(s)))) {
                break;
            }
        }
    } else {
        char *text = cfn_expr_text(coll);
        *why = xasprintf("its collection %s is not a list", text);
        free(text);
        ok = false;
    }
    cJSON_Delete(mine);
    return ok;
}

/* "Fn::ForEach::Name": [Identifier, Collection, {OutputKey: fragment}] into `into`. */
static void expand_loop(struct expander *x, cJSON *into, const cJSON *loop, bool section)
{
    const cJSON *id = cJSON_IsArray(loop) ? loop->child : NULL;
    const cJSON *coll = id ? id->next : NULL, *frag = coll ? coll->next : NULL, *f;
    struct strvec values = STRVEC_INIT;
    char *why = NULL;

    if (!cJSON_IsString(id) || !*id->valuestring || strlen(id->valuestring) > LOOP_MAX_ID ||
        !coll || !cJSON_IsObject(frag) || frag->next) {
        why = xstrdup("not [identifier, collection, {key: fragment}]");
    } else if (x->env_nr == LOOP_MAX_NESTING) {
        why = xasprintf("loops nested more than %d deep", LOOP_MAX_NESTING);
    } else if (!collection(x, coll, &values, &why) && !why) {
        strvec_release(&values); /* a bound passed: x->cut */
        return;
    }
    if (why) {
        if (section) {
            issue(x, loop, why, false);
        } else {
            free(why);
        }
        strvec_release(&values);
        return;
    }
    for (size_t i = 0; i < values.nr && !x->cut; i++) {
        x->env[x->env_nr++] = (struct binding){id->valuestring, values.v[i]};
        for (f = frag->child; f && charge(x, 1, 0); f = f->next) {
            cJSON *body;
            char *key;
            if (is_loop(f->string)) {
                expand_loop(x, into, f, section);
                continue;
            }
            if (!(key = subst(x, f->string ? f->string : ""))) {
                break;
            }
            if ((body = copy(x, f)) != NULL) {
                put(x, into, key, body, section);
            }
            free(key);
        }
        x->env_nr--;
    }
    strvec_release(&values);
}

void cfn_expand(struct cfn_loops *out, const cJSON *section, struct cfn_eval *e)
{
    struct expander x = {.e = e, .out = out};
    const cJSON *m;

    memset(out, 0, sizeof(*out));
    if (!cJSON_IsObject(section) || !has_loop(section)) {
        return;
    }
    out->section = cJSON_CreateObject();
    for (m = section->child; m; m = m->next) {
        const char *key = m->string ? m->string : "";
        if (is_loop(key) || has_loop(m)) {
            cJSON *body;
            if (x.cut) { /* a bound passed before it: not read */
                issue(&x, m,
                      xasprintf("not expanded: expanding the loops before it stopped at %s", x.cut),
                      true);
                continue;
            }
            if (is_loop(key)) {
                expand_loop(&x, out->section, m, true);
            } else if ((body = copy(&x, m)) != NULL) {
                put(&x, out->section, key, body, true);
            }
            if (x.cut) {
                issue(
                    &x, m,
                    xasprintf("expanding it stopped at %s: what it declares past that is not read",
                              x.cut),
                    true);
            }
        } else if (!strmap_has(&x.keys, key, strlen(key))) {
            strmap_put(&x.keys, key, strlen(key), NULL);
            cJSON_AddItemReferenceToObject(out->section, key, (cJSON *)m);
        }
    }
    strmap_release(&x.keys);
    strmap_release(&x.issued);
}

void cfn_loops_release(struct cfn_loops *l)
{
    for (size_t i = 0; i < l->nr; i++) {
        free(l->v[i].loop);
        free(l->v[i].why);
    }
    free(l->v);
    cJSON_Delete(l->section);
    memset(l, 0, sizeof(*l));
}
