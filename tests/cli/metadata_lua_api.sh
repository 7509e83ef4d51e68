#!/usr/bin/env bash
# The date functions of the `lede` Lua module (core/luadates.c), called from
# a throw-away plugin: lede.dates offsets (1-based, inclusive, as doc spans),
# fields and options; lede.parse_date; day arithmetic; bad options.
source "$(dirname "$0")/lib/common.bash"

mkdir -p "$TMP/plugins" "$TMP/pages"
printf 'Talks opened on Tuesday, 7 May 2013 at 10:30, a day after 05/03/2013.\n' >"$TMP/pages/a.txt"
cat >"$TMP/plugins/probe.lua" <<'LUA'
-- Records what the date functions return, as JSON fields of one span.
local function brief(d)
  if not d then return "nil" end
  return table.concat({ d.iso or "-", d.precision, tostring(d.year), tostring(d.month), tostring(d.day),
    tostring(d.weekday), d.time or "-", d.order or "-", tostring(d.inferred), tostring(d.relative),
    tostring(d.order_assumed), tostring(d.weekday_mismatch), string.format("%.2f", d.confidence) }, " ")
end
return {
  name = "probe",
  layers = { probe = { "first", "first_text", "first_span", "count", "mdy", "relative", "parsed", "unparsed",
                       "nb", "days", "iso", "weekday", "bad_opt", "bad_ref" } },
  article = function(doc)
    local t = doc.text
    local all = lede.dates(t)
    local mdy = lede.dates(t, { order = "mdy" })
    local rel = lede.dates("on Tuesday", { ref = "2013-05-08" })
    local ok1, err1 = pcall(lede.dates, t, { order = "ydm" })
    local ok2, err2 = pcall(lede.parse_date, "May 7", { ref = "yesterday" })
    doc:annotate("probe", all[1].start, all[1].stop, {
      first = brief(all[1]), first_text = all[1].text, first_span = all[1].start .. ".." .. all[1].stop,
      count = #all, mdy = brief(mdy[2]), relative = brief(rel[1]),
      parsed = brief(lede.parse_date("Friday, July 15", { not_before = "2016-01-01" })),
      unparsed = brief(lede.parse_date("Published May 7, 2013")),
      nb = brief(lede.parse_date("May 29", "2019-06-10")),
      days = lede.day_number("2024-03-01") - lede.day_number("2024-02-28"),
      iso = lede.day_iso(lede.day_number("2024-02-28") + 1),
      weekday = lede.weekday("2024-03-09"),
      bad_opt = not ok1 and tostring(err1):match("order") ~= nil,
      bad_ref = not ok2 and tostring(err2):match("reference") == nil and tostring(err2):match("ref") ~= nil,
    })
  end,
}
LUA
cd "$TMP"
run 0 "$LEDE" -q ingest pages
run 0 "$LEDE" -q run --plugins plugins probe
"$LEDE" export --layer probe --format jsonl >"$TMP/probe.jsonl"
# The fields of the probe span, read once: get NAME prints one of them.
declare -A probe
while IFS=$'\t' read -r name value; do
    probe[$name]=$value
done < <(python3 -c 'import json, sys
for k, v in json.loads(open(sys.argv[1]).readline()).items():
    print(f"{k}\t{v}")' "$TMP/probe.jsonl")
get() {
    printf '%s' "${probe[$1]-}"
}
same "first" "$(get first)" "2013-05-07 day 2013 5 7 2 10:30 dmy false false false false 1.00"
same "first text" "$(get first_text)" "Tuesday, 7 May 2013 at 10:30"
same "first span (1-based, inclusive)" "$(get first_span)" "17..44"
same "span text" "$(get text)" "Tuesday, 7 May 2013 at 10:30"
same "count" "$(get count)" "2"
same "numeric m/d/y" "$(get mdy)" "2013-05-03 day 2013 5 3 nil - mdy false false true false 0.70"
same "relative weekday" "$(get relative)" "2013-05-07 day 2013 5 7 2 - - false true false false 0.80"
same "parse_date with not_before" "$(get parsed)" "2016-07-15 day 2016 7 15 5 - mdy true false false false 0.95"
same "parse_date of a longer text" "$(get unparsed)" "nil"
same "parse_date with a reference string" "$(get nb)" "2019-05-29 day 2019 5 29 nil - mdy true false false false 0.80"
same "day_number difference over a leap day" "$(get days)" "2"
same "day_iso" "$(get iso)" "2024-02-29"
same "weekday" "$(get weekday)" "6"
same "bad order option raises" "$(get bad_opt)" "True"
same "bad reference raises" "$(get bad_ref)" "True"
finish
