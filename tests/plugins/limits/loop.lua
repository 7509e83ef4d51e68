return {
  name = "loop",
  layers = { never = {} },
  article = function(doc)
    while true do end
  end,
}
