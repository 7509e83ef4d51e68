-- A toy boilerplate pass: lines that are page furniture, by a fixed list.
return {
  name = "toy_boilerplate",
  version = "1",
  description = "marks 'Subscribe'/'Share this' lines as boilerplate (tests only)",
  layers = { boilerplate = { "reason" } },
  article = function(doc)
    for _, b in ipairs(doc:blocks()) do
      if b.text:find("^Subscribe") or b.text:find("^Share this") then
        doc:annotate("boilerplate", b.start, b.stop, { reason = "ui-lexicon" })
      end
    end
  end,
}
