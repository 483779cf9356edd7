/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: one ELF object (any bytes) through elfinfo_from_memory(), as
 * scan.c's read_elf() gives it a member read whole from a bundle.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "elfinfo.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elfinfo info;
    /* libelf may convert a foreign byte order in place: give it a writable copy, exactly
     * size bytes long so that AddressSanitizer sees any read past the end. */
    unsigned char *buf = malloc(size ? size : 1);
    int rc;

    if (!buf) {
        return 0;
    }
    if (size) {
        memcpy(buf, data, size);
    }
    rc = elfinfo_from_memory(&info, buf, size);
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(rc == 0 || info.error != NULL); /* -1: out->error says why */
    FUZZ_CHECK(!info.header_ok || rc == 0);
    fuzz_touch_elfinfo(&info);
    elfinfo_release(&info);
    /* elfinfo_release() leaves a zeroed struct, and accepts one. */
    elfinfo_release(&info);
    free(buf);
    return 0;
}
