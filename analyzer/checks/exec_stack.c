/* SPDX-License-Identifier: MIT */
/*
 * ABI019 exec-stack: a shared object that asks for an executable stack, with PF_X on its
 * PT_GNU_STACK header or with no such header at all (the loader then takes the
 * architecture's default, which is executable on x86_64 and aarch64: glibc
 * sysdeps/generic/stackinfo.h DEFAULT_STACK_PERMS). Up to glibc 2.40, dlopen() quietly
 * makes the stack of the whole process executable for it; glibc 2.41 refuses to load it
 * ("cannot enable executable stack as shared object requires"; glibc 2.41 NEWS).
 */
#include "check.h"

void check_exec_stack(const struct check_ctx *ctx, const struct member *m, struct findings *out)
{
    const struct elfinfo *e = m->elf;

    /* An executable is exec'd, not dlopen'd: its stack is its own business. */
    if (m->role == ROLE_EXECUTABLE || !e->has_dynamic || (e->gnu_stack && !e->exec_stack)) {
        return;
    }
    check_report(
        ctx, out,
        &(struct check_found){.m = m,
                              .sev = ctx->rule->severity,
                              .expected = "PT_GNU_STACK RW",
                              .found = e->gnu_stack ? "PT_GNU_STACK RWE" : "no PT_GNU_STACK"},
        "%s: loading it makes the whole process stack executable on %s (glibc %s), "
        "and glibc 2.41 and later refuse to load it",
        e->gnu_stack ? "asks for an executable stack (PT_GNU_STACK with PF_X)"
                     : "has no PT_GNU_STACK header, which the loader takes as a request "
                       "for an executable stack",
        ctx->profile->os_name, ctx->profile->glibc_max);
}
