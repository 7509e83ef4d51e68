#!/usr/bin/env bash
# lede stream: one output record per non-blank input line, in order, with
# exact byte offsets; malformed lines give error records and never stop the
# stream; a failing plugin keeps the other plugins' spans; no database.
source "$(dirname "$0")/lib/common.bash"
BASIC=$(cd "$CLI_TESTS/../plugins/basic" && pwd)
mkdir "$TMP/plugins"
cat >"$TMP/plugins/fragile.lua" <<'LUA'
-- Fails on articles containing BOOM, else marks the first word.
return {
  name = "fragile",
  layers = { first = { "word" } },
  article = function(doc)
    if doc.text:find("BOOM", 1, true) then error("boom found") end
    local t = doc:tokens()
    if t.n > 0 then doc:annotate("first", t.start[1], t.stop[1], { word = t.text[1] }) end
  end,
}
LUA

# Good articles: spans of caps with exact offsets; numbers as keys, aliases.
printf '%s\n' \
  '{"key":"a","text":"Yesterday Ann met Bob in Paris."}' \
  '{"id":42,"body":"caf\u00e9 with Zoë"}' >"$TMP/good.jsonl"
run 0 "$LEDE" stream --plugins "$BASIC" caps <"$TMP/good.jsonl"
golden stream_good.jsonl <"$TMP/out"
same "stderr of a clean stream" "$(cat "$TMP/err")" ""
[[ ! -e $LEDE_DB ]] || fail "stream created a database"

# Every span's text is the bytes [start, end) of the NFC text.
python3 - "$TMP/out" <<'PY' || fail "span text does not match its offsets"
import json, sys
texts = {"a": "Yesterday Ann met Bob in Paris.", "42": "caf\u00e9 with Zo\u00eb"}
for line in open(sys.argv[1], encoding="utf-8"):
    rec = json.loads(line)
    raw = texts[rec["key"]].encode()
    assert rec["spans"], rec
    for s in rec["spans"]:
        assert raw[s["start"]:s["end"]].decode() == s["text"], s
PY

# Malformed lines among good ones: each gets its own error record.
{
  echo '{"key":"ok1","text":"Then Ann spoke."}'
  echo 'not json at all'
  echo ''
  echo '   '
  echo '[1, 2, 3]'
  echo '{"key":"notext"}'
  echo '{"key":"numtext","text":12}'
  echo '{"key":"trunc","text":"unfinished'
  printf '{"key":"badutf8","text":"caf\xe9"}\n'
  echo '{"key":"dup","key":"dup2","text":"x"}'
  printf '{"key":"crlf","text":"Then Bob left."}\r\n'
  printf '{"key":"huge","text":"%s"}\n' "$(head -c 1500000 /dev/zero | tr '\0' x)"
  echo '{"key":"boom","text":"Then BOOM said Ann."}'
  printf '{"key":"last","text":"Then Cy came."}'   # no final newline
} >"$TMP/mixed.jsonl"
run 1 "$LEDE" stream --max-line 1 --plugins "$BASIC" --plugins "$TMP/plugins" caps fragile <"$TMP/mixed.jsonl"
same "records" "$(wc -l <"$TMP/out")" 12
same "line numbers" "$(python3 -c 'import json,sys; print(" ".join(str(json.loads(l)["line"]) for l in open(sys.argv[1])))' "$TMP/out")" \
  "1 2 5 6 7 8 9 10 11 12 13 14"
contains "$TMP/out" '^\{"line":1,"key":"ok1","spans":\[\{"layer":"cap","plugin":"caps","start":5,"end":8,"text":"Ann"'
contains "$TMP/out" '^\{"line":2,"key":null,"error":"bad JSON at column [0-9]+: '
contains "$TMP/out" '^\{"line":5,"key":null,"error":"not a JSON object"\}$'
contains "$TMP/out" '^\{"line":6,"key":"notext","error":"no \\"text\\" \(or \\"body\\"\) string"\}$'
contains "$TMP/out" '^\{"line":7,"key":"numtext","error":"no \\"text\\"'
contains "$TMP/out" '^\{"line":8,"key":null,"error":"bad JSON'
contains "$TMP/out" '^\{"line":9,"key":null,"error":"bad JSON.*decode byte 0xe9'
contains "$TMP/out" '^\{"line":10,"key":null,"error":"bad JSON.*duplicate'
contains "$TMP/out" '^\{"line":11,"key":"crlf","spans":\[\{"layer":"cap","plugin":"caps","start":5,"end":8,"text":"Bob"'
contains "$TMP/out" '^\{"line":12,"key":null,"error":"line longer than 1048576 bytes: skipped"\}$'
# The failing plugin's record keeps caps' spans and names the plugin and article.
contains "$TMP/out" '^\{"line":13,"key":"boom","spans":\[\{"layer":"cap".*"text":"BOOM".*\],"error":"plugin .fragile. failed on .boom.: .*boom found'
lacks "$TMP/out" '"line":13.*"layer":"first"'
contains "$TMP/out" '^\{"line":14,"key":"last","spans":\[\{"layer":"cap","plugin":"caps","start":5,"end":7,"text":"Cy",.*"layer":"first".*"text":"Then"'

# Bad invocations.
run 5 "$LEDE" stream no_such_plugin </dev/null
contains "$TMP/err" 'no_such_plugin'
run 2 "$LEDE" stream -j 2 </dev/null
run 2 "$LEDE" stream --max-line 0 </dev/null
# Empty input: no output, success.
run 0 "$LEDE" stream --plugins "$BASIC" caps </dev/null
same "output of empty input" "$(cat "$TMP/out")" ""
finish
