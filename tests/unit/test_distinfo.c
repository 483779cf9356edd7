/* SPDX-License-Identifier: MIT */
/* Unit tests for distribution metadata (distinfo.c): parsing and member ownership. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "distinfo.h"
#include "xalloc.h"

static void add(struct image *img, const char *path, const char *text)
{
    distinfo_add_file(img, 0, path, text, strlen(text));
}

static void distinfo__reads_metadata_record_and_tags(void **state)
{
    struct image img = {0};
    const struct distribution *d;
    char *req;

    (void)state;
    assert_true(distinfo_wants("x-1.dist-info/RECORD"));
    assert_true(distinfo_wants("lib/a-1.egg-info/PKG-INFO"));
    assert_false(distinfo_wants("x-1.dist-info/LICENSE"));
    assert_false(distinfo_wants("METADATA"));
    add(&img, "Pillow-10.0.0.dist-info/METADATA",
        "Metadata-Version: 2.1\r\nName: Pillow\r\nVersion: 10.0.0\r\n\r\nName: not-a-header\n");
    add(&img, "Pillow-10.0.0.dist-info/RECORD",
        "PIL/_imaging.cpython-311-x86_64-linux-gnu.so,sha256=x,1\n"
        "\"PIL/odd,name.so\",sha256=y,2\n../../bin/tool,,\nPillow.libs/libz-1.so.1,,\n"
        "PIL/sub/../x.py,,\n./PIL//y.py,,\nPIL/a/b/../../z.py,,\nPIL/../../../up,,\n");
    add(&img, "Pillow-10.0.0.dist-info/WHEEL",
        "Wheel-Version: 1.0\nTag: cp311-cp311-manylinux_2_28_x86_64\n");
    assert_int_equal(img.dists_nr, 1);
    d = &img.dists[0];
    /* The headers end at the blank line: the description's "Name:" line is not a field. */
    assert_string_equal(d->name, "Pillow");
    assert_string_equal(d->version, "10.0.0");
    assert_int_equal(d->files.nr, 6); /* paths climbing out of the root are dropped */
    assert_string_equal(d->files.v[1], "PIL/odd,name.so");
    assert_string_equal(d->files.v[3], "PIL/x.py");
    assert_string_equal(d->files.v[4], "PIL/y.py");
    assert_string_equal(d->files.v[5], "PIL/z.py");
    assert_string_equal(d->wheel_tags.v[0], "cp311-cp311-manylinux_2_28_x86_64");
    req = distinfo_requirement(d);
    assert_string_equal(req, "Pillow==10.0.0");
    free(req);
    image_release(&img);
}

static void distinfo__assigns_members(void **state)
{
    struct image img = {0};
    static const char *const paths[] = {
        "numpy/core/umath.so", "numpy.libs/libgfortran-1.so.5",
        "numpy_extra/x.so",    "six.py",
        "sub/pkg/a.so",        "lonely.so",
    };
    static const char *const owners[] = {"numpy", "numpy", NULL, "six", "pkg", NULL};

    (void)state;
    add(&img, "numpy-1.24.2.egg-info/PKG-INFO", "Name: numpy\nVersion: 1.24.2\n");
    add(&img, "six-1.16.0.dist-info/RECORD", "six.py,,\n");
    add(&img, "sub/pkg-2.0.dist-info/top_level.txt", "pkg\n");
    /* No version in the name: the dash of "egg-info" is not a separator. */
    add(&img, "icu.egg-info/top_level.txt", "icu\n");
    add(&img, "scipy-1.10.1.egg-info/top_level.txt", "scipy\n");
    add(&img, "six-1.16.0-py3.11.egg-info/top_level.txt", "six_egg\n");
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        image_add_member(&img, 0, paths[i]);
    }
    distinfo_assign(&img);
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        const struct distribution *d = img.members[i].dist;
        if (owners[i] ? !d || strcmp(d->name, owners[i]) : d != NULL) {
            fail_msg("%s: owner %s, wanted %s", paths[i], d ? d->name : "none",
                     owners[i] ? owners[i] : "none");
        }
    }
    assert_string_equal(img.dists[0].version, "1.24.2");
    assert_string_equal(img.dists[2].root, "sub");
    assert_string_equal(img.dists[3].name, "icu");
    assert_null(img.dists[3].version);
    assert_string_equal(img.dists[4].version, "1.10.1");
    assert_string_equal(img.dists[5].name, "six");
    assert_string_equal(img.dists[5].version, "1.16.0");
    image_release(&img);
}

/* A single-file egg-info (distutils', sympy's mpmath): PKG-INFO's content under the
 * directory's name, a distribution that owns its package and itself. */
static void distinfo__single_file_egg_info(void **state)
{
    struct image img = {0};
    static const char *const paths[] = {"mpmath/__init__.py", "mpmath-1.3.0-py3.11.egg-info",
                                        "site/sympy/core.py", "site/sympy-1.12.egg-info",
                                        "other.py"};
    static const char *const owners[] = {"mpmath", "mpmath", "sympy", "sympy", NULL};

    (void)state;
    assert_true(distinfo_wants("mpmath-1.3.0-py3.11.egg-info"));
    assert_true(distinfo_wants("site/sympy-1.12.egg-info"));
    assert_false(distinfo_wants("egg-info"));
    assert_false(distinfo_wants("x-1.egg-info/SOURCES.txt"));
    add(&img, "mpmath-1.3.0-py3.11.egg-info",
        "Metadata-Version: 1.1\nName: mpmath\nVersion: 1.3.0\n\nName: not-a-header\n");
    add(&img, "site/sympy-1.12.egg-info", "Metadata-Version: 2.1\n");
    assert_int_equal(img.dists_nr, 2);
    assert_string_equal(img.dists[0].name, "mpmath");
    assert_string_equal(img.dists[0].version, "1.3.0");
    assert_string_equal(img.dists[0].root, "");
    assert_string_equal(img.dists[1].name, "sympy"); /* from the file's name */
    assert_string_equal(img.dists[1].version, "1.12");
    assert_string_equal(img.dists[1].root, "site");
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        image_add_member(&img, 0, paths[i]);
    }
    distinfo_assign(&img);
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        const struct distribution *d = img.members[i].dist;
        if (owners[i] ? !d || strcmp(d->name, owners[i]) : d != NULL) {
            fail_msg("%s: owner %s, wanted %s", paths[i], d ? d->name : "none",
                     owners[i] ? owners[i] : "none");
        }
    }
    image_release(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(distinfo__reads_metadata_record_and_tags),
        cmocka_unit_test(distinfo__assigns_members),
        cmocka_unit_test(distinfo__single_file_egg_info),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
