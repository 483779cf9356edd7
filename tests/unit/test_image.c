/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the filesystem view (facts/image.c): /var/task is the function, /opt its
 * layers merged in order with the later one winning, links stored in zips followed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testimg.h"

static const char *found(const struct image *img, size_t view, const char *abs)
{
    const struct member *m = image_lookup(img, view, abs);
    return m ? m->path : NULL;
}

static void image__places_function_and_layers(void **state)
{
    struct image img = {0};
    size_t fn = testimg_input(&img, "fn.zip", INPUT_FUNCTION);
    size_t l1 = testimg_input(&img, "l1.zip", INPUT_LAYER);
    size_t l2 = testimg_input(&img, "l2.zip", INPUT_LAYER);
    struct member *a, *b, *c;

    (void)state;
    a = image_add_member(&img, fn, "pkg/a.py");
    b = image_add_member(&img, l1, "python/lib/python3.11/site-packages/pkg/b.py");
    c = image_add_member(&img, l2, "python/c.py");
    image_add_member(&img, l1, "lib/libx.so");
    image_add_member(&img, l2, "lib/libx.so");
    image_index(&img);
    assert_string_equal(a->abs, "/var/task/pkg/a.py");
    assert_string_equal(b->abs, "/opt/python/lib/python3.11/site-packages/pkg/b.py");
    assert_true(image_on_sys_path(a, 3, 12));
    assert_true(image_on_sys_path(b, 3, 11));
    assert_false(image_on_sys_path(b, 3, 12)); /* python3.12 never reads python3.11's */
    assert_true(image_on_sys_path(c, 3, 12));
    assert_string_equal(b->path + b->site_off, "pkg/b.py");
    /* Layers are extracted into one /opt in order: the later one's file is there. */
    assert_int_equal(image_lookup(&img, fn, "/opt/lib/libx.so")->input, l2);
    assert_int_equal(image_view_of(&img, b), fn);
    image_release(&img);
}

static void image__follows_links_inside_the_view(void **state)
{
    struct image img = {0};
    size_t fn = testimg_input(&img, "fn.zip", INPUT_FUNCTION);

    (void)state;
    testimg_elf(&img, fn, "lib/libpq.so.5.16", "libpq.so.5", NULL, NULL, NULL);
    testimg_link(&img, fn, "lib/libpq.so.5", "libpq.so.5.16");       /* relative */
    testimg_link(&img, fn, "lib/libpq.so", "libpq.so.5");            /* a chain */
    testimg_link(&img, fn, "bin/pq.so", "../lib/./libpq.so");        /* .. and . */
    testimg_link(&img, fn, "abs.so", "/var/task/lib/libpq.so.5.16"); /* absolute */
    testimg_link(&img, fn, "loop1.so", "loop2.so");
    testimg_link(&img, fn, "loop2.so", "loop1.so");
    testimg_link(&img, fn, "dangling.so", "nothing.so");
    testimg_link(&img, fn, "out.so", "../../../../etc/passwd");
    image_index(&img);
    assert_string_equal(found(&img, fn, "/var/task/lib/libpq.so.5"), "lib/libpq.so.5.16");
    assert_string_equal(found(&img, fn, "/var/task/lib/libpq.so"), "lib/libpq.so.5.16");
    assert_string_equal(found(&img, fn, "/var/task/bin/pq.so"), "lib/libpq.so.5.16");
    assert_string_equal(found(&img, fn, "/var/task/abs.so"), "lib/libpq.so.5.16");
    assert_string_equal(found(&img, fn, "/var/task//lib/../lib/libpq.so.5"), "lib/libpq.so.5.16");
    assert_null(found(&img, fn, "/var/task/loop1.so")); /* given up after 8 hops */
    assert_null(found(&img, fn, "/var/task/dangling.so"));
    assert_null(found(&img, fn, "/var/task/out.so")); /* /etc/passwd is not in the bundle */
    assert_null(found(&img, fn, "/var/task/lib"));
    image_release(&img);
}

/* Two function bundles are two functions: neither sees the other's /var/task. */
static void image__keeps_function_views_apart(void **state)
{
    struct image img = {0};
    size_t f1 = testimg_input(&img, "f1", INPUT_FUNCTION);
    size_t f2 = testimg_input(&img, "f2", INPUT_FUNCTION);
    struct image_counts c;

    (void)state;
    testimg_elf(&img, f1, "lib/liba.so", NULL, NULL, NULL, NULL);
    image_add_member(&img, f2, "lib/other.txt");
    image_add_member(&img, f2, "app.py");
    image_index(&img);
    assert_non_null(found(&img, f1, "/var/task/lib/liba.so"));
    assert_null(found(&img, f2, "/var/task/lib/liba.so"));
    image_count(&img, f1, &c);
    assert_int_equal(c.members, 1);
    assert_int_equal(c.elf_objects, 1);
    image_count(&img, f2, &c);
    assert_int_equal(c.members, 2);
    assert_int_equal(c.elf_objects, 0);
    image_release(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(image__places_function_and_layers),
        cmocka_unit_test(image__follows_links_inside_the_view),
        cmocka_unit_test(image__keeps_function_views_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
