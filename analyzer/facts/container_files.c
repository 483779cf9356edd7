/* SPDX-License-Identifier: MIT */
/*
 * What a container image's own files say (container_read_text): the OS it is, from
 * /etc/os-release's PRETTY_NAME (os-release(5)), and the libraries its /etc/ld.so.cache
 * maps sonames to (glibc's cache format), for the loader's search.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "xalloc.h"

/* ld.so.cache (glibc sysdeps/generic/dl-cache.h): the new format's header and entries. */
#define CACHE_OLD "ld.so-1.7.0"
#define CACHE_NEW "glibc-ld.so.cache1.1"
#define CACHE_NEW_HEADER 48
#define CACHE_NEW_ENTRY 24
#define CACHE_OLD_ENTRY 12
#define FLAG_ELF_LIBC6 0x0003
#define FLAG_X8664_LIB64 0x0300
#define FLAG_AARCH64_LIB64 0x0a00

/* PRETTY_NAME="Amazon Linux 2023.6.20241212" (os-release(5)). */
static char *os_release_name(const char *data, size_t len)
{
    for (size_t i = 0; i < len;) {
        const char *line = data + i, *nl = memchr(line, '\n', len - i);
        size_t n = nl ? (size_t)(nl - line) : len - i;
        if (n > 12 && !strncmp(line, "PRETTY_NAME=", 12)) {
            const char *v = line + 12;
            size_t m = n - 12;
            if (m >= 2 && (v[0] == '"' || v[0] == '\'') && v[m - 1] == v[0]) {
                v++, m -= 2;
            }
            return m && m < 200 && !memchr(v, '\0', m) ? xstrndup(v, m) : NULL;
        }
        i += n + 1;
    }
    return NULL;
}

static uint32_t u32le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A NUL-terminated string at off of data, or NULL when it runs past the end. */
static const char *cache_str(const unsigned char *data, size_t len, size_t off)
{
    return off < len && memchr(data + off, '\0', len - off) ? (const char *)data + off : NULL;
}

int container_parse_ld_cache(struct strvec *out, const unsigned char *data, size_t len,
                             unsigned arch_flags)
{
    size_t at = 0, nlibs;

    /* The old format first, when the cache carries both (glibc before 2.32 wrote both). */
    if (len >= 16 && !memcmp(data, CACHE_OLD, strlen(CACHE_OLD))) {
        uint32_t old = u32le(data + 12);
        if (old > (len - 16) / CACHE_OLD_ENTRY) {
            return -1;
        }
        at = (16 + (size_t)old * CACHE_OLD_ENTRY + 7) & ~(size_t)7;
    }
    if (at > len || len - at < CACHE_NEW_HEADER || memcmp(data + at, CACHE_NEW, 20) != 0) {
        return -1;
    }
    nlibs = u32le(data + at + 20);
    if (nlibs > (len - at - CACHE_NEW_HEADER) / CACHE_NEW_ENTRY) {
        return -1;
    }
    for (size_t i = 0; i < nlibs; i++) {
        const unsigned char *e = data + at + CACHE_NEW_HEADER + i * CACHE_NEW_ENTRY;
        uint32_t flags = u32le(e);
        const char *key = cache_str(data, len, at + u32le(e + 4));
        const char *value = cache_str(data, len, at + u32le(e + 8));
        if (!key || !value || (flags & 0xff) != FLAG_ELF_LIBC6 ||
            (arch_flags && (flags & 0xff00) != arch_flags)) {
            continue;
        }
        strvec_push(out, key);
        strvec_push(out, value);
    }
    return 0;
}

void container_read_text(struct container *c, const char *path, const char *data, size_t len)
{
    if (!strcmp(path, "etc/ld.so.cache")) {
        unsigned flags = !strcmp(c->arch, "arm64") ? FLAG_AARCH64_LIB64 : FLAG_X8664_LIB64;
        c->has_ld_cache =
            container_parse_ld_cache(&c->ld_cache, (const unsigned char *)data, len, flags) == 0;
    } else if (!c->os_name || !strcmp(path, "etc/os-release")) {
        char *name = os_release_name(data, len);
        if (name) {
            free(c->os_name);
            c->os_name = name;
        }
    }
}
