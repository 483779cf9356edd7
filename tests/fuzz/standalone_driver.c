/* SPDX-License-Identifier: MIT */
/*
 * A main() for the fuzz harnesses without libFuzzer (libgit2's fuzzers/standalone_driver.c):
 * each file named on the command line is read and given to LLVMFuzzerTestOneInput() once.
 * Arguments that start with '-' are libFuzzer flags and are ignored, so that run_fuzz.sh
 * regress runs the same command line in a gcc build as in the clang one. A harness that
 * crashes, aborts on a FUZZ_CHECK, or trips a sanitizer fails the run.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;

    if (!f) {
        return NULL;
    }
    for (;;) {
        size_t got;
        if (n == cap) {
            unsigned char *grown;
            cap = cap ? cap * 2 : 4096;
            if (!(grown = realloc(buf, cap))) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    int ran = 0;

    if (LLVMFuzzerInitialize) {
        LLVMFuzzerInitialize(&argc, &argv);
    }
    for (int i = 1; i < argc; i++) {
        unsigned char *data;
        size_t len = 0;
        if (argv[i][0] == '-') {
            continue;
        }
        if (!(data = slurp(argv[i], &len))) {
            fprintf(stderr, "%s: cannot read '%s'\n", argv[0], argv[i]);
            return 2;
        }
        LLVMFuzzerTestOneInput(data, len);
        free(data);
        ran++;
    }
    printf("%s: %d input%s run\n", argv[0], ran, ran == 1 ? "" : "s");
    return 0;
}
