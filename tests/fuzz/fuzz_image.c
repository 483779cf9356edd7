/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: a container image archive (a docker save or oci-archive tar) through
 * the image backend: the archive indexed, the index, manifest and config read (cJSON),
 * the platform picked, every layer listed with libarchive and its digest checked, the
 * whiteouts applied; then every file of the image streamed the way scan_image.c reads
 * it: its first bytes, the rest whole, ELF content given to elfinfo_from_memory(). The
 * bytes go through a file (the backend reads the archive with pread), rewritten for each
 * input. Seeds: the fixture images (make_corpus.sh).
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_int.h" /* white-box: the harness checks the entries' invariants */
#include "elfinfo.h"
#include "fuzz_util.h"
#include "pyclass.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small limits keep one input fast: a layer stops at 4 MiB uncompressed. */
static const struct bundle_limits limits = {
    .max_member_size = 1u << 20,
    .max_entries = 4096,
    .max_depth = 16,
    .max_total_read = 4u << 20,
    .platform = "linux/amd64",
};

static char path[4096];

static void visit(void *ctx, size_t entry, struct bundle_stream *s, const char *problem)
{
    const struct bundle_entry *e = &((const struct bundle *)ctx)->entries[entry];
    struct diag d = DIAG_INIT;
    struct bundle_bytes bytes;
    unsigned char head[4];
    size_t got = 0;

    if (!s) {
        FUZZ_CHECK(problem != NULL);
        fuzz_touch(problem);
        return;
    }
    FUZZ_CHECK(e->type == ENTRY_FILE && !e->problem && !e->image_level);
    if (bundle_stream_read(s, head, sizeof(head), &got, &d) != 0) {
        FUZZ_CHECK(d.code != DIAG_OK && fuzz_touch(d.msg) < sizeof(d.msg));
        return;
    }
    FUZZ_CHECK(got <= sizeof(head) && (got == sizeof(head) || got == e->size));
    (void)pyclass_content(head, got);
    if (bundle_stream_whole(s, &bytes, &d) != 0) {
        FUZZ_CHECK(d.code != DIAG_OK && !bytes.data && fuzz_touch(d.msg) < sizeof(d.msg));
        return;
    }
    FUZZ_CHECK(bytes.len == e->size && bytes.len <= limits.max_member_size);
    FUZZ_CHECK(bytes.len < 4 || !memcmp(bytes.data, head, sizeof(head)));
    if (elfinfo_is_elf(bytes.data, bytes.len)) {
        struct elfinfo info;
        elfinfo_from_memory(&info, bytes.data, bytes.len);
        fuzz_touch_elfinfo(&info);
        elfinfo_release(&info);
    }
    bundle_bytes_release(&bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diag d = DIAG_INIT;
    struct bundle *b = NULL;
    const struct bundle_image *img;
    bool *want;
    int fd;

    if (!path[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(path, sizeof(path), "%s/fuzz_image.%ld.tar", tmp && *tmp ? tmp : "/tmp",
                 (long)getpid());
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(size == 0 || write(fd, data, size) == (ssize_t)size);
    close(fd);
    if (bundle_open(&b, path, &limits, &d) != 0) {
        FUZZ_CHECK(!b && d.code != DIAG_OK && fuzz_touch(d.msg) < sizeof(d.msg));
        return 0;
    }
    if (!(img = bundle_image(b))) {
        bundle_close(b); /* not an image: another backend's (a file, a zip) */
        return 0;
    }
    FUZZ_CHECK(bundle_streamed(b) && b->nr <= limits.max_entries + 64);
    fuzz_touch(img->form), fuzz_touch(img->platform), fuzz_touch(img->ref);
    fuzz_touch_strvec(&img->env), fuzz_touch_strvec(&img->entrypoint);
    fuzz_touch_strvec(&img->cmd), fuzz_touch_strvec(&img->platforms);
    fuzz_touch_strvec(&b->notes);
    want = calloc(b->nr + 1, sizeof(*want));
    FUZZ_CHECK(want != NULL);
    for (size_t i = 0; i < b->nr; i++) {
        const struct bundle_entry *e = &b->entries[i];
        FUZZ_CHECK(e->path && (i == 0 || e->image_level || b->entries[i - 1].image_level ||
                               strcmp(b->entries[i - 1].path, e->path) < 0));
        fuzz_touch(e->path), fuzz_touch(e->problem), fuzz_touch(e->link);
        FUZZ_CHECK(e->type != ENTRY_SYMLINK || e->link || e->problem);
        want[i] = e->type == ENTRY_FILE;
    }
    bundle_stream(b, want, 1, visit, b);
    free(want);
    bundle_close(b);
    return 0;
}
