#!/usr/bin/env bash
# `lede show --clean` and `lede export --clean`: article texts without the
# lines of the boilerplate layer, captions on request.
source "$(dirname "$0")/lib/common.bash"

BP=$CLI_TESTS/../plugins/boilerplate
(cd "$BP/fixtures" && "$LEDE" -q ingest pages) || fail "ingest of the fixture pages exited with $?"

# before the plugin ran there is no boilerplate layer to leave out
run 5 "$LEDE" show --clean misc/kitchen-sink.txt
contains "$TMP/err" "run 'lede run boilerplate' first"
run 5 "$LEDE" export --clean

run 0 "$LEDE" -q run boilerplate

# the exact text: kept lines trimmed, one blank line where lines went
run 0 "$LEDE" show --clean misc/europe-ui.txt
cat >"$TMP/want" <<'TXT'
Rail strike halts trains across the northern valleys

Rail workers walked out at midnight in a dispute over weekend rosters, leaving commuters in six valley towns without a morning service.

The union said the strike would last 48 hours unless the operator reopened talks, and that further stoppages were planned for July.

"Nobody wants to strand passengers, but we have run out of patience," a union spokesman told reporters at the main depot.
TXT
diff -u "$TMP/want" "$TMP/out" >&2 || fail "show --clean misc/europe-ui.txt differs (- expected, + got)"

# captions only on request
run 0 "$LEDE" show --clean misc/kitchen-sink.txt
lacks "$TMP/out" 'By Lena Mark|Coastal Photo|With reporting by'
run 0 "$LEDE" show --clean --captions misc/kitchen-sink.txt
contains "$TMP/out" '^By Lena Mark and Tomas Berg$'
contains "$TMP/out" 'Coastal Photo/Ines Vale\)$'
contains "$TMP/out" '^With reporting by Nordlys Wire$'
lacks "$TMP/out" 'Skip to content|Comments \('

# export: one record per article, in every format
run 0 "$LEDE" export --clean --format jsonl
same "records" "$(wc -l <"$TMP/out")" "9"
python3 - "$TMP/out" <<'PY' || fail "export --clean records are not what they should be"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
by = {r["article"]: r for r in recs}
assert set(recs[0]) == {"article", "title", "text"}, recs[0].keys()
assert by["desk-1"]["title"] == "Night buses return to the coast road"
assert "Harbour Desk" not in by["desk-1"]["text"]
assert by["gazette/bridge.txt"]["text"].startswith("Is the old Carrow bridge still safe?\n\n")
PY
run 0 "$LEDE" export --clean --article misc/europe-ui.txt --format csv
contains "$TMP/out" '^article,title,text$'
contains "$TMP/out" '^misc/europe-ui.txt,,"Rail strike halts'
run 0 "$LEDE" export --clean --captions --article misc/kitchen-sink.txt --format json
contains "$TMP/out" 'By Lena Mark and Tomas Berg'

# usage errors and a missing article
run 2 "$LEDE" show --captions misc/kitchen-sink.txt
run 2 "$LEDE" show --clean --tokens misc/kitchen-sink.txt
run 2 "$LEDE" export --clean --layer boilerplate
run 2 "$LEDE" export --captions --layer boilerplate
run 5 "$LEDE" show --clean no/such.txt
run 5 "$LEDE" export --clean --article no/such.txt

finish
