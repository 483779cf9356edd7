/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the container facts (facts/container.c): ld.so.cache read as glibc writes
 * it, checked against glibc's own reader (`ldconfig -p` on this machine's cache), refused
 * when it is cut or lies; os-release; where a file of an image sits; the plan made from a
 * list of entries (the interpreter behind links, the task root, the handler).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "container.h"
#include "xalloc.h"

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t cap = 0, n;

    *len = 0;
    if (!f) {
        return NULL;
    }
    do {
        buf = xrealloc_array(buf, cap + 65536, 1);
        n = fread(buf + cap, 1, 65536, f);
        cap += n;
    } while (n == 65536);
    fclose(f);
    *len = cap;
    return buf;
}

/* This machine's /etc/ld.so.cache, as `ldconfig -p` lists it: every libc6,x86-64 line
 * "\tSONAME (libc6,x86-64...) => PATH" is a pair the parser gives, in the same order. */
static void container__reads_ld_cache_as_ldconfig_does(void **state)
{
    size_t len, want = 0;
    unsigned char *data = slurp("/etc/ld.so.cache", &len);
    struct strvec got = STRVEC_INIT;
    FILE *p;
    char line[4096];

    (void)state;
    assert_non_null(data); /* Debian always has one (libc-bin) */
    assert_int_equal(container_parse_ld_cache(&got, data, len, 0x0300), 0);
    p = popen("/sbin/ldconfig -p -C /etc/ld.so.cache", "r");
    assert_non_null(p);
    while (fgets(line, sizeof(line), p)) {
        char soname[1024], path[2048];
        if (!strstr(line, "(libc6,x86-64") ||
            sscanf(line, " %1023s (%*[^)]) => %2047s", soname, path) != 2) {
            continue;
        }
        if (2 * want + 1 >= got.nr || strcmp(got.v[2 * want], soname) ||
            strcmp(got.v[2 * want + 1], path)) {
            fail_msg("ldconfig -p line %zu: %s => %s; the parser has %s => %s", want, soname, path,
                     2 * want + 1 < got.nr ? got.v[2 * want] : "(nothing)",
                     2 * want + 1 < got.nr ? got.v[2 * want + 1] : "");
        }
        want++;
    }
    pclose(p);
    assert_true(want > 10);
    assert_int_equal(got.nr, 2 * want);
    strvec_release(&got);
    free(data);
}

/* Cut anywhere, or with counts and offsets that lie, a cache is refused or read within its
 * bytes (ASan holds the second). */
static void container__refuses_broken_ld_cache(void **state)
{
    size_t len;
    unsigned char *data = slurp("/etc/ld.so.cache", &len);

    (void)state;
    assert_non_null(data);
    for (size_t cut = 0; cut < len && cut < 4096; cut += 7) {
        struct strvec got = STRVEC_INIT;
        unsigned char *copy = xmalloc(cut + 1);
        memcpy(copy, data, cut);
        (void)container_parse_ld_cache(&got, copy, cut, 0x0300);
        strvec_release(&got);
        free(copy);
    }
    if (len > 48) {
        struct strvec got = STRVEC_INIT;
        data[20] = data[21] = data[22] = data[23] = 0xff; /* nlibs: four billion */
        assert_int_equal(container_parse_ld_cache(&got, data, len, 0), -1);
        assert_int_equal(got.nr, 0);
    }
    {
        struct strvec got = STRVEC_INIT;
        assert_int_equal(
            container_parse_ld_cache(&got, (const unsigned char *)"not a cache", 11, 0), -1);
    }
    free(data);
}

/* An image's description as the input layer gives it (strings borrowed; the lists are
 * the test's, released when the next one is made). */
static struct bundle_image meta(const char *arch, const char *entrypoint, const char *cmd,
                                const char *workdir, const char *env)
{
    static struct strvec e, ep, c, none;
    struct bundle_image m = {0};
    char *words = xstrdup(entrypoint ? entrypoint : ""), *save = NULL;

    strvec_release(&e), strvec_release(&ep), strvec_release(&c);
    if (env) {
        strvec_push(&e, env);
    }
    for (char *t = strtok_r(words, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        strvec_push(&ep, t);
    }
    free(words);
    if (cmd) {
        strvec_push(&c, cmd);
    }
    m.form = "oci-layout";
    m.os = "linux";
    m.architecture = (char *)arch;
    m.variant = "";
    m.platform = "linux/amd64";
    m.ref = "";
    m.workdir = (char *)workdir;
    m.env = e, m.entrypoint = ep, m.cmd = c, m.platforms = none;
    return m;
}

static struct bundle_entry entry(const char *path, enum entry_type type, const char *link)
{
    struct bundle_entry e = {0};
    e.path = (char *)path;
    e.type = type;
    e.link = (char *)link;
    return e;
}

/* A python:3.12-slim style image: python -m awslambdaric from its WORKDIR, the interpreter
 * behind two links, Debian's multiarch C library. */
static void container__plans_a_custom_image(void **state)
{
    struct bundle_entry es[] = {
        entry("function", ENTRY_DIR, NULL),
        entry("function/app.py", ENTRY_FILE, NULL),
        entry("lib", ENTRY_SYMLINK, "usr/lib"),
        entry("usr/lib/x86_64-linux-gnu/libc.so.6", ENTRY_FILE, NULL),
        entry("usr/local/bin/python", ENTRY_SYMLINK, "python3"),
        entry("usr/local/bin/python3", ENTRY_SYMLINK, "python3.12"),
        entry("usr/local/bin/python3.12", ENTRY_FILE, NULL),
    };
    struct bundle_image m = meta("amd64", "/usr/local/bin/python -m awslambdaric",
                                 "src/app.handler", "/function", "PATH=/usr/local/bin:/usr/bin");
    struct container *c = container_new(&m);
    size_t off;
    int minor;

    (void)state;
    container_plan(c, es, sizeof(es) / sizeof(es[0]));
    assert_string_equal(c->arch, "x86_64");
    assert_string_equal(c->task_root, "function");
    assert_string_equal(c->task_root_why, "WorkingDir");
    assert_string_equal(c->python, "usr/local/bin/python3.12");
    assert_int_equal(c->py_minor, 12);
    assert_string_equal(c->handler_module, "src.app");
    assert_string_equal(c->default_dirs.v[0], "/lib/x86_64-linux-gnu");
    assert_int_equal(container_place(c, "function/app.py", &off, &minor), PLACE_TASK);
    assert_int_equal(off, strlen("function/"));
    assert_int_equal(
        container_place(c, "usr/local/lib/python3.12/site-packages/x/y.so", &off, &minor),
        PLACE_SITE);
    assert_int_equal(minor, 12);
    assert_int_equal(container_place(c, "opt/python/x.py", &off, &minor), PLACE_OPT);
    assert_int_equal(container_place(c, "usr/lib/x86_64-linux-gnu/libc.so.6", &off, &minor),
                     PLACE_SYSTEM);
    /* glibc's libraries, libstdc++ and libgcc_s by their names, and none other */
    static const char *const wanted[] = {"usr/lib/x86_64-linux-gnu/libc.so.6",
                                         "lib64/libc-2.26.so",
                                         "usr/lib64/libm.so.6",
                                         "usr/lib64/libstdc++.so.6.0.29",
                                         "lib64/libgcc_s-7-20180712.so.1",
                                         "etc/ld.so.cache",
                                         "usr/lib/os-release"};
    static const char *const not_wanted[] = {
        "usr/lib64/libcurl.so.4", "usr/lib/libc-client.so.2007e", "usr/lib64/libcrypto.so.3",
        "usr/lib64/libmagic.so.1", "usr/bin/python3.12"};
    for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
        if (!container_wants(c, wanted[i])) {
            fail_msg("%s not wanted", wanted[i]);
        }
    }
    for (size_t i = 0; i < sizeof(not_wanted) / sizeof(not_wanted[0]); i++) {
        if (container_wants(c, not_wanted[i])) {
            fail_msg("%s wanted", not_wanted[i]);
        }
    }
    container_read_text(c, "usr/lib/os-release", "NAME=x\nPRETTY_NAME=\"Debian GNU/Linux 12\"\n",
                        41);
    assert_string_equal(c->os_name, "Debian GNU/Linux 12");
    container_free(c);
}

/* An AWS base image: LAMBDA_TASK_ROOT over WORKDIR, /var/lang/bin/python3.N behind
 * /lambda-entrypoint.sh, the lib64 pair; no handler without a CMD. */
static void container__plans_an_aws_base_image(void **state)
{
    struct bundle_entry es[] = {
        entry("lib64", ENTRY_SYMLINK, "usr/lib64"),
        entry("usr/lib64/libc.so.6", ENTRY_FILE, NULL),
        entry("var/lang/bin/python3.11", ENTRY_FILE, NULL),
    };
    struct bundle_image m =
        meta("arm64", "/lambda-entrypoint.sh", NULL, "/tmp", "LAMBDA_TASK_ROOT=/var/task");
    struct container *c = container_new(&m);

    (void)state;
    container_plan(c, es, sizeof(es) / sizeof(es[0]));
    assert_string_equal(c->arch, "arm64");
    assert_string_equal(c->task_root, "var/task");
    assert_string_equal(c->task_root_why, "LAMBDA_TASK_ROOT");
    assert_string_equal(c->python, "var/lang/bin/python3.11");
    assert_null(c->handler);
    assert_string_equal(c->default_dirs.v[0], "/lib64");
    assert_string_equal(c->site_dirs.v[0], "var/lang/lib/python3.11/site-packages");
    container_free(c);
}

static struct bundle_entry file_mode(const char *path, uint32_t mode)
{
    struct bundle_entry e = entry(path, ENTRY_FILE, NULL);
    e.mode = mode;
    return e;
}

/* What Lambda starts, found as exec finds it, and why it cannot start, in words: the
 * ENTRYPOINT's file (else the CMD's), its execute bit, and behind /lambda-entrypoint.sh the
 * Python it runs. A mode the layer does not give is not held against the file. */
static void container__says_why_an_image_cannot_start(void **state)
{
    struct bundle_entry aws[] = {
        file_mode("lambda-entrypoint.sh", 0755),
        entry("loop-a", ENTRY_SYMLINK, "loop-b"),
        entry("loop-b", ENTRY_SYMLINK, "/loop-a"),
        file_mode("opt/entry.sh", 0644),
        file_mode("opt/run", 0),
        entry("usr/local/bin", ENTRY_DIR, NULL),
        entry("usr/local/bin/python3", ENTRY_SYMLINK, "python3.12"),
        file_mode("usr/local/bin/python3.12", 0755),
        file_mode("var/lang/bin/python3.12", 0755),
        entry("var/task", ENTRY_DIR, NULL),
    };
    struct bundle_entry no_python[sizeof(aws) / sizeof(aws[0]) - 1];
    static const struct {
        const char *entrypoint, *cmd;
        size_t nr; /* 10: every entry of aws[]; 9: all but its Python */
        const char *problem, *errno_words;
        int exit;
    } cases[] = {
        {"/lambda-entrypoint.sh", "app.handler", 10, NULL, NULL, 0},
        {"/lambda-entrypoint.sh", "app.handler", 9,
         "/lambda-entrypoint.sh runs the AWS base image's Python, but no /var/lang/bin/python3.N "
         "is in the image",
         NULL, 127},
        {"/usr/bin/python3 -m awslambdaric", "app.handler", 10,
         "/usr/bin/python3 is not in the image", "no such file or directory", 0},
        {"python3 -m awslambdaric", "app.handler", 10, NULL, NULL, 0},
        {"pythonX -m awslambdaric", "app.handler", 10,
         "pythonX is on no directory of its PATH (/usr/local/bin:/usr/bin)",
         "no such file or directory", 0},
        {"/opt/entry.sh", NULL, 10, "/opt/entry.sh is not executable (mode 0644)",
         "permission denied", 0},
        {"../../opt/run", NULL, 10, NULL, NULL, 0},
        {"/loop-a", NULL, 10, "/loop-a is a link that loops", "no such file or directory", 0},
        {"/usr/local/bin", NULL, 10, "/usr/local/bin is a directory", "permission denied", 0},
        {NULL, "/bin/run", 10, "/bin/run is not in the image", "no such file or directory", 0},
    };

    (void)state;
    memcpy(no_python, aws, 8 * sizeof(aws[0]));
    no_python[8] = aws[9];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bundle_image m = meta("amd64", cases[i].entrypoint, cases[i].cmd, "/var/task",
                                     "PATH=/usr/local/bin:/usr/bin");
        struct container *c = container_new(&m);
        container_plan(c, cases[i].nr == 10 ? aws : no_python, cases[i].nr);
        if (!cases[i].problem != !c->start_problem ||
            (c->start_problem && strcmp(c->start_problem, cases[i].problem) != 0)) {
            fail_msg("case %zu: problem '%s', want '%s'", i,
                     c->start_problem ? c->start_problem : "(none)",
                     cases[i].problem ? cases[i].problem : "(none)");
        }
        if (cases[i].problem) {
            assert_string_equal(c->start_from, cases[i].entrypoint ? "ENTRYPOINT" : "CMD");
            if (cases[i].errno_words) {
                assert_string_equal(c->start_errno, cases[i].errno_words);
            } else {
                assert_null(c->start_errno);
                assert_int_equal(c->start_exit, cases[i].exit);
            }
        }
        container_free(c);
    }
}

/* With no interpreter, the version of its standard library: the target is still known. */
static void container__takes_the_version_of_a_stdlib_without_python(void **state)
{
    struct bundle_entry es[] = {
        file_mode("lambda-entrypoint.sh", 0755),
        entry("var/lang/lib/python3.12", ENTRY_DIR, NULL),
        entry("var/lang/lib/python3.12/site-packages", ENTRY_DIR, NULL),
    };
    struct bundle_image m = meta("amd64", "/lambda-entrypoint.sh", "app.handler", "/var/task",
                                 "LAMBDA_TASK_ROOT=/var/task");
    struct container *c = container_new(&m);

    (void)state;
    container_plan(c, es, sizeof(es) / sizeof(es[0]));
    assert_null(c->python);
    assert_int_equal(c->py_major, 3);
    assert_int_equal(c->py_minor, 12);
    assert_string_equal(c->site_dirs.v[0], "var/lang/lib/python3.12/site-packages");
    assert_non_null(c->start_problem);
    container_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(container__reads_ld_cache_as_ldconfig_does),
        cmocka_unit_test(container__refuses_broken_ld_cache),
        cmocka_unit_test(container__plans_a_custom_image),
        cmocka_unit_test(container__plans_an_aws_base_image),
        cmocka_unit_test(container__says_why_an_image_cannot_start),
        cmocka_unit_test(container__takes_the_version_of_a_stdlib_without_python),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
