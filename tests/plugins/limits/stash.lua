-- Keeps the doc of one article and uses it on the next: refused.
local saved
return {
  name = "stash",
  layers = { stale = { "old" } },
  article = function(doc)
    if saved then
      local old = saved
      saved = doc
      doc:annotate("stale", 1, 0, { old = old.text })
    end
    saved = doc
  end,
}
