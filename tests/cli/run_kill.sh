#!/usr/bin/env bash
# lede run killed with SIGKILL at any moment leaves a consistent database
# (every article's spans and plugin state are there together or not at all),
# and running it again completes it: the result equals an uninterrupted run.
source "$(dirname "$0")/lib/common.bash"

python3 - "$TMP/corpus.jsonl" <<'PY'
import json, sys
words = "Paris Berlin officials met the minister on Monday and said talks would go on".split()
with open(sys.argv[1], "w") as f:
    for i in range(3000):
        text = " ".join(words[(i + k) % len(words)] for k in range(120)) + ".\n"
        f.write(json.dumps({"id": "a%05d" % i, "text": text * 3}) + "\n")
PY
mkdir -p "$TMP/plugins"
cat >"$TMP/plugins/marks.lua" <<'LUA'
return { name = "marks", version = "1", layers = { mark = { "w" } },
  article = function(doc)
    local t = doc:tokens()
    for i = 1, t.n, 3 do doc:annotate("mark", t.start[i], t.stop[i], { w = t.text[i] }) end
  end }
LUA
run 0 "$LEDE" -q ingest "$TMP/corpus.jsonl"
cp "$LEDE_DB" "$TMP/clean.db"

consistent() { # every article has both its state and its spans, or neither
    "$LEDE" --db "$1" sql --format csv "SELECT count(*) FROM article a WHERE
        (SELECT count(*) FROM plugin_state s WHERE s.article_id = a.id AND s.plugin = 'marks') <>
        (SELECT count(*) > 0 FROM annotation n WHERE n.article_id = a.id AND n.layer = 'mark')" | tail -1
}

for delay in 0.2 0.5 1.0; do
    "$LEDE" -q run -j 2 --plugins "$TMP/plugins" marks &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    same "inconsistent articles after kill at ${delay}s" "$(consistent "$LEDE_DB")" 0
done
run 0 "$LEDE" run -j 2 --plugins "$TMP/plugins" marks
run 0 "$LEDE" --db "$TMP/clean.db" -q run -j 1 --plugins "$TMP/plugins" marks
digest() {
    "$LEDE" --db "$1" sql --format csv "SELECT count(*), sum(start), sum(\"end\"), sum(length(attrs)),
        (SELECT count(*) FROM plugin_state) FROM annotation" | tail -1
}
same "resumed run equals an uninterrupted one" "$(digest "$LEDE_DB")" "$(digest "$TMP/clean.db")"
finish
