/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: one configuration file (.abiscan.yaml) as the tool reads it.
 *
 * Every input goes through yamljson_parse() (libyaml events to a cJSON tree, bounded),
 * and, when it parses, the tree is validated against rules/schema/config.schema.json and
 * every path of it is looked up in the line table. Then the very loader the tool runs,
 * config_load(), reads it from a file, against the real data (RULES, loaded once), and
 * what it loaded is used as the run uses it: every suppression's glob matched against a
 * few member paths. A pull request can change this file: it must be an error or a value,
 * never a crash, a leak or a hang.
 *
 * RULES is $ABISCAN_FUZZ_RULES, else the source tree's rules/ (compiled in). The file is
 * written under $TMPDIR (else /tmp) and removed at exit.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "datadir.h"
#include "fuzz_util.h"
#include "jsonread.h"
#include "jsonschema.h"
#include "pathglob.h"
#include "xalloc.h"
#include "yamljson.h"

#ifndef ABISCAN_FUZZ_RULES_DEFAULT
#define ABISCAN_FUZZ_RULES_DEFAULT ""
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set up once by LLVMFuzzerInitialize(), read-only afterwards (but for the file's bytes). */
static struct datadir dd;
static cJSON *schema;
static char cfg_path[PATH_MAX];

static void cleanup(void)
{
    unlink(cfg_path);
    cJSON_Delete(schema);
    datadir_release(&dd);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *rules = getenv("ABISCAN_FUZZ_RULES");
    const char *tmp = getenv("TMPDIR");
    struct diag d = DIAG_INIT;
    char *schema_path;

    (void)argc;
    (void)argv;
    if (!rules || !*rules) {
        rules = ABISCAN_FUZZ_RULES_DEFAULT;
    }
    if (datadir_load(&dd, rules, &d) != 0) {
        fprintf(stderr, "fuzz_yaml: %s\n", d.msg);
        abort();
    }
    schema_path = xasprintf("%s/schema/config.schema.json", dd.dir);
    if (jsonread_file(&schema, schema_path, &d) != 0) {
        fprintf(stderr, "fuzz_yaml: %s\n", d.msg);
        abort();
    }
    free(schema_path);
    snprintf(cfg_path, sizeof(cfg_path), "%s/fuzz_yaml.%ld.yaml", tmp && *tmp ? tmp : "/tmp",
             (long)getpid());
    atexit(cleanup);
    return 0;
}

/* Every node's path in the line table: the lookup climbs, never loops. */
static size_t walk(const cJSON *node, const struct yamljson_lines *lines, char *path, size_t n)
{
    size_t sum = yamljson_line(lines, path);
    const cJSON *child;
    int i = 0;

    cJSON_ArrayForEach(child, node)
    {
        size_t len = strlen(path);
        if (cJSON_IsObject(node)) {
            snprintf(path + len, n - len, "%s%s", len ? "." : "", child->string);
        } else {
            snprintf(path + len, n - len, "[%d]", i++);
        }
        sum += walk(child, lines, path, n);
        path[len] = '\0';
    }
    return sum;
}

static void use(const struct config *c)
{
    static const char *const members[] = {"pkg/a.cpython-311-x86_64-linux-gnu.so", "", "a/b/c",
                                          "numpy/core/_multiarray_umath.so"};
    size_t sum = fuzz_touch(c->file) + fuzz_touch(c->runtime) + fuzz_touch(c->arch) +
                 fuzz_touch(c->fail_on) + fuzz_touch_strvec(&c->layers) +
                 fuzz_touch_strvec(&c->bundles);

    for (size_t i = 0; i < c->suppress_nr; i++) {
        const struct config_suppression *s = &c->suppress[i];
        FUZZ_CHECK(s->rule && s->path && s->reason && s->where);
        for (size_t m = 0; m < sizeof(members) / sizeof(members[0]); m++) {
            sum += pathglob_match(s->path, members[m]);
        }
    }
    FUZZ_CHECK(sum != (size_t)-1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct yamljson_lines lines;
    struct diag d = DIAG_INIT;
    struct config c;
    cJSON *root = NULL;
    FILE *f;

    if (yamljson_parse(&root, &lines, (const char *)data, size, &d) == 0) {
        char path[1024] = "";
        FUZZ_CHECK(root != NULL);
        (void)jsonschema_validate(schema, root, &d);
        (void)walk(root, &lines, path, sizeof(path));
        cJSON_Delete(root);
        yamljson_lines_release(&lines);
    } else {
        FUZZ_CHECK(root == NULL && d.msg[0]);
    }
    if (!(f = fopen(cfg_path, "wb"))) {
        return 0;
    }
    fwrite(data, 1, size, f);
    fclose(f);
    if (config_load(&c, cfg_path, &dd, &d) == 0) {
        use(&c);
        config_release(&c);
    } else {
        FUZZ_CHECK(d.msg[0]);
    }
    return 0;
}
