# Sourced by tests/cli/*.sh: strict mode, a scratch directory with its own
# database, golden-file comparison and exit-status checks.  Every check that
# fails prints what differed; the script exits 1 at the end if any did.
set -euo pipefail

: "${LEDE:?LEDE must name the lede binary}"
if [[ $LEDE == */* && $LEDE != /* ]]; then # tests change directory
    LEDE=$(cd "$(dirname "$LEDE")" && pwd)/$(basename "$LEDE")
fi
CLI_TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GOLDEN=$CLI_TESTS/golden
FIXTURES=$CLI_TESTS/fixtures
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export LEDE_DB=$TMP/test.db
unset CI LEDE_PLUGIN_PATH
export LC_ALL=C.UTF-8
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# golden NAME: compares standard input with golden/NAME (a diff on failure).
# LEDE_UPDATE_GOLDEN=1 rewrites the file instead: review the change with git diff.
golden() {
    local name=$1 got=$TMP/golden.$1
    cat >"$got"
    if [[ ${LEDE_UPDATE_GOLDEN:-} == 1 ]]; then
        cp "$got" "$GOLDEN/$name"
        return 0
    fi
    if [[ ! -f $GOLDEN/$name ]]; then
        fail "no golden/$name (run with LEDE_UPDATE_GOLDEN=1 to create it)"
    elif ! diff -u "$GOLDEN/$name" "$got" >&2; then
        fail "output differs from golden/$name (- expected, + got)"
    fi
}

# run WANT CMD...: runs CMD with stdout in $TMP/out and stderr in $TMP/err,
# and checks that it exits with status WANT.
run() {
    local want=$1 got=0
    shift
    "$@" >"$TMP/out" 2>"$TMP/err" || got=$?
    if [[ $got != "$want" ]]; then
        fail "'$*' exited with $got, want $want"
        sed 's/^/  stdout: /' "$TMP/out" | head -20 >&2
        sed 's/^/  stderr: /' "$TMP/err" | head -20 >&2
    fi
}

# contains FILE REGEX: checks that a line of FILE matches the extended REGEX.
contains() {
    if ! grep -Eq -- "$2" "$1"; then
        fail "$(basename "$1") has no line matching /$2/"
        sed 's/^/  | /' "$1" | head -20 >&2
    fi
}

# lacks FILE REGEX: checks that no line of FILE matches REGEX.
lacks() {
    if grep -Eq -- "$2" "$1"; then
        fail "$(basename "$1") has a line matching /$2/"
        grep -E -- "$2" "$1" | sed 's/^/  | /' | head -20 >&2
    fi
}

# same WHAT GOT WANT: compares two strings.
same() {
    if [[ $2 != "$3" ]]; then
        fail "$1 is '$2', want '$3'"
    fi
}

# The fixture corpus, ingested into $LEDE_DB from its parent folder, so that
# origins ("corpus/wire.jsonl:2") do not depend on where the tests live.
ingest_fixtures() {
    (cd "$FIXTURES" && "$LEDE" -q ingest corpus) || fail "ingest of the fixture corpus exited with $?"
}

finish() {
    if ((failures)); then
        echo "$(basename "$0"): $failures check(s) failed" >&2
        exit 1
    fi
    echo "$(basename "$0"): ok"
}
