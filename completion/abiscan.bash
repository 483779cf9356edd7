# SPDX-License-Identifier: MIT
# bash completion for abiscan: options, runtimes, architectures, formats, rule ids and
# slugs, severities. Everything is asked of abiscan itself (--help, --list-runtimes,
# --list-rules), so that the completion never disagrees with the binary it completes.
# Installed as share/bash-completion/completions/abiscan.

_abiscan_words() { # _abiscan_words CMD WHAT: the words abiscan lists for WHAT
    case $2 in
    options) "$1" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u ;;
    runtimes) "$1" --list-runtimes 2>/dev/null | awk 'NR > 1 { print $1 }' | sort -u ;;
    rules) "$1" --list-rules 2>/dev/null | awk 'NR > 1 { print $1; print $2 }' ;;
    formats) "$1" --help 2>/dev/null | sed -n 's/.*output format: \(.*\) (default.*/\1/p' |
        tr -d ',' ;;
    esac
}

_abiscan() {
    local cur prev cmd=${COMP_WORDS[0]}
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()
    case $prev in
    -r | --runtime)
        mapfile -t COMPREPLY < <(compgen -W "$(_abiscan_words "$cmd" runtimes)" -- "$cur")
        return ;;
    -a | --arch)
        mapfile -t COMPREPLY < <(compgen -W "x86_64 arm64" -- "$cur")
        return ;;
    -f | --format)
        mapfile -t COMPREPLY < <(compgen -W "$(_abiscan_words "$cmd" formats)" -- "$cur")
        return ;;
    --fail-on)
        mapfile -t COMPREPLY < <(compgen -W "note warning error none" -- "$cur")
        return ;;
    --color)
        mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur")
        return ;;
    --explain)
        mapfile -t COMPREPLY < <(compgen -W "$(_abiscan_words "$cmd" rules)" -- "$cur")
        return ;;
    --report)
        if [[ $cur == *=* ]]; then
            mapfile -t COMPREPLY < <(compgen -f -- "${cur#*=}" | sed "s|^|${cur%%=*}=|")
        else
            mapfile -t COMPREPLY < <(compgen -S = -W "$(_abiscan_words "$cmd" formats)" -- "$cur")
            compopt -o nospace 2>/dev/null
        fi
        return ;;
    --rules | --path-base)
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return ;;
    --handler) # MODULE.FUNCTION: nothing to complete
        return ;;
    --platform)
        mapfile -t COMPREPLY < <(compgen -W "linux/amd64 linux/arm64" -- "$cur")
        return ;;
    -o | --output | -l | --layer | --config | --baseline | --write-baseline)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return ;;
    esac
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_abiscan_words "$cmd" options)" -- "$cur")
        return
    fi
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}
complete -o filenames -F _abiscan abiscan
