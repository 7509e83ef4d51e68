#!/usr/bin/env bash
# lede test: the passing Lua tests of tests/plugins/luatest, a file failing on
# purpose (each failure on one line with file:line and what differed, exit 1),
# folders, options and usage errors.
source "$(dirname "$0")/lib/common.bash"
ROOT=$(cd "$CLI_TESTS/../.." && pwd)
cd "$ROOT" # the report shows paths as given
LUATEST=tests/plugins/luatest

# A folder runs its *_test.lua files, recursively (kit/tests/ included).
run 0 "$LEDE" test -v "$LUATEST"
contains "$TMP/out" '^[1-9][0-9]* passed, 0 failed$'
contains "$TMP/out" "^ok $LUATEST/kit/tests/kit_test.lua:[0-9]+: the plugin runs on an article$"
contains "$TMP/out" "^ok $LUATEST/run_test.lua:[0-9]+: t.corpus runs article and corpus passes$"
lacks "$TMP/out" 'failing\.lua'

# The test example of docs/plugins.md passes.
run 0 "$LEDE" test docs/examples
contains "$TMP/out" '^2 passed, 0 failed$'

# Each failing case: FILE:LINE: CASE: what differed.  A check outside any
# case stops the file.
run 1 "$LEDE" test "$LUATEST/failing.lua"
F="^$LUATEST/failing\\.lua"
contains "$TMP/out" "$F:8: wrong sum: arithmetic: expected 5, got 4\$"
contains "$TMP/out" "$F:12: wrong word: expected \"nothing\", got \"Nothing\"\$"
contains "$TMP/out" "$F:21: runtime error: attempt to index a nil value \\(local 'x'\\)\$"
contains "$TMP/out" "$F:24: endless: instruction budget of [0-9]+ exhausted\$"
contains "$TMP/out" "$F:27: plugin error: plugin 'broken' failed on 'test': .*/broken\\.lua:9: cannot cope with a boom\$"
contains "$TMP/out" "$F:30: \\(top level\\): expected \"level\", got \"top\"\$"
contains "$TMP/out" '^1 passed, 6 failed$'
same "report lines" "$(wc -l <"$TMP/out")" 7
lacks "$TMP/out" 'never reached|^ok '

# Passing and failing files together: the counts add up, the exit status is 1.
run 1 "$LEDE" test "$LUATEST/asserts_test.lua" "$LUATEST/failing.lua"
contains "$TMP/out" '^[1-9][0-9]* passed, 6 failed$'
run 1 "$LEDE" -q test "$LUATEST/failing.lua"
lacks "$TMP/out" 'passed'
same "quiet report lines" "$(wc -l <"$TMP/out")" 6

# --budget: cases may run ten times a plugin call's budget.
run 1 "$LEDE" test --budget 100000 "$LUATEST/failing.lua"
contains "$TMP/out" "$F:24: endless: instruction budget of 1000000 exhausted\$"

# A file that does not load, and one with no cases.
mkdir -p "$TMP/t"
printf 'local t = require("lede.test")\nt.case("x", function()\n' >"$TMP/t/syntax_test.lua"
echo '-- nothing yet' >"$TMP/t/empty_test.lua"
run 1 "$LEDE" test "$TMP/t"
contains "$TMP/out" "^$TMP/t/syntax_test\\.lua: \\(top level\\): .*syntax_test\\.lua:3: .*expected.*near <eof>\$"
contains "$TMP/out" '^0 passed, 1 failed$'

mkdir -p "$TMP/none"
run 0 "$LEDE" test "$TMP/none"
contains "$TMP/err" 'none: no \*_test\.lua files in this folder'
contains "$TMP/out" '^0 passed, 0 failed$'

# --plugins: t.run finds plugins there first.
cat >"$TMP/t/caps_test.lua" <<'EOF'
local t = require("lede.test")
t.case("caps", function()
  local r = t.run("caps", "Then Ann met Bob in Paris.", { options = { min_length = 4 } })
  t.eq(#r.cap, 1)
  t.eq(r.cap[1].word, "Paris")
end)
EOF
run 1 "$LEDE" test "$TMP/t/caps_test.lua"
contains "$TMP/out" "caps_test\\.lua:3: caps: plugin 'caps' not found"
run 0 "$LEDE" test --plugins tests/plugins/basic "$TMP/t/caps_test.lua"
contains "$TMP/out" '^1 passed, 0 failed$'

# Errors of the command itself.
run 5 "$LEDE" test "$LUATEST/no_such_test.lua"
contains "$TMP/err" 'no_such_test\.lua: no such file'
run 2 "$LEDE" test
contains "$TMP/err" 'name the test files'
run 2 "$LEDE" test --budget 5 "$LUATEST"
finish
