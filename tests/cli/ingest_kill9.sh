#!/bin/bash
# kill -9 at random moments of `lede ingest` leaves a consistent database
# (integrity check ok, full-text index in step with the articles, no article
# lost once committed), and running the ingest again completes it.
#
# Queries go through `lede sql` (read-only); when the sqlite3 shell is
# installed, FTS5's own integrity-check (a write statement) runs too.
set -euo pipefail

: "${LEDE:?LEDE must name the lede binary}"
work=$(mktemp -d "${TMPDIR:-/tmp}/lede-kill9.XXXXXX")
trap 'rm -rf "$work"' EXIT
corpus=$work/corpus
db=$work/kill9.db
n_plain=2400
n_jsonl=1600
kills=6

fail() {
    echo "ingest_kill9: FAIL: $*" >&2
    exit 1
}

# One value from the database.
q() {
    "$LEDE" --db "$db" sql --format csv "$1" | tail -n +2
}

# Every article holds "zebra" and its own "uniq<N>", with filler so that the
# whole ingest takes long enough to be killed in the middle of it.
generate() {
    mkdir -p "$corpus"
    for d in 0 1 2 3 4 5 6 7; do mkdir -p "$corpus/part$d"; done
    awk -v dir="$corpus" -v n="$n_plain" -v m="$n_jsonl" 'BEGIN {
        srand(42)
        split("river market council road harbour winter village report minister crowd", w, " ")
        for (i = 0; i < n + m; i++) {
            text = "Headline number " i " about a zebra\n"
            paragraphs = 3 + int(rand() * 12)
            for (p = 0; p < paragraphs; p++) {
                line = "The uniq" i " story"
                words = 20 + int(rand() * 60)
                for (k = 0; k < words; k++) line = line " " w[1 + int(rand() * 10)]
                text = text line ".\n"
            }
            if (i < n) {
                file = sprintf("%s/part%d/a%05d.txt", dir, i % 8, i)
                printf "%s", text > file
                close(file)
            } else {
                gsub(/\n/, "\\n", text)
                printf "{\"id\": \"j%05d\", \"title\": \"J %d\", \"text\": \"%s\"}\n", i, i, text > (dir "/feed.jsonl")
            }
        }
    }'
}

check_consistent() {
    local label=$1 integrity articles indexed
    integrity=$(q "PRAGMA integrity_check")
    [ "$integrity" = "ok" ] || fail "$label: integrity_check says: $integrity"
    articles=$(q "SELECT count(*) FROM article")
    indexed=$(q "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'zebra'")
    [ "$articles" = "$indexed" ] || fail "$label: $articles articles but $indexed in the full-text index"
    if command -v sqlite3 >/dev/null 2>&1; then
        sqlite3 "$db" "INSERT INTO article_fts(article_fts) VALUES ('integrity-check')" ||
            fail "$label: FTS5 integrity-check failed"
    fi
    echo "$articles"
}

now_ms() {
    echo $(($(date +%s%N) / 1000000))
}

generate
total=$((n_plain + n_jsonl))

# How long a whole ingest takes here, so that kills land inside it.
start=$(now_ms)
"$LEDE" --db "$work/calibrate.db" -q ingest "$corpus" >/dev/null 2>&1 || fail "calibration ingest failed"
full_ms=$(($(now_ms) - start))

previous=0
round=0
for round in $(seq 1 "$kills"); do
    # Odd rounds commit every 50 articles, even rounds use the default batch.
    batch=()
    [ $((round % 2)) = 1 ] && batch=(--batch 50)
    "$LEDE" --db "$db" -q ingest "${batch[@]}" "$corpus" >/dev/null 2>&1 &
    pid=$!
    delay_ms=$((full_ms * (5 + RANDOM % 75) / 100))
    sleep "$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [ -f "$db" ] || continue
    count=$(check_consistent "after kill $round")
    [ "$count" -ge "$previous" ] || fail "after kill $round: $count articles, fewer than the $previous before"
    echo "kill $round after ${delay_ms} ms (a full ingest takes ${full_ms} ms): $count of $total articles committed"
    previous=$count
    [ "$count" -lt "$total" ] || break
done

"$LEDE" --db "$db" ingest "$corpus" >"$work/out" 2>&1 || fail "final ingest failed: $(cat "$work/out")"
count=$(check_consistent "after the final ingest")
[ "$count" = "$total" ] || fail "final: $count articles, want $total"
[ "$(q "SELECT count(DISTINCT key) FROM article")" = "$total" ] || fail "duplicate keys"
for i in 0 1777 2399 2400 3999; do
    [ "$(q "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'uniq$i'")" = "1" ] ||
        fail "article $i missing from the index"
done
plain_bytes=$(cat "$corpus"/part*/*.txt | wc -c)
[ "$(q "SELECT sum(n_bytes) FROM article WHERE key NOT LIKE 'j%'")" = "$plain_bytes" ] ||
    fail "plain-text articles do not hold the files' bytes"
[ "$(q "SELECT status FROM run ORDER BY id DESC LIMIT 1")" = "ok" ] || fail "last run not ok"

# Once complete, a re-run changes nothing.
"$LEDE" --db "$db" ingest "$corpus" >"$work/out" 2>&1 || fail "re-run failed"
grep -q "0 added, 0 replaced, $total unchanged" "$work/out" || fail "re-run changed something: $(cat "$work/out")"
echo "ingest_kill9: ok ($round kills, $total articles)"
