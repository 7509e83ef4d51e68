#!/usr/bin/env bash
# Stock plugin `quotes` on small hand-written articles (our own words), one
# per shape of quote the plugin must handle: straight and curly marks with
# single quotes nested, « » and ‹ ›, „ “, apostrophes inside words, a quote
# running over paragraphs, a stray mark, attribution before, after and in the
# middle, "according to" / "told reporters" / "said in a statement",
# indirect speech with quoted fragments, speakers (roles, bodies, unnamed
# sources, pronouns, descriptions), and quotes in a comments section.
# Every span is checked with all its fields against
# tests/plugins/quotes/expected/NAME.csv (QUOTES_UPDATE=1 rewrites them).
source "$(dirname "$0")/lib/common.bash"

DIR=$LEDE_SOURCE_DIR/tests/plugins/quotes
mkdir -p "$TMP/articles"
cp "$DIR"/fixtures/*.txt "$TMP/articles/"
run 0 "$LEDE" ingest "$TMP/articles"
run 0 "$LEDE" run quotes

for fixture in "$DIR"/fixtures/*.txt; do
    name=$(basename "$fixture" .txt)
    "$LEDE" sql --format csv "SELECT start, \"end\", kind, speaker, speaker_type, role, cue, rule,
        speaker_as_written AS written, text FROM quote WHERE article = '$name.txt' ORDER BY start, \"end\"" \
        >"$TMP/$name.csv"
    if [[ ${QUOTES_UPDATE:-} == 1 ]]; then
        cp "$TMP/$name.csv" "$DIR/expected/$name.csv"
    elif ! diff -u "$DIR/expected/$name.csv" "$TMP/$name.csv" >&2; then
        fail "quotes of $name differ from expected/$name.csv (- expected, + got)"
    fi
done

# Every quote names its rule and a confidence in [0, 1].
"$LEDE" sql --format csv "SELECT count(*) FROM quote WHERE rule IS NULL OR confidence < 0 OR confidence > 1" >"$TMP/bad"
contains "$TMP/bad" '^0$'

# Speakers across articles: spelling variants merge (corpus pass).
"$LEDE" sql --format csv "SELECT canonical, speaker_type, quotes, articles,
    (SELECT group_concat(value, '|') FROM json_each(variants)) AS variants
    FROM speaker WHERE canonical IN ('Sergei Ivanenko', 'Sergey Ivanenko', 'Mohammed Tahiri', 'Muhammad Tahiri')
    ORDER BY canonical" >"$TMP/variants"
contains "$TMP/variants" '^Sergey Ivanenko,person,3,2,Sergei Ivanenko\|Sergey Ivanenko$'
contains "$TMP/variants" '^Mohammed Tahiri,person,2,2,Mohammed Tahiri\|Muhammad Tahiri$'
[[ $(wc -l <"$TMP/variants") == 3 ]] || fail "variants should make two canonical speakers: $(cat "$TMP/variants")"

exit $((failures > 0))
