/* SPDX-License-Identifier: MIT */
/* Names for ELF constants, for messages and JSON. Ownership: returned strings are static. */
#ifndef ANALYZER_ELFNAMES_H
#define ANALYZER_ELFNAMES_H

/** "x86_64", "aarch64", ...; "machine <n>" written into buf when unknown. */
const char *elfnames_machine(int machine, char *buf, unsigned bufsz);
/** "ELFCLASS64", "ELFCLASS32", or "class <n>". */
const char *elfnames_class(int elfclass, char *buf, unsigned bufsz);
/** "little-endian", "big-endian", or "data <n>". */
const char *elfnames_data(int data, char *buf, unsigned bufsz);

#endif
