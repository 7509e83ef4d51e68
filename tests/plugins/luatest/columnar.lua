-- Test fixture (lede test): a corpus pass reading spans as columns.
return {
  name = "columnar",
  version = "1",
  requires = { "tally" },
  layers = { columnar = { "fold", "nothing", "spans" } },
  options = { fields = "" },
  corpus = function(corpus, ctx)
    local fields = { "fold", "nosuch" }
    for f in ctx.options.fields:gmatch("[^,]+") do fields[#fields + 1] = f end
    local c, n = corpus:columns("long_word", fields)
    for i = 1, n do
      corpus:annotate(c.article[i], "columnar", c.start[i], c.stop[i],
        { fold = c.fold[i], nothing = c.nosuch[i], spans = n })
    end
  end,
}
