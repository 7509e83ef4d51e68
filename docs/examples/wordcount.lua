-- Words per article, content only (boilerplate left out when a boilerplate
-- layer exists); per outlet with SQL:
--   SELECT a.source, sum(w.words) FROM wordcount w JOIN article a ON a.id = w.article_id GROUP BY 1
return {
  name = "wordcount",
  version = "1",
  description = "words per article, boilerplate left out",
  layers = { wordcount = { "words", "sentences" } },
  article = function(doc)
    local kind = doc:tokens().kind
    local words, sentences = 0, doc:sentences()
    for _, s in ipairs(sentences) do
      for i = s.first, s.last do
        if kind[i] == "word" then words = words + 1 end
      end
    end
    doc:annotate("wordcount", 1, #doc.text, { words = words, sentences = #sentences })
  end,
}
