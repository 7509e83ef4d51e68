return {
  name = "shouting",
  layers = { shout = { "words" } },
  article = function(doc)
    for _, s in ipairs(doc:sentences()) do
      if s.text:find("!", 1, true) then doc:annotate("shout", s.start, s.stop, { words = s.last - s.first + 1 }) end
    end
  end,
}
