-- t.run (plugins on one article in memory) and t.corpus (article and corpus
-- passes over an in-memory database), with the fixture plugins of this folder.
local t = require("lede.test")

t.case("t.run gives the spans of each layer, ordered", function()
  local r = t.run("tally", "Extraordinary weather, everywhere.")
  t.eq(r.long_word, {
    { start = 1, stop = 13, text = "Extraordinary", word = "Extraordinary", fold = "extraordinary" },
    { start = 15, stop = 21, text = "weather", word = "weather", fold = "weather" },
    { start = 24, stop = 33, text = "everywhere", word = "everywhere", fold = "everywhere" },
  })
end)

t.case("t.run takes options, metadata and non-ASCII text", function()
  local r = t.run("tally", { text = "Ça a été très réussi.", title = "x", source = "Le Monde" }, { options = { min = 5 } })
  t.eq(#r.long_word, 1)
  t.eq(r.long_word[1].text, "réussi")
  r = t.run("tally", "Ça a été très réussi.", { options = { ["tally.min"] = 2 } })
  t.eq(#r.long_word, 4)
end)

t.case("t.run takes a path relative to the test file", function()
  t.eq(#t.run("./tally.lua", "Nothing", { options = { min = 3 } }).long_word, 1)
end)

t.case("t.run runs what a plugin requires; corpus passes wait for t.corpus", function()
  local r = t.run("series", "Remarkable")
  t.eq(#r.long_word, 1)
  t.eq(r.first_use, {})
  t.eq(r.word_count, {})
end)

t.case("a plugin error is raised with its place", function()
  t.error(function() t.run("broken", "a boom here") end, "broken.lua:9: cannot cope with a boom")
  t.eq(t.run("broken", "calm").seen[1].bytes, 4)
  t.error(function() t.run("broken", "calm", { options = { misuse = "annotate" } }) end,
    "layer 'tally_rows' holds corpus rows")
  t.error(function() t.run("nosuchplugin", "x") end, "plugin 'nosuchplugin' not found")
  t.error(function() t.run("tally", "x", { options = { nosuch = 1 } }) end, "nosuch")
end)

local articles = {
  { key = "a", text = "Flooding shut the harbour. Flooding again." },
  { key = "b", text = "The harbour reopened after flooding." },
  "All quiet.",
}

t.case("t.corpus runs article and corpus passes", function()
  local r = t.corpus("series", articles)
  t.eq(#r.long_word, 6)
  t.eq(r.long_word[1], { article = "a", start = 1, stop = 8, text = "Flooding", word = "Flooding", fold = "flooding" })
  t.eq(r.first_use, {
    { article = "a", start = 1, stop = 8, text = "Flooding", word = "Flooding" },
    { article = "a", start = 19, stop = 25, text = "harbour", word = "harbour" },
    { article = "b", start = 13, stop = 20, text = "reopened", word = "reopened" },
  })
  t.eq(r.word_count, {
    { fold = "flooding", articles = 2, uses = 3 },
    { fold = "harbour", articles = 2, uses = 2 },
    { fold = "reopened", articles = 1, uses = 1 },
  })
end)

t.case("corpus:spans(layer, { text = false }) gives spans without their text", function()
  local r = t.corpus("textless", articles)
  t.eq(#r.textless, 6)
  t.eq(r.textless[1], { article = "a", start = 1, stop = 8, text = "Flooding", fold = "flooding", has_text = false })
  t.error(function() t.corpus("textless", articles, { options = { bad_option = true } }) end,
    "bad argument #2 to 'spans' (table expected, got string)")
end)

t.case("corpus:columns gives the spans of corpus:spans as columns", function()
  local r = t.corpus("columnar", articles)
  t.eq(#r.columnar, 6)
  t.eq(r.columnar[1], { article = "a", start = 1, stop = 8, text = "Flooding", fold = "flooding", spans = 6 })
  t.eq(r.columnar[6], { article = "b", start = 28, stop = 35, text = "flooding", fold = "flooding", spans = 6 })
  t.error(function() t.corpus("columnar", articles, { options = { fields = "stop" } }) end,
    "field 'stop' is a column of every span")
  t.error(function() t.corpus("columnar", articles, { options = { fields = "fold" } }) end,
    "field 'fold' is given twice")
end)

t.case("corpus:rows reads another plugin's rows", function()
  local r = t.corpus("widespread", articles)
  t.eq(r.widespread, { { fold = "flooding" }, { fold = "harbour" } })
  r = t.corpus("widespread", articles, { options = { articles = 1, ["tally.min"] = 8 } })
  t.eq(r.widespread, { { fold = "flooding" }, { fold = "reopened" } })
end)

t.case("t.corpus raises the first problem", function()
  t.error(function() t.corpus("broken", { "calm", "boom" }) end, "plugin 'broken' failed on 'article2'")
  t.error(function() t.corpus("broken", { "calm" }, { options = { misuse = "row" } }) end,
    "layer 'seen' holds spans")
  t.eq(t.corpus("broken", { "calm", "still calm" }).tally_rows, { { n = 2 } })
  t.error(function() t.corpus("tally", { { key = "x", text = "a" }, { key = "x", text = "b" } }) end,
    "key 'x' given twice")
end)
