-- Test fixture (lede test): a corpus pass writing spans and rows.
return {
  name = "series",
  version = "1",
  description = "first use of each long word, and its counts across the corpus",
  requires = { "tally" },
  layers = {
    first_use = { "word" },
    word_count = { fields = { "fold", "articles", "uses" }, rows = true },
  },
  corpus = function(corpus)
    local by_fold, folds = {}, {}
    for s in corpus:spans("long_word") do
      local e = by_fold[s.fold]
      if e == nil then
        e = { seen = {}, articles = 0, uses = 0 }
        by_fold[s.fold] = e
        folds[#folds + 1] = s.fold
        corpus:annotate(s.article, "first_use", s.start, s.stop, { word = s.text })
      end
      e.uses = e.uses + 1
      if not e.seen[s.article] then
        e.seen[s.article] = true
        e.articles = e.articles + 1
      end
    end
    table.sort(folds)
    for _, f in ipairs(folds) do
      corpus:row("word_count", { fold = f, articles = by_fold[f].articles, uses = by_fold[f].uses })
    end
  end,
}
