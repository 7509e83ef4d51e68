-- Marks capitalised words that do not start a sentence.
local TF = lede.TF

return {
  name = "caps",
  version = "1",
  description = "capitalised words inside sentences",
  layers = { cap = { "word", "fold" } },
  options = { min_length = 2 },
  article = function(doc, ctx)
    local t = doc:tokens()
    local text, fold, kind, flags = t.text, t.fold, t.kind, t.flags
    local start, stop = t.start, t.stop
    for i = 1, t.n do
      if kind[i] == "word" and flags[i] & TF.capitalised ~= 0 and flags[i] & TF.sent_start == 0
         and #text[i] >= ctx.options.min_length then
        doc:annotate("cap", start[i], stop[i], { word = text[i], fold = fold[i] })
      end
    end
  end,
}
