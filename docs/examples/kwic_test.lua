-- Tests of kwic.lua:  lede test docs/examples/kwic_test.lua
local t = require("lede.test")

t.case("a word and the words around it", function()
  local r = t.run("kwic", "The mayor said on Monday that the bridge would reopen.", { options = { width = 2 } })
  t.eq(r.kwic, { { start = 11, stop = 14, text = "said", left = "The mayor", match = "said", right = "on Monday" } })
end)

t.case("a phrase, in any case, never across sentences", function()
  local r = t.run("kwic", "Police left. According to police, two died.", { options = { word = "according to" } })
  t.eq(#r.kwic, 1)
  t.eq(r.kwic[1].left, "")
  t.eq(r.kwic[1].right, "police , two died .")
end)
