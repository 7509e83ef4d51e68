-- Counts the spans of the cap layer per article (reads an earlier plugin's layer).
return {
  name = "capcount",
  version = "1",
  description = "number of capitalised words per article",
  requires = { "caps" },
  layers = { capcount = { "n", "first" } },
  article = function(doc)
    local spans = doc:spans("cap")
    if #spans > 0 then
      doc:annotate("capcount", 1, #doc.text, { n = #spans, first = spans[1].word })
    end
  end,
}
