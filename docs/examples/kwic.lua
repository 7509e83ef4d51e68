-- Keyword in context: every use of a word or phrase, with the words around it.
--   lede run ./kwic.lua -O kwic.word="death toll" -O kwic.width=6
return {
  name = "kwic",
  version = "1",
  description = "keyword in context",
  layers = { kwic = { "left", "match", "right" } },
  options = { word = "said", width = 5 },
  setup = function(ctx)
    ctx.lexicon = lede.lexicon { ctx.options.word }
  end,
  article = function(doc, ctx)
    local text, w = doc:tokens().text, ctx.options.width
    local function words(from, to)
      local out = {}
      for i = math.max(from, 1), math.min(to, #text) do out[#out + 1] = text[i] end
      return table.concat(out, " ")
    end
    for _, s in ipairs(doc:sentences()) do
      for _, m in ipairs(ctx.lexicon:match(doc, s)) do
        doc:annotate("kwic", m.start, m.stop, {
          left = words(math.max(m.first - w, s.first), m.first - 1),
          match = doc.text:sub(m.start, m.stop),
          right = words(m.last + 1, math.min(m.last + w, s.last)),
        })
      end
    end
  end,
}
