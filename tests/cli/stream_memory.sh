#!/usr/bin/env bash
# lede stream keeps memory flat: peak RSS over 8x more articles stays
# within a few MB of the smaller stream's (no per-article growth).
source "$(dirname "$0")/lib/common.bash"
BASIC=$(cd "$CLI_TESTS/../plugins/basic" && pwd)
[[ -x /usr/bin/time ]] || { echo "stream_memory.sh: skipped (no /usr/bin/time)"; exit 0; }
# ASan keeps freed memory in quarantine: shrink it so RSS reflects live data.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4:detect_leaks=1

gen() { # gen N: N distinct ~2 KB articles
    python3 - "$1" <<'PY'
import json, sys
para = ("On Monday Ann Lee of Ridgeford told the Council that {n} homes were "
        "flooded, and Bob Cray said the Dam Board would meet on Friday. ")
for i in range(int(sys.argv[1])):
    text = "\n".join(para.format(n=i * 7 + k) for k in range(12))
    print(json.dumps({"key": "a%d" % i, "title": "Flood %d" % i, "text": text}))
PY
}
gen 400 >"$TMP/small.jsonl"
gen 3200 >"$TMP/large.jsonl"
peak() { # peak FILE: peak RSS in KiB of lede stream over FILE
    /usr/bin/time -f '%M' -o "$TMP/rss" "$LEDE" stream --plugins "$BASIC" caps <"$1" >"$TMP/out.jsonl"
    same "records of $1" "$(wc -l <"$TMP/out.jsonl")" "$(wc -l <"$1")"
    cat "$TMP/rss"
}
small=$(peak "$TMP/small.jsonl")
large=$(peak "$TMP/large.jsonl")
echo "peak RSS: $small KiB over 400 articles, $large KiB over 3200"
((large <= small + small / 10 + 1024)) || fail "peak RSS grew from $small KiB to $large KiB"
finish
