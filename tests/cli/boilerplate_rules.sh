#!/usr/bin/env bash
# The boilerplate plugin on hand-made pages (tests/plugins/boilerplate/
# fixtures/pages): every reason and caption kind, line by line (golden CSV
# exports in tests/plugins/boilerplate/expected; LEDE_UPDATE_GOLDEN=1
# rewrites them), and the lines it must keep.
source "$(dirname "$0")/lib/common.bash"

BP=$CLI_TESTS/../plugins/boilerplate
EXPECTED=$BP/expected

# bp_golden NAME: compares standard input with expected/NAME.
bp_golden() {
    local got=$TMP/got.$1
    cat >"$got"
    if [[ ${LEDE_UPDATE_GOLDEN:-} == 1 ]]; then
        cp "$got" "$EXPECTED/$1"
    elif ! diff -u "$EXPECTED/$1" "$got" >&2; then
        fail "output differs from tests/plugins/boilerplate/expected/$1 (- expected, + got)"
    fi
}

(cd "$BP/fixtures" && "$LEDE" -q ingest pages) || fail "ingest of the fixture pages exited with $?"
run 0 "$LEDE" -q run boilerplate

run 0 "$LEDE" export --layer boilerplate --format csv
cp "$TMP/out" "$TMP/boilerplate.csv"
bp_golden boilerplate.csv <"$TMP/boilerplate.csv"
run 0 "$LEDE" export --layer caption --format csv
cp "$TMP/out" "$TMP/caption.csv"
bp_golden caption.csv <"$TMP/caption.csv"

# every reason and caption kind occurs
for reason in ui-lexicon menu icons banner duplicate template comments related short-line link; do
    contains "$TMP/boilerplate.csv" ",$reason,"
done
for kind in byline photo credit; do
    contains "$TMP/caption.csv" ",$kind\$"
done

# lines that are the article and must stay: headlines, paragraphs, headings
# (a heading shared by two pages of an outlet is no template), the second
# headline copy's original, and a related link that names a sibling's title
run 0 "$LEDE" show --clean gazette/bridge.txt
contains "$TMP/out" '^Is the old Carrow bridge still safe\?$'
contains "$TMP/out" '^What the council said$'
lacks "$TMP/out" 'River Gazette|since 1889|Sponsored message|Support our newsroom'
run 0 "$LEDE" show --clean misc/kitchen-sink.txt
contains "$TMP/out" '^Ferry service to Holm Island suspended after engine fire$'
contains "$TMP/out" '^What happens now$'
contains "$TMP/out" '^None of the 140 passengers was hurt'
lacks "$TMP/out" 'Skip to content|Advertisement|Related coverage|Maja R|cookies|©|holmnews|Published'
[[ $(grep -c 'Ferry service to Holm Island' "$TMP/out") == 1 ]] || fail "the repeated headline is kept twice"

# weak evidence inside an article's body does not remove a line: a date
# heading a timeline entry, a sentence mentioning cookies, a table, a
# dateline on a line of its own, a quote that starts like a promotion; a
# promotion in the body goes
run 0 "$LEDE" show --clean misc/body-edge.txt
contains "$TMP/out" '^"Get our boats back to sea," one skipper said\.$'
contains "$TMP/out" '^TARROW —$'
contains "$TMP/out" '^5 March 2024$'
contains "$TMP/out" 'uses cookies to track which sailings'
contains "$TMP/out" '^Route \| Sailings cut \| Passengers$'
contains "$TMP/out" '^Holm \| 140 \| 9000$'
lacks "$TMP/out" 'delivered to your inbox'

# the lexicons of the other languages
run 0 "$LEDE" show --clean misc/europe-ui.txt
lacks "$TMP/out" 'Aller au contenu|Startseite|Compartilhar|Publicado|Temps de lecture|Lesen Sie|Comentarios|Sé el primero|direitos'
contains "$TMP/out" '^Rail strike halts trains across the northern valleys$'

# the content view of a plugin that requires boilerplate leaves the
# boilerplate sentences out
cat >"$TMP/content_count.lua" <<'LUA'
return {
  name = "content_count", version = "1", requires = { "boilerplate" },
  layers = { content_count = { "all", "content" } },
  article = function(doc)
    doc:annotate("content_count", 1, 0, { all = #doc:sentences{ all = true }, content = #doc:sentences() })
  end,
}
LUA
run 0 "$LEDE" -q run "$TMP/content_count.lua"
run 0 "$LEDE" sql --format csv "SELECT json_extract(attrs, '\$.all') > json_extract(attrs, '\$.content') FROM annotation a JOIN article r ON r.id = a.article_id WHERE layer = 'content_count' AND r.key = 'misc/kitchen-sink.txt'"
contains "$TMP/out" '^1$'

finish
