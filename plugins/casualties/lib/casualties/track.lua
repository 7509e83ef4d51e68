-- The corpus pass: figures of every article grouped into series (same
-- place, same category, same scope), ordered by date, with what moved
-- between points: the toll's change, outlets disagreeing about one day
-- beyond a tolerance, running totals that go down, and the same figure
-- printed by several outlets (word for word: shared wire copy).  Each point
-- becomes a `toll` span on the figure it comes from, each series a row of
-- `toll_series`.
local M = {}

local function class_of(category)
  return category == "killed" and "dead" or category
end

-- The outlet of every article: its source, else the metadata plugin's
-- outlet, else the folder of its key.
local function article_outlets(corpus)
  local out = {}
  local missing = false
  for a in corpus:articles() do
    out[a.key] = { outlet = a.source }
    missing = missing or a.source == nil
  end
  -- the meta layer is read (and decoded) only when some article has no source
  if missing then
    for s in corpus:spans("meta") do
      local o = out[s.article]
      if o and not o.outlet and type(s.outlet) == "string" and s.outlet ~= "" then o.outlet = s.outlet end
    end
  end
  for key, o in pairs(out) do
    if not o.outlet then o.outlet = key:match("^(.+)/[^/]*$") or key end
  end
  return out
end

-- Outlet names compared loosely: "The Daily Harbor" is "Daily Harbor".
local function outlet_key(o)
  return (lede.fold(o):gsub("^the%s+", ""))
end

-- f(s), computed once per distinct s (places and outlets recur from figure
-- to figure).
local function memoized(f)
  local memo = {}
  return function(s)
    local v = memo[s]
    if v == nil then
      v = f(s)
      memo[s] = v
    end
    return v
  end
end

local function value_of(p)
  if p.count then return p.count end
  return (p.low + p.high) / 2
end

local function fmt(n)
  local s = tostring(math.floor(n + 0.5))
  local out = s:reverse():gsub("(%d%d%d)", "%1,"):reverse()
  return (out:gsub("^,", ""))
end

-- Days since 1970 of an ISO date (the civil calendar, no time zones).
local function days(iso)
  local y, m, d = iso:match("^(%d+)%-(%d+)%-(%d+)")
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if not y then return 0 end
  if m <= 2 then y = y - 1 end
  local era = y // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

-- The best figure of each article for each series: no sub-counts, no vague
-- words, no undated (past) events; the most confident, then the earliest
-- (a headline repeats the body's figure with the day of publication).
local function collect(corpus, outlets)
  local series, order = {}, {}
  local best = {}
  local fold = memoized(lede.fold)
  for s in corpus:spans("figure") do
    if s.as_of and s.where and not s.subset and (s.count or s.low) and not s.vague then
      local class = class_of(s.category)
      local key = fold(s.where) .. "\0" .. class .. "\0" .. (s.scope or "")
      local id = key .. "\0" .. s.article
      local b = best[id]
      local c, bc = s.confidence or 0, b and b.confidence or 0
      if not b or c > bc or (c == bc and s.as_of < b.as_of) then
        local p = { article = s.article, outlet = outlets[s.article] and outlets[s.article].outlet or s.article,
          as_of = s.as_of, count = s.count, low = s.low, high = s.high, qualifier = s.qualifier,
          start = s.start, stop = s.stop, text = s.text, confidence = s.confidence, key = key }
        if not series[key] then
          series[key] = { place = s.where, class = class, scope = s.scope, points = {} }
          order[#order + 1] = key
        end
        best[id] = p
      end
    end
  end
  for _, p in pairs(best) do
    local pts = series[p.key].points
    pts[#pts + 1] = p
  end
  for _, key in ipairs(order) do
    table.sort(series[key].points, function(a, b)
      if a.as_of ~= b.as_of then return a.as_of < b.as_of end
      return a.article < b.article
    end)
  end
  return series, order
end

-- The words of the line around a span (a paragraph: news pages put one
-- per line), for telling wire copy.  Texts are read once per article.
local function sentence_words(corpus, cache, article, start)
  local key = article .. "@" .. start
  if cache[key] ~= nil then return cache[key] end
  local text = cache[article]
  if not text then
    text = corpus:doc(article).text
    cache[article] = text
  end
  local a = start
  while a > 1 and text:byte(a - 1) ~= 10 do a = a - 1 end
  local b = text:find("\n", start, true) or #text + 1
  local words = lede.fold(text:sub(a, b - 1)):gsub("[^%w\128-\255]+", " ")
  cache[key] = words
  return words
end

-- Movement along the series, then what other outlets said: for the same
-- day (conflicts beyond the tolerance) and the same figure within three
-- days (repeats; word for word, wire copy).  Points are grouped by day and
-- by value, so a long series costs little.
local function analyse(corpus, sr, tolerance, wire_cache, outlet_key)
  local pts = sr.points
  local by_day, by_value = {}, {}
  for i, p in ipairs(pts) do
    p.notes = {}
    p.day = days(p.as_of)
    p.outlet_key = outlet_key(p.outlet)
    local prev = pts[i - 1]
    if prev then
      p.previous = value_of(prev)
      p.change = value_of(p) - p.previous
      p.movement = p.change > 0 and "up" or p.change < 0 and "down" or "same"
      if sr.scope == "cumulative" and p.change < 0 then
        p.notes[#p.notes + 1] = string.format("running total went down from %s (%s, %s)", fmt(p.previous),
          prev.outlet, prev.as_of)
      end
    else
      p.movement = "first"
    end
    local d = by_day[p.as_of] or {}
    d[#d + 1] = p
    by_day[p.as_of] = d
    local key = tostring(value_of(p)) .. "/" .. tostring(p.qualifier)
    local v = by_value[key] or {}
    v[#v + 1] = p
    by_value[key] = v
  end
  for _, p in ipairs(pts) do
    local a = value_of(p)
    for _, o in ipairs(by_day[p.as_of]) do
      local b = value_of(o)
      if o.outlet_key ~= p.outlet_key and math.abs(a - b) > tolerance * math.max(a, b) then
        p.notes[#p.notes + 1] = string.format("conflicts with %s (%s) for the same day", fmt(b), o.outlet)
      end
    end
    for _, o in ipairs(by_value[tostring(a) .. "/" .. tostring(p.qualifier)]) do
      if o.outlet_key ~= p.outlet_key and math.abs(o.day - p.day) <= 3 then
        local wa = sentence_words(corpus, wire_cache, p.article, p.start)
        local wb = sentence_words(corpus, wire_cache, o.article, o.start)
        if wa == wb then
          p.notes[#p.notes + 1] = string.format("wire copy: the same sentence in %s (%s)", o.outlet, o.as_of)
        else
          p.notes[#p.notes + 1] = string.format("same figure in %s (%s)", o.outlet, o.as_of)
        end
      end
    end
  end
end

-- Each note once.
local function unique(list)
  local seen, out = {}, {}
  for _, n in ipairs(list) do
    if not seen[n] then
      seen[n] = true
      out[#out + 1] = n
    end
  end
  return out
end

-- The row summing a series up.
local function series_row(name, sr)
  local pts = sr.points
  local first, last = pts[1], pts[#pts]
  local decreases, conflicts, repeats, outlets, seen = 0, 0, 0, {}, {}
  for _, p in ipairs(pts) do
    if p.movement == "down" and sr.scope == "cumulative" then decreases = decreases + 1 end
    for _, n in ipairs(p.notes) do
      if n:find("^conflicts") then conflicts = conflicts + 1 end
      if n:find("^wire copy") or n:find("^same figure") then repeats = repeats + 1 end
    end
    if not seen[p.outlet_key] then
      seen[p.outlet_key] = true
      outlets[#outlets + 1] = p.outlet
    end
  end
  local change = value_of(last) - value_of(first)
  return { series = name, place = sr.place, category = sr.class, scope = sr.scope, points = #pts,
    first_as_of = first.as_of, last_as_of = last.as_of, first = value_of(first), last = value_of(last),
    change = change, trend = #pts == 1 and "single" or change > 0 and "up" or change < 0 and "down" or "flat",
    decreases = decreases, conflicts = conflicts, repeats = repeats, outlets = outlets }
end

function M.run(corpus, options)
  local outlets = article_outlets(corpus)
  local series, order = collect(corpus, outlets)
  local wire_cache = {}
  local outlet_keys = memoized(outlet_key)
  local out = {}
  for _, key in ipairs(order) do
    local sr = series[key]
    analyse(corpus, sr, options.tolerance, wire_cache, outlet_keys)
    local name = string.format("%s / %s / %s", sr.place, sr.class, sr.scope)
    corpus:row("toll_series", series_row(name, sr))
    for seq, p in ipairs(sr.points) do
      out[#out + 1] = { p.article, p.start, p.stop, {
        series = name, place = sr.place, category = sr.class, scope = sr.scope, seq = seq, as_of = p.as_of,
        count = p.count, low = p.count == nil and p.low or nil, high = p.count == nil and p.high or nil,
        qualifier = p.qualifier, outlet = p.outlet, previous = p.previous, change = p.change,
        movement = p.movement, notes = unique(p.notes) } }
    end
  end
  -- article by article: each article is read once
  table.sort(out, function(x, y)
    if x[1] ~= y[1] then return x[1] < y[1] end
    return x[2] < y[2]
  end)
  for _, a in ipairs(out) do corpus:annotate(a[1], "toll", a[2], a[3], a[4]) end
end

return M
