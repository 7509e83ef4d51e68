-- Lexicons: a table and a data file, longest match over tokens.
return {
  name = "lexmatch",
  version = "1",
  layers = { lex = { "value", "first", "last" } },
  setup = function(ctx)
    ctx.orgs = lede.lexicon {
      ["United Nations"] = "UN", ["United"] = "just united", ["U.S."] = "US",
      ["New York Times"] = "NYT", "Red Cross",
    }
    ctx.cues = lede.lexicon("data/cues.txt")
  end,
  article = function(doc, ctx)
    for _, lex in ipairs { ctx.orgs, ctx.cues } do
      for _, m in ipairs(lex:match(doc)) do
        doc:annotate("lex", m.start, m.stop, { value = m.value, first = m.first, last = m.last })
      end
    end
  end,
}
