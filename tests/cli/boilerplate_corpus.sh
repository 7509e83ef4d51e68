#!/usr/bin/env bash
# The corpus pass of the boilerplate plugin: lines recurring across an
# outlet's pages become template boilerplate, with its options; an
# article's own headline reprinted in a sibling's page stays its headline;
# re-runs keep the template spans and new articles update them.
source "$(dirname "$0")/lib/common.bash"

BP=$CLI_TESTS/../plugins/boilerplate
(cd "$BP/fixtures" && "$LEDE" -q ingest pages) || fail "ingest of the fixture pages exited with $?"

# template TEXT: the template spans whose text holds TEXT, as "key|detail"
template() {
    "$LEDE" sql --format csv "SELECT r.key || '|' || json_extract(a.attrs, '\$.detail') FROM annotation a
        JOIN article r ON r.id = a.article_id WHERE a.layer = 'boilerplate'
        AND json_extract(a.attrs, '\$.reason') = 'template' AND substr(r.text, a.start + 1, a.\"end\" - a.start)
        LIKE '%$1%' ORDER BY 1" | tail -n +2
}
# template_count: all template spans
template_count() {
    "$LEDE" sql --format csv "SELECT count(*) FROM annotation WHERE layer = 'boilerplate'
        AND json_extract(attrs, '\$.reason') = 'template'" | tail -1
}
# spans_on KEY LINE: number of boilerplate spans over that exact line of article KEY
spans_on() {
    "$LEDE" sql --format csv "SELECT count(*) FROM annotation a JOIN article r ON r.id = a.article_id
        WHERE a.layer = 'boilerplate' AND r.key = '$1' AND substr(r.text, a.start + 1, a.\"end\" - a.start) = '$2'" | tail -1
}

run 0 "$LEDE" run boilerplate
contains "$TMP/out" "[^0-9]1 corpus pass"
same "outlet template" "$(spans_on gazette/market.txt 'Independent news since 1889')" 1
same "heading twice in an outlet" "$(spans_on gazette/bridge.txt 'What the council said')" 0
same "own headline" "$(spans_on gazette/bridge.txt 'Is the old Carrow bridge still safe?')" 0
same "unknown outlet, three articles" "$(spans_on desk-3 'Brought to you by the Harbour Desk.')" 1
same "unknown outlet, two articles" "$(spans_on desk-1 'The desk wishes its readers a calm weekend.')" 0
before=$(template_count)
[[ $before -ge 10 ]] || fail "only $before template spans"

# a run with nothing new keeps them
run 0 "$LEDE" run boilerplate
contains "$TMP/out" " 0 corpus passes"
same "template spans after a current run" "$(template_count)" "$before"
run 0 "$LEDE" run --force boilerplate
same "template spans after a forced run" "$(template_count)" "$before"

# thresholds are options
run 0 "$LEDE" -q run boilerplate -O boilerplate.template_min=4
same "outlet template, threshold 4" "$(spans_on gazette/market.txt 'Independent news since 1889')" 0
same "unknown outlet, threshold 4" "$(spans_on desk-3 'Brought to you by the Harbour Desk.')" 1
run 0 "$LEDE" -q run boilerplate -O boilerplate.template_min_unknown=4
same "unknown outlet, unknown threshold 4" "$(spans_on desk-3 'Brought to you by the Harbour Desk.')" 0
# without folders as outlets, the gazette is unknown: three articles still make a template
run 0 "$LEDE" -q run boilerplate -O boilerplate.outlet_from_folder=false
same "folder ignored, three articles" "$(spans_on gazette/market.txt 'Independent news since 1889')" 1
same "folder ignored, two articles" "$(spans_on gazette/market.txt 'Support our newsroom today.')" 0
run 6 "$LEDE" -q run boilerplate -O boilerplate.template_min=1
contains "$TMP/err" "template_min"
run 6 "$LEDE" -q run boilerplate -O boilerplate.languages=xx
contains "$TMP/err" "stopwords_xx"

# a new article of the outlet: the corpus pass runs again and counts it
run 0 "$LEDE" -q run boilerplate
cat >"$TMP/ferry.txt" <<'TXT'
The River Gazette
Independent news since 1889

Ferry fares to rise in the new year

Fares on the river ferry will rise by ten pence from January, the operator said, blaming the cost of fuel.

Season tickets will keep their price until the end of March.

Support our newsroom today.
TXT
mkdir -p "$TMP/more/gazette"
cp "$TMP/ferry.txt" "$TMP/more/gazette/ferry.txt"
run 0 "$LEDE" -q ingest "$TMP/more"
run 0 "$LEDE" run boilerplate
contains "$TMP/out" "[^0-9]1 corpus pass"
template 'since 1889' >"$TMP/t"
contains "$TMP/t" '^gazette/market.txt\|4 articles of its outlet$'
contains "$TMP/t" '^gazette/ferry.txt\|4 articles of its outlet$'

finish
