#!/usr/bin/env bash
# lede search: ranked results with snippets, FTS5 syntax, malformed queries.
source "$(dirname "$0")/lib/common.bash"
ingest_fixtures

run 0 "$LEDE" search bridge --format csv
golden search-bridge.csv <"$TMP/out"
run 0 "$LEDE" search ferry
golden search-ferry.table <"$TMP/out"
run 0 "$LEDE" search '"five-year plan"' --format jsonl
golden search-phrase.jsonl <"$TMP/out"
run 0 "$LEDE" search 'title:ferry' --format csv
same "title: results" "$(tail -n +2 "$TMP/out" | cut -d, -f1)" "wire-003"

# Words of several arguments must all occur; OR widens; the limit holds.
run 0 "$LEDE" search ferry minutes --format csv
same "ferry AND minutes" "$(tail -n +2 "$TMP/out" | cut -d, -f1 | sort | tr '\n' ' ')" \
    "harbour-times/2024-03-02-bridge.txt wire-003 "
run 0 "$LEDE" search 'strike OR flood' --format json
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert len(r)==2, r; assert all(x["score"]>0 for x in r)' \
    "$TMP/out" || fail "search OR results"
run 0 "$LEDE" search 'the' --limit 2 --format csv
same "search --limit 2" "$(wc -l <"$TMP/out")" 3
run 0 "$LEDE" search zeppelin --format csv
same "no match" "$(cat "$TMP/out")" "key,source,published,title,snippet,score"

# Malformed queries are usage errors with the reason, not crashes.
for q in '"unbalanced' 'AND' 'nosuchcolumn:bridge' '(' 'NEAR(' ''; do
    run 2 "$LEDE" search "$q"
    contains "$TMP/err" "^lede: error: bad search query"
    [[ ! -s $TMP/out ]] || fail "search '$q' printed results"
done

finish
