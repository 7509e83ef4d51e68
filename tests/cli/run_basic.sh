#!/usr/bin/env bash
# lede run, analyze, plugins and export: layers in SQL views, incremental
# runs, plugin errors (exit 6 and the problem table), export formats.
source "$(dirname "$0")/lib/common.bash"
PLUGINS=$(cd "$CLI_TESTS/../plugins/basic" && pwd)
ingest_fixtures

# lede plugins lists name, version, description, file, layers and options.
run 0 "$LEDE" plugins --plugins "$PLUGINS" --format csv
contains "$TMP/out" '^name,version,description,file,layers,options$'
contains "$TMP/out" '^caps,1,capitalised words inside sentences,.*/caps\.lua,"cap\(word,fold\)",min_length=2$'
contains "$TMP/out" '^recurring,1,,.*recurring\.lua,"corpus_size\(n,first_sentence\) recurring\(word,articles\)",$'

# A first run computes, a second finds everything current.
run 0 "$LEDE" run --plugins "$PLUGINS" capcount content
contains "$TMP/out" '^ran 4 plugins over [0-9]+ articles \([0-9]+ computed, 0 current, 0 failed'
run 0 "$LEDE" run --plugins "$PLUGINS" capcount content
contains "$TMP/out" '^ran 4 plugins over 0 articles \(0 computed, [0-9]+ current, 0 failed'
run 0 "$LEDE" run --plugins "$PLUGINS" --force -j 1 capcount
contains "$TMP/out" '^ran 2 plugins over [0-9]+ articles \([0-9]+ computed, 0 current'

# A folder plugin's lib/ and data/ are part of its results: a change there
# recomputes them, as a change of its own file does.
mkdir -p "$TMP/folder/tally/lib/tally" "$TMP/folder/tally/data"
cat >"$TMP/folder/tally/init.lua" <<'EOF'
local count = require("tally.count")
return {
  name = "tally",
  layers = { tally = { "n" } },
  article = function(doc) doc:annotate("tally", 1, 0, { n = count(doc, lede.data("data/words.txt")) }) end,
}
EOF
printf 'return function(doc, words) return #doc:tokens() + #words end\n' >"$TMP/folder/tally/lib/tally/count.lua"
printf 'said\n' >"$TMP/folder/tally/data/words.txt"
run 0 "$LEDE" run --plugins "$TMP/folder" tally
contains "$TMP/out" '^ran 1 plugins? over [0-9]+ articles \([1-9][0-9]* computed, 0 current'
run 0 "$LEDE" run --plugins "$TMP/folder" tally
contains "$TMP/out" '\(0 computed, [0-9]+ current'
printf 'said\ntold\n' >"$TMP/folder/tally/data/words.txt"
run 0 "$LEDE" run --plugins "$TMP/folder" tally
contains "$TMP/out" '\([1-9][0-9]* computed, 0 current'
printf 'return function(doc, words) return #words end\n' >"$TMP/folder/tally/lib/tally/count.lua"
run 0 "$LEDE" run --plugins "$TMP/folder" tally
contains "$TMP/out" '\([1-9][0-9]* computed, 0 current'

# Each layer is a view whose columns are its fields.
run 0 "$LEDE" sql --format csv 'SELECT count(*) > 0 AS any, sum(text = word) = count(*) AS same FROM cap'
same "cap view" "$(tail -1 "$TMP/out")" "1,1"
run 0 "$LEDE" sql --format csv 'SELECT word, count(*) AS n FROM cap GROUP BY 1 ORDER BY n DESC, word LIMIT 1'
contains "$TMP/out" '^[A-Z][a-z]+,[0-9]+$'
articles=$("$LEDE" sql --format csv 'SELECT count(*) FROM article' | tail -1)
run 0 "$LEDE" sql --format csv 'SELECT count(*) FROM sentcount'
same "one sentcount per article" "$(tail -1 "$TMP/out")" "$articles"

# Export: one record per span, in JSON Lines, JSON and CSV.
run 0 "$LEDE" export --layer cap
spans=$("$LEDE" sql --format csv 'SELECT count(*) FROM cap' | tail -1)
same "jsonl records" "$(wc -l <"$TMP/out")" "$spans"
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    assert list(r) == ["article", "start", "end", "text", "word", "fold"], r
    assert r["text"] == r["word"] and r["end"] - r["start"] == len(r["text"].encode()), r' "$TMP/out" ||
    fail "export jsonl records are wrong"
run 0 "$LEDE" export --layer cap --format json
python3 -c 'import json, sys; assert len(json.load(open(sys.argv[1]))) == int(sys.argv[2])' "$TMP/out" "$spans" ||
    fail "export json is not an array of $spans records"
run 0 "$LEDE" export --layer cap --format csv
contains "$TMP/out" '^article,start,end,text,word,fold$'
run 5 "$LEDE" export --layer nosuchlayer
contains "$TMP/err" "no layer 'nosuchlayer'"
run 2 "$LEDE" export

# A plugin that fails on some articles: the others go on, exit status 6,
# the problem is stored with its traceback.
mkdir -p "$TMP/bad"
cat >"$TMP/bad/picky.lua" <<'EOF'
return {
  name = "picky",
  layers = { seen = { "key" } },
  article = function(doc)
    if doc.key:find("wire") then error("no wires please") end
    doc:annotate("seen", 1, 0, { key = doc.key })
  end,
}
EOF
run 6 "$LEDE" run --plugins "$TMP/bad" picky
contains "$TMP/err" '^lede: plugin picky failed on [0-9]+ articles?$'
contains "$TMP/err" '^  picky on wire-[0-9]+: .*/picky\.lua:5: no wires please$'
run 0 "$LEDE" sql --format csv "SELECT count(*) > 0, min(traceback LIKE '%picky.lua:5%') FROM problem WHERE plugin = 'picky'"
same "problem rows" "$(tail -1 "$TMP/out")" "1,1"
run 0 "$LEDE" sql --format csv "SELECT count(*) FROM seen WHERE key LIKE '%wire%'"
same "no spans from failed articles" "$(tail -1 "$TMP/out")" "0"
run 6 "$LEDE" run --fail-fast --plugins "$TMP/bad" picky
run 0 "$LEDE" sql --format csv "SELECT status FROM run ORDER BY id DESC LIMIT 1"
same "fail-fast run status" "$(tail -1 "$TMP/out")" "errors"

# Errors found before any work: exit codes, and no run recorded.
runs=$("$LEDE" sql --format csv 'SELECT count(*) FROM run' | tail -1)
run 5 "$LEDE" run --plugins "$PLUGINS" nosuchplugin
contains "$TMP/err" "plugin 'nosuchplugin' not found"
printf 'return { name = "syntax", article = function( end }\n' >"$TMP/bad/syntax.lua"
run 6 "$LEDE" run --plugins "$TMP/bad" syntax
contains "$TMP/err" 'syntax\.lua:1:'
run 2 "$LEDE" run --plugins "$PLUGINS" caps -O caps.min_length=many
contains "$TMP/err" "'many' is not a number"
run 2 "$LEDE" run --jobs 0
same "no run recorded" "$("$LEDE" sql --format csv 'SELECT count(*) FROM run' | tail -1)" "$runs"

# A plugin given as a file path; analyze ingests and runs in one step.
export LEDE_DB=$TMP/analyze.db
run 0 "$LEDE" analyze --plugin "$PLUGINS/caps.lua" "$FIXTURES/corpus"
contains "$TMP/out" '^ingested [0-9]+ added'
contains "$TMP/out" '^ran 1 plugin over [0-9]+ articles'
run 0 "$LEDE" analyze --plugin "$PLUGINS/caps.lua" "$FIXTURES/corpus"
contains "$TMP/out" '^ran 1 plugin over 0 articles'
run 0 "$LEDE" sql --format csv 'SELECT count(*) > 0 FROM cap'
same "analyze wrote the layer" "$(tail -1 "$TMP/out")" "1"

# LEDE_PLUGIN_PATH finds plugins by name.
LEDE_PLUGIN_PATH="/nonexistent:$PLUGINS" run 0 "$LEDE" run noop
contains "$TMP/out" '^ran 1 plugin over'

finish
