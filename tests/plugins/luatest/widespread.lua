-- Test fixture (lede test): reads the rows of another plugin's corpus pass.
return {
  name = "widespread",
  version = "1",
  requires = { "series" },
  layers = { widespread = { fields = { "fold" }, rows = true } },
  options = { articles = 2 },
  corpus = function(corpus, ctx)
    for r in corpus:rows("word_count") do
      if r.articles >= ctx.options.articles then corpus:row("widespread", { fold = r.fold }) end
    end
  end,
}
