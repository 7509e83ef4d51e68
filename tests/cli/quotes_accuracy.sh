#!/usr/bin/env bash
# Accuracy of the stock plugin `quotes` as issue 6 asks it, measured with
# `lede eval --layer quote` on the development corpus (corpus/gold) and on
# the seed articles (../shared/gold, skipped when missing): F1 >= 0.95 over
# direct + partial quotes, >= 0.75 over indirect ones, speaker accuracy >=
# 0.92 over matched quotes, attributed F1 (all kinds, speaker right) >= 0.85.
source "$(dirname "$0")/lib/common.bash"

# check NAME EVAL_JSON: the thresholds on the totals of one eval
check() {
    python3 - "$1" "$2" <<'PY' || fail "quote accuracy below the thresholds on $1"
import json, sys
name, path = sys.argv[1], sys.argv[2]
q = json.load(open(path))["total"]["quote"]
got = {"direct+partial F1": q["direct_partial"]["f1"], "indirect F1": q["indirect"]["f1"],
       "speaker accuracy": q["speaker"]["share"], "attributed F1": q["attributed"]["f1"]}
want = {"direct+partial F1": 0.95, "indirect F1": 0.75, "speaker accuracy": 0.92, "attributed F1": 0.85}
bad = [k for k in want if got[k] is None or got[k] < want[k]]
print(name + ": " + ", ".join("%s %.3f (>= %.2f)" % (k, got[k] or 0, want[k]) for k in want))
sys.exit(1 if bad else 0)
PY
}

# The development corpus: its articles without README.md and gold/.
mkdir -p "$TMP/corpus"
for d in "$LEDE_SOURCE_DIR"/corpus/*/; do
    [[ $(basename "$d") == gold ]] || cp -r "$d" "$TMP/corpus/"
done
cp "$LEDE_SOURCE_DIR"/corpus/*.jsonl "$TMP/corpus/"
run 0 "$LEDE" --db "$TMP/corpus.db" ingest "$TMP/corpus"
run 0 "$LEDE" --db "$TMP/corpus.db" run quotes
run 0 "$LEDE" --db "$TMP/corpus.db" eval --gold "$LEDE_SOURCE_DIR/corpus/gold" --layer quote --format json
cp "$TMP/out" "$TMP/corpus.json"
check corpus "$TMP/corpus.json"

SHARED=${LEDE_SHARED_DIR:-}
if [[ -n $SHARED && -d $SHARED/gold && -d $SHARED/seeds ]]; then
    run 0 "$LEDE" --db "$TMP/seeds.db" ingest "$SHARED/seeds"
    run 0 "$LEDE" --db "$TMP/seeds.db" run quotes
    run 0 "$LEDE" --db "$TMP/seeds.db" eval --gold "$SHARED/gold" --layer quote --format json
    cp "$TMP/out" "$TMP/seeds.json"
    check seeds "$TMP/seeds.json"
else
    echo "seeds: skipped (no \$LEDE_SHARED_DIR/gold)"
fi

exit $((failures > 0))
