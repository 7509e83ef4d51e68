#!/usr/bin/env bash
# Accuracy of the stock plugin `metadata` (issue 5): on the development
# corpus (corpus/gold) and on the seeds (../shared/gold, skipped when
# absent), title, published, event_date and dateline must each be right on
# at least 90% of the articles, as scored by `lede eval --layer meta`.
source "$(dirname "$0")/lib/common.bash"

SRC=${LEDE_SOURCE_DIR:-$(cd "$CLI_TESTS/../.." && pwd)}
THRESHOLD=0.9

# check_set NAME ARTICLES GOLD: ingests, runs the pass, scores, compares.
check_set() {
    local name=$1 articles=$2 gold=$3 db=$TMP/$1.db
    "$LEDE" --db "$db" -q ingest "$articles" || true # stray non-article files may be rejected
    if ! "$LEDE" --db "$db" -q run metadata; then
        fail "$name: lede run metadata failed"
        return
    fi
    if ! "$LEDE" --db "$db" -q eval --gold "$gold" --layer meta --format json >"$TMP/$name.json"; then
        fail "$name: lede eval failed"
        return
    fi
    python3 - "$TMP/$name.json" "$name" "$THRESHOLD" <<'PY' || fail "$name: below the thresholds"
import json, sys
report = json.load(open(sys.argv[1]))
name, threshold = sys.argv[2], float(sys.argv[3])
meta = report["total"]["meta"]
bad = []
for field in ("title", "published", "event_date", "dateline", "agency", "outlet"):
    share = meta[field]["share"]
    print(f"{name}: {field} {meta[field]['right']}/{meta[field]['of']}")
    if field in ("title", "published", "event_date", "dateline") and (share is None or share < threshold):
        bad.append(f"{field} {share}")
if meta["articles"] == 0:
    bad.append("no article scored")
if bad:
    print(f"{name}: below {threshold}: " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
PY
}

check_set corpus "$SRC/corpus" "$SRC/corpus/gold"
if [[ -d ${LEDE_SHARED_DIR:-/nonexistent}/gold && -d $LEDE_SHARED_DIR/seeds ]]; then
    check_set seeds "$LEDE_SHARED_DIR/seeds" "$LEDE_SHARED_DIR/gold"
else
    echo "metadata_accuracy.sh: no \$LEDE_SHARED_DIR/gold: seeds skipped"
fi

finish
