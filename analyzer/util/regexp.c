/* SPDX-License-Identifier: MIT */
/* pcre2 behind one small interface: compile once (now, or lazily), match from any thread. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regexp.h"

#include <pcre2.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "dynlib.h"
#include "xalloc.h"

/* pcre2 is bound when the first pattern is compiled (dynlib.h): its functions, each by its
 * real name (pcre2.h's pcre2_compile is a macro for pcre2_compile_8). */
#define PCRE2_FUNCTIONS(X)                                                                         \
    X(pcre2_compile_8)                                                                             \
    X(pcre2_get_error_message_8)                                                                   \
    X(pcre2_code_free_8)                                                                           \
    X(pcre2_match_data_create_from_pattern_8)                                                      \
    X(pcre2_match_8)                                                                               \
    X(pcre2_match_data_free_8)                                                                     \
    X(pcre2_substring_get_byname_8)                                                                \
    X(pcre2_substring_free_8)                                                                      \
    X(pcre2_substring_length_byname_8)

static struct {
#define SLOT(fn) __typeof__(fn) *fn;
    PCRE2_FUNCTIONS(SLOT)
#undef SLOT
} pcre;

static const char *const names[] = {
#define NAME(fn) #fn,
    PCRE2_FUNCTIONS(NAME)
#undef NAME
};

static void **const slots[] = {
#define ADDR(fn) (void **)&pcre.fn,
    PCRE2_FUNCTIONS(ADDR)
#undef ADDR
};

static struct dynlib lib = DYNLIB_INIT(ABISCAN_PCRE2_SONAME, names, slots);

#define PCRE(fn) (pcre.fn##_8)

struct regexp {
    _Atomic(pcre2_code *) code; /* NULL until a lazy pattern is first used */
    char *pattern;              /* kept for a lazy one */
    uint32_t options;
};

struct regexp_match {
    const struct regexp *re;
    pcre2_match_data *md;
};

static pcre2_code *compile(const char *pattern, uint32_t options, struct diag *d)
{
    PCRE2_SIZE off = 0;
    int errcode = 0;
    pcre2_code *code;

    if (dynlib_load(&lib, "pcre2", d) != 0) {
        return NULL;
    }
    code = PCRE(pcre2_compile)((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, options, &errcode, &off,
                               NULL);

    if (!code) {
        PCRE2_UCHAR msg[256];
        PCRE(pcre2_get_error_message)(errcode, msg, sizeof(msg));
        diag_set(d, DIAG_DATA, "pattern '%s': %s at offset %zu", pattern, (char *)msg, (size_t)off);
    }
    return code;
}

int regexp_compile(struct regexp **out, const char *pattern, unsigned flags, struct diag *d)
{
    uint32_t options = PCRE2_DOLLAR_ENDONLY;
    pcre2_code *code = NULL;

    *out = NULL;
    options |= (flags & REGEXP_ANCHORED) ? PCRE2_ANCHORED : 0;
    options |= (flags & REGEXP_UTF) ? PCRE2_UTF : 0;
    if (!(flags & REGEXP_LAZY) && !(code = compile(pattern, options, d))) {
        return -1;
    }
    *out = xcalloc(1, sizeof(**out));
    atomic_init(&(*out)->code, code);
    (*out)->pattern = (flags & REGEXP_LAZY) ? xstrdup(pattern) : NULL;
    (*out)->options = options;
    return 0;
}

/* The compiled pattern, compiled now if it is a lazy one used for the first time. */
static pcre2_code *code_of(const struct regexp *re)
{
    struct regexp *rw = (struct regexp *)re; /* the cache is not part of the value */
    pcre2_code *code = atomic_load(&rw->code), *expected = NULL;
    struct diag d = DIAG_INIT;

    if (code) {
        return code;
    }
    if (!(code = compile(re->pattern, re->options, &d))) {
        BUG("a pattern of the shipped data cannot be compiled: %s", d.msg);
    }
    if (!atomic_compare_exchange_strong(&rw->code, &expected, code)) {
        PCRE(pcre2_code_free)(code); /* another thread compiled it first */
        code = expected;
    }
    return code;
}

static pcre2_match_data *match(const struct regexp *re, const char *subject)
{
    pcre2_code *code = code_of(re);
    pcre2_match_data *md = PCRE(pcre2_match_data_create_from_pattern)(code, NULL);

    if (!md) {
        xalloc_die(sizeof(void *)); /* pcre2 fails here only when out of memory */
    }
    if (PCRE(pcre2_match)(code, (PCRE2_SPTR)subject, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL) < 0) {
        PCRE(pcre2_match_data_free)(md);
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
    PCRE(pcre2_match_data_free)(md);
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

    if (PCRE(pcre2_substring_get_byname)(m->md, (PCRE2_SPTR)name, &sub, &len) < 0) {
        return NULL;
    }
    out = xstrndup((const char *)sub, len);
    PCRE(pcre2_substring_free)(sub);
    return out;
}

bool regexp_group_set(const struct regexp_match *m, const char *name)
{
    PCRE2_SIZE len = 0;

    return PCRE(pcre2_substring_length_byname)(m->md, (PCRE2_SPTR)name, &len) == 0;
}

void regexp_match_free(struct regexp_match *m)
{
    if (m) {
        PCRE(pcre2_match_data_free)(m->md);
        free(m);
    }
}

void regexp_free(struct regexp *re)
{
    if (re) {
        pcre2_code *code = atomic_load(&re->code);
        if (code) { /* (a lazy pattern never used: pcre2 may not even be loaded) */
            PCRE(pcre2_code_free)(code);
        }
        free(re->pattern);
        free(re);
    }
}
