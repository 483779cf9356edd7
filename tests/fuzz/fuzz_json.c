/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: one JSON document as the tool reads its data files.
 *
 * Every input is parsed as jsonread_file() parses a file. A document that parses is
 *  1. read with the typed readers (jsonread.h) at the dotted paths the loaders use, which
 *     must refuse anything absent or mistyped with a diagnostic, and
 *  2. validated against each real schema, every .json file in RULES/schema (loaded once).
 * A document that one of the loaders' schemas accepts is then written to a private rules
 * directory and loaded by that very loader (profiles_load, rules_load + checks_verify,
 * osdatas_load, stableabi_load, pyexports_load, lambda_limits_load, providers_load): the
 * code the tool runs on a data file, not a copy of it.
 * What loaded is used as the tool uses it (lookups, template rendering), then released.
 *
 * RULES is $ABISCAN_FUZZ_RULES, else the source tree's rules/ (compiled in). The private
 * directory is made under $TMPDIR (else /tmp) and removed at exit; its schema/ is a link
 * to RULES/schema.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h" /* white-box: check_render() on catalogue templates */
#include "fuzz_util.h"
#include "jsonread.h"
#include "jsonschema.h"
#include "lambda_limits.h"
#include "osdata.h"
#include "profile.h"
#include "providers.h"
#include "pyexports.h"
#include "rules.h"
#include "stableabi.h"

#ifndef ABISCAN_FUZZ_RULES_DEFAULT
#define ABISCAN_FUZZ_RULES_DEFAULT ""
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum loader {
    LOAD_NONE,
    LOAD_PROFILE,
    LOAD_CATALOG,
    LOAD_OS,
    LOAD_STABLE_ABI,
    LOAD_LIMITS,
    LOAD_PROVIDERS,
    LOAD_PY_EXPORTS,
};

struct schema {
    char name[64];
    enum loader loader;
    cJSON *tree;
};

#define MAX_SCHEMAS 16

/* Set up once by LLVMFuzzerInitialize(), read-only afterwards. */
static struct schema schemas[MAX_SCHEMAS];
static size_t schemas_nr;
static char private_dir[PATH_MAX];

static ABISCAN_NORETURN void die(const char *fmt, ...) ABISCAN_PRINTF(1, 2);

/* Setup failed: nothing can be fuzzed. */
static void die(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "fuzz_json: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    abort();
}

static enum loader loader_of(const char *schema_name)
{
    static const struct {
        const char *name;
        enum loader loader;
    } map[] = {
        {"profile.schema.json", LOAD_PROFILE},
        {"catalog.schema.json", LOAD_CATALOG},
        {"os.schema.json", LOAD_OS},
        {"stable_abi.schema.json", LOAD_STABLE_ABI},
        {"limits.schema.json", LOAD_LIMITS},
        {"providers.schema.json", LOAD_PROVIDERS},
        {"python_exports.schema.json", LOAD_PY_EXPORTS},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (!strcmp(schema_name, map[i].name)) {
            return map[i].loader;
        }
    }
    return LOAD_NONE; /* report.schema.json: the tool's output; still a validator input */
}

static int cmp_schema(const void *a, const void *b)
{
    return strcmp(((const struct schema *)a)->name, ((const struct schema *)b)->name);
}

static void load_schemas(const char *rules)
{
    char dir[PATH_MAX];
    DIR *dh;
    struct dirent *de;

    snprintf(dir, sizeof(dir), "%s/schema", rules);
    if (!(dh = opendir(dir))) {
        die("cannot open '%s' (set ABISCAN_FUZZ_RULES to the rules directory)", dir);
    }
    while ((de = readdir(dh)) != NULL) {
        size_t n = strlen(de->d_name);
        struct diag d = DIAG_INIT;
        char path[PATH_MAX];
        struct schema *s;
        if (n <= 5 || strcmp(de->d_name + n - 5, ".json") != 0) {
            continue;
        }
        if (schemas_nr == MAX_SCHEMAS || n >= sizeof(s->name)) {
            die("too many or too long schema names in '%s'", dir);
        }
        s = &schemas[schemas_nr++];
        memcpy(s->name, de->d_name, n + 1);
        s->loader = loader_of(s->name);
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path)) {
            die("schema path too long in '%s'", dir);
        }
        if (jsonread_file(&s->tree, path, &d) != 0) {
            die("%s", d.msg);
        }
    }
    closedir(dh);
    if (!schemas_nr) {
        die("no schema in '%s'", dir);
    }
    qsort(schemas, schemas_nr, sizeof(schemas[0]), cmp_schema);
}

static void remove_private_dir(void)
{
    static const char *const parts[] = {"schema", "runtimes", "os"};
    char path[PATH_MAX + 16];

    if (!private_dir[0]) {
        return;
    }
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", private_dir, parts[i]);
        (void)(i == 0 ? unlink(path) : rmdir(path));
    }
    rmdir(private_dir);
    private_dir[0] = '\0';
}

static void make_private_dir(const char *rules)
{
    const char *tmp = getenv("TMPDIR");
    char path[PATH_MAX + 16], real[PATH_MAX];

    if (!realpath(rules, real)) {
        die("cannot resolve the rules directory '%s'", rules);
    }
    snprintf(private_dir, sizeof(private_dir), "%s/abiscan-fuzz-json.XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(private_dir)) {
        die("cannot create '%s'", private_dir);
    }
    atexit(remove_private_dir);
    snprintf(path, sizeof(path), "%s/runtimes", private_dir);
    if (mkdir(path, 0700) != 0) {
        die("cannot create '%s'", path);
    }
    snprintf(path, sizeof(path), "%s/os", private_dir);
    if (mkdir(path, 0700) != 0) {
        die("cannot create '%s'", path);
    }
    snprintf(path, sizeof(path), "%s/schema", private_dir);
    strncat(real, "/schema", sizeof(real) - strlen(real) - 1);
    if (symlink(real, path) != 0) {
        die("cannot link '%s'", path);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *rules = getenv("ABISCAN_FUZZ_RULES");

    if (!rules || !*rules) {
        rules = ABISCAN_FUZZ_RULES_DEFAULT;
    }
    if (!*rules) {
        die("set ABISCAN_FUZZ_RULES to the rules directory");
    }
    load_schemas(rules);
    make_private_dir(rules);
    return 0;
}

/* --- 1. the typed readers at the loaders' paths -------------------------------------- */

/* A reader either succeeds with a value or fails with a diagnostic, never both. */
static void read_str(const cJSON *root, const char *path, bool optional)
{
    struct diag d = DIAG_INIT;
    char *s = NULL;
    int rc = optional ? jsonread_str_opt(&s, root, path, &d) : jsonread_str(&s, root, path, &d);

    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(rc == 0 ? d.code == DIAG_OK && (s || optional) : d.code != DIAG_OK && !s);
    fuzz_touch(s);
    fuzz_touch(d.msg);
    free(s);
}

static void read_int(const cJSON *root, const char *path)
{
    struct diag d = DIAG_INIT;
    long v = 1;
    int rc = jsonread_int(&v, root, path, &d);

    FUZZ_CHECK(rc == 0 ? d.code == DIAG_OK : d.code != DIAG_OK && v == 0);
}

static void read_strv(const cJSON *root, const char *path)
{
    struct diag d = DIAG_INIT;
    struct strvec sv = STRVEC_INIT;
    int rc = jsonread_strv(&sv, root, path, &d);

    FUZZ_CHECK(rc == 0 ? d.code == DIAG_OK : d.code != DIAG_OK);
    fuzz_touch_strvec(&sv);
    strvec_release(&sv);
}

/* The fields profile.c's extract() reads (its str_fields table and the rest). */
static void read_profile(const cJSON *root)
{
    static const char *const strs[] = {
        "id", "runtime", "arch", "python.version.value", "python.abi_tag.value",
        "elf.interpreter.value", "elf.triplet.value", "os.id.value", "os.name.value",
        "toolchain.glibc_max.value", "toolchain.glibcxx_max.value",
        "toolchain.cxxabi_max.value", "toolchain.gcc_max.value", "pip_platform.value",
        "lifecycle.deprecated.value", "lifecycle.block_create.value",
        "lifecycle.block_update.value", "elf.data.value",
    };
    static const char *const strvs[] = {
        "python.extension_suffixes.value", "toolchain.cxxabi_extra.value", "library_path.value",
    };
    static const char *const ints[] = {
        "python.pyc_magic.value", "elf.machine.value", "elf.class.value",
    };

    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        read_str(root, strs[i], false);
    }
    for (size_t i = 0; i < sizeof(strvs) / sizeof(strvs[0]); i++) {
        read_strv(root, strvs[i]);
    }
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        read_int(root, ints[i]);
    }
}

/* rules.c's load_rule() on each rules[] row; osdata.c's load_one/load_lib/load_provider. */
static void read_rows(const cJSON *root)
{
    const cJSON *row;

    cJSON_ArrayForEach(row, jsonread_at(root, "rules"))
    {
        static const char *const strs[] = {"id", "slug", "severity", "title", "help"};
        for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
            read_str(row, strs[i], false);
        }
        read_str(row, "lambda_error", true);
        read_str(row, "fix.command", true);
        read_str(row, "fix.note", true);
    }
    read_str(root, "id", false);
    read_str(root, "name", false);
    /* lambda_limits.c's load_limit() on each limit */
    static const char *const limits[] = {"zipped_direct_upload", "unzipped_total", "layers"};
    for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
        char path[64];
        snprintf(path, sizeof(path), "%s.value", limits[i]);
        read_int(root, path);
        snprintf(path, sizeof(path), "%s.lambda_error", limits[i]);
        read_str(root, path, false);
    }
    read_int(root, "warn_percent.value");
    cJSON_ArrayForEach(row, jsonread_at(root, "libraries"))
    {
        read_str(row, "soname", true);
        read_str(row, "pattern", true);
        read_str(row, "status", false);
        read_str(row, "family", false);
        read_str(row, "source", false);
        read_str(row, "confidence", true);
    }
    cJSON_ArrayForEach(row, jsonread_at(root, "providers"))
    {
        read_str(row, "pattern", false);
        read_str(row, "package", false);
        read_str(row, "hint", false);
    }
}

/* --- 2. the loaders, on a document their schema accepts ------------------------------ */

static int write_file(const char *path, const uint8_t *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    size_t done = 0;

    if (fd < 0) {
        return -1;
    }
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            close(fd);
            unlink(path);
            return -1;
        }
        done += (size_t)n;
    }
    return close(fd);
}

/* A profile is read from runtimes/<id>.json, and its id must match the name: use the id
 * when it can be a file name, so that the whole load runs. */
static void profile_file(char *path, size_t cap, const cJSON *root)
{
    const cJSON *id = jsonread_at(root, "id");
    const char *name = "fuzz";

    if (cJSON_IsString(id) && id->valuestring[0] && id->valuestring[0] != '.' &&
        !strchr(id->valuestring, '/') && strlen(id->valuestring) < 200) {
        name = id->valuestring;
    }
    snprintf(path, cap, "%s/runtimes/%s.json", private_dir, name);
}

static void use_profiles(const struct profiles *ps)
{
    for (size_t i = 0; i < ps->nr; i++) {
        const struct profile *p = &ps->v[i];
        FUZZ_CHECK(profiles_find(ps, p->runtime, p->arch) != NULL);
        fuzz_touch(p->id);
        fuzz_touch(p->file);
        fuzz_touch(p->interpreter);
        fuzz_touch(p->deprecated);
        fuzz_touch_strvec(&p->ext_suffixes);
        fuzz_touch_strvec(&p->cxxabi_extra);
        fuzz_touch_strvec(&p->library_path);
    }
}

/* Each template rendered with every standard variable set, as check_report() does. */
static void render(const char *tmpl)
{
    static const struct tvar vars[] = {
        {"path", "pkg/mod.so"}, {"abs", "/var/task/pkg/mod.so"}, {"module", "pkg.mod"},
        {"runtime", "python3.12"}, {"arch", "x86_64"}, {"pyver", "3.12"},
        {"pip_platform", "manylinux2014_x86_64"}, {"requirement", "pkg==1.0"},
        {"dist", "pkg"}, {"version", NULL}, {"expected", "{found}"}, {"found", ""},
        {"soname", "libfoo.so.1"},
    };
    char *out;

    if (!tmpl) {
        return;
    }
    out = check_render(tmpl, vars, sizeof(vars) / sizeof(vars[0]));
    FUZZ_CHECK(out != NULL);
    fuzz_touch(out);
    free(out);
    out = check_render_command(tmpl, vars, sizeof(vars) / sizeof(vars[0]));
    FUZZ_CHECK(!out || !strchr(out, '\n') || strchr(tmpl, '\n'));
    free(out);
}

static void use_rules(const struct ruleset *rs)
{
    struct diag d = DIAG_INIT;

    (void)checks_verify(rs, &d);
    for (size_t i = 0; i < rs->nr; i++) {
        FUZZ_CHECK(rules_find(rs, rs->v[i].id) != NULL);
        render(rs->v[i].lambda_error);
        render(rs->v[i].fix.command);
        render(rs->v[i].fix.note);
        render(rs->v[i].fix_program.command);
        render(rs->v[i].fix_program.note);
    }
}

static void use_os(const struct osdatas *os)
{
    static const char *const sonames[] = {"libc.so.6", "libstdc++.so.6", "libfoo.so.1", ""};

    for (size_t i = 0; i < os->nr; i++) {
        FUZZ_CHECK(osdatas_find(os, os->v[i].id) != NULL);
        for (size_t j = 0; j < sizeof(sonames) / sizeof(sonames[0]); j++) {
            (void)osdata_library(&os->v[i], sonames[j]);
        }
    }
}

static void use_stable_abi(const struct stable_abi *t)
{
    FUZZ_CHECK(t->names.nr == t->added.nr);
    for (size_t i = 0; i < t->names.nr; i++) {
        FUZZ_CHECK(stableabi_added(t, t->names.v[i]) != NULL);
        fuzz_touch(t->added.v[i]);
    }
    (void)stableabi_added(t, "PyFuzz_NotInTheTable");
}

static void use_py_exports(const struct py_exports *t)
{
    for (size_t i = 0; i < t->names.nr; i++) {
        for (int minor = 0; minor < 16; minor++) {
            FUZZ_CHECK(!pyexports_has(t, t->names.v[i], 3, minor) ||
                       pyexports_known(t, 3, minor));
        }
    }
    FUZZ_CHECK(!pyexports_has(t, "PyFuzz_NotInTheTable", 3, 12));
    FUZZ_CHECK(!pyexports_known(t, 2, 7) && !pyexports_known(t, 3, -1) &&
               !pyexports_known(t, 3, 64));
}

static void run_loader(enum loader loader, const cJSON *root, const uint8_t *data, size_t size)
{
    struct diag d = DIAG_INIT;
    char path[PATH_MAX + 256];

    switch (loader) {
    case LOAD_PROFILE: {
        struct profiles ps;
        profile_file(path, sizeof(path), root);
        if (write_file(path, data, size) != 0) {
            return;
        }
        if (profiles_load(&ps, &(struct datasrc){private_dir, true}, &d) == 0) {
            use_profiles(&ps);
        }
        profiles_release(&ps);
        break;
    }
    case LOAD_CATALOG: {
        struct ruleset rs;
        snprintf(path, sizeof(path), "%s/catalog.json", private_dir);
        if (write_file(path, data, size) != 0) {
            return;
        }
        if (rules_load(&rs, &(struct datasrc){private_dir, true}, &d) == 0) {
            use_rules(&rs);
        }
        rules_release(&rs);
        break;
    }
    case LOAD_OS: {
        struct osdatas os;
        snprintf(path, sizeof(path), "%s/os/fuzz.json", private_dir);
        if (write_file(path, data, size) != 0) {
            return;
        }
        if (osdatas_load(&os, &(struct datasrc){private_dir, true}, &d) == 0) {
            use_os(&os);
        }
        osdatas_release(&os);
        break;
    }
    case LOAD_STABLE_ABI: {
        struct stable_abi t;
        snprintf(path, sizeof(path), "%s/stable_abi.json", private_dir);
        if (write_file(path, data, size) != 0) {
            return;
        }
        if (stableabi_load(&t, &(struct datasrc){private_dir, true}, &d) == 0) {
            use_stable_abi(&t);
        }
        stableabi_release(&t);
        break;
    }
    case LOAD_LIMITS: {
        struct lambda_limits l;
        snprintf(path, sizeof(path), "%s/limits.json", private_dir);
        if (write_file(path, data, size) != 0) {
            return;
        }
        if (lambda_limits_load(&l, &(struct datasrc){private_dir, true}, &d) == 0) {
            FUZZ_CHECK(l.zipped.value && l.unzipped.value && l.layers.value);
            FUZZ_CHECK(l.warn_percent >= 1 && l.warn_percent <= 100);
            fuzz_touch(l.zipped.lambda_error);
            fuzz_touch(l.unzipped.lambda_error);
            fuzz_touch(l.layers.lambda_error);
        }
        lambda_limits_release(&l);
        break;
    }
    case LOAD_PROVIDERS: {
        struct providers ps;
        static const char *const sonames[] = {"libzmq.so.5", "libfoo.so.1", ""};
        snprintf(path, sizeof(path), "%s/providers.json", private_dir);
        if (write_file(path, data, size) != 0) {
            return;
        }
        if (providers_load(&ps, &(struct datasrc){private_dir, true}, &d) == 0) {
            for (size_t j = 0; j < sizeof(sonames) / sizeof(sonames[0]); j++) {
                const struct provider *p = providers_find(&ps, sonames[j]);
                fuzz_touch(p ? p->hint : NULL);
            }
        }
        providers_release(&ps);
        break;
    }
    case LOAD_PY_EXPORTS: {
        struct py_exports t;
        snprintf(path, sizeof(path), "%s/python_exports.json", private_dir);
        if (write_file(path, data, size) != 0) {
            return;
        }
        if (pyexports_load(&t, &(struct datasrc){private_dir, true}, &d) == 0) {
            use_py_exports(&t);
        }
        pyexports_release(&t);
        break;
    }
    case LOAD_NONE:
        return;
    }
    fuzz_touch(d.msg);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    const char *end = NULL;
    cJSON *root;

    if (!text) {
        return 0;
    }
    if (size) {
        memcpy(text, data, size);
    }
    text[size] = '\0';
    /* As jsonread_file(): the terminating NUL inside the length, and required. */
    root = cJSON_ParseWithLengthOpts(text, size + 1, &end, 1);
    if (!root) {
        free(text);
        return 0;
    }
    read_profile(root);
    read_rows(root);
    for (size_t i = 0; i < schemas_nr; i++) {
        struct diag d = DIAG_INIT;
        int rc = jsonschema_validate(schemas[i].tree, root, &d);
        FUZZ_CHECK(rc == 0 ? d.code == DIAG_OK : rc == -1 && d.code != DIAG_OK);
        fuzz_touch(d.msg);
        if (rc == 0) {
            run_loader(schemas[i].loader, root, data, size);
        }
    }
    cJSON_Delete(root);
    free(text);
    return 0;
}
