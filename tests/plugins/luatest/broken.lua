-- Test fixture (lede test): fails on articles that mention a boom, and
-- misuses rows when asked to.
return {
  name = "broken",
  version = "1",
  layers = { seen = { "bytes" }, tally_rows = { fields = { "n" }, rows = true } },
  options = { misuse = "" },
  article = function(doc, ctx)
    if doc.text:find("boom", 1, true) then error("cannot cope with a boom") end
    if ctx.options.misuse == "annotate" then doc:annotate("tally_rows", 1, 0, { n = 1 }) end
    doc:annotate("seen", 1, #doc.text, { bytes = #doc.text })
  end,
  corpus = function(corpus, ctx)
    if ctx.options.misuse == "row" then corpus:row("seen", { bytes = 0 }) end
    corpus:row("tally_rows", { n = corpus:size() })
  end,
}
