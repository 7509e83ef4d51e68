#!/usr/bin/env bash
# lede ingest: the summary line, idempotence, replacement, diagnostics as
# FILE@BYTE and FILE:LINE, --strict, rejected input and exit statuses.
source "$(dirname "$0")/lib/common.bash"

summary() { # ADDED REPLACED UNCHANGED REJECTED: the expected summary line as a regex
    local n=$(($1 + $2 + $3 + $4))
    echo "^ingested $n articles? \($1 added, $2 replaced, $3 unchanged, $4 rejected\) in [0-9]+\.[0-9]{2} s, [0-9]+\.[0-9] MB/s$"
}

run 0 "$LEDE" ingest "$FIXTURES/corpus"
contains "$TMP/out" "$(summary 6 0 0 0)"
[[ ! -s $TMP/err ]] || fail "a clean ingest wrote to stderr: $(cat "$TMP/err")"
run 0 "$LEDE" ls --format csv
golden ingest-ls.csv <"$TMP/out"

# Same content again: nothing to do.
run 0 "$LEDE" ingest "$FIXTURES/corpus"
contains "$TMP/out" "$(summary 0 0 6 0)"

# New content under a known key replaces the article.
cp -r "$FIXTURES/corpus" "$TMP/corpus"
echo "A late correction was added to this story." >>"$TMP/corpus/valley-post/flood-update.txt"
run 0 "$LEDE" ingest "$TMP/corpus"
contains "$TMP/out" "$(summary 0 1 5 0)"
run 0 "$LEDE" sql --format csv "SELECT count(*) FROM article WHERE text LIKE '%late correction%'"
same "replaced article" "$(tail -1 "$TMP/out")" 1

# -q: nothing on stdout.
run 0 "$LEDE" -q ingest "$TMP/corpus"
[[ ! -s $TMP/out ]] || fail "ingest -q printed: $(cat "$TMP/out")"

# Several paths, and standard input keyed "stdin".
export LEDE_DB=$TMP/second.db
printf 'Piped headline\nThis article came through a pipe.\n' >"$TMP/piped.txt"
run 0 "$LEDE" ingest "$FIXTURES/corpus/wire.jsonl" - <"$TMP/piped.txt"
contains "$TMP/out" "$(summary 4 0 0 0)"
run 0 "$LEDE" sql --format csv 'SELECT key FROM article ORDER BY key'
same "keys" "$(tail -n +2 "$TMP/out" | tr '\n' ' ')" "stdin wire-001 wire-002 wire-003 "

# Bad input: every problem is reported with its place, the rest goes in.
export LEDE_DB=$TMP/bad.db
mkdir "$TMP/bad"
printf 'A fine article about the harbour.\n' >"$TMP/bad/good.txt"
printf 'Caf\xe9 owners protest\nThe \xff\xfe r\xc3aise was small.\n' >"$TMP/bad/latin1.txt"
printf '\x00\x01\x02\x03binary\x00\x00' >"$TMP/bad/scan.txt"
: >"$TMP/bad/empty.txt"
{
    echo '{"id": "j1", "text": "First line article."}'
    echo '{"id": "j2", "text": "unterminated'
    echo '{"id": "j3", "title": "Third", "body": "Third line article."}'
    echo '[1, 2, 3]'
} >"$TMP/bad/feed.jsonl"
run 1 "$LEDE" ingest "$TMP/bad"
contains "$TMP/err" "^lede: warning: [^ ]*latin1\.txt@3: "
contains "$TMP/err" "^lede: error: [^ ]*feed\.jsonl:2: "
contains "$TMP/err" "^lede: error: [^ ]*feed\.jsonl:4: "
contains "$TMP/err" "^lede: error: [^ ]*scan\.txt"
contains "$TMP/err" "^lede: error: [^ ]*empty\.txt"
lacks "$TMP/err" $'\r'
contains "$TMP/out" "$(summary 4 0 0 4)"
run 0 "$LEDE" sql --format csv 'SELECT key, repairs > 0 FROM article ORDER BY key'
golden ingest-bad-keys.csv <"$TMP/out"

# --strict rejects invalid UTF-8 instead of repairing it.
export LEDE_DB=$TMP/strict.db
run 1 "$LEDE" ingest --strict "$TMP/bad/latin1.txt" "$TMP/bad/good.txt"
contains "$TMP/err" "^lede: error: [^ ]*latin1\.txt(@3: |: .*byte 3)"
contains "$TMP/out" "$(summary 1 0 0 1)"
run 0 "$LEDE" sql --format csv 'SELECT key FROM article'
same "strict keys" "$(tail -n +2 "$TMP/out")" "good.txt"

# A path that does not exist.
run 5 "$LEDE" ingest "$TMP/no-such-dir"
contains "$TMP/err" "no-such-dir"
run 0 "$LEDE" ingest --batch 1 "$FIXTURES/corpus"
contains "$TMP/out" "$(summary 6 0 0 0)"

# The database must be writable.
export LEDE_DB=$TMP/missing-dir/x.db
run 3 "$LEDE" ingest "$TMP/bad/good.txt"
contains "$TMP/err" "^lede: error: .*/missing-dir/x.db: cannot open database"

finish
