/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: the Node.js package readers. The input is a package.json's bytes
 * (npmpkg_read: a broken one is all NULL and empty, a read one owns every string it has;
 * npmpkg_fits on it for both of Lambda's architectures), a package's index.js
 * (nodepkg_falls_back), and, up to its first NUL, a member path (addons_prebuild: the
 * prebuild's directory and platform lie inside the path; addons_platform_name; nodepkg's
 * index test and package name) for a nodejs20.x profile of each architecture.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addons.h"
#include "fuzz_util.h"
#include "nodepkg.h"
#include "npmpkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_package(const char *text, size_t size)
{
    struct npm_package pkg;
    char why[128];

    npmpkg_read(&pkg, text, size);
    if (pkg.broken) {
        FUZZ_CHECK(!pkg.name && !pkg.version && !pkg.os.nr && !pkg.cpu.nr && !pkg.libc.nr &&
                   !pkg.optional.nr && !pkg.dev.nr);
    }
    fuzz_touch(pkg.name);
    fuzz_touch(pkg.version);
    fuzz_touch_strvec(&pkg.os);
    fuzz_touch_strvec(&pkg.cpu);
    fuzz_touch_strvec(&pkg.libc);
    fuzz_touch_strvec(&pkg.optional);
    fuzz_touch_strvec(&pkg.dev);
    for (int arm = 0; arm < 2; arm++) {
        why[0] = '\0';
        if (!npmpkg_fits(&pkg, arm ? "arm64" : "x64", "glibc", why, sizeof(why))) {
            FUZZ_CHECK(why[0] != '\0' && strnlen(why, sizeof(why)) < sizeof(why));
        }
    }
    npmpkg_release(&pkg);
    npmpkg_release(&pkg); /* a released one is zeroed, and releasing it again is fine */
}

static void check_path(const char *path, const struct profile *p)
{
    struct prebuild b;
    bool fits = false;

    if (addons_prebuild(path, &b)) {
        FUZZ_CHECK(b.root_len < b.dir_len && b.dir_len <= strlen(path));
        FUZZ_CHECK(!strncmp(path + b.root_len, "prebuilds/", 10));
        FUZZ_CHECK(path[b.dir_len - 1] == '/' && !strchr(path + b.dir_len, '/'));
        FUZZ_CHECK(b.platform[0] && strstr(path, b.platform) && b.archs[0]);
        FUZZ_CHECK(b.specificity >= 0 && (size_t)b.specificity <= strlen(path));
    }
    (void)addons_platform_name(path, p, &fits);
    const char *name;
    size_t len;
    if (nodepkg_name_at(path, &name, &len)) {
        FUZZ_CHECK(name > path && name + len <= path + strlen(path) && len > 0);
        FUZZ_CHECK(!memcmp(name - 13, "node_modules/", 13));
    }
    if (nodepkg_is_index(path)) {
        FUZZ_CHECK(strlen(path) >= 8 && !strcmp(path + strlen(path) - 8, "index.js"));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    struct profile p = {.runtime = "nodejs20.x", .node_version = "20", .node_abi = 115};

    if (!text) {
        return 0;
    }
    if (size) {
        memcpy(text, data, size);
    }
    text[size] = '\0';
    check_package(text, size);
    (void)nodepkg_falls_back(text, size);
    for (int arm = 0; arm < 2; arm++) {
        p.arch = arm ? "arm64" : "x86_64";
        check_path(text, &p);
    }
    free(text);
    return 0;
}
