#!/usr/bin/env bash
# lede ls and the output writer: table, csv, json and jsonl that parse,
# --source and --limit, and a table fitted to a terminal.
source "$(dirname "$0")/lib/common.bash"
ingest_fixtures

run 0 "$LEDE" ls
golden ls.table <"$TMP/out"
run 0 "$LEDE" ls --format csv
golden ls.csv <"$TMP/out"
run 0 "$LEDE" ls --format json
golden ls.json <"$TMP/out"
python3 -m json.tool "$TMP/out" >/dev/null || fail "ls --format json is not JSON"
run 0 "$LEDE" ls --format jsonl
while IFS= read -r line; do
    python3 -m json.tool <<<"$line" >/dev/null || fail "ls --format jsonl line is not JSON: $line"
done <"$TMP/out"
same "jsonl lines" "$(wc -l <"$TMP/out")" 6

# The same rows whatever the format.
python3 - "$TMP" <<'PY' || fail "csv, json and jsonl disagree"
import csv, json, subprocess, sys, os
lede = os.environ["LEDE"]
def out(fmt):
    return subprocess.run([lede, "ls", "--format", fmt], check=True, capture_output=True, text=True).stdout
rows = list(csv.DictReader(out("csv").splitlines()))
js = json.loads(out("json"))
jl = [json.loads(l) for l in out("jsonl").splitlines()]
assert js == jl, "json != jsonl"
assert [r["key"] for r in rows] == [r["key"] for r in js]
for r, j in zip(rows, js):
    for k, v in j.items():
        assert r[k] == ("" if v is None else str(v)), (k, r[k], v)
assert isinstance(js[0]["bytes"], int) and isinstance(js[0]["sentences"], int)
PY

run 0 "$LEDE" ls --source 'Northern Wire' --format csv
golden ls-source.csv <"$TMP/out"
run 0 "$LEDE" ls -n 2 --format csv
same "ls -n 2 rows" "$(wc -l <"$TMP/out")" 3
run 0 "$LEDE" ls --limit=0 --format json
same "ls --limit 0" "$(cat "$TMP/out")" "[]"
run 0 "$LEDE" ls --source nobody
same "empty table" "$(wc -l <"$TMP/out")" 2
run 0 "$LEDE" ls --source nobody --format csv
same "empty csv" "$(cat "$TMP/out")" "key,source,published,title,bytes,sentences"

# On a terminal a table is cut to its width, with an ellipsis.
if command -v script >/dev/null; then
    COLUMNS=50 script -qec "stty cols 50 2>/dev/null; $LEDE ls" /dev/null >"$TMP/tty" 2>&1 || fail "ls on a terminal failed"
    python3 - "$TMP/tty" <<'PY' || fail "a table on a 50-column terminal is wider"
import sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8").read().replace("\r", "").splitlines()
assert len(lines) == 8, lines
for l in lines:
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l)
    assert w <= 50, (w, l)
assert any("\u2026" in l for l in lines), "nothing was cut"
PY
fi

finish
