#!/usr/bin/env bash
# Corpus rows (layers declared rows = true): written by corpus:row, stored in
# corpus_row under the corpus pass's run, one view per layer, exported like
# spans, replaced by the plugin's next corpus pass, read back by corpus:rows.
source "$(dirname "$0")/lib/common.bash"
PLUGINS=$(cd "$CLI_TESTS/../plugins/luatest" && pwd)
ingest_fixtures

# A database of schema version 1 gains corpus_row when a run opens it.
python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TABLE corpus_row; PRAGMA user_version = 1;")' "$LEDE_DB"
run 0 "$LEDE" run --plugins "$PLUGINS" widespread
contains "$TMP/out" '\(.*[1-9][0-9]* computed, 0 current, 0 failed, 2 corpus passes\)'

# The view of a layer of rows: id, its fields, run_id (a corpus run).
run 0 "$LEDE" sql --format csv 'SELECT * FROM word_count LIMIT 0'
same "word_count columns" "$(head -1 "$TMP/out")" "id,fold,articles,uses,run_id"
run 0 "$LEDE" sql --format csv \
    "SELECT count(*) > 0, sum(uses) = (SELECT count(*) FROM long_word), count(DISTINCT fold) = count(*)
     FROM word_count"
same "word_count rows" "$(tail -1 "$TMP/out")" "1,1,1"
run 0 "$LEDE" sql --format csv \
    "SELECT DISTINCT r.command, json_extract(r.options, '$.plugin') FROM corpus_row c JOIN run r ON r.id = c.run_id
     ORDER BY 2"
contains "$TMP/out" '^corpus,series$'
contains "$TMP/out" '^corpus,widespread$'
run 0 "$LEDE" sql --format csv \
    'SELECT (SELECT count(*) FROM widespread) = (SELECT count(*) FROM word_count WHERE articles >= 2)'
same "corpus:rows read the rows of series" "$(tail -1 "$TMP/out")" "1"

# lede stats counts rows per layer; lede plugins marks layers of rows.
run 0 "$LEDE" stats
contains "$TMP/out" "^  word_count  *$(printf "%'d" "$("$LEDE" sql --format csv 'SELECT count(*) FROM word_count' | tail -1)") from series$"
"$LEDE" plugins --plugins "$PLUGINS" --format csv >"$TMP/out" 2>/dev/null || true # the folder has broken plugins too
contains "$TMP/out" 'word_count\[rows\]\(fold,articles,uses\)'

# Export: one record per row, its fields only.
rows=$("$LEDE" sql --format csv 'SELECT count(*) FROM word_count' | tail -1)
run 0 "$LEDE" export --layer word_count --format csv
same "csv header" "$(head -1 "$TMP/out")" "fold,articles,uses"
same "csv records" "$(($(wc -l <"$TMP/out") - 1))" "$rows"
run 0 "$LEDE" export --layer word_count
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    assert list(r) == ["fold", "articles", "uses"] and isinstance(r["uses"], int), r' "$TMP/out" ||
    fail "export jsonl of rows is wrong"
run 2 "$LEDE" export --layer word_count --article x
contains "$TMP/err" "holds corpus rows"
run 5 "$LEDE" export --layer problem

# A current pass is skipped; a new pass replaces the rows instead of adding.
before=$("$LEDE" sql --format csv 'SELECT count(*), min(run_id) FROM word_count' | tail -1)
run 0 "$LEDE" run --plugins "$PLUGINS" widespread
contains "$TMP/out" '0 corpus passes'
run 0 "$LEDE" run --plugins "$PLUGINS" --force widespread
after=$("$LEDE" sql --format csv 'SELECT count(*), min(run_id) FROM word_count' | tail -1)
same "rows after a forced run" "${after%,*}" "${before%,*}"
[[ ${after#*,} -gt ${before#*,} ]] || fail "the forced pass did not replace the rows ($before, then $after)"
run 0 "$LEDE" run --plugins "$PLUGINS" -O tally.min=9 widespread
run 0 "$LEDE" sql --format csv 'SELECT count(*) FROM word_count WHERE length(fold) < 9'
same "rows of the old options" "$(tail -1 "$TMP/out")" "0"

# Misuse is an error of the plugin, stored as a problem.
run 6 "$LEDE" run --plugins "$PLUGINS" broken -O broken.misuse=row
contains "$TMP/err" "layer 'seen' holds spans"
run 6 "$LEDE" run --plugins "$PLUGINS" broken -O broken.misuse=annotate
contains "$TMP/err" "layer 'tally_rows' holds corpus rows"
finish
