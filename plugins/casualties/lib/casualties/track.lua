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

-- f(s), computed once per distinct s (places, outlets and dates recur from
-- figure to figure).
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
-- Spans come without their text, which nothing here reads; a point is made
-- only for each series' winner in each article, with what analyse() needs
-- computed once.
local function collect(corpus, outlets, outlet_keys, day_of)
  local series, order = {}, {}
  local fold = memoized(lede.fold)
  for s in corpus:spans("figure", { text = false }) do
    if s.as_of and s.where and not s.subset and (s.count or s.low) and not s.vague then
      local class = class_of(s.category)
      local key = fold(s.where) .. "\0" .. class .. "\0" .. (s.scope or "")
      local sr = series[key]
      if not sr then
        sr = { place = s.where, class = class, scope = s.scope, best = {} }
        series[key] = sr
        order[#order + 1] = key
      end
      local b = sr.best[s.article]
      local c, bc = s.confidence or 0, b and b.confidence or 0
      if not b or c > bc or (c == bc and s.as_of < b.as_of) then sr.best[s.article] = s end
    end
  end
  for _, key in ipairs(order) do
    local sr = series[key]
    local pts = {}
    for article, f in pairs(sr.best) do
      local outlet = outlets[article] and outlets[article].outlet or article
      local value = value_of(f)
      pts[#pts + 1] = { article = article, outlet = outlet, outlet_key = outlet_keys(outlet), as_of = f.as_of,
        day = day_of(f.as_of), count = f.count, low = f.low, high = f.high, qualifier = f.qualifier,
        start = f.start, stop = f.stop, value = value, notes = {},
        -- as text, so that 3 (a count) and 3.0 (a range's middle) differ
        value_key = tostring(value) .. "/" .. tostring(f.qualifier) }
    end
    table.sort(pts, function(a, b)
      if a.as_of ~= b.as_of then return a.as_of < b.as_of end
      return a.article < b.article
    end)
    sr.points, sr.best = pts, nil
  end
  return series, order
end

-- The words of the line around a point (a paragraph: news pages put one
-- per line), for telling wire copy: read once per point, and texts once per
-- article.
local function sentence_words(corpus, texts, p)
  if p.words then return p.words end
  local text = texts[p.article]
  if not text then
    text = corpus:doc(p.article).text
    texts[p.article] = text
  end
  local a = p.start
  while a > 1 and text:byte(a - 1) ~= 10 do a = a - 1 end
  local b = text:find("\n", p.start, true) or #text + 1
  p.words = lede.fold(text:sub(a, b - 1)):gsub("[^%w\128-\255]+", " ")
  return p.words
end

-- Movement along the series, then what other outlets said: for the same
-- day (conflicts beyond the tolerance) and the same figure within three
-- days (repeats; word for word, wire copy).  Points are grouped by day and
-- by value, so a long series costs little.
local function analyse(corpus, sr, tolerance, texts)
  local pts = sr.points
  local by_day, by_value = {}, {}
  for i, p in ipairs(pts) do
    local prev = pts[i - 1]
    if prev then
      p.previous = prev.value
      p.change = p.value - p.previous
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
    local v = by_value[p.value_key] or {}
    v[#v + 1] = p
    by_value[p.value_key] = v
  end
  for _, p in ipairs(pts) do
    local a = p.value
    for _, o in ipairs(by_day[p.as_of]) do
      local b = o.value
      if o.outlet_key ~= p.outlet_key and math.abs(a - b) > tolerance * math.max(a, b) then
        p.notes[#p.notes + 1] = string.format("conflicts with %s (%s) for the same day", fmt(b), o.outlet)
      end
    end
    for _, o in ipairs(by_value[p.value_key]) do
      if o.outlet_key ~= p.outlet_key and math.abs(o.day - p.day) <= 3 then
        if sentence_words(corpus, texts, p) == sentence_words(corpus, texts, o) then
          p.notes[#p.notes + 1] = string.format("wire copy: the same sentence in %s (%s)", o.outlet, o.as_of)
        else
          p.notes[#p.notes + 1] = string.format("same figure in %s (%s)", o.outlet, o.as_of)
        end
      end
    end
  end
end

-- Each note once (most points have none or one: the list as it is).
local function unique(list)
  if #list < 2 then return list end
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
  local change = last.value - first.value
  return { series = name, place = sr.place, category = sr.class, scope = sr.scope, points = #pts,
    first_as_of = first.as_of, last_as_of = last.as_of, first = first.value, last = last.value,
    change = change, trend = #pts == 1 and "single" or change > 0 and "up" or change < 0 and "down" or "flat",
    decreases = decreases, conflicts = conflicts, repeats = repeats, outlets = outlets }
end

function M.run(corpus, options)
  local outlets = article_outlets(corpus)
  local outlet_keys, day_of = memoized(outlet_key), memoized(days)
  local series, order = collect(corpus, outlets, outlet_keys, day_of)
  local texts = {}
  -- the points of each article, to write them article by article (each is
  -- read once) without sorting all of them
  local by_article, articles = {}, {}
  for _, key in ipairs(order) do
    local sr = series[key]
    analyse(corpus, sr, options.tolerance, texts)
    local name = string.format("%s / %s / %s", sr.place, sr.class, sr.scope)
    corpus:row("toll_series", series_row(name, sr))
    for seq, p in ipairs(sr.points) do
      p.toll = {
        series = name, place = sr.place, category = sr.class, scope = sr.scope, seq = seq, as_of = p.as_of,
        count = p.count, low = p.count == nil and p.low or nil, high = p.count == nil and p.high or nil,
        qualifier = p.qualifier, outlet = p.outlet, previous = p.previous, change = p.change,
        movement = p.movement, notes = unique(p.notes) }
      local list = by_article[p.article]
      if not list then
        list = {}
        by_article[p.article] = list
        articles[#articles + 1] = p.article
      end
      list[#list + 1] = p
    end
  end
  table.sort(articles)
  local by_start = function(x, y) return x.start < y.start end
  for _, article in ipairs(articles) do
    local list = by_article[article]
    table.sort(list, by_start)
    for _, p in ipairs(list) do corpus:annotate(article, "toll", p.start, p.stop, p.toll) end
  end
end

return M
