-- Wrong uses of annotate, chosen by the article's key.
return {
  name = "misuse",
  layers = { mark = { "note" } },
  article = function(doc)
    local k = doc.key
    if k == "undeclared-layer" then doc:annotate("other", 1, 1)
    elseif k == "undeclared-field" then doc:annotate("mark", 1, 1, { nope = 1 })
    elseif k == "past-end" then doc:annotate("mark", 1, #doc.text + 1)
    elseif k == "before-start" then doc:annotate("mark", 0, 1)
    elseif k == "cuts-utf8" then doc:annotate("mark", 1, 1)
    elseif k == "bad-value" then doc:annotate("mark", 1, 1, { note = print })
    elseif k == "deep-value" then
      local t = {} for _ = 1, 40 do t = { t } end
      doc:annotate("mark", 1, 1, { note = t })
    elseif k == "mixed-table" then doc:annotate("mark", 1, 1, { note = { 1, 2, x = 3 } })
    elseif k == "good" then
      doc:annotate("mark", 1, 3, { note = { list = { 1, 2.5, "three", true }, bad = "\255" } })
      doc:annotate("mark", 2, 1) -- empty span
    end
  end,
}
