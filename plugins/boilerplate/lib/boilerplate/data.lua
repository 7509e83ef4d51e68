-- Reads the plugin's data files (data/*.txt) into lookup tables and word
-- sets, once per Lua state (setup).  Every phrase is put in key form
-- (lede.line_key: case folded, accents removed, digit runs "0",
-- punctuation gone), the form lede.lines gives each line, so that lookups
-- compare like with like.
local M = {}

local gmatch, match, find = string.gmatch, string.match, string.find

local function each_entry(name, fn)
  local src = lede.data(name)
  local n = 0
  for line in gmatch(src, "[^\n]+") do
    n = n + 1
    if not find(line, "^%s*#") and find(line, "%S") then
      fn(line, n)
    end
  end
end

local MODES = { line = true, prefix = true, label = true, contains = true }
local CATEGORIES = {
  ui = true, share = true, ad = true, promo = true, cookie = true, copyright = true, summary = true,
  comments = true, related = true, caption = true,
}

-- ui_<lang>.txt: "MODE CATEGORY PHRASE" lines, into the tables `by_mode`.
local function load_ui(by_mode, name)
  each_entry(name, function(line, n)
    local mode, category, phrase = match(line, "^%s*(%S+)%s+(%S+)%s+(.-)%s*$")
    if not mode or not MODES[mode] or not CATEGORIES[category] then
      error(string.format("%s:%d: want 'MODE CATEGORY PHRASE' (modes line, prefix, label, contains)", name, n), 0)
    end
    local key = lede.line_key(phrase)
    if key == "" then
      error(string.format("%s:%d: empty phrase", name, n), 0)
    end
    local t = by_mode[mode]
    if t[key] == nil then
      t[key] = category
    end
  end)
end

-- "CLASS word word ..." lines into set[word] = CLASS (first class wins).
local function load_classes(set, name)
  each_entry(name, function(line)
    local class, words = match(line, "^%s*(%S+)%s+(.*)$")
    for w in gmatch(lede.line_key(words or ""), "%S+") do
      if set[w] == nil then
        set[w] = class
      end
    end
  end)
end

-- The words of `classes` whose class is `class`, sorted.
local function class_words(classes, class)
  local list = {}
  for w, c in pairs(classes) do
    if c == class then
      list[#list + 1] = w
    end
  end
  table.sort(list)
  return list
end

-- Loads the data for the languages in `langs` (a list like {"en", "fr"}).
function M.load(langs)
  local stopwords = {}
  local by_mode = { line = {}, prefix = {}, label = {}, contains = {} }
  for _, lang in ipairs(langs) do
    stopwords[#stopwords + 1] = lede.data("data/stopwords_" .. lang .. ".txt")
    load_ui(by_mode, "data/ui_" .. lang .. ".txt")
  end
  local D = {
    dates = {},           -- word -> month | weekday | day | unit | rel | zone | label | filler
    credit = {},          -- word -> byline | photo | notphoto | with | joiner
    agencies = {},        -- agency names
  }
  D.stopwords = lede.wordset(table.concat(stopwords, "\n")) -- function words of every language loaded
  load_classes(D.dates, "data/dates.txt")
  load_classes(D.credit, "data/credits.txt")
  each_entry("data/agencies.txt", function(line)
    D.agencies[#D.agencies + 1] = line
  end)
  D.photo_words = class_words(D.credit, "photo")
  D.notphoto = lede.wordset(class_words(D.credit, "notphoto"))
  -- what lede.lines looks for in every line, in C: entries -> category
  D.find = {
    contains = lede.wordset(by_mode.contains),
    photo = lede.wordset(D.photo_words),       -- list entries: the value is true
    with = lede.wordset(class_words(D.credit, "with")),
  }
  D.prefix = {
    prefix = lede.wordset(by_mode.prefix),
    label = lede.wordset(by_mode.label),
    byline = lede.wordset(class_words(D.credit, "byline")),
  }
  D.exact = {
    exact = lede.wordset(by_mode.line),
    agency = lede.wordset(D.agencies),
  }
  return D
end

-- "en,fr, de" -> {"en", "fr", "de"}.
function M.languages(option)
  local langs = {}
  for lang in gmatch(option or "", "[^,%s]+") do
    if not find(lang, "^%a%a%a?$") then
      error("option languages: '" .. lang .. "' is not a language code (en, fr, de, es, pt)", 0)
    end
    langs[#langs + 1] = lang
  end
  if #langs == 0 then
    error("option languages: give at least one language (en, fr, de, es, pt)", 0)
  end
  return langs
end

return M
