-- Counts content sentences (boilerplate left out) and all sentences.
return {
  name = "content",
  version = "1",
  requires = { "toy_boilerplate" },
  layers = { sentcount = { "content", "all", "last_content" } },
  article = function(doc)
    local content, all = doc:sentences(), doc:sentences { all = true }
    local last = content[#content]
    doc:annotate("sentcount", 1, 0, { content = #content, all = #all, last_content = last and last.text })
  end,
}
