-- A test in a plugin's tests/ folder runs as that plugin: require, lede.data
-- and lede.lexicon read the plugin's folder, and t.run finds its siblings.
local t = require("lede.test")
local words = require("kit.words")

t.case("lib modules are require-able", function()
  t.eq(words.norm("ÉTÉ Straße"), "été strasse")
end)

t.case("data files are the plugin's", function()
  t.ok(lede.data("data/stop.txt"):find("\nof\n", 1, true))
  local lex = lede.lexicon("data/stop.txt")
  t.eq(#lex, 3)
  t.ok(lex:has("of"))
end)

t.case("the plugin runs on an article", function()
  local r = t.run("kit", "The end of the road.")
  t.eq(#r.stopword, 3)
  t.eq(r.stopword[1], { start = 1, stop = 3, text = "The", word = "the" })
end)

t.case("sibling plugins are found by name", function()
  t.eq(#t.run("tally", "Extraordinary").long_word, 1)
end)
