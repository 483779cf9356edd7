/* SPDX-License-Identifier: MIT */
/*
 * What a Node.js package's own JavaScript says of its addon, read as text (no JavaScript
 * parser): whether its index.js falls back to JavaScript when node-gyp-build finds no
 * build (bufferutil: `try { module.exports = require('node-gyp-build')(__dirname) } catch
 * (e) { module.exports = require('./fallback') }`). doc/sources.md#nodejs-addons.
 */
#ifndef ANALYZER_NODEPKG_H
#define ANALYZER_NODEPKG_H

#include <stdbool.h>
#include <stddef.h>

/* The most of a package's index.js read: one that wraps node-gyp-build is a few lines. */
#define NODEPKG_INDEX_MAX (64u << 10)

/** The package a path lies in: the name after its last node_modules/ ("sharp",
 * "@img/sharp-linux-x64"), *name and *len; false when there is none. */
bool nodepkg_name_at(const char *path, const char **name, size_t *len);

/** Whether path is the index.js at the top of a package in node_modules. */
bool nodepkg_is_index(const char *path);

/** Whether text (len bytes) calls node-gyp-build in a try whose catch goes on without
 * throwing. */
bool nodepkg_falls_back(const char *text, size_t len);

#endif
