-- Recursion without end, in Lua and through C (metamethods).
return {
  name = "deep",
  layers = { bottom = {} },
  options = { how = "lua" },
  article = function(doc, ctx)
    if ctx.options.how == "lua" then
      local function f(n) return 1 + f(n + 1) end
      f(1)
    else
      local t = setmetatable({}, { __index = function(t, k) return t[k .. "x"] end })
      return t.x
    end
  end,
}
