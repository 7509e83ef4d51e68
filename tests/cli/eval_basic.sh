#!/usr/bin/env bash
# lede eval from the command line: scoring a layer without spans, missing
# articles (exit 5 / --skip-missing), bad options (exit 2), bad gold (exit 1),
# table and JSON output.  The rules themselves are tested in test_eval.c.
set -u
: "${LEDE:?set LEDE to the lede binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# Runs lede with the test database; output in $tmp/out, errors in $tmp/err, status in $rc.
run() {
    "$LEDE" --db "$tmp/t.db" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
expect_rc() { [ "$rc" -eq "$1" ] || fail "$2: exit $rc, want $1 ($(head -c 300 "$tmp/err"))"; }
expect_out() { grep -q -- "$1" "$tmp/out" || fail "$2: output lacks '$1'"; }
expect_err() { grep -q -- "$1" "$tmp/err" || fail "$2: stderr lacks '$1'"; }

mkdir -p "$tmp/articles" "$tmp/gold" "$tmp/gold2"
printf 'Menu\n"We stay," Ana Ruiz said.\nThe port reopened on Monday.\n' >"$tmp/articles/a.txt"
printf 'Only content here.\n' >"$tmp/articles/b.txt"
run ingest "$tmp/articles"
expect_rc 0 "ingest"

cat >"$tmp/gold/a.json" <<'EOF'
{"file": "a.txt", "boilerplate_lines": ["Menu"],
 "quotes": [{"text": "We stay,", "speaker": "Ana Ruiz", "kind": "direct"}],
 "meta": {"title": null, "published": null, "event_date": null, "agency": [], "dateline": null}}
EOF
cat >"$tmp/gold/b.json" <<'EOF'
{"file": "b.txt", "boilerplate_lines": []}
EOF

# No layer has spans: every gold item is a miss, nulls are right for meta.
run eval --gold "$tmp/gold" --format json
expect_rc 0 "eval json"
expect_out '"scored": 2' "eval json"
expect_out '"content_lines": 3' "eval json"
expect_out '"gold": "a.json"' "eval json"
expect_err "layer has no spans" "eval json"
run -q eval --gold "$tmp/gold" --layer meta --format json
expect_rc 0 "eval meta"
expect_out '"share": 1.0' "eval meta"
expect_out '"records": 0' "eval meta"
[ -s "$tmp/err" ] && fail "eval -q: stderr not empty"

run eval --gold "$tmp/gold" --layer boilerplate,quote -v
expect_rc 0 "eval table"
expect_out '^boilerplate' "eval table"
expect_out '^quote' "eval table"
expect_out '^a.txt' "eval table -v"
expect_out '^total' "eval table"
grep -q '^meta' "$tmp/out" && fail "eval --layer: meta printed"

run eval --gold "$tmp/gold/a.json" --layer quote --layer-map quote=myquotes --format json
expect_rc 0 "eval one file"
expect_out '"quote": "myquotes"' "eval --layer-map"
expect_out '"scored": 1' "eval one file"

# A gold file about an article that is not there.
cp "$tmp/gold/a.json" "$tmp/gold2/a.json"
printf '{"file": "zzz.txt", "quotes": []}\n' >"$tmp/gold2/z.json"
run eval --gold "$tmp/gold2"
expect_rc 5 "missing article"
expect_err "z.json" "missing article"
expect_err "zzz.txt" "missing article"
run eval --gold "$tmp/gold2" --skip-missing --format json
expect_rc 0 "--skip-missing"
expect_out '"z.json"' "--skip-missing"
expect_out '"scored": 1' "--skip-missing"

# Usage errors.
run eval
expect_rc 2 "no --gold"
run eval --gold "$tmp/gold" --layer quotes
expect_rc 2 "bad layer"
expect_err "no gold layer 'quotes'" "bad layer"
run eval --gold "$tmp/gold" --layer-map quote
expect_rc 2 "bad layer map"
run eval --gold "$tmp/gold" --format csv
expect_rc 2 "bad format"
run eval --gold "$tmp/nowhere"
expect_rc 5 "no gold folder"

# A malformed gold file is named, with its line.
printf '{"file": "a.txt",\n "quotes": [}\n' >"$tmp/gold2/bad.json"
run eval --gold "$tmp/gold2" --skip-missing
expect_rc 1 "bad gold"
expect_err "bad.json: line 2" "bad gold"

run eval --help
expect_rc 0 "--help"
expect_out "layer-map" "--help"

[ "$fails" -eq 0 ] && echo "eval_basic: ok"
exit $((fails > 0))
