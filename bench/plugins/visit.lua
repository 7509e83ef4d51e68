-- The visit-every-token plugin of bench/run: reads the folded form and the
-- kind of every token of every article once, the least a per-token analysis
-- does.  doc:tokens() hands the tokens over in bulk, as columns.
return {
  name = "visit",
  version = "1",
  article = function(doc, ctx)
    local tokens = doc:tokens()
    local fold, kind = tokens.fold, tokens.kind
    local words = 0
    for i = 1, tokens.n do
      if kind[i] == "word" and #fold[i] > 0 then
        words = words + 1
      end
    end
  end,
}
