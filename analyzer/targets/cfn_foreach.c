/* SPDX-License-Identifier: MIT */
/*
 * AWS::LanguageExtensions' Fn::ForEach in a CloudFormation template, expanded as
 * CloudFormation expands it: each value of the collection (a list, or a Ref to a
 * CommaDelimitedList parameter's default, resolved by cfn_eval.c) put for ${Identifier} and
 * &{Identifier} (its letters and digits only) in the output key and in every string of the
 * fragment, and for a Ref to the identifier; loops nest. A template is hostile input:
 * expansion stops at CFN_MAX_EXPANDED resources and at a bound on what it copies.
 */
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
    struct cfn_buf b = {0};
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
            cfn_buf_add(&b, p, 1);
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
            cfn_buf_add(&b, p, 2);
            p += 2;
            continue;
        }
        for (const char *c = hit->value; p[0] == '&' && *c; c++) {
            if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')) {
                cfn_buf_add(&b, c, 1);
            }
        }
        if (p[0] == '$') {
            cfn_buf_add(&b, hit->value, strlen(hit->value));
        }
        p = close + 1;
    }
    if ((out = cfn_buf_take(&b)) == NULL) {
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
        *why = xasprintf("its collection %s is not known (%s)", text, cfn_why(x->e));
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
                                 cfn_why(x->e));
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
