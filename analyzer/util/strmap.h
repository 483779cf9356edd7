/* SPDX-License-Identifier: MIT */
/*
 * A string-keyed hash map (open addressing, FNV-1a) to a pointer, for lookups that
 * would otherwise make a pass per member: a bundle may hold 100,000 entries.
 *
 * Ownership: the map copies its keys and owns them; values are borrowed.
 * strmap_release() frees the keys and the table (a zeroed struct is valid).
 */
#ifndef ANALYZER_STRMAP_H
#define ANALYZER_STRMAP_H

#include <stddef.h>

struct strmap_slot {
    char *key;
    size_t len;
    void *value;
};

struct strmap {
    struct strmap_slot *slots;
    size_t cap, nr;
};

/** The value for key[0..len), or NULL. */
void *strmap_get(const struct strmap *map, const char *key, size_t len);

/** Set key[0..len) to value (NULL is a value, use strmap_has to tell). Returns the old value. */
void *strmap_put(struct strmap *map, const char *key, size_t len, void *value);

/** Whether key[0..len) is in the map. */
int strmap_has(const struct strmap *map, const char *key, size_t len);

void strmap_release(struct strmap *map);

#endif
