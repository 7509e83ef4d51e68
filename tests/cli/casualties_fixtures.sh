#!/usr/bin/env bash
# The stock plugin `casualties` on hand-written fixtures
# (tests/plugins/casualties/fixtures): each article must give exactly the
# figures of expected.json (every listed field right, nothing more: the
# traps article gives none), and the corpus pass must track the tolls:
# a conflict between outlets for one day, a running total that goes down,
# and a figure repeated word for word (wire copy).  `lede figures` prints
# both views.
source "$(dirname "$0")/lib/common.bash"

SRC=${LEDE_SOURCE_DIR:-$(cd "$CLI_TESTS/../.." && pwd)}
FIX=$SRC/tests/plugins/casualties/fixtures

run 0 "$LEDE" -q ingest "$FIX/feed.jsonl"
run 0 "$LEDE" -q run casualties
run 0 "$LEDE" export --layer figure --format jsonl
cp "$TMP/out" "$TMP/figures.jsonl"
python3 - "$TMP/figures.jsonl" "$FIX/expected.json" <<'PY' || fail "figures differ from expected.json"
import json, sys
got = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    got.setdefault(r["article"], []).append(r)
want = json.load(open(sys.argv[2]))
bad = 0
for key, figures in want.items():
    if key.startswith("_"):
        continue
    have = sorted(got.get(key, []), key=lambda r: (r["start"], r["end"]))
    if len(have) != len(figures):
        print(f"{key}: {len(have)} figures, want {len(figures)}: " + "; ".join(r["text"] for r in have))
        bad += 1
    for i, (w, h) in enumerate(zip(figures, have)):
        for field, value in w.items():
            ok = h.get(field) in value if isinstance(value, list) else h.get(field) == value
            if not ok:
                print(f"{key} figure {i + 1} ({h['text']!r}): {field} is {h.get(field)!r}, want {value!r}")
                bad += 1
sys.exit(1 if bad else 0)
PY

# tracking, as data
run 0 "$LEDE" figures --timeline --format jsonl
contains "$TMP/out" '"series":"Tessany / dead / incident".*"count":25.*conflicts with 19 \(Coastal Wire\) for the same day'
contains "$TMP/out" '"series":"Vardenia / dead / cumulative".*"as_of":"2023-06-10".*"movement":"down".*running total went down from 3,000 \(Eastern Monitor, 2023-06-01\)'
contains "$TMP/out" '"series":"Vardenia / dead / cumulative".*"as_of":"2023-06-11".*wire copy: the same sentence in North Star Daily \(2023-06-10\)'

# each series summed up in a row of toll_series
run 0 "$LEDE" sql "SELECT points, first, last, trend, decreases, repeats FROM toll_series WHERE series = 'Vardenia / dead / cumulative'"
contains "$TMP/out" '^ *3 +3000 +2800 +down +1 +2$'
run 0 "$LEDE" sql "SELECT conflicts FROM toll_series WHERE series = 'Tessany / dead / incident'"
contains "$TMP/out" '^ *2$'

# tracking, as a table with its chart; filters
run 0 "$LEDE" figures --timeline --where vardenia
contains "$TMP/out" '^Vardenia / dead / cumulative +2023-06-01 +3,000 +more_than'
contains "$TMP/out" '-200 +█'
if grep -q Tessany "$TMP/out"; then fail "--where vardenia lists Tessany"; fi
run 0 "$LEDE" figures --category killed --scope incident --format csv
contains "$TMP/out" '^article,as_of,category,count,low,high,vague,qualifier,victims,where,scope,confidence,text$'
contains "$TMP/out" '^war-2,2023-06-09,killed,9,,,,exact,civilians,Oslen,incident,'
if grep -q ',cumulative,' "$TMP/out"; then fail "--scope incident lists cumulative figures"; fi

# usage errors, and a database without figures
run 2 "$LEDE" figures --category hurt
contains "$TMP/err" "unknown category 'hurt'"
run 2 "$LEDE" figures --all
run 2 "$LEDE" figures --scope sometimes
run 0 "$LEDE" --db "$TMP/empty.db" -q ingest "$FIX/feed.jsonl"
run 5 "$LEDE" --db "$TMP/empty.db" figures
contains "$TMP/err" "run 'lede run casualties' first"

finish
