-- Test fixture (lede test): long words, with an option.
return {
  name = "tally",
  version = "1",
  description = "words of at least `min` characters",
  layers = { long_word = { "word", "fold" } },
  options = { min = 6 },
  article = function(doc, ctx)
    local t = doc:tokens()
    for i = 1, t.n do
      if t.kind[i] == "word" and utf8.len(t.text[i]) >= ctx.options.min then
        doc:annotate("long_word", t.start[i], t.stop[i], { word = t.text[i], fold = t.fold[i] })
      end
    end
  end,
}
