-- Test fixture (lede test): a plugin folder with lib/, data/ and tests/.
local words = require("kit.words")

return {
  name = "kit",
  version = "1",
  layers = { stopword = { "word" } },
  setup = function(ctx)
    ctx.stop = lede.lexicon("data/stop.txt")
  end,
  article = function(doc, ctx)
    for _, m in ipairs(ctx.stop:match(doc)) do
      doc:annotate("stopword", m.start, m.stop, { word = words.norm(doc.text:sub(m.start, m.stop)) })
    end
  end,
}
