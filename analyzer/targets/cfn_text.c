/* SPDX-License-Identifier: MIT */
/*
 * A CloudFormation template's expression as text, as a YAML template writes it
 * ("!FindInMap [M, !Ref AWS::Region, k]"), cut at about EXPR_TEXT_MAX characters: what a
 * message says when a value is not resolved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "targets_int.h"
#include "xalloc.h"

#define EXPR_TEXT_MAX 160

static void add_capped(struct cfn_buf *b, const char *s)
{
    size_t len = strlen(s);
    cfn_buf_add(b, s, len > EXPR_TEXT_MAX ? EXPR_TEXT_MAX : len);
}

static void text_of(struct cfn_buf *b, const cJSON *v, int depth)
{
    const char *fn = cfn_fn_name(v);
    const cJSON *m;
    char num[64];

    if (b->n > EXPR_TEXT_MAX) {
        return;
    }
    if (depth > 8) {
        cfn_buf_add(b, "...", 3);
    } else if (fn) {
        cfn_buf_add(b, "!", 1);
        add_capped(b, strncmp(fn, "Fn::", 4) ? fn : fn + 4);
        cfn_buf_add(b, " ", 1);
        text_of(b, v->child, depth + 1);
    } else if (cJSON_IsString(v)) {
        const char *s = v->valuestring;
        bool quote = !*s || strpbrk(s, ",[]{}#'\"") || strstr(s, ": ") || s[0] == ' ' ||
                     s[0] == '!' || s[0] == '&' || s[0] == '*';
        cfn_buf_add(b, "'", quote);
        add_capped(b, s);
        cfn_buf_add(b, "'", quote);
    } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        cfn_buf_add(b, cJSON_IsArray(v) ? "[" : "{", 1);
        for (m = v->child; m && b->n <= EXPR_TEXT_MAX; m = m->next) {
            cfn_buf_add(b, ", ", m == v->child ? 0 : 2);
            if (cJSON_IsObject(v) && m->string) {
                add_capped(b, m->string);
                cfn_buf_add(b, ": ", 2);
            }
            text_of(b, m, depth + 1);
        }
        cfn_buf_add(b, cJSON_IsArray(v) ? "]" : "}", 1);
    } else if (cJSON_IsNumber(v)) {
        snprintf(num, sizeof(num), "%g", v->valuedouble);
        cfn_buf_add(b, num, strlen(num));
    } else {
        add_capped(b, cJSON_IsTrue(v) ? "true" : cJSON_IsFalse(v) ? "false" : "null");
    }
}

char *cfn_expr_text(const cJSON *v)
{
    struct cfn_buf b = {0};
    char *out;

    text_of(&b, v, 0);
    if (b.n > EXPR_TEXT_MAX) {
        out = xasprintf("%.*s...", EXPR_TEXT_MAX, b.p);
        free(b.p);
        return out;
    }
    return cfn_buf_take(&b);
}
