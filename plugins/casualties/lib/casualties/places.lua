-- Places around a figure.  In the figure's own sentence: names of the
-- gazetteer (countries, demonyms, cities, regions) and capitalised names the
-- sentence or the article introduces as places ("in Karsk", "near the town
-- of Halvik", "north-western Lirania").  For the article: its dateline,
-- and — worked out only when a figure needs it — the country it is mostly
-- about and the places mentioned before a sentence.
local lexicon = require("casualties.lexicon")

local M = {}

local find, sub, byte, concat = string.find, string.sub, string.byte, table.concat
local match = lexicon.match

local function title_case(s)
  s = lede.lower(s)
  return (s:gsub("(%f[%w\128-\255])([%a])", function(_, c) return c:upper() end))
end

local function is_cap(c)
  return c and ((c >= 65 and c <= 90) or c == 0xC3)
end

local function letter(c)
  return c and ((c >= 65 and c <= 90) or (c >= 97 and c <= 122) or (c >= 0xC3 and c <= 0xDF))
end

-- Every whole-word occurrence of s in text, as [start, stop] pairs; not
-- those naming an organisation ("Wexmoor Police").
local function occurrences(text, s, org)
  local out, p = {}, 1
  while true do
    local a, b = find(text, s, p, true)
    if not a then return out end
    if not letter(byte(text, a - 1)) and not letter(byte(text, b + 1)) then
      local _, _, nxt = find(text, "^[ \194\160]+(%u%a*)", b + 1)
      if not (org and nxt and org[nxt]) then out[#out + 1] = { a, b } end
    end
    p = b + 1
  end
end

-- Whether s occurs in text as a whole word (stops at the first one).
local function occurs(text, s)
  local p = 1
  while true do
    local a, b = find(text, s, p, true)
    if not a then return false end
    if not letter(byte(text, a - 1)) and not letter(byte(text, b + 1)) then return true end
    p = b + 1
  end
end

-- The dateline: the metadata plugin's, else an upper-case place opening one
-- of the first paragraphs ("PUERTO ANCLA, Valdemora (GNS) —").
local function dateline(doc, meta)
  local text = doc.text
  local dl = meta and type(meta.dateline) == "string" and meta.dateline ~= "" and meta.dateline or nil
  local a, b
  if dl then
    a, b = find(text, dl, 1, true)
  else
    local blocks = doc:blocks()
    for i = 1, math.min(#blocks, 12) do
      local bt = blocks[i].text
      local head = bt:match("^(%u[%u \194\160%.'%-]*%u)[ ,]")
      local tail = head and bt:sub(#head + 1, #head + 80)
      if head and #head >= 3 and (tail:find("\226\128[\147\148]") or tail:find(" %- ")) then
        local rest = tail:match("^,%s*(%u[%a\128-\255 ]-)%s*[%(\226%-]")
        dl = rest and (head .. ", " .. rest) or head
        a = blocks[i].start
        b = a + #dl - 1
        break
      end
    end
  end
  if not dl or not a then return nil end
  local city, region = dl:match("^([^,]+),%s*(.+)$")
  city = (city or dl):gsub("%s*%(.*$", "")
  region = region and region:gsub("%s*%(.*$", "")
  return { start = a, stop = b, city = title_case(city), region = region }
end

-- ---- an article ----

local Article = {}
Article.__index = Article

-- `meta` is a function returning the article's meta record (or nil).
function M.article(doc, lex, meta, sentences)
  return setmetatable({ doc = doc, text = doc.text, lex = lex, sentences = sentences, runs = {}, meta = meta,
    occurs_memo = {} }, Article)
end

-- The dateline, read when first asked for (it needs the meta layer); false
-- when the article has none.
function Article:dateline()
  local dl = self.dl
  if dl == nil then
    dl = dateline(self.doc, self.meta()) or false
    self.dl = dl
  end
  return dl
end

-- Whether `s` occurs in the text as a whole word (remembered per article:
-- the same adjectives are asked about again and again).
function Article:occurs(s)
  local memo = self.occurs_memo
  local hit = memo[s]
  if hit == nil then
    hit = occurs(self.text, s)
    memo[s] = hit
  end
  return hit
end

-- The matches of the conflict words in the article (matched once: the
-- topic and the main country both need them).
function Article:conflicts()
  local c = self.conflict_matches
  if not c then
    c = self.lex.conflict_lex:match(self.doc)
    self.conflict_matches = c
  end
  return c
end

-- The capitalised names the article introduces as places: after a
-- locative preposition ("in Karsk", "near the town of Halvik", "in
-- south-eastern Valdemora"; "on" only before "Lake", "Mount", ...) or a
-- direction ("north-western Lirania"), not those naming a facility ("at
-- the Greyfell colliery").  Each name with its shorter prefixes, and the
-- positions where it was introduced.  Built once per article, on demand.
function Article:introduced()
  if self.intro then return self.intro end
  local text, lex = self.text, self.lex
  local pw = lex.place
  local name_stop, not_place, facility = pw.name_stop.set, pw.not_place.set, pw.facility.set
  local geo_name, org, modifier = pw.geo_name.set, pw.org.set, pw.modifier.set
  local names, at = {}, {}
  -- the capitalised run at p (after spaces), introduced by the preposition
  -- match m (false: by a direction).  The word pattern stops at an apostrophe,
  -- so a possessive ("Karsk's") ends the run by itself.
  local function take(p, m)
    local words, a, b = {}, nil, nil
    for _ = 1, 3 do
      local s1, e1, nw = find(text, "^[ \194\160]*([%u\195][%a\128-\191\195-\223%-]*)", p)
      if not s1 or (#words > 0 and name_stop[nw]) then break end
      words[#words + 1] = nw
      a = a or (e1 - #nw + 1)
      b = e1
      p = e1 + 1
    end
    if #words == 0 or not_place[words[1]] then return end
    local _, _, nxt = find(text, "^[ \194\160]+(%l[%a%-]*)", b + 1)
    if nxt and facility[nxt] then return end
    -- "on" (read only here: most matches never get this far)
    if m and m.stop - m.start == 1 and sub(text, m.start, m.stop):lower() == "on" then
      local geo = false
      for _, w in ipairs(words) do geo = geo or geo_name[w] == true end
      if not geo then return end
    end
    for k = #words, 1, -1 do
      if not org[words[k]] then
        at[#at + 1] = { start = a, name = concat(words, " ", 1, k) }
        for j = 1, k do names[concat(words, " ", 1, j)] = true end -- "Golan" of "Golan Heights"
        return
      end
    end
  end
  -- after a preposition, lower-case modifiers skipped ("in the", "in
  -- south-eastern"); most prepositions are followed by a lower-case noun,
  -- told at a glance
  local function after(m, is_prep)
    local p = m.stop + 1
    for _ = 1, 4 do
      local c, q = byte(text, p), nil
      if c == 32 then
        q = p + 1
      elseif c == 0xC2 and byte(text, p + 1) == 0xA0 then
        q = p + 2
      else
        return
      end
      c = byte(text, q)
      if not c then return end
      if (c >= 65 and c <= 90) or c == 0xC3 then return take(p, is_prep and m) end
      if c < 97 or c > 122 then return end
      local _, e1, w = find(text, "^(%l[%a%-]*)", q)
      if not modifier[w] then return end
      p = e1 + 1
    end
  end
  -- in the content only: menus and related headlines introduce nothing
  local sentences = self.sentences
  local function each_in_content(matches, is_prep)
    local si = 1
    local s = sentences[1]
    for _, m in ipairs(matches) do
      local ms = m.start
      while s and s.stop < ms do
        si = si + 1
        s = sentences[si]
      end
      if s and s.start <= ms then after(m, is_prep) end
    end
  end
  each_in_content(lex.prepositions:match(self.doc), true)
  each_in_content(lex.directions:match(self.doc), false)
  table.sort(at, function(x, y) return x.start < y.start end)
  local dl = self:dateline()
  if dl then
    names[dl.city] = true
    if dl.region then names[dl.region] = true end
  end
  self.intro = { names = names, at = at }
  return self.intro
end

-- Is `name` (a capitalised name of the article) a place?
function Article:is_place(name)
  return self:introduced().names[name] == true
end

-- The last token of the capitalised name at token i (a capitalised word):
-- up to three capitalised words, stopping at a possessive.
local function name_end(t, text, name_stop, i)
  local tk, ts, te = t.k, t.s, t.e
  local last = i
  for j = i, math.min(t.n, i + 2) do
    if j > i then
      if tk[j] ~= "w" or not is_cap(byte(text, ts[j])) or name_stop[sub(text, ts[j], te[j])] then break end
      last = j
    end
    local nb = byte(text, te[j] + 1)
    if nb == 39 or nb == 0xE2 then break end -- a possessive ends the name
  end
  return last
end

-- Whether a word of tokens i..j is one that makes a name after "on" a place.
local function has_geo_name(text, ts, te, i, j, geo_name)
  for k = i, j do
    if geo_name[sub(text, ts[k], te[k])] then return true end
  end
  return false
end

-- The place mentions of a sentence (tokens t): { ti, last, name, kind,
-- country, prep } in token order.  kind: country, demonym, alias, city,
-- region (gazetteer), learned.
function Article:sentence(t)
  local text, lex = self.text, self.lex
  local pw, gazetteer = lex.place, lex.gazetteer
  local direction, not_place, geo_set = pw.direction.set, pw.not_place.set, pw.geo.set
  local modifier, preposition, geo_name, head = pw.modifier.set, pw.preposition.set, pw.geo_name.set, pw.head.set
  local tk, tw, ts, te, n = t.k, t.w, t.s, t.e, t.n
  local out = {}
  -- tokens inside the dateline are skipped (none when there is no dateline)
  local dl = self:dateline()
  local dl_start, dl_stop = math.huge, 0
  if dl then dl_start, dl_stop = dl.start, dl.stop end
  local i = 1
  local end_of_tokens = te[n]
  while i <= n do
    -- the tokens before the next capital letter (found in C) start with none
    local p = find(text, "[A-Z\195]", ts[i])
    if not p or p > end_of_tokens then break end
    while te[i] < p do i = i + 1 end
    local c = tk[i] == "w" and byte(text, ts[i])
    if c and ((c >= 65 and c <= 90) or c == 0xC3) and not (ts[i] >= dl_start and te[i] <= dl_stop) then
      local e, last = match(gazetteer, tw, i)
      local m
      if not e and direction[tw[i]] and tk[i + 1] == "w" and is_cap(byte(text, ts[i + 1])) then
        -- title case: "In Northern Marovia"
        i = i + 1
        e, last = match(gazetteer, tw, i)
      end
      if e then
        m = { ti = i, last = last, name = e.name, kind = e.kind, country = e.country }
      else
        last = i
        local nlast = name_end(t, text, pw.name_stop.set, i)
        local first = sub(text, ts[i], te[i])
        if not not_place[first] and not (#first <= 5 and first:find("^%u%u+$")) then
          local nxt = tk[nlast + 1] == "w" and not is_cap(byte(text, ts[nlast + 1])) and tw[nlast + 1]
          if nlast == i and nxt and first:find("[^aeiou]i?an$") and not geo_set[first] then
            -- "the Marovian capital": an adjective of a place
            local place = first:sub(1, -2)
            if geo_set[nxt] or self:occurs(place) then
              m = { ti = i, last = i, name = place, kind = "demonym", country = place }
            end
          else
            m = { ti = i, last = nlast, kind = "candidate" }
            last = nlast
          end
        end
      end
      if m then
        local j = i - 1
        local dir = tk[j] == "w" and direction[tw[j]]
        while j > 1 and tk[j] == "w" and modifier[tw[j]] do j = j - 1 end
        local w = tk[j] == "w" and tw[j]
        m.prep = w and preposition[w] and w ~= "from" or false
        if m.kind == "candidate" then
          -- introduced as a place right here: "in Karsk", "north-western Lirania"
          if dir or (m.prep and (w ~= "on" or has_geo_name(text, ts, te, m.ti, m.last, geo_name)))
            or (w == "of" and tk[j - 1] == "w" and head[tw[j - 1]]) then
            self:resolve(m, t, true)
          end
        end
        out[#out + 1] = m
        i = last + 1
      else
        i = i + 1
      end
    else
      i = i + 1
    end
  end
  return out
end

-- Settles a candidate mention (a capitalised run not in the gazetteer):
-- the longest run of its words the article introduces as a place
-- ("Lirania" of "Lirania Quake Toll"), not one followed by an
-- organisation's word ("Wexmoor Police").  `here`: the sentence itself
-- introduces it.
function Article:resolve(m, t, here)
  if m.kind ~= "candidate" then return m end
  local text, pw = self.text, self.lex.place
  local i, nlast = m.ti, m.last
  local words = {}
  for j = i, nlast + 1 do words[#words + 1] = t.k[j] == "w" and sub(text, t.s[j], t.e[j]) or "" end
  local key = table.concat(words, "\0")
  local hit = self.runs[key]
  if hit == nil then
    hit = false
    for k = nlast - i + 1, 1, -1 do
      local cand = table.concat(words, " ", 1, k)
      local follower = words[k + 1]
      if not pw.org.set[words[k]] and not pw.org.set[follower] then
        if here and not pw.facility.set[follower] then
          hit = { n = k, name = cand }
          break
        end
        if self:is_place(cand) then
          hit = { n = k, name = cand }
          break
        end
      end
    end
    if not here then self.runs[key] = hit end
  end
  if hit then
    m.kind, m.name, m.last = "learned", hit.name, i + hit.n - 1
  else
    m.kind = "none"
  end
  return m
end

function M.name_of(m)
  return (m.kind == "demonym" or m.kind == "alias") and m.country or m.name
end

function M.is_country(a, m)
  return m.kind == "country" or m.kind == "demonym" or m.kind == "alias" or a:countrylike(m.name)
end

-- ---- article-wide, on demand ----

-- Names the article's adjectives point to: "Marovian police" and "Marovia".
function Article:countrylike(name)
  if not self.adjectives then
    local set = {}
    local dl = self:dateline()
    if dl and dl.region then set[dl.region] = true end
    for _, adj in ipairs(lede.scan.suffixed(self.text, "an")) do
      local place = adj:sub(1, -2)
      if not set[place] and self:occurs(place) then set[place] = true end
    end
    self.adjectives = set
  end
  return self.adjectives[name] == true
end

-- Country mentions of the content: the gazetteer's names, and the
-- countries the article's adjectives point to ("Marovian" for Marovia).
function Article:mentions()
  if self.base then return self.base end
  local text, lex = self.text, self.lex
  local raw = {}
  -- the gazetteer entry of a matched text, remembered for the whole run
  -- (names recur from article to article)
  local memo = lex.gazetteer_memo
  if not memo then
    memo = {}
    lex.gazetteer_memo = memo
  end
  for _, m in ipairs(lex.places_lex:match(self.doc)) do
    if is_cap(byte(text, m.start)) then
      local name = sub(text, m.start, m.stop)
      local e = memo[name]
      if e == nil then
        local words = {}
        for w in lede.lower(name):gmatch("%S+") do words[#words + 1] = w end
        e = match(lex.gazetteer, words, 1) or false
        memo[name] = e
      end
      if e then raw[#raw + 1] = { start = m.start, stop = m.stop, name = e.name, kind = e.kind, country = e.country } end
    end
  end
  self:countrylike("")
  local org = lex.place.org.set
  for place in pairs(self.adjectives) do
    for _, o in ipairs(occurrences(text, place, org)) do
      raw[#raw + 1] = { start = o[1], stop = o[2], name = place, kind = "learned" }
    end
    for _, o in ipairs(occurrences(text, place .. "n")) do
      raw[#raw + 1] = { start = o[1], stop = o[2], name = place, kind = "demonym", country = place }
    end
  end
  table.sort(raw, function(x, y) return x.start < y.start end)
  -- content only, the dateline excluded
  local kept, si, dl = {}, 1, self:dateline()
  local sentences = self.sentences
  local s = sentences[1]
  for _, m in ipairs(raw) do
    while s and s.stop < m.start do
      si = si + 1
      s = sentences[si]
    end
    if s and s.start <= m.start and m.stop <= s.stop and not (dl and m.start >= dl.start and m.stop <= dl.stop) then
      kept[#kept + 1] = m
    end
  end
  self.base = kept
  return kept
end

-- The last place the article introduced before byte `pos`.
function Article:before(pos)
  local last
  for _, m in ipairs(self:introduced().at) do
    if m.start >= pos then break end
    last = m
  end
  return last and { name = last.name, kind = "learned" } or nil
end

-- The country the article is mostly about: mentions of countries (and
-- their adjectives), counted in sentences about a conflict, where cities
-- count for their country too; other sentences only break ties.
function Article:main()
  if self.main_place ~= nil then return self.main_place or nil end
  local war, wi, si = {}, 1, 1
  for _, c in ipairs(self:conflicts()) do war[#war + 1] = c.start end
  local score, countries, sentences = {}, {}, self.sentences
  local dl = self:dateline()
  if dl and dl.region then score[dl.region] = 1 end
  for _, m in ipairs(self:mentions()) do
    while sentences[si] and sentences[si].stop < m.start do si = si + 1 end
    local s = sentences[si]
    if not s or s.start > m.start then goto next end
    while war[wi] and war[wi] < s.start do wi = wi + 1 end
    local in_war = s and war[wi] and war[wi] <= s.stop
    local n = M.name_of(m)
    score[n] = (score[n] or 0) + (in_war and 1 or 0.01)
    if m.kind == "country" or m.kind == "demonym" or m.kind == "alias" then countries[n] = true end
    if in_war and (m.kind == "city" or m.kind == "region") and m.country then
      score[m.country] = (score[m.country] or 0) + 1
    end
    ::next::
  end
  local best, best_n = nil, 0
  for name, n in pairs(score) do
    if (n > best_n or (n == best_n and best and name < best)) and (countries[name] or self:countrylike(name)) then
      best, best_n = name, n
    end
  end
  if not best then
    for name, n in pairs(score) do
      if n > best_n or (n == best_n and best and name < best) then best, best_n = name, n end
    end
  end
  self.main_place = best or false
  return best
end

return M
