/* SPDX-License-Identifier: MIT */
/*
 * Growable array of strings.
 *
 * Ownership: the strvec owns every string in it; strvec_push copies its
 * argument, strvec_push_nodup takes ownership. strvec_release frees all and
 * leaves an empty, reusable vector. A zeroed struct is a valid empty vector.
 */
#ifndef ANALYZER_STRVEC_H
#define ANALYZER_STRVEC_H

#include <stdbool.h>
#include <stddef.h>

struct strvec {
    char **v;
    size_t nr;
    size_t alloc;
};

#define STRVEC_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void strvec_push(struct strvec *sv, const char *s);
void strvec_push_nodup(struct strvec *sv, char *s);
bool strvec_contains(const struct strvec *sv, const char *s);
/** Join with sep into a fresh string ("" for an empty vector). */
char *strvec_join(const struct strvec *sv, const char *sep);
void strvec_sort(struct strvec *sv);
void strvec_release(struct strvec *sv);

#endif
