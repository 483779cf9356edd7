/* SPDX-License-Identifier: MIT */
/*
 * The shipped data (rules/, from $ABISCAN_TEST_RULES) for the unit tests: loaded into a
 * datadir of the caller's, or into testdata_dd by a cmocka group's setup and freed by its
 * teardown. Header-only (static functions), included by one test file each.
 */
#ifndef TESTS_UNIT_TESTDATA_H
#define TESTS_UNIT_TESTDATA_H

#include <stdlib.h>

#include "datadir.h"

static struct datadir testdata_dd;

/* Load the shipped data into dd; fails the test when it cannot. */
static inline void testdata_load(struct datadir *dd)
{
    struct diag d = DIAG_INIT;

    if (datadir_load(dd, getenv("ABISCAN_TEST_RULES"), &d) != 0) {
        fail_msg("cannot load the rules: %s", d.msg);
    }
}

static inline int testdata_setup(void **state)
{
    (void)state;
    testdata_load(&testdata_dd);
    return 0;
}

static inline int testdata_teardown(void **state)
{
    (void)state;
    datadir_release(&testdata_dd);
    return 0;
}

#endif
