return {
  name = "shouting",
  layers = { shout = { "word" } },
  article = function(doc)
    local t = doc:tokens()
    for i = 1, t.n do
      if t.flags[i] & lede.TF.all_caps ~= 0 then doc:annotate("shout", t.start[i], t.stop[i], { word = t.text[i] }) end
    end
  end,
}
