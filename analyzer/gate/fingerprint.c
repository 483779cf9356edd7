/* SPDX-License-Identifier: MIT */
/* Fingerprints of findings: rule, member path, the stable fact. */
#include "fingerprint.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "utf8.h"

/*
 * A rule whose "found" is a measurement that changes with every build (a byte count,
 * today's date) says so in its catalogue row ("fingerprint": "expected"): the stable fact
 * is the limit or date crossed, not by how much. Every other rule's "found" is what the
 * member is or needs (GLIBC_2.38, libfoo.so.1, cpython-35m-x86_64-linux-gnu, EM_ARM).
 */
const char *fingerprint_fact(const struct finding *f)
{
    if (f->rule->fingerprint_expected) {
        return f->expected ? f->expected : "";
    }
    return f->found ? f->found : "";
}

/* FNV-1a, 64 bits (http://www.isthe.com/chongo/tech/comp/fnv/): stable, cheap, no library. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s;; p++) {
        h ^= *p;
        h *= 0x100000001b3ull;
        if (!*p) {
            return h; /* the NUL is hashed too: ("ab","c") and ("a","bc") differ */
        }
    }
}

void fingerprint_parts(const char *rule, const char *path, const char *fact,
                       char out[FINGERPRINT_HEX])
{
    uint64_t h = 0xcbf29ce484222325ull;

    h = fnv1a(h, rule);
    h = fnv1a(h, path);
    h = fnv1a(h, fact);
    snprintf(out, FINGERPRINT_HEX, "%016llx", (unsigned long long)h);
}

void fingerprint_of(const struct finding *f, char out[FINGERPRINT_HEX])
{
    /* As a baseline file holds it: valid UTF-8 (a fact read from a hostile ELF may not be). */
    char *fact = utf8_escape(fingerprint_fact(f), false);

    fingerprint_parts(f->rule->id, f->path, fact, out);
    free(fact);
}
