-- The corpus pass of the quotes plugin: speakers' names across the corpus
-- merged into canonical speakers.  People's names merge when they are
-- spelling variants of each other (accents, transliterations: Sergei and
-- Sergey, Mohammed and Muhammad, Valkov and Valkow), and a bare surname
-- merges into the only full name that ends with it; organisations merge
-- when their names fold to the same words.
local M = {}

-- One word of a name, folded so that transliteration variants meet:
-- final -y/-iy/-ij read as -i, w as v, ph as f, kh as h, doubled letters once.
function M.fold_word(w)
  w = w:gsub("^%l%l?%-", "") -- "al-Assad" and "Assad"
  w = w:gsub("i[jy]$", "i"):gsub("y$", "i")
  w = w:gsub("w", "v"):gsub("ph", "f"):gsub("kh", "h"):gsub("ck", "k"):gsub("ou", "u"):gsub("oo", "u")
  w = w:gsub("(%a)%1", "%1")
  return w
end

-- The words of a name: case and accents removed, punctuation dropped.
function M.words(name)
  local out = {}
  local folded = lede.fold(lede.unaccent(name))
  for w in folded:gmatch("[%w%-]+") do
    out[#out + 1] = M.fold_word(w)
  end
  return out
end

-- A word's consonant skeleton (first letter kept): variants share it.
-- Names recur across a corpus, so skeletons are remembered (a bounded memo).
local skeletons, n_skeletons = {}, 0
local function skeleton(w)
  local s = skeletons[w]
  if not s then
    s = w:sub(1, 1) .. w:sub(2):gsub("[aeiouy]", "")
    if n_skeletons >= 100000 then
      skeletons, n_skeletons = {}, 0
    end
    skeletons[w], n_skeletons = s, n_skeletons + 1
  end
  return s
end

-- Levenshtein distance of two short words, for a final check.
local function distance(a, b)
  local prev = {}
  for j = 0, #b do
    prev[j] = j
  end
  for i = 1, #a do
    local cur = { [0] = i }
    for j = 1, #b do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev = cur
  end
  return prev[#b]
end

-- Are two folded names variants of one name: same number of words, each
-- pair with the same skeleton and at most two letters apart?
function M.variants(a, b)
  if #a ~= #b then
    return false
  end
  for i = 1, #a do
    local x, y = a[i], b[i]
    if x ~= y and (skeleton(x) ~= skeleton(y) or distance(x, y) > (math.min(#x, #y) <= 4 and 1 or 2)) then
      return false
    end
  end
  return true
end

local function key_of(words)
  local parts = {}
  for i, w in ipairs(words) do
    parts[i] = skeleton(w)
  end
  return table.concat(parts, " ")
end

-- Groups rows ({name, type, quotes, articles, roles, article, start, stop})
-- into canonical speakers.
function M.merge(rows)
  local groups, by_key = {}, {}
  local function add(key, row, words)
    local bucket = by_key[key]
    if not bucket then
      bucket = {}
      by_key[key] = bucket
    end
    for _, g in ipairs(bucket) do
      if row.type ~= "person" or M.variants(g.words, words) then
        g.rows[#g.rows + 1] = row
        return g
      end
    end
    local g = { type = row.type, words = words, rows = { row } }
    bucket[#bucket + 1] = g
    groups[#groups + 1] = g
    return g
  end
  -- the same names come back on many rows: fold each once
  local folded = {}
  local function words_of(name)
    local w = folded[name]
    if not w then
      w = M.words(name)
      folded[name] = w
    end
    return w
  end
  local surnames = {}
  for _, row in ipairs(rows) do
    local words = words_of(row.name)
    if row.type == "person" and #words > 1 then
      add("person " .. key_of(words), row, words)
    end
  end
  -- full names by surname skeleton: a bare surname joins the only one it matches
  for _, g in ipairs(groups) do
    local s = skeleton(g.words[#g.words])
    surnames[s] = surnames[s] and surnames[s] ~= g and "ambiguous" or g
  end
  for _, row in ipairs(rows) do
    local words = words_of(row.name)
    if row.type == "person" and #words == 1 and type(surnames[skeleton(words[1])]) == "table" then
      local g = surnames[skeleton(words[1])]
      g.rows[#g.rows + 1] = row
    elseif not (row.type == "person" and #words > 1) then
      if words[1] == "the" then
        words = { table.unpack(words, 2) } -- a copy: the cached list stays whole
      end
      add((row.type or "none") .. " " .. table.concat(words, " "), row, words)
    end
  end
  return groups
end

-- The canonical record of a group: the most quoted spelling names it.
function M.record(g)
  table.sort(g.rows, function(x, y)
    if x.quotes ~= y.quotes then
      return x.quotes > y.quotes
    end
    return #x.name > #y.name or #x.name == #y.name and x.name < y.name
  end)
  local names, roles, seen_role = {}, {}, {}
  local quotes, articles = 0, 0
  for _, r in ipairs(g.rows) do
    names[#names + 1] = r.name
    quotes = quotes + r.quotes
    articles = articles + r.articles
    for _, role in ipairs(r.roles) do
      if not seen_role[role] then
        seen_role[role] = true
        roles[#roles + 1] = role
      end
    end
  end
  table.sort(names)
  return {
    canonical = g.rows[1].name,
    variants = names,
    speaker_type = g.type,
    roles = roles,
    quotes = quotes,
    articles = articles,
  }
end

-- The corpus pass: one row of layer `speaker` per canonical speaker, most
-- quoted first.
function M.corpus(corpus, quoter)
  local records = {}
  for _, g in ipairs(M.merge(quoter:speakers(corpus, "quote"))) do
    records[#records + 1] = M.record(g)
  end
  table.sort(records, function(x, y)
    if x.quotes ~= y.quotes then
      return x.quotes > y.quotes
    end
    return x.canonical < y.canonical
  end)
  for _, rec in ipairs(records) do
    corpus:row("speaker", rec)
  end
end

return M
