/* SPDX-License-Identifier: MIT */
/* Open-addressing string hash map, grown at 50 % load. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    }
    return h;
}

static struct strmap_slot *find(const struct strmap *map, const char *key, size_t len)
{
    size_t i;

    if (!map->cap) {
        return NULL;
    }
    for (i = (size_t)hash(key, len) & (map->cap - 1);; i = (i + 1) & (map->cap - 1)) {
        struct strmap_slot *s = &map->slots[i];
        if (!s->key || (s->len == len && !memcmp(s->key, key, len))) {
            return s;
        }
    }
}

static void grow(struct strmap *map)
{
    struct strmap old = *map;

    map->cap = old.cap ? old.cap * 2 : 64;
    map->slots = xcalloc(map->cap, sizeof(*map->slots));
    map->nr = 0;
    for (size_t i = 0; i < old.cap; i++) {
        if (old.slots[i].key) {
            *find(map, old.slots[i].key, old.slots[i].len) = old.slots[i];
            map->nr++;
        }
    }
    free(old.slots);
}

void *strmap_get(const struct strmap *map, const char *key, size_t len)
{
    const struct strmap_slot *s = find(map, key, len);
    return s && s->key ? s->value : NULL;
}

int strmap_has(const struct strmap *map, const char *key, size_t len)
{
    const struct strmap_slot *s = find(map, key, len);
    return s && s->key;
}

void *strmap_put(struct strmap *map, const char *key, size_t len, void *value)
{
    struct strmap_slot *s;
    void *old = NULL;

    if ((map->nr + 1) * 2 > map->cap) {
        grow(map);
    }
    s = find(map, key, len);
    if (s->key) {
        old = s->value;
    } else {
        s->key = xstrndup(key, len);
        s->len = len;
        map->nr++;
    }
    s->value = value;
    return old;
}

void strmap_release(struct strmap *map)
{
    for (size_t i = 0; i < map->cap; i++) {
        free(map->slots[i].key);
    }
    free(map->slots);
    memset(map, 0, sizeof(*map));
}
