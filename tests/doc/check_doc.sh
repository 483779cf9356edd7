#!/bin/bash
# SPDX-License-Identifier: MIT
# check_doc.sh ABISCAN REPO: the man page and the bash completion.
#   - mandoc -T lint (warnings and worse) and man --warnings are clean on doc/abiscan.1;
#   - every option --help lists is in the man page, and every option the man page
#     documents is in --help (the option table is the one source);
#   - the completion, sourced in bash, completes options, runtimes, rule ids and slugs,
#     formats and --report FORMAT= from what this abiscan says.
set -u
abiscan=$1 repo=$2
man=$repo/doc/abiscan.1 comp=$repo/completion/abiscan.bash
pass=0 fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
nok() { echo "not ok - $1"; fail=$((fail + 1)); }

if out=$(mandoc -T lint -W warning "$man" 2>&1) && [ -z "$out" ]; then ok "mandoc -T lint: clean"
else nok "mandoc -T lint: $out"; fi
if out=$(LC_ALL=C.UTF-8 MANROFFSEQ='' man --warnings -l "$man" 2>&1 >/dev/null) && [ -z "$out" ]; then
    ok "man --warnings: clean"
else nok "man --warnings: $out"; fi

help_opts=$("$abiscan" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u)
man_opts=$(mandoc -T ascii "$man" | sed -e 's/.\x08//g' | grep -oE -- '--[a-z][a-z-]*' | sort -u)
[ -n "$help_opts" ] || nok "--help lists no option"
missing=$(comm -23 <(echo "$help_opts") <(echo "$man_opts"))
[ -z "$missing" ] && ok "every --help option is in the man page" || nok "not in the man page: $missing"
extra=$(comm -13 <(echo "$help_opts") <(echo "$man_opts"))
[ -z "$extra" ] && ok "the man page documents no option --help lacks" || nok "not in --help: $extra"

complete_words() { # complete_words WORD...: COMPREPLY for the last word
    bash -c '
        source "$1"; shift
        ln=$1; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        PATH="$(dirname "$ln"):$PATH"
        _abiscan
        printf "%s\n" "${COMPREPLY[@]}"' _ "$comp" "$abiscan" abiscan "$@"
}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
ln -s "$abiscan" "$bin/abiscan"
abiscan=$bin/abiscan
has() { echo "$1" | grep -qx -- "$2"; }
got=$(complete_words --rep)
has "$got" --report && ok "completes --rep to --report" || nok "--rep: $got"
got=$(complete_words --runtime python3.1)
has "$got" python3.12 && ok "completes runtimes" || nok "--runtime python3.1: $got"
got=$(complete_words --explain ABI00)
has "$got" ABI001 && ok "completes rule ids" || nok "--explain ABI00: $got"
got=$(complete_words --explain glibc)
has "$got" glibc-too-new && ok "completes rule slugs" || nok "--explain glibc: $got"
got=$(complete_words --format s)
has "$got" sarif && ok "completes formats" || nok "--format s: $got"
got=$(complete_words --report ju)
has "$got" junit= && ok "completes --report FORMAT=" || nok "--report ju: $got"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
