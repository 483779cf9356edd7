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

static const struct bundle_limits limits = {
    .max_member_size = 1 << 20, .max_entries = 1000, .max_depth = 8};

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
    struct bundle_reader *r;
    struct bundle_bytes bytes;
    struct diag d = DIAG_INIT;
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
    r = bundle_reader_new(b, &d);
    assert_non_null(r);
    assert_int_equal(bundle_map(r, e, &bytes, &d), 0);
    assert_int_equal(bytes.len, 5);
    assert_memory_equal(bytes.data, "hello", 5);
    bundle_bytes_release(&bytes);
    e = find(b, "b/link.so"); /* inside the root: another name of the file it resolves to */
    assert_int_equal(e->type, ENTRY_SYMLINK);
    assert_null(e->problem);
    assert_string_equal(e->open_path, "b/c/x.so");
    assert_int_equal(e->size, 5);
    e = find(b, "b/out.so");
    assert_non_null(strstr(e->problem, "outside the bundle root"));
    assert_int_equal(bundle_map(r, e, &bytes, &d), -1);
    assert_null(bytes.data);
    bundle_reader_free(r);
    bundle_close(b);
    sh(dir, "rm -rf $D");
    free(dir);
}

static void bundle__limits_depth_size_and_entries(void **state)
{
    char *dir = scratch();
    struct bundle_limits tight = {.max_member_size = 4, .max_entries = 3, .max_depth = 2};
    struct bundle *b = NULL;
    struct bundle_reader *r;
    struct bundle_bytes bytes;
    struct diag d = DIAG_INIT;
    size_t nr = 0;

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
    r = bundle_reader_new(b, &d);
    assert_int_equal(bundle_map(r, find(b, "big"), &bytes, &d), -1);
    bundle_reader_free(r);
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

/* A file is checked alone when it is ELF, or named as Python or a shared object; anything
 * else is no bundle, and the one line says what it looks like. */
static void bundle__says_what_a_file_that_is_no_bundle_is(void **state)
{
    static const struct {
        const char *name, *make, *says; /* says NULL: opened, as a file of its own */
    } cases[] = {
        {"empty.zip", ": >$D/empty.zip", "is an empty file, not a bundle"},
        {"empty", ": >$D/empty", "is an empty file, not a bundle"},
        {"page.tar", "printf '\357\273\277  <!DOCTYPE HTML><html></html>' >$D/page.tar",
         "is an HTML page, not a bundle: a download that failed?"},
        {"s3.zip",
         "printf '<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code></Error>' >$D/s3.zip",
         "is an XML error response, not a bundle: a download that failed?"},
        {"feed.xml", "printf '<?xml version=\"1.0\"?><feed/>' >$D/feed.xml",
         "is an XML document, not a bundle"},
        {"out.json", "printf '\\n  {\"errorMessage\": \"x\"}' >$D/out.json",
         "is a JSON document, not a bundle"},
        {"x.gz", "printf 'hello' | gzip -n >$D/x.gz", "is gzip-compressed data, not a bundle"},
        {"lib.dylib", "printf '\317\372\355\376rest' >$D/lib.dylib",
         "is a Mach-O (macOS) file, not a bundle"},
        {"x.dll", "printf 'MZ\\220\\000' >$D/x.dll", "is a Windows (PE) file, not a bundle"},
        {"notes", "printf 'just text\\n' >$D/notes", "is a text file, not a bundle"},
        {"blob", "printf '\\001\\002\\003\\004\\000' >$D/blob",
         "is 5 bytes of data abiscan does not recognise (they start with 01 02 03 04), not a "
         "bundle"},
        {"app.py", "printf 'x = 1\\n' >$D/app.py", NULL},
        {"app.pyc", "printf 'x' >$D/app.pyc", NULL},
        {"libfoo.so.1.2", "printf 'not elf' >$D/libfoo.so.1.2", NULL},
        {"m.cpython-312-x86_64-linux-gnu.so", "printf 'x' >$D/m.cpython-312-x86_64-linux-gnu.so",
         NULL},
        {"libfoo.so.x", "printf 'x' >$D/libfoo.so.x", "is a text file, not a bundle"},
        {"program", "printf '\\177ELF\\002\\001\\001' >$D/program", NULL},
    };
    char *dir = scratch();

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *path = xasprintf("%s/%s", dir, cases[i].name);
        struct bundle *b = NULL;
        struct diag d = DIAG_INIT;
        sh(dir, cases[i].make);
        int rc = bundle_open(&b, path, &limits, &d);
        if (!cases[i].says) {
            if (rc != 0 || bundle_kind(b) != BUNDLE_FILE) {
                fail_msg("%s: not opened as a file (%s)", cases[i].name, d.msg);
            }
        } else if (rc == 0 || !strstr(d.msg, cases[i].says) || d.code != DIAG_INPUT) {
            fail_msg("%s: '%s', want '%s'", cases[i].name, rc == 0 ? "(opened)" : d.msg,
                     cases[i].says);
        }
        bundle_close(b);
        free(path);
    }
    sh(dir, "rm -rf $D");
    free(dir);
}

/* A file whose size changed since the walk is read no further than what is mapped, and
 * said to differ from its listed size. */
static void bundle__directory_file_changed_since_walk(void **state)
{
    char *dir = scratch();
    struct bundle *b = NULL;
    struct bundle_reader *r;
    struct bundle_bytes bytes;
    struct diag d = DIAG_INIT;

    (void)state;
    sh(dir, "printf 0123456789 >$D/grows && printf 0123456789 >$D/shrinks");
    assert_int_equal(bundle_open(&b, dir, &limits, &d), 0);
    r = bundle_reader_new(b, &d);
    sh(dir, "printf 0123456789abc >$D/grows && printf 01 >$D/shrinks");
    assert_int_equal(bundle_map(r, find(b, "grows"), &bytes, &d), -1);
    assert_non_null(strstr(d.msg, "more bytes than its declared 10"));
    assert_int_equal(bundle_map(r, find(b, "shrinks"), &bytes, &d), -1);
    assert_non_null(strstr(d.msg, "fewer bytes than its declared 10"));
    bundle_reader_free(r);
    bundle_close(b);
    sh(dir, "rm -rf $D");
    free(dir);
}

/* A zip's members through two readers (the second opens the archive again): deflated
 * ones inflated by libdeflate, stored ones by libzip, the same bytes either way; a bad CRC
 * and a corrupt stream are refused; the budget is charged by the caller. */
static void bundle__zip_members_whole(void **state)
{
    char *dir = scratch();
    char *path = xasprintf("%s/z.zip", dir);
    struct bundle_limits lim = limits;
    struct bundle *b = NULL;
    struct bundle_reader *r[2];
    struct bundle_bytes bytes;
    struct diag d = DIAG_INIT;
    unsigned char head[4];
    size_t got = 0;

    (void)state;
    /* Members of 1 MiB each; the CRC of one and the stream of another spoiled. */
    sh(dir, "/usr/bin/python3 - $D/z.zip <<'EOF'\n"
            "import sys, zipfile\n"
            "data = bytes(range(256)) * 4096\n"
            "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
            "    z.writestr('deflated', data, zipfile.ZIP_DEFLATED)\n"
            "    z.writestr('stored', data, zipfile.ZIP_STORED)\n"
            "    z.writestr('badcrc', data[::-1], zipfile.ZIP_DEFLATED)\n"
            "    z.writestr('corrupt', data, zipfile.ZIP_DEFLATED)\n"
            "    bad, corrupt = z.getinfo('badcrc'), z.getinfo('corrupt')\n"
            "raw = bytearray(open(sys.argv[1], 'rb').read())\n"
            "crc = bad.CRC.to_bytes(4, 'little')\n"
            "raw = raw.replace(crc, bytes(x ^ 0xFF for x in crc))  # every copy: both headers\n"
            "start = corrupt.header_offset + 30 + len('corrupt')\n"
            "raw[start:start + 8] = b'\\xff' * 8\n"
            "open(sys.argv[1], 'wb').write(raw)\n"
            "EOF");
    assert_int_equal(bundle_open(&b, path, &lim, &d), 0);
    r[0] = bundle_reader_new(b, &d);
    r[1] = bundle_reader_new(b, &d);
    assert_non_null(r[0]);
    assert_non_null(r[1]);
    for (int k = 0; k < 2; k++) {
        for (int m = 0; m < 2; m++) {
            const struct bundle_entry *e = find(b, m ? "stored" : "deflated");
            assert_int_equal(bundle_map(r[k], e, &bytes, &d), 0);
            assert_int_equal(bytes.len, 256 * 4096);
            for (size_t i = 0; i < bytes.len; i += 4093) {
                assert_int_equal(bytes.data[i], (unsigned char)i);
            }
            bundle_bytes_release(&bytes);
            assert_int_equal(bundle_peek(r[k], e, head, sizeof(head), &got, &d), 0);
            assert_int_equal(got, 4);
            assert_int_equal(head[3], 3);
        }
    }
    assert_int_equal(bundle_map(r[1], find(b, "badcrc"), &bytes, &d), -1);
    assert_non_null(strstr(d.msg, "CRC error"));
    assert_int_equal(bundle_map(r[0], find(b, "corrupt"), &bytes, &d), -1);
    assert_non_null(strstr(d.msg, "cannot read member"));
    assert_null(bytes.data);
    /* The budget (4 x the member limit by default): four members of 1 MiB, then no more. */
    for (int i = 0; i < 4; i++) {
        assert_int_equal(bundle_charge(b, find(b, "stored"), &d), 0);
    }
    assert_int_equal(bundle_charge(b, find(b, "stored"), &d), -1);
    assert_non_null(strstr(d.msg, "budget"));
    bundle_reader_free(r[1]);
    bundle_reader_free(r[0]);
    bundle_close(b);
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
        cmocka_unit_test(bundle__says_what_a_file_that_is_no_bundle_is),
        cmocka_unit_test(bundle__directory_file_changed_since_walk),
        cmocka_unit_test(bundle__zip_members_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
