/* SPDX-License-Identifier: MIT */
/*
 * Content digests of an image's blobs (OCI image-spec descriptor.md, "Digests": algorithm
 * ":" encoded, sha256 and sha512 as lower-case hex), computed with nettle, which Debian's
 * libarchive already links.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/sha2.h>

#include "bundle_image_int.h"
#include "dynlib.h"
#include "xalloc.h"

/* nettle is bound with the first digest (dynlib.h), when libarchive has loaded it already:
 * each by its real name (sha2.h's sha256_init is a macro for nettle_sha256_init). */
#define NETTLE_FUNCTIONS(X)                                                                        \
    X(nettle_sha256_init)                                                                          \
    X(nettle_sha256_update)                                                                        \
    X(nettle_sha256_digest)                                                                        \
    X(nettle_sha512_init)                                                                          \
    X(nettle_sha512_update)                                                                        \
    X(nettle_sha512_digest)

static struct {
#define SLOT(fn) __typeof__(fn) *fn;
    NETTLE_FUNCTIONS(SLOT)
#undef SLOT
} nettle;

static const char *const names[] = {
#define NAME(fn) #fn,
    NETTLE_FUNCTIONS(NAME)
#undef NAME
};

static void **const slots[] = {
#define ADDR(fn) (void **)&nettle.fn,
    NETTLE_FUNCTIONS(ADDR)
#undef ADDR
};

static struct dynlib lib = DYNLIB_INIT(ABISCAN_NETTLE_SONAME, names, slots);

struct digester {
    enum digest_alg alg;
    union {
        struct sha256_ctx s256;
        struct sha512_ctx s512;
    } u;
};

static bool lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return false;
        }
    }
    return s[n] == '\0';
}

enum digest_alg digest_parse(const char *digest)
{
    if (!strncmp(digest, "sha256:", 7) && strlen(digest + 7) == 64 && lower_hex(digest + 7, 64)) {
        return DIGEST_SHA256;
    }
    if (!strncmp(digest, "sha512:", 7) && strlen(digest + 7) == 128 && lower_hex(digest + 7, 128)) {
        return DIGEST_SHA512;
    }
    return DIGEST_NONE;
}

struct digester *digester_new(enum digest_alg alg)
{
    struct digester *dg = xcalloc(1, sizeof(*dg));
    struct diag d = DIAG_INIT;

    if (dynlib_load(&lib, "nettle", &d) != 0) {
        BUG("%s: libarchive's own dependency is missing", d.msg);
    }
    dg->alg = alg;
    if (alg == DIGEST_SHA512) {
        nettle.nettle_sha512_init(&dg->u.s512);
    } else {
        nettle.nettle_sha256_init(&dg->u.s256);
    }
    return dg;
}

void digester_update(struct digester *dg, const void *data, size_t len)
{
    if (dg->alg == DIGEST_SHA512) {
        nettle.nettle_sha512_update(&dg->u.s512, len, data);
    } else {
        nettle.nettle_sha256_update(&dg->u.s256, len, data);
    }
}

char *digester_final(struct digester *dg)
{
    unsigned char raw[SHA512_DIGEST_SIZE];
    size_t n = dg->alg == DIGEST_SHA512 ? SHA512_DIGEST_SIZE : SHA256_DIGEST_SIZE;
    char *out = xmalloc(7 + 2 * n + 1);

    if (dg->alg == DIGEST_SHA512) {
        nettle.nettle_sha512_digest(&dg->u.s512, n, raw);
    } else {
        nettle.nettle_sha256_digest(&dg->u.s256, n, raw);
    }
    memcpy(out, dg->alg == DIGEST_SHA512 ? "sha512:" : "sha256:", 7);
    for (size_t i = 0; i < n; i++) {
        snprintf(out + 7 + 2 * i, 3, "%02x", raw[i]);
    }
    return out;
}

void digester_free(struct digester *dg)
{
    free(dg);
}
