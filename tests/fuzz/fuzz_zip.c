/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: a zip held in memory through the bundle layer (libzip), then every
 * entry the way scan.c's scan_entry() reads it: a link's target peeked, a regular
 * member's first bytes peeked, the member read whole, and ELF content given to
 * elfinfo_from_memory() (read_elf()). Entries with a problem are asked too: both calls
 * must refuse them cleanly.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_int.h" /* white-box: the harness checks the read budget */
#include "elfinfo.h"
#include "fuzz_util.h"
#include "pyclass.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small limits keep one input fast (a deflated member can still inflate 1000:1). */
static const struct bundle_limits limits = {
    .max_member_size = 1u << 20,
    .max_entries = 4096,
    .max_depth = 16,
    .max_total_read = 4u << 20,
};

static void read_entry(struct bundle *b, struct bundle_reader *r, const struct bundle_entry *e)
{
    struct diag d = DIAG_INIT;
    unsigned char head[4], link[1024];
    struct bundle_bytes bytes;
    size_t got = 0;

    if (e->type == ENTRY_DIR) {
        return; /* listed, never read */
    }
    if (e->type == ENTRY_SYMLINK) {
        /* scan.c read_link(): the stored target, at most 1023 bytes. */
        if (bundle_peek(r, e, link, sizeof(link) - 1, &got, &d) == 0) {
            FUZZ_CHECK(got <= sizeof(link) - 1);
        } else {
            FUZZ_CHECK(d.code != DIAG_OK);
        }
        return;
    }
    if (bundle_peek(r, e, head, sizeof(head), &got, &d) != 0) {
        FUZZ_CHECK(d.code != DIAG_OK);
        FUZZ_CHECK(fuzz_touch(d.msg) < sizeof(d.msg));
        d = (struct diag)DIAG_INIT;
    } else {
        FUZZ_CHECK(got <= sizeof(head));
        FUZZ_CHECK(!e->problem);
        (void)pyclass_content(head, got);
    }
    /* scan.c: the budget charged, then the member whole. */
    if (bundle_charge(b, e, &d) != 0) {
        FUZZ_CHECK(d.code == DIAG_LIMIT);
        return;
    }
    if (bundle_map(r, e, &bytes, &d) != 0) {
        FUZZ_CHECK(d.code != DIAG_OK && !bytes.data && !bytes.len);
        FUZZ_CHECK(fuzz_touch(d.msg) < sizeof(d.msg));
        return;
    }
    FUZZ_CHECK(bytes.len == e->size && !e->problem);
    FUZZ_CHECK(bytes.len == 0 || bytes.data);
    if (elfinfo_is_elf(bytes.data, bytes.len)) {
        struct elfinfo info;
        elfinfo_from_memory(&info, bytes.data, bytes.len); /* a failure is in info.error */
        fuzz_touch_elfinfo(&info);
        elfinfo_release(&info);
    }
    bundle_bytes_release(&bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diag d = DIAG_INIT;
    struct bundle *b = NULL;
    struct bundle_reader *r;

    if (bundle_open_zip_memory(&b, "fuzz.zip", data, size, &limits, &d) != 0) {
        FUZZ_CHECK(!b && d.code != DIAG_OK);
        FUZZ_CHECK(fuzz_touch(d.msg) < sizeof(d.msg));
        return 0;
    }
    FUZZ_CHECK(b && bundle_kind(b) == BUNDLE_ZIP && b->nr <= limits.max_entries);
    r = bundle_reader_new(b, &d); /* the first reader borrows the archive: cannot fail */
    FUZZ_CHECK(r != NULL);
    for (size_t i = 0; i < b->notes.nr; i++) {
        fuzz_touch(b->notes.v[i]);
    }
    for (size_t i = 0; i < b->nr; i++) {
        const struct bundle_entry *e = &b->entries[i];
        FUZZ_CHECK(e->path != NULL);
        fuzz_touch(e->path);
        fuzz_touch(e->problem);
        read_entry(b, r, e);
    }
    bundle_reader_free(r);
    FUZZ_CHECK(b->read_total <= limits.max_total_read);
    bundle_close(b);
    return 0;
}
