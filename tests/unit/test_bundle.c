/* SPDX-License-Identifier: MIT */
/* Unit tests for the input layer (bundle*.c): directory walking, limits, what is no bundle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"
#include "xalloc.h"

static const struct bundle_limits limits = {1 << 20, 1000, 8, 0};

static char *scratch(void)
{
    char tmpl[] = "/tmp/abiscan-bundle-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    return xstrdup(dir);
}

/* Run a shell script with $D set to the scratch directory. */
static void sh(const char *dir, const char *script)
{
    assert_int_equal(setenv("D", dir, 1), 0);
    assert_int_equal(system(script), 0);
}

static const struct bundle_entry *find(const struct bundle *b, const char *path)
{
    size_t nr;
    const struct bundle_entry *entries = bundle_entries(b, &nr);

    for (size_t i = 0; i < nr; i++) {
        if (!strcmp(entries[i].path, path)) {
            return &entries[i];
        }
    }
    fail_msg("no entry '%s'", path);
    return NULL;
}

static void bundle__walks_a_directory_in_sorted_order(void **state)
{
    char *dir = scratch();
    struct bundle *b = NULL;
    struct diag d = DIAG_INIT;
    unsigned char *buf = NULL;
    size_t len = 0;
    const struct bundle_entry *e, *entries;
    size_t nr;

    (void)state;
    sh(dir, "mkdir -p $D/b/c $D/a && printf hello >$D/b/c/x.so && mkfifo $D/a/fifo && "
       "ln -s c/x.so $D/b/link.so && ln -s /etc/passwd $D/b/out.so");
    assert_int_equal(bundle_open(&b, dir, &limits, &d), 0);
    assert_int_equal(bundle_kind(b), BUNDLE_DIR);
    entries = bundle_entries(b, &nr);
    assert_true(nr > 2);
    assert_string_equal(entries[0].path, "a"); /* sorted, depth first */
    assert_string_equal(entries[1].path, "a/fifo");
    assert_int_equal(entries[1].type, ENTRY_SPECIAL);
    assert_non_null(strstr(entries[1].problem, "FIFO"));
    e = find(b, "b/c/x.so");
    assert_int_equal(e->type, ENTRY_FILE);
    assert_int_equal(bundle_read(b, e, &buf, &len, &d), 0);
    assert_memory_equal(buf, "hello", 5);
    free(buf);
    e = find(b, "b/link.so"); /* inside the root: another name of the file it resolves to */
    assert_int_equal(e->type, ENTRY_SYMLINK);
    assert_null(e->problem);
    assert_string_equal(e->open_path, "b/c/x.so");
    assert_int_equal(e->size, 5);
    e = find(b, "b/out.so");
    assert_non_null(strstr(e->problem, "outside the bundle root"));
    assert_int_equal(bundle_read(b, e, &buf, &len, &d), -1);
    bundle_close(b);
    sh(dir, "rm -rf $D");
    free(dir);
}

static void bundle__limits_depth_size_and_entries(void **state)
{
    char *dir = scratch();
    struct bundle_limits tight = {4, 3, 2, 0};
    struct bundle *b = NULL;
    struct diag d = DIAG_INIT;
    unsigned char *buf = NULL;
    size_t len = 0, nr = 0;

    (void)state;
    sh(dir, "mkdir -p $D/1/2/3/4 && printf 12345 >$D/big && printf 1 >$D/1/2/3/4/deep");
    assert_int_equal(bundle_open(&b, dir, &tight, &d), 0);
    bundle_entries(b, &nr);
    assert_int_equal(nr, 3);
    assert_int_equal(bundle_notes(b)->nr, 1);
    bundle_close(b);
    tight.max_entries = 100;
    assert_int_equal(bundle_open(&b, dir, &tight, &d), 0);
    /* depth 2 is walked; the directory below it is an entry with a problem, not walked */
    assert_non_null(strstr(find(b, "1/2/3")->problem, "deeper than 2"));
    /* Over the member limit: said when listed, never read. */
    assert_non_null(strstr(find(b, "big")->problem, "over the 4-byte limit"));
    assert_int_equal(bundle_read(b, find(b, "big"), &buf, &len, &d), -1);
    bundle_close(b);
    sh(dir, "rm -rf $D");
    free(dir);
}

static void bundle__refuses_what_is_not_a_bundle(void **state)
{
    char *dir = scratch();
    char *path = xasprintf("%s/junk.zip", dir);
    struct bundle *b = NULL;
    struct diag d = DIAG_INIT;

    (void)state;
    assert_int_equal(bundle_open(&b, "/nonexistent/abiscan", &limits, &d), -1);
    assert_int_equal(d.code, DIAG_IO);
    sh(dir, "printf 'not a zip' >$D/junk.zip");
    assert_int_equal(bundle_open(&b, path, &limits, &d), -1);
    assert_int_equal(d.code, DIAG_INPUT);
    assert_non_null(strstr(d.msg, "junk.zip"));
    assert_null(b);
    sh(dir, "rm -rf $D");
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bundle__walks_a_directory_in_sorted_order),
        cmocka_unit_test(bundle__limits_depth_size_and_entries),
        cmocka_unit_test(bundle__refuses_what_is_not_a_bundle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
