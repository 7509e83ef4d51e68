#!/usr/bin/env bash
# Accuracy of the boilerplate plugin, scored by `lede eval` (issue 4):
# boilerplate-line F1 >= 0.95, content-line retention >= 0.99 and caption
# recall >= 0.8, on corpus/ with corpus/gold and on the seed articles with
# their gold (skipped when $LEDE_SHARED_DIR/gold is missing).
source "$(dirname "$0")/lib/common.bash"

ROOT=$(cd "$CLI_TESTS/../.." && pwd)

# score NAME ARTICLES GOLD: ingests, runs the plugin, checks the thresholds
score() {
    local name=$1 articles=$2 gold=$3
    export LEDE_DB=$TMP/$name.db
    run 0 "$LEDE" -q ingest "$articles"
    run 0 "$LEDE" -q run boilerplate
    run 0 "$LEDE" -q eval --gold "$gold" --layer boilerplate,caption --format json
    python3 - "$name" "$TMP/out" <<'PY' || fail "$name: below the thresholds"
import json, sys
name, path = sys.argv[1], sys.argv[2]
t = json.load(open(path))["total"]
bp, cap = t["boilerplate"], t["caption"]
print(f"{name}: boilerplate F1 {bp['f1']:.3f} (P {bp['precision']:.3f} R {bp['recall']:.3f}), "
      f"retention {bp['content_retention']:.3f}, caption recall {cap['recall']:.3f}", file=sys.stderr)
ok = bp["f1"] >= 0.95 and bp["content_retention"] >= 0.99 and cap["recall"] >= 0.8
sys.exit(0 if ok else 1)
PY
}

score corpus "$ROOT/corpus" "$ROOT/corpus/gold"
if [[ -d ${LEDE_SHARED_DIR:-}/gold && -d ${LEDE_SHARED_DIR:-}/seeds ]]; then
    score seeds "$LEDE_SHARED_DIR/seeds" "$LEDE_SHARED_DIR/gold"
else
    echo "boilerplate_accuracy.sh: no \$LEDE_SHARED_DIR/gold: seeds skipped" >&2
fi

finish
