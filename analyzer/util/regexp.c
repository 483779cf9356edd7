/* SPDX-License-Identifier: MIT */
/* pcre2 behind one small interface: compile once, match from any thread. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regexp.h"

#include <pcre2.h>
#include <stdlib.h>

#include "xalloc.h"

struct regexp {
    pcre2_code *code;
};

struct regexp_match {
    const struct regexp *re;
    pcre2_match_data *md;
};

int regexp_compile(struct regexp **out, const char *pattern, unsigned flags, struct diag *d)
{
    uint32_t options = PCRE2_DOLLAR_ENDONLY;
    PCRE2_SIZE off = 0;
    int errcode = 0;
    pcre2_code *code;

    *out = NULL;
    options |= (flags & REGEXP_ANCHORED) ? PCRE2_ANCHORED : 0;
    options |= (flags & REGEXP_UTF) ? PCRE2_UTF : 0;
    code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, options, &errcode, &off, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof(msg));
        return diag_set(d, DIAG_DATA, "pattern '%s': %s at offset %zu", pattern, (char *)msg,
                        (size_t)off);
    }
    *out = xcalloc(1, sizeof(**out));
    (*out)->code = code;
    return 0;
}

static pcre2_match_data *match(const struct regexp *re, const char *subject)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re->code, NULL);

    if (!md) {
        xalloc_die(sizeof(void *)); /* pcre2 fails here only when out of memory */
    }
    if (pcre2_match(re->code, (PCRE2_SPTR)subject, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) < 0) {
        pcre2_match_data_free(md);
        return NULL;
    }
    return md;
}

bool regexp_test(const struct regexp *re, const char *subject)
{
    pcre2_match_data *md = match(re, subject);

    if (!md) {
        return false;
    }
    pcre2_match_data_free(md);
    return true;
}

struct regexp_match *regexp_exec(const struct regexp *re, const char *subject)
{
    pcre2_match_data *md = match(re, subject);
    struct regexp_match *m;

    if (!md) {
        return NULL;
    }
    m = xcalloc(1, sizeof(*m));
    m->re = re;
    m->md = md;
    return m;
}

char *regexp_group(const struct regexp_match *m, const char *name)
{
    PCRE2_UCHAR *sub = NULL;
    PCRE2_SIZE len = 0;
    char *out;

    if (pcre2_substring_get_byname(m->md, (PCRE2_SPTR)name, &sub, &len) < 0) {
        return NULL;
    }
    out = xstrndup((const char *)sub, len);
    pcre2_substring_free(sub);
    return out;
}

bool regexp_group_set(const struct regexp_match *m, const char *name)
{
    PCRE2_SIZE len = 0;

    return pcre2_substring_length_byname(m->md, (PCRE2_SPTR)name, &len) == 0;
}

void regexp_match_free(struct regexp_match *m)
{
    if (m) {
        pcre2_match_data_free(m->md);
        free(m);
    }
}

void regexp_free(struct regexp *re)
{
    if (re) {
        pcre2_code_free(re->code);
        free(re);
    }
}
