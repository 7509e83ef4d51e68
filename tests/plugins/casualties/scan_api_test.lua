-- lede.scan from Lua (lede test).
local t = require("lede.test")

-- What lede.scan.suffixed stands for: the same pattern, tried at every byte.
local function by_pattern(text, suffix)
  local out = {}
  for w in text:gmatch("%f[%a](%u[%l\128-\191\195-\223]+" .. suffix .. ")[ \194\160]+%l") do out[#out + 1] = w end
  return out
end

t.case("suffixed: capitalised words before a lower-case word", function()
  local text = "The Marovian police and Lirania's army; a Valdemoran\u{00A0}spokesman, Oceanan Airways, "
    .. "the Sudan capital, xMarovian troops, Ab an, Can\u{00E9}an ones, Afghan"
  t.eq(lede.scan.suffixed(text, "an"), { "Marovian", "Valdemoran", "Sudan", "Can\u{00E9}an" })
  t.eq(lede.scan.suffixed(text, "an"), by_pattern(text, "an"))
  t.eq(lede.scan.suffixed("", "an"), {})
  t.eq(lede.scan.suffixed("Sudanan rebels", "an"), { "Sudanan" }) -- the longest word
  t.eq(lede.scan.suffixed("Malian  \u{00A0} forces", "ian"), { "Malian" })
  t.error(function() lede.scan.suffixed(nil, "an") end)
end)

t.case("suffixed: as the pattern on random text", function()
  local alphabet = { "a", "n", "an", "M", "Q", "x", " ", " ", "\194\160", "\194", "\160", "\195\169", "'", "-", "." }
  local seed = 12345
  local function rand(n)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n + 1
  end
  for _ = 1, 2000 do
    local parts = {}
    for i = 1, rand(30) do parts[i] = alphabet[rand(#alphabet)] end
    local text = table.concat(parts)
    t.eq(lede.scan.suffixed(text, "an"), by_pattern(text, "an"), text)
  end
end)
