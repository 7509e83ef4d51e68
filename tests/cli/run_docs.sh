#!/usr/bin/env bash
# docs/plugins.md: its Lua examples are the files of docs/examples (so the
# docs cannot drift from code that runs), and they run over the fixtures.
source "$(dirname "$0")/lib/common.bash"
ROOT=$(cd "$CLI_TESTS/../.." && pwd)
EXAMPLES=$ROOT/docs/examples
ingest_fixtures

# Every ```lua block of the docs is one of the example files, verbatim.
python3 - "$ROOT/docs/plugins.md" "$EXAMPLES" <<'PY' || fail "docs/plugins.md and docs/examples differ"
import os, re, sys
doc = open(sys.argv[1]).read()
blocks = re.findall(r"```lua\n(.*?)```", doc, re.S)
files = {f: open(os.path.join(sys.argv[2], f)).read() for f in os.listdir(sys.argv[2]) if f.endswith(".lua")}
assert len(blocks) == len(files), (len(blocks), sorted(files))
for b in blocks:
    assert b in files.values(), "a lua block of docs/plugins.md is not an example file:\n" + b
PY

run 0 "$LEDE" run --plugins "$EXAMPLES" shouting wordcount kwic
contains "$TMP/out" '^ran 3 plugins over [0-9]+ articles \([0-9]+ computed, 0 current, 0 failed'
run 0 "$LEDE" sql --format csv 'SELECT count(*), min(words) > 0 FROM wordcount'
articles=$("$LEDE" sql --format csv 'SELECT count(*) FROM article' | tail -1)
same "one wordcount per article" "$(tail -1 "$TMP/out")" "$articles,1"
run 0 "$LEDE" sql --format csv \
    'SELECT count(*) > 1 FROM (SELECT a.source, sum(w.words) FROM wordcount w JOIN article a ON a.id = w.article_id GROUP BY 1)'
same "words per outlet" "$(tail -1 "$TMP/out")" "1"

# A phrase, matched case-insensitively on tokens, replaces the earlier results.
run 0 "$LEDE" run --plugins "$EXAMPLES" kwic -O 'kwic.word=Officials Said' -O kwic.width=3
run 0 "$LEDE" export --layer kwic --format csv
contains "$TMP/out" '^article,start,end,text,left,match,right$'
contains "$TMP/out" '^valley-post/flood-update\.txt,[0-9]+,[0-9]+,officials said,"school halls ,",officials said,\.$'
same "kwic spans" "$(wc -l <"$TMP/out")" 2
finish
