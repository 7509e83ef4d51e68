#!/usr/bin/env bash
# `lede quotes` and `lede speakers`: filters, spellings of one speaker,
# formats, usage errors, and a database the plugin has not run on yet.
source "$(dirname "$0")/lib/common.bash"

FIX=$LEDE_SOURCE_DIR/tests/plugins/quotes/fixtures
mkdir -p "$TMP/articles"
cp "$FIX"/variants_a.txt "$FIX"/variants_b.txt "$FIX"/guillemets.txt "$TMP/articles/"
run 0 "$LEDE" ingest "$TMP/articles"

# Before the plugin ran: empty lists, a hint on stderr.
run 0 "$LEDE" speakers
contains "$TMP/err" "run 'lede run quotes' first"
run 0 "$LEDE" quotes --format csv
[[ $(cat "$TMP/out") == "article,kind,speaker,speaker_type,cue,text" ]] || fail "quotes before a run: $(cat "$TMP/out")"

run 0 "$LEDE" run quotes

# One speaker, any spelling or the surname: the three quotes of Ivanenko.
for name in "Sergei Ivanenko" "sergey ivanenko" "Ivanenko"; do
    run 0 "$LEDE" quotes --speaker "$name" --format csv
    [[ $(grep -c Ivanenko "$TMP/out") == 3 ]] || fail "--speaker '$name' should give 3 quotes: $(cat "$TMP/out")"
done
run 0 "$LEDE" quotes --speaker "Muhammad Tahiri" --format jsonl
contains "$TMP/out" '"article":"variants_a.txt","kind":"indirect","speaker":"Mohammed Tahiri"'
contains "$TMP/out" '"article":"variants_b.txt","kind":"indirect","speaker":"Muhammad Tahiri"'

run 0 "$LEDE" quotes --article guillemets.txt --kind partial --format csv
cat >"$TMP/want" <<'CSV'
article,kind,speaker,speaker_type,cue,text
guillemets.txt,partial,Odile Marchand,person,said,everything they asked for
guillemets.txt,partial,Luc Ferrand,person,warned,nobody should walk on the embankments
CSV
diff -u "$TMP/want" "$TMP/out" >&2 || fail "quotes --article --kind partial"

run 0 "$LEDE" quotes --limit 1 --format json
[[ $(grep -c '"article"' "$TMP/out") == 1 ]] || fail "--limit 1: $(cat "$TMP/out")"

run 0 "$LEDE" speakers --type person --format csv
contains "$TMP/out" '^speaker,type,quotes,articles,variants,roles$'
contains "$TMP/out" '^Sergey Ivanenko,person,3,2,Sergei Ivanenko; Sergey Ivanenko,Foreign Minister$'
contains "$TMP/out" '^Mohammed Tahiri,person,2,2,Mohammed Tahiri; Muhammad Tahiri,$'
run 0 "$LEDE" speakers --min 3 --limit 1 --format csv
[[ $(wc -l <"$TMP/out") == 2 ]] || fail "--min 3 --limit 1 should keep one speaker: $(cat "$TMP/out")"
run 0 "$LEDE" speakers --min 4 --format csv
[[ $(wc -l <"$TMP/out") == 1 ]] || fail "--min 4 should keep none: $(cat "$TMP/out")"

# Usage errors and help.
run 2 "$LEDE" quotes --kind quoted
contains "$TMP/err" "direct, partial or indirect"
run 2 "$LEDE" speakers --type robot
run 2 "$LEDE" quotes --limit many
run 0 "$LEDE" quotes --help
contains "$TMP/out" '^usage: lede quotes'
run 0 "$LEDE" speakers --help
contains "$TMP/out" '^usage: lede speakers'

exit $((failures > 0))
