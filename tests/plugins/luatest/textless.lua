-- Test fixture (lede test): a corpus pass reading spans without their text.
return {
  name = "textless",
  version = "1",
  requires = { "tally" },
  layers = { textless = { "fold", "has_text" } },
  options = { bad_option = false },
  corpus = function(corpus, ctx)
    local opts = ctx.options.bad_option and "text" or { text = false }
    for s in corpus:spans("long_word", opts) do
      corpus:annotate(s.article, "textless", s.start, s.stop, { fold = s.fold, has_text = s.text ~= nil })
    end
  end,
}
