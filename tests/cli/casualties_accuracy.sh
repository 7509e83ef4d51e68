#!/usr/bin/env bash
# Accuracy of the stock plugin `casualties` (issue 7), scored by
# `lede eval --layer figure` on the development corpus (corpus/gold) and on
# the seeds (../shared/gold, skipped when absent): figure F1 at least 0.90,
# and among matched figures qualifier, scope and as_of each right on at
# least 85%.
source "$(dirname "$0")/lib/common.bash"

SRC=${LEDE_SOURCE_DIR:-$(cd "$CLI_TESTS/../.." && pwd)}

# check_set NAME ARTICLES GOLD: ingests, runs the pass, scores, compares.
check_set() {
    local name=$1 articles=$2 gold=$3 db=$TMP/$1.db
    "$LEDE" --db "$db" -q ingest "$articles" || true # stray non-article files may be rejected
    if ! "$LEDE" --db "$db" -q run casualties; then
        fail "$name: lede run casualties failed"
        return
    fi
    if ! "$LEDE" --db "$db" -q eval --gold "$gold" --layer figure --format json >"$TMP/$name.json"; then
        fail "$name: lede eval failed"
        return
    fi
    python3 - "$TMP/$name.json" "$name" <<'PY' || fail "$name: below the thresholds"
import json, sys
f = json.load(open(sys.argv[1]))["total"]["figure"]
name = sys.argv[2]
print(f"{name}: figure P {f['precision']} R {f['recall']} F1 {f['f1']} (tp {f['tp']} fp {f['fp']} fn {f['fn']}); "
      + ", ".join(f"{k} {f[k]['right']}/{f[k]['of']}" for k in ("qualifier", "scope", "as_of", "where")))
bad = []
if f["f1"] is None or f["f1"] < 0.90:
    bad.append(f"F1 {f['f1']}")
for k in ("qualifier", "scope", "as_of"):
    if f[k]["share"] is None or f[k]["share"] < 0.85:
        bad.append(f"{k} {f[k]['share']}")
if bad:
    print(f"{name}: " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
PY
}

check_set corpus "$SRC/corpus" "$SRC/corpus/gold"
if [[ -d ${LEDE_SHARED_DIR:-/nonexistent}/gold && -d $LEDE_SHARED_DIR/seeds ]]; then
    check_set seeds "$LEDE_SHARED_DIR/seeds" "$LEDE_SHARED_DIR/gold"
else
    echo "casualties_accuracy.sh: no \$LEDE_SHARED_DIR/gold: seeds skipped"
fi

finish
