-- Exhausts memory in the ways plugins do by mistake.
return {
  name = "bomb",
  layers = { survived = { "how" } },
  options = { how = "rep" },
  article = function(doc, ctx)
    local how = ctx.options.how
    if how == "rep" then
      local s = string.rep("x", 1 << 30)
      doc:annotate("survived", 1, 0, { how = #s })
    elseif how == "double" then
      local s = doc.text
      while true do s = s .. s end
    elseif how == "table" then
      local t = {}
      for i = 1, math.maxinteger do t[i] = { i } end
    elseif how == "pcall" then
      local kept = {}
      while true do
        local ok = pcall(function() kept[#kept + 1] = string.rep("y", 1 << 20) end)
        if not ok then kept = {} end
      end
    end
  end,
}
