-- A corpus pass: capitalised words found in two articles or more.
return {
  name = "recurring",
  version = "1",
  requires = { "caps" },
  layers = { recurring = { "word", "articles" }, corpus_size = { "n", "first_sentence" } },
  corpus = function(corpus)
    local seen, spans = {}, {}
    for s in corpus:spans("cap") do
      seen[s.fold] = seen[s.fold] or {}
      seen[s.fold][s.article] = true
      spans[#spans + 1] = s
    end
    for _, s in ipairs(spans) do
      local n = 0
      for _ in pairs(seen[s.fold]) do n = n + 1 end
      if n >= 2 then
        corpus:annotate(s.article, "recurring", s.start, s.stop, { word = s.text, articles = n })
      end
    end
    local first
    for a in corpus:articles() do
      first = first or a.key
    end
    local doc = corpus:doc(first)
    local s1 = doc:sentences { all = true }[1]
    doc:annotate("corpus_size", s1.start, s1.stop, { n = corpus:size(), first_sentence = s1.text })
  end,
}
