-- String helpers shared by the metadata pass: folding, words, data lists.
local M = {}

-- Punctuation and spaces outside ASCII must not glue words together:
-- U+00A0..U+00BF (no-break space, « », ©, ·) and U+2000..U+207F (dashes,
-- curly quotes, ellipsis, thin spaces, ‹ ›, bullets) become as many spaces
-- as they have bytes, so offsets do not move.
local function unglue(s)
  return (s:gsub("\194[\160-\191]", "  "):gsub("\226[\128\129][\128-\191]", "   "))
end

function M.trim(s)
  return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

-- Lower case without accents: the form every comparison uses.  ASCII
-- text (most of it) skips Unicode folding.
function M.fold(s)
  if not s:find("[\128-\255]") then return s:lower() end
  return lede.unaccent(lede.fold(s))
end

-- Folded text with wide punctuation turned into spaces.
function M.plain(s)
  if not s:find("[\128-\255]") then return s:lower() end
  return unglue(lede.unaccent(lede.fold(s)))
end

-- Like plain, but only ASCII letters lose their case and accents stay:
-- cheap enough for a whole page, consistent with itself, and of the same
-- length as s (byte offsets carry over).
function M.quick(s)
  if not s:find("[\128-\255]") then return s:lower() end
  return unglue(s:lower())
end

-- Whether the word w (folded) occurs in s (folded) as a whole word.  A
-- plain search first: frontier patterns are slow on long text.
function M.has_word(s, w)
  local a, b = s:find(w, 1, true)
  while a do
    if M.boundary(s, a, b) then return true end
    a, b = s:find(w, b + 1, true)
  end
  return false
end

-- Whether s[a..b] is a whole word: no letter or digit touches it.
function M.boundary(s, a, b)
  return not s:sub(a - 1, a - 1):match("[%w\128-\255]") and not s:sub(b + 1, b + 1):match("[%w\128-\255]")
end

-- A pattern finding the words `words` in a row in quick or plain text.
function M.phrase_pattern(words)
  return "%f[%w\128-\255]" .. table.concat(words, "[^%w\128-\255]+") .. "%f[^%w\128-\255]"
end

-- The words of text already made plain.
function M.plain_words(plain)
  local out = {}
  for w in plain:gmatch("[%w\128-\255]+") do out[#out + 1] = w end
  return out
end

-- The words of s (runs of letters and digits), folded, as a list.
function M.words(s)
  return M.plain_words(M.plain(s))
end

-- Words of the original text with their case kept (for capitalisation tests).
function M.raw_words(s)
  local out = {}
  for w in unglue(s):gmatch("[%w\128-\255'%.%-]+") do
    w = w:gsub("^[%.%-']+", ""):gsub("[%.%-']+$", "")
    if w ~= "" then out[#out + 1] = w end
  end
  return out
end

-- Lines of a data file without comments and blank lines.
function M.data_lines(name)
  local out = {}
  for line in lede.data(name):gmatch("[^\n]+") do
    line = M.trim(line)
    if line ~= "" and line:sub(1, 1) ~= "#" then out[#out + 1] = line end
  end
  return out
end

-- A set of the whitespace-separated words of a data file.
function M.data_set(name)
  local set = {}
  for _, line in ipairs(M.data_lines(name)) do
    for w in line:gmatch("%S+") do set[w] = true end
  end
  return set
end

-- s starts with the phrase p followed by a non-letter (or the end).
function M.starts_with_phrase(s, p)
  if s:sub(1, #p) ~= p then return false end
  local next_char = s:sub(#p + 1, #p + 1)
  return next_char == "" or not next_char:match("[%w\128-\255]") or not p:sub(-1):match("[%w]")
end

-- The letter case of a word: "upper" (two or more letters, no lower case),
-- "title" (starts upper case) or "lower".
function M.case_of(w)
  if #w > 1 and lede.upper(w) == w and lede.lower(w) ~= w then return "upper" end
  local first = w:match("^[%z\1-\127\194-\244][\128-\191]*")
  if first and lede.is_upper(first) then return "title" end
  return "lower"
end

return M
