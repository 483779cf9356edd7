/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the loader model (model/loader.c): where ld.so finds a DT_NEEDED on
 * Lambda. DT_RPATH only without DT_RUNPATH, then LD_LIBRARY_PATH (system directories,
 * /var/task, /var/task/lib, /opt/lib), then DT_RUNPATH, then the OS's own libraries;
 * $ORIGIN is the directory of the object that needs the library (ld.so(8)).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "loader.h"
#include "testimg.h"

static struct datadir dd;

static int setup(void **state)
{
    (void)state;
    testdata_load(&dd);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    datadir_release(&dd);
    return 0;
}

static const struct profile *target(const char *runtime)
{
    const struct profile *p = profiles_find(&dd.profiles, runtime, "x86_64");
    assert_non_null(p);
    return p;
}

struct row {
    const char *soname;
    enum resolve_kind kind;
    const char *via;  /* NULL: not checked */
    const char *path; /* the member found, for RESOLVED_BUNDLE */
};

static void expect(const struct image *img, const struct profile *p, const struct member *obj,
                   const struct row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct resolution r;
        loader_resolve(img, p, obj, rows[i].soname, &r);
        if (r.kind != rows[i].kind) {
            fail_msg("%s needs %s: resolved as %d, expected %d", obj->path, rows[i].soname,
                     (int)r.kind, (int)rows[i].kind);
        }
        if (rows[i].via && (!r.via || strcmp(r.via, rows[i].via))) {
            fail_msg("%s needs %s: via %s, expected %s", obj->path, rows[i].soname,
                     r.via ? r.via : "(none)", rows[i].via);
        }
        if (rows[i].path && (!r.m || strcmp(r.m->path, rows[i].path))) {
            fail_msg("%s needs %s: found %s, expected %s", obj->path, rows[i].soname,
                     r.m ? r.m->path : "(nothing)", rows[i].path);
        }
    }
}

/* $ORIGIN in DT_RUNPATH: the auditwheel layout, pkg/_m.so -> pkg.libs/. */
static void loader__expands_origin_in_runpath(void **state)
{
    struct image img = {0};
    size_t fn = testimg_input(&img, "fn", INPUT_FUNCTION);
    const struct member *m;
    static const struct row rows[] = {
        {"libfoo-1a2b.so.1", RESOLVED_BUNDLE, "DT_RUNPATH", "pkg.libs/libfoo-1a2b.so.1"},
        {"libbar.so.1", RESOLVED_MISSING, NULL, NULL},
        {"libc.so.6", RESOLVED_SYSTEM, "system", NULL},
    };

    (void)state;
    m = testimg_elf(&img, fn, "pkg/sub/_m.so", NULL, "libfoo-1a2b.so.1", NULL,
                    "$ORIGIN/../../pkg.libs");
    testimg_elf(&img, fn, "pkg.libs/libfoo-1a2b.so.1", "libfoo-1a2b.so.1", NULL, NULL, NULL);
    image_index(&img);
    expect(&img, target("python3.12"), m, rows, sizeof(rows) / sizeof(rows[0]));
    image_release(&img);
}

/* DT_RPATH counts only when there is no DT_RUNPATH, and ${ORIGIN} is $ORIGIN. */
static void loader__uses_rpath_only_without_runpath(void **state)
{
    struct image img = {0};
    size_t fn = testimg_input(&img, "fn", INPUT_FUNCTION);
    const struct member *only_rpath, *both;
    static const struct row via_rpath[] = {
        {"liba.so", RESOLVED_BUNDLE, "DT_RPATH", "a/liba.so"},
    };
    static const struct row ignored[] = {
        {"liba.so", RESOLVED_MISSING, NULL, NULL},
        {"libb.so", RESOLVED_BUNDLE, "DT_RUNPATH", "b/libb.so"},
    };

    (void)state;
    only_rpath = testimg_elf(&img, fn, "m1.so", NULL, "liba.so", "${ORIGIN}/a", NULL);
    both = testimg_elf(&img, fn, "m2.so", NULL, "liba.so,libb.so", "$ORIGIN/a", "$ORIGIN/b");
    testimg_elf(&img, fn, "a/liba.so", "liba.so", NULL, NULL, NULL);
    testimg_elf(&img, fn, "b/libb.so", "libb.so", NULL, NULL, NULL);
    image_index(&img);
    expect(&img, target("python3.11"), only_rpath, via_rpath, 1);
    expect(&img, target("python3.11"), both, ignored, 2);
    image_release(&img);
}

/* LD_LIBRARY_PATH: /var/task/lib of the function, /opt/lib of its layers; a layer
 * configured later wins a path both have. */
static void loader__searches_the_library_path(void **state)
{
    struct image img = {0};
    size_t fn = testimg_input(&img, "fn", INPUT_FUNCTION);
    size_t l1 = testimg_input(&img, "l1", INPUT_LAYER);
    size_t l2 = testimg_input(&img, "l2", INPUT_LAYER);
    const struct member *m;
    static const struct row rows[] = {
        {"libtask.so.1", RESOLVED_BUNDLE, "LD_LIBRARY_PATH", "lib/libtask.so.1"},
        {"libopt.so.2", RESOLVED_BUNDLE, "LD_LIBRARY_PATH", NULL},
        {"libroot.so", RESOLVED_BUNDLE, "LD_LIBRARY_PATH", "libroot.so"},
        {"/var/task/abs/libx.so", RESOLVED_BUNDLE, "path", "abs/libx.so"},
        {"rel/liby.so", RESOLVED_MISSING, "path", NULL},
    };
    struct resolution r;

    (void)state;
    m = testimg_elf(&img, fn, "pkg/_m.so", NULL, NULL, NULL, NULL);
    testimg_elf(&img, fn, "lib/libtask.so.1", NULL, NULL, NULL, NULL);
    testimg_elf(&img, fn, "libroot.so", NULL, NULL, NULL, NULL);
    testimg_elf(&img, fn, "abs/libx.so", NULL, NULL, NULL, NULL);
    testimg_elf(&img, l1, "lib/libopt.so.2", NULL, NULL, NULL, NULL);
    testimg_elf(&img, l2, "lib/libopt.so.2", NULL, NULL, NULL, NULL);
    image_index(&img);
    expect(&img, target("python3.12"), m, rows, sizeof(rows) / sizeof(rows[0]));
    loader_resolve(&img, target("python3.12"), m, "libopt.so.2", &r);
    assert_int_equal(r.m->input, l2); /* /opt is the layers extracted in order */
    image_release(&img);
}

/* What the bundle lacks, the OS data decides: present, absent, or not known. */
static void loader__asks_the_os_data_last(void **state)
{
    struct image img = {0};
    size_t fn = testimg_input(&img, "fn", INPUT_FUNCTION);
    const struct member *m;
    static const struct row al2[] = {
        {"libgomp.so.1", RESOLVED_MISSING, NULL, NULL}, /* absent on AL2 */
        {"libstdc++.so.6", RESOLVED_SYSTEM, "system", NULL},
        {"libnotknown-xyz.so.9", RESOLVED_MISSING, NULL, NULL},
    };
    static const struct row al1[] = {
        {"libgomp.so.1", RESOLVED_SYSTEM, "system", NULL}, /* present on AL1 */
    };

    (void)state;
    m = testimg_elf(&img, fn, "m.so", NULL, NULL, NULL, NULL);
    image_index(&img);
    expect(&img, target("python3.11"), m, al2, sizeof(al2) / sizeof(al2[0]));
    expect(&img, target("python3.7"), m, al1, 1);
    image_release(&img);
}

/* A bundled library beats the system's only where the search order puts it first: an
 * unrenamed libstdc++.so.6 in /var/task/lib loses to /lib64's (doc/sources.md#loader-search). */
static void loader__system_directories_come_first(void **state)
{
    struct image img = {0};
    size_t fn = testimg_input(&img, "fn", INPUT_FUNCTION);
    const struct member *m, *with_rpath;
    static const struct row rows[] = {
        {"libstdc++.so.6", RESOLVED_SYSTEM, "system", NULL},
    };
    static const struct row rpath_first[] = {
        {"libstdc++.so.6", RESOLVED_BUNDLE, "DT_RPATH", "lib/libstdc++.so.6"},
    };

    (void)state;
    m = testimg_elf(&img, fn, "m.so", NULL, "libstdc++.so.6", NULL, NULL);
    with_rpath = testimg_elf(&img, fn, "n.so", NULL, "libstdc++.so.6", "$ORIGIN/lib", NULL);
    testimg_elf(&img, fn, "lib/libstdc++.so.6", "libstdc++.so.6", NULL, NULL, NULL);
    image_index(&img);
    expect(&img, target("python3.12"), m, rows, 1);
    expect(&img, target("python3.12"), with_rpath, rpath_first, 1);
    image_release(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loader__expands_origin_in_runpath),
        cmocka_unit_test(loader__uses_rpath_only_without_runpath),
        cmocka_unit_test(loader__searches_the_library_path),
        cmocka_unit_test(loader__asks_the_os_data_last),
        cmocka_unit_test(loader__system_directories_come_first),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
