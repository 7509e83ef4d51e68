-- Tries every way of catching the budget error and going on.
return {
  name = "swallow",
  layers = { escaped = { "how" } },
  options = { how = "pcall" },
  article = function(doc, ctx)
    local spin = function() while true do end end
    local how = ctx.options.how
    for _ = 1, 1000 do
      if how == "pcall" then
        pcall(spin)
      elseif how == "xpcall" then
        xpcall(spin, function() while true do end end)
      elseif how == "coroutine" then
        coroutine.resume(coroutine.create(spin))
      elseif how == "error" then
        while true do pcall(error, "again") end
      end
    end
    doc:annotate("escaped", 1, 0, { how = how })
  end,
}
