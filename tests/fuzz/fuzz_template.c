/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: a declaration as --template and --lambda-config read it.
 *
 * The input is written to a file and read both ways: targets_read_template() (JSON or YAML
 * with CloudFormation's short-form tags, then the CloudFormation/SAM reader or the
 * terraform show -json one) and targets_read_lambda_config() (the aws lambda JSON kinds,
 * with a code directory, so that each function's name is looked up in it). Every string of
 * every function read is touched; the bounds the readers promise (layers read, layers
 * listed) must hold. A declaration comes from anyone's infrastructure code: an error or a
 * value, never a crash, a leak or a hang. Files go under $TMPDIR (else /tmp).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "targets.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[PATH_MAX], code_dir[PATH_MAX];

static void cleanup(void)
{
    unlink(path);
    rmdir(code_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = getenv("TMPDIR");

    (void)argc;
    (void)argv;
    tmp = tmp && *tmp ? tmp : "/tmp";
    snprintf(path, sizeof(path), "%s/fuzz_template.%ld.yaml", tmp, (long)getpid());
    snprintf(code_dir, sizeof(code_dir), "%s/fuzz_template.%ld.code", tmp, (long)getpid());
    mkdir(code_dir, 0700);
    atexit(cleanup);
    return 0;
}

static size_t walk(const struct target_set *s)
{
    size_t sum = fuzz_touch(s->source) + fuzz_touch(s->kind);

    for (size_t i = 0; i < s->nr; i++) {
        const struct target_fn *fn = &s->v[i];
        FUZZ_CHECK(fn->function != NULL);
        FUZZ_CHECK(fn->layers.nr <= TARGETS_MAX_LAYERS);
        FUZZ_CHECK(fn->not_checked.nr <= TARGETS_MAX_NOT_CHECKED + 1);
        sum += fuzz_touch(fn->function) + fuzz_touch(fn->runtime) + fuzz_touch(fn->arch) +
               fuzz_touch(fn->code) + fuzz_touch(fn->skip) + fuzz_touch(fn->error) +
               fuzz_touch(fn->unresolved);
        sum += fuzz_touch_strvec(&fn->layers) + fuzz_touch_strvec(&fn->not_checked);
    }
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    struct target_set s = {0};
    struct diag d = DIAG_INIT;
    volatile size_t sum = 0;

    if (!f) {
        abort();
    }
    if (size && fwrite(data, 1, size, f) != size) {
        abort();
    }
    fclose(f);
    if (targets_read_template(&s, path, &d) == 0) {
        sum += walk(&s);
    }
    target_set_release(&s);
    if (targets_read_lambda_config(&s, path, code_dir, &d) == 0) {
        sum += walk(&s);
    }
    target_set_release(&s);
    (void)sum;
    return 0;
}
