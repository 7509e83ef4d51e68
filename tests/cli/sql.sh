#!/usr/bin/env bash
# lede sql: read-only queries in every format, writes refused with exit 2.
source "$(dirname "$0")/lib/common.bash"
ingest_fixtures

run 0 "$LEDE" sql 'SELECT key, n_blocks, n_sentences FROM article ORDER BY key'
golden sql-counts.table <"$TMP/out"
run 0 "$LEDE" sql --format csv "SELECT 'a,b' AS comma, 'say \"hi\"' AS quote, 'two' || char(10) || 'lines' AS newline, NULL AS nul, 0.5 AS half, 3 AS three, x'00ff' AS blob, 'caf' || char(233) AS accent"
golden sql-values.csv <"$TMP/out"
python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[1] == ["a,b", "say \"hi\"", "two\nlines", "", "0.5", "3", "X'"'"'00FF'"'"'", "café"], rows' "$TMP/out" \
    || fail "CSV does not read back"
run 0 "$LEDE" sql --format json "SELECT 1 AS a, 2 AS a, 'x' || char(9) || 'y' AS tab, 1e300 * 1e300 AS inf"
golden sql-values.json <"$TMP/out"
python3 -m json.tool "$TMP/out" >/dev/null || fail "sql --format json is not JSON"
run 0 "$LEDE" sql --format jsonl "SELECT key FROM article WHERE 0"
[[ ! -s $TMP/out ]] || fail "jsonl of no rows printed something"

# A long table keeps the widths of its first rows and streams the rest.
run 0 "$LEDE" sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
                   SELECT i, 'row ' || i AS label FROM n"
same "long table lines" "$(wc -l <"$TMP/out")" 2502
same "long table line 3" "$(sed -n 3p "$TMP/out")" "   1  row 1"
same "long table end" "$(tail -1 "$TMP/out")" "2500  row 2500"

# Statement from arguments joined by spaces, or from stdin.
run 0 "$LEDE" sql --format csv SELECT count\(\*\) AS n FROM article
same "joined words" "$(tail -1 "$TMP/out")" 6
echo "SELECT count(*) AS n FROM article; -- trailing comment" | "$LEDE" sql --format csv >"$TMP/out" ||
    fail "sql from stdin failed"
same "stdin statement" "$(tail -1 "$TMP/out")" 6

# Writes are refused, and nothing changes.
before=$(sha256sum "$LEDE_DB" | cut -d' ' -f1)
for stmt in "UPDATE article SET title = 'x'" "DELETE FROM article" "INSERT INTO run(started_at, command, lede_version) VALUES ('', '', '')" \
    "DROP TABLE article" "CREATE TABLE t(x)" "SELECT 1; DELETE FROM article" "PRAGMA user_version = 99" \
    "ATTACH '$TMP/other.db' AS o" "VACUUM"; do
    run 2 "$LEDE" sql "$stmt"
    contains "$TMP/err" '^lede: error: '
done
contains "$TMP/err" 'read-only'
[[ ! -e $TMP/other.db ]] || fail "ATTACH created a file"
same "database after refused writes" "$(sha256sum "$LEDE_DB" | cut -d' ' -f1)" "$before"
run 0 "$LEDE" sql --format csv 'SELECT count(*) FROM article'
same "articles after refused writes" "$(tail -1 "$TMP/out")" 6
run 2 "$LEDE" sql "UPDATE article SET title = 'x'"
contains "$TMP/err" "^lede: error: lede sql is read-only"

# Errors in the statement are usage errors.
run 2 "$LEDE" sql 'SELEKT 1'
contains "$TMP/err" '^lede: error: SQL error: .*syntax error'
run 2 "$LEDE" sql 'SELECT nosuchcolumn FROM article'
run 2 "$LEDE" sql "SELECT * FROM article_fts WHERE article_fts MATCH '\"open'"
run 2 "$LEDE" sql ''
run 2 "$LEDE" sql '-- only a comment'

finish
