-- Word lists of the casualties plugin, read once per Lua state from data/:
-- cues (what happened), victims (who), word classes (aux, units, ...),
-- place words and the gazetteer.  Phrases are matched on the lower-cased
-- words of a sentence (see tokens.lua), longest first.
local M = {}

local function lines(text)
  local out = {}
  for line in text:gmatch("[^\n]+") do
    line = line:gsub("\r$", "")
    if line:find("%S") and not line:find("^%s*#") then out[#out + 1] = line end
  end
  return out
end

local function split(s, sep)
  local out = {}
  for part in (s .. sep):gmatch("(.-)" .. sep) do out[#out + 1] = part end
  return out
end

local function words_of(phrase)
  local out = {}
  for w in phrase:gmatch("%S+") do out[#out + 1] = w end
  return out
end

-- A phrase table: single words in `one`, longer phrases by first word in
-- `many` (longest first).
local function phrase_table()
  return { one = {}, many = {} }
end

local function add_phrase(t, phrase, value)
  local ws = words_of(phrase:lower())
  if #ws == 1 then
    t.one[ws[1]] = value
    return
  end
  local list = t.many[ws[1]]
  if not list then
    list = {}
    t.many[ws[1]] = list
  end
  list[#list + 1] = { words = ws, value = value }
  table.sort(list, function(a, b) return #a.words > #b.words end)
end

-- The value of the phrase starting at word i of `w` (an array of words),
-- and the index of its last word.
function M.match(t, w, i)
  local first = w[i]
  local list = t.many[first]
  if list then
    for _, p in ipairs(list) do
      local ok, ws = true, p.words
      for k = 2, #ws do
        if w[i + k - 1] ~= ws[k] then ok = false break end
      end
      if ok then return p.value, i + #ws - 1 end
    end
  end
  local v = t.one[first]
  if v ~= nil then return v, i end
  return nil
end

-- "[class]" sections of words or phrases.
local function sections(text)
  local out, cur = {}, nil
  for _, line in ipairs(lines(text)) do
    local name = line:match("^%[(.-)%]$")
    if name then
      cur = out[name] or { set = {}, phrases = phrase_table(), list = {} }
      out[name] = cur
    elseif cur then
      local entry = line:match("^%s*(.-)%s*$")
      cur.set[entry] = true
      cur.list[#cur.list + 1] = entry
      add_phrase(cur.phrases, entry, entry)
    end
  end
  return out
end

local function load_cues(text)
  local cues, phrases = phrase_table(), {}
  for _, line in ipairs(lines(text)) do
    local f = split(line, "\t")
    phrases[#phrases + 1] = f[1]
    local def = { word = f[1], category = f[2] }
    for _, r in ipairs(split(f[3] or "", ",")) do
      if r == "!" then def.strict = true
      elseif r == "c" then def.complement = true
      elseif r ~= "" then def[r] = true end
    end
    add_phrase(cues, f[1], def)
  end
  return cues, phrases
end

local function load_victims(text)
  local t = phrase_table()
  for _, line in ipairs(lines(text)) do
    local f = split(line, "\t")
    add_phrase(t, f[1], f[2] or f[1])
  end
  return t
end

-- Gazetteer names are matched on capitalised words; the value says what
-- the name is and which country it belongs to.
local function load_gazetteer(text)
  local t = phrase_table()
  for _, line in ipairs(lines(text)) do
    local f = split(line, "\t")
    local kind, country = f[2], f[3] ~= "" and f[3] or nil
    local entry = { name = f[1], kind = kind, country = country }
    if kind == "demonym" or kind == "alias" then entry.name = country end
    add_phrase(t, f[1], entry)
  end
  return t
end

function M.load()
  local lex = {}
  local cue_phrases
  lex.cues, cue_phrases = load_cues(lede.data("data/cues.txt"))
  lex.victims = load_victims(lede.data("data/victims.txt"))
  local w = sections(lede.data("data/words.txt"))
  for k, v in pairs(w) do lex[k] = v end
  local p = sections(lede.data("data/places.txt"))
  lex.place = p
  lex.gazetteer = load_gazetteer(lede.data("data/gazetteer.txt"))
  -- Sentences are read only when a cue or a trigger word occurs in them
  -- (matched in C).  The big lists are given as files: lexicons are built
  -- from their first field.
  for _, t in ipairs(w.trigger.list) do cue_phrases[#cue_phrases + 1] = t end
  lex.trigger = lede.lexicon(cue_phrases)
  lex.places_lex = lede.lexicon("data/gazetteer.txt")
  local preps = {}
  for _, prep in ipairs(p.preposition.list) do preps[#preps + 1] = prep end
  for _, head in ipairs(p.head.list) do preps[#preps + 1] = head .. " of" end
  lex.prepositions = lede.lexicon(preps)
  lex.directions = lede.lexicon(p.direction.list)
  lex.conflict_lex = lede.lexicon(w.conflict.list)
  lex.disaster_lex = lede.lexicon(w.disaster.list)
  return lex
end

return M
