-- lede.lexicon built from a Lua table larger than one luaL_Buffer chunk.
local t = require("lede.test")

t.case("a table lexicon of many entries keeps every entry and value", function()
  local words = {}
  for i = 1, 400 do
    words["casualty word " .. i] = "value " .. i
  end
  words[1] = "plain entry"
  local lex = lede.lexicon(words)
  t.eq(#lex, 401)
  t.eq(lex:lookup("casualty word 1"), "value 1")
  t.eq(lex:lookup("casualty word 400"), "value 400")
  t.ok(lex:has("plain entry"))
  t.ok(not lex:has("casualty word 401"))
end)
