-- Fails on purpose: tests/cli/test_cmd.sh checks what `lede test` reports.
-- (Not a *_test.lua file, so the suite of passing tests leaves it out.)
local t = require("lede.test")

t.case("passes", function() t.eq(1 + 1, 2) end)

t.case("wrong sum", function()
  t.eq(2 + 2, 5, "arithmetic")
end)

local function check_first(r, want)
  t.eq(r.long_word[1].word, want)
end

t.case("wrong word", function()
  check_first(t.run("tally", "Nothing remarkable happened."), "nothing")
end)

t.case("runtime error", function()
  local x
  return x.field
end)

t.case("endless", function() while true do end end)

t.case("plugin error", function()
  t.run("broken", "a boom here")
end)

t.eq("top", "level")
t.case("never reached", function() end)
