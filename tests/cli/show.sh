#!/usr/bin/env bash
# lede show: metadata, blocks and numbered sentences, tokens, row formats.
source "$(dirname "$0")/lib/common.bash"
ingest_fixtures

run 0 "$LEDE" show harbour-times/2024-03-02-bridge.txt
golden show-bridge.txt <"$TMP/out"
run 0 "$LEDE" show wire-002
golden show-wire.txt <"$TMP/out"
run 0 "$LEDE" show --tokens harbour-times/2024-03-04-council.txt
golden show-council-tokens.txt <"$TMP/out"
run 0 "$LEDE" show --format csv harbour-times/2024-03-02-bridge.txt
golden show-bridge.csv <"$TMP/out"
run 0 "$LEDE" show --tokens --format jsonl valley-post/flood-update.txt
golden show-flood-tokens.jsonl <"$TMP/out"
run 0 "$LEDE" show --tokens --format json valley-post/flood-update.txt
python3 -m json.tool "$TMP/out" >/dev/null || fail "show --format json is not JSON"

# Sentence rows agree with the stored counts and point into the stored text.
python3 - <<'PY' || fail "show rows disagree with the database"
import csv, json, os, sqlite3, subprocess
lede, db = os.environ["LEDE"], os.environ["LEDE_DB"]
con = sqlite3.connect(db)
for key, text, n_sent, n_tok in con.execute("SELECT key, text, n_sentences, n_tokens FROM article"):
    data = text.encode()
    rows = json.loads(subprocess.run([lede, "show", "--format", "json", key], check=True,
                                     capture_output=True).stdout)
    assert len(rows) == n_sent, (key, len(rows), n_sent)
    for r in rows:
        assert data[r["start"]:r["end"]].decode() == r["text"], (key, r)
    toks = json.loads(subprocess.run([lede, "show", "--tokens", "--format", "json", key], check=True,
                                     capture_output=True).stdout)
    assert len(toks) == n_tok, (key, len(toks), n_tok)
    for t in toks:
        assert data[t["start"]:t["end"]].decode() == t["text"], (key, t)
PY

run 5 "$LEDE" show no/such/key.txt
contains "$TMP/err" "^lede: error: no article with key 'no/such/key.txt'"
[[ ! -s $TMP/out ]] || fail "show of a missing key printed to stdout"

finish
