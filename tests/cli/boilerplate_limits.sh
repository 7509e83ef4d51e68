#!/usr/bin/env bash
# The boilerplate plugin on pathological pages (generated here, not kept):
# a 50 MB line with no newline, 100,000 tiny lines, 100,000 copies of one
# line, a page of nothing but boilerplate, megabyte lines of separators,
# brackets and © signs.  Every page must be processed without a problem, in
# time linear in its size: the bound below is generous enough for a build
# with sanitizers, and far below what a quadratic pass would take.
source "$(dirname "$0")/lib/common.bash"

BOUND=${LEDE_BOILERPLATE_BOUND:-300}
mkdir -p "$TMP/pages"
python3 - "$TMP/pages" <<'PY'
import os, sys
d = sys.argv[1]
def write(name, data):
    with open(os.path.join(d, name), "w", encoding="utf-8") as f:
        f.write(data)
words = "the harbour board said on Tuesday that the ferry would sail again after repairs "
write("one-line.txt", (words * (50_000_000 // len(words))) + "(AFP Photo) icon searchicon © 2024")
write("tiny-lines.txt", "".join(f"w{i}\n" for i in range(100_000)))
write("same-line.txt", "Advertisement\n" * 100_000)
ui = ["Skip to main content", "Home | World | Sport | Opinion", "Sign in", "Saturday, 9 November 2024",
      "Share this article: Facebook · X · Email", "Related stories", "Comments (2)", "Reply · Report",
      "© 2024 Nobody Ltd. All rights reserved.", "We use cookies to improve your experience."]
write("only-boilerplate.txt", "\n".join(ui[i % len(ui)] + (" " + str(i) if i % 3 else "") for i in range(20_000)))
write("separators.txt", " | ".join(["x"] * 300_000) + "\n" + "(" * 1_000_000 + "\n" + "©" * 500_000 + "\n")
write("no-newline.txt", "A headline without any newline at all")
PY
start=$(date +%s)
run 0 "$LEDE" -q ingest "$TMP/pages"
run 0 "$LEDE" -q run boilerplate
elapsed=$(($(date +%s) - start))
((elapsed <= BOUND)) || fail "pathological pages took ${elapsed}s (bound ${BOUND}s)"

run 0 "$LEDE" sql --format csv "SELECT count(*) FROM problem"
same "problems" "$(tail -1 "$TMP/out")" 0
run 0 "$LEDE" sql --format csv "SELECT count(*) FROM plugin_state WHERE plugin = 'boilerplate'"
same "articles done" "$(tail -1 "$TMP/out")" 6

# every copy of a repeated line after the first is boilerplate, and a page
# of furniture (numbered so that its lines differ) nearly all of it
run 0 "$LEDE" show --clean same-line.txt
same "same-line.txt clean" "$(cat "$TMP/out")" ""
run 0 "$LEDE" show --clean only-boilerplate.txt
kept=$(grep -c . "$TMP/out" || true)
((kept <= 200)) || fail "only-boilerplate.txt: $kept of 20,000 furniture lines kept"
run 0 "$LEDE" show --clean no-newline.txt
same "no-newline.txt clean" "$(cat "$TMP/out")" "A headline without any newline at all"

finish
