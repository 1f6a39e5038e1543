#!/bin/sh
# Builds hbc_mini.c with every warning an error (proving it compiles without a single one), builds the test
# driver with AddressSanitizer and UndefinedBehaviorSanitizer where the compiler has them, and runs it on
# docs/protocol-vectors.txt. Prints one "ok NAME" / "not ok NAME: REASON" line per check, the two builds
# included, and exits non-zero if any check failed.
#
#     scripts/run_c_tests.sh [OUTPUT_DIR]
#
# The binaries go to OUTPUT_DIR (created if needed), by default a temporary directory removed afterwards.
# CC picks the compiler (default cc).
set -u

here=$(cd "$(dirname "$0")" && pwd)
vectors="$here/../docs/protocol-vectors.txt"
cc=${CC:-cc}

if [ $# -gt 0 ]; then
    out=$1
    mkdir -p "$out" || exit 1
else
    out=$(mktemp -d "${TMPDIR:-/tmp}/hbc_mini_tests.XXXXXX") || exit 1
    trap 'rm -rf "$out"' EXIT
fi

# compile NAME OUTPUT FLAGS...: one check line for a build; its diagnostics go to stderr.
compile() {
    name=$1
    shift
    if "$cc" "$@" 2>"$out/compiler.log"; then
        echo "ok $name"
        return 0
    fi
    cat "$out/compiler.log" >&2
    echo "not ok $name: $cc failed, see its messages on stderr"
    return 1
}

compile "compile hbc_mini.c with -Wall -Wextra -Werror" \
    -Wall -Wextra -Werror -O2 -o "$out/hbc_mini" "$here/hbc_mini.c"
status=$?

sanitize="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
printf 'int main(void) { return 0; }\n' >"$out/probe.c"
# shellcheck disable=SC2086 # $sanitize is a list of flags
if ! { "$cc" $sanitize -o "$out/probe" "$out/probe.c" 2>/dev/null && "$out/probe"; }; then
    echo "run_c_tests.sh: $cc cannot build and run sanitized programs here; testing without sanitizers" >&2
    sanitize=""
fi
rm -f "$out/probe" "$out/probe.c"

# shellcheck disable=SC2086
if compile "compile test_hbc_mini.c${sanitize:+ with sanitizers}" \
    -Wall -Wextra -Werror -O1 -g $sanitize -I"$here" -o "$out/test_hbc_mini" "$here/test_hbc_mini.c"; then
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} "$out/test_hbc_mini" "$vectors" || status=1
else
    status=1
fi
rm -f "$out/compiler.log"
exit $status
