#!/usr/bin/env bash
# lede stats: the readable summary and its JSON form.
source "$(dirname "$0")/lib/common.bash"

# A small database first.
"$LEDE" -q ingest "$FIXTURES/corpus/wire.jsonl"
run 0 "$LEDE" stats --format json
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["articles"]["articles"] == 3, s' "$TMP/out" \
    || fail "stats of three articles"

ingest_fixtures
run 0 "$LEDE" stats
sed -e "s|$TMP|TMP|" -e 's/^\(last run  *#[0-9]* [a-z]* [a-z]*\), .*/\1, .../' "$TMP/out" | golden stats.txt
run 0 "$LEDE" stats --format json
python3 - "$TMP/out" <<'PY' || fail "stats --format json"
import json, sys
s = json.load(open(sys.argv[1]))
a = s["articles"]
assert a["articles"] == 6 and a["bytes"] > 0 and a["tokens"] > a["sentences"] >= a["blocks"] > 0, a
assert sum(x["articles"] for x in s["sources"]) == 6, s["sources"]
assert s["schema"]["user_version"] >= 1
PY

finish
