-- Dates of the story: when it was published (a Published line, a
-- timestamp, a banner the body agrees with), the reference day that
-- resolves "on Tuesday", and the day of the main event.
local text = require("metadata.text")

local M = {}

local NUMBER_WORDS = { one = 1, two = 2, three = 3, four = 4, five = 5, six = 6, seven = 7, eight = 8,
  nine = 9, ten = 10, eleven = 11, twelve = 12, thirteen = 13, fourteen = 14, fifteen = 15, sixteen = 16,
  seventeen = 17, eighteen = 18, nineteen = 19, twenty = 20 }
local START_WORDS = { began = true, begun = true, begin = true, erupted = true, started = true, start = true,
  broke = true, outbreak = true, beginning = true, onset = true, launched = true }
-- A date after these words is a bound of a period, not the day something happened.
local BOUND_WORDS = { since = true, ["until"] = true, till = true, through = true, by = true, from = true,
  before = true, desde = true, depuis = true, seit = true, hasta = true }
-- Words a date line may carry besides its date and label: particles, the
-- parts of a time ("4:31 PM EDT, May 7, 2013").
local FILLER = { le = true, on = true, at = true, de = true, the = true, a = true, am = true, pm = true,
  um = true, el = true, em = true, las = true, o = true, gmt = true, utc = true, bst = true, cet = true,
  cest = true, est = true, edt = true, cst = true, cdt = true, pst = true, pdt = true, et = true, pt = true,
  ist = true, msk = true }

function M.load()
  local labels, label_words = {}, {}
  for _, line in ipairs(text.data_lines("data/date_labels.txt")) do
    local kind, phrase = line:match("^(%S+)\t(.+)$")
    if kind then
      labels[#labels + 1] = { kind = kind, phrase = phrase }
      for w in phrase:gmatch("%S+") do label_words[w] = true end
    end
  end
  return { labels = labels, label_words = label_words, conflict = text.data_set("data/conflict_words.txt") }
end

local function day(iso)
  return iso and lede.day_number(iso:sub(1, 10))
end

-- First day of a date of any precision ("2011" -> 2011-01-01).
local function first_day(d)
  if not d.iso then return nil end
  if d.precision == "year" then return lede.day_number(d.iso .. "-01-01") end
  if d.precision == "month" then return lede.day_number(d.iso .. "-01") end
  return lede.day_number(d.iso)
end

local function explicit(d)
  return d.iso and not d.inferred and not d.relative
end

-- ---- dates on lines ----

-- Sets d.line on every date and, on each line, the list of its dates and
-- whether the line is only a date (a date line: label, date, time).
function M.attach(lex, page, dates, line_at)
  for _, l in ipairs(page.lines) do l.dates = nil end
  for _, d in ipairs(dates) do
    d.line = line_at(page, d.start)
    local l = d.line and page.lines[d.line]
    if l then
      l.dates = l.dates or {}
      l.dates[#l.dates + 1] = d
      d.nth = #l.dates
    end
  end
  for _, l in ipairs(page.lines) do
    l.dated = false
    if l.dates and #l.text <= 160 then -- a paragraph with a date in it is no date line
      local rest, pos = {}, l.start
      for _, d in ipairs(l.dates) do
        rest[#rest + 1] = page.text:sub(pos, d.start - 1)
        pos = d.stop + 1
      end
      rest[#rest + 1] = page.text:sub(pos, l.stop)
      local n, timed = 0, false
      for _, w in ipairs(text.words(table.concat(rest, " "))) do
        if not lex.label_words[w] and not FILLER[w] and not w:match("^%d+$") then n = n + 1 end
      end
      for _, d in ipairs(l.dates) do timed = timed or d.time ~= nil end
      -- a date alone, or a short line around a timestamp or a byline
      l.dated = n <= 2 or (n <= 8 and (timed or l.fold:match("^by ") ~= nil))
    end
  end
end

-- The label of date d: "published", "updated" or nil, from the last words
-- before it on its line (after any earlier date of the line).
local function label_of(lex, page, d)
  local l = page.lines[d.line]
  local before = l.dates[d.nth - 1]
  local from = before and before.stop + 1 or l.start
  local words = text.words(page.text:sub(from, d.start - 1))
  if #words > 10 then return nil end
  local tail = " " .. table.concat(words, " ") .. " "
  local kind
  for _, lb in ipairs(lex.labels) do
    if tail:find(" " .. lb.phrase .. " ", 1, true) then
      if lb.kind == "published" then return "published" end
      kind = kind or lb.kind
    end
  end
  return kind
end

-- ---- publication ----

-- Dates of the story itself: not on date lines, not in boilerplate.
local function body_dates(page, dates)
  local out = {}
  for _, d in ipairs(dates) do
    local l = d.line and page.lines[d.line]
    if l and not l.dated and not (page.has_bp and l.bp) then out[#out + 1] = d end
  end
  return out
end

-- Whether the body agrees with a page date c (a day number): a body date
-- in the week up to it (a date without year counts in c's year or the
-- year before).  Returns agrees, contradicts.
local function body_verdict(body, c, c_year)
  local newest
  for _, d in ipairs(body) do
    if d.precision == "day" then
      if explicit(d) then
        local x = day(d.iso)
        if x >= c - 7 and x <= c then return true, false end
        if not newest or x > newest then newest = x end
      elseif d.month and d.day and not d.relative then
        for y = c_year, c_year - 1, -1 do
          local x = day(string.format("%04d-%02d-%02d", y, d.month, d.day))
          if x and x >= c - 7 and x <= c then return true, false end
        end
      end
    end
  end
  return false, newest ~= nil and newest < c - 400
end

-- Chooses the publication date among the dates of the page (see
-- docs/metadata.md).  `title_i` is the headline's line (or nil).  Returns
-- {iso, confidence, evidence, why} or nil, and the page's own date (a
-- banner taken as the day the page was saved) when one was set aside.
function M.published(lex, page, dates, title_i, notes)
  local body = body_dates(page, dates)
  local best, saved
  for _, d in ipairs(dates) do
    local l = d.line and page.lines[d.line]
    if l and explicit(d) and d.precision == "day" and (l.dated or (#l.text <= 200 and l.n <= 16)) then
      local label = label_of(lex, page, d)
      local near = title_i and math.abs(d.line - title_i) <= 8 or (not title_i and d.line <= 15)
      local score, why
      if label == "published" and l.n <= 16 then
        score, why = 0.95, "labelled as the publication date"
      elseif label == "updated" and l.n <= 16 then
        score, why = 0.75, "labelled as an update (no publication label)"
      elseif l.dated and near then
        local before = title_i and d.line < title_i
        if d.time then
          score, why = 0.9, "timestamp line next to the headline"
        elseif d.weekday and before then
          score, why = 0.45, "date banner above the headline"
        else
          score, why = before and 0.75 or 0.85, "date line next to the headline"
        end
        local c = day(d.iso)
        local agrees, contradicts = body_verdict(body, c, d.year)
        local reason = "nothing in the story confirms it"
        if agrees then
          score, why = math.min(0.99, score + 0.15), why .. ", confirmed by a date in the story"
        elseif contradicts then
          score, reason = score * 0.3, "the story's dates are more than a year older"
        end
        if score < 0.5 then
          notes[#notes + 1] = string.format("'%s' set aside as the page's own date: %s", d.text, reason)
          if before and (not saved or c > saved) then saved = c end
        end
      end
      if score and score >= 0.5 and (not best or score > best.confidence) then
        best = { iso = d.iso, confidence = score, why = why,
                 evidence = { start = d.start, stop = d.stop, text = l.text } }
      end
    end
  end
  return best, saved
end

-- ---- reference day ----

local function number_of(w)
  return tonumber(w) or NUMBER_WORDS[w]
end

-- The age of a conflict ("the eight-year war", "5-year-old conflict") and
-- the date it began ("the war began in March 2011"): their sum dates the
-- story.  Returns a day number or nil.
local function conflict_age_estimate(lex, page, sentences)
  local age, start
  for _, s in ipairs(sentences) do
    local l = page.lines[s.block]
    local low = s.text:lower()
    if l and not (page.has_bp and l.bp) and (low:find("year", 1, true) or low:find("beg", 1, true)
       or low:find("start", 1, true) or low:find("erupt", 1, true) or low:find("broke", 1, true)
       or low:find("outbreak", 1, true) or low:find("onset", 1, true) or low:find("launch", 1, true)) then
      local w = text.words(s.text)
      local has_conflict, has_start = false, false
      for k = 1, #w do
        if lex.conflict[w[k]] then has_conflict = true end
        if START_WORDS[w[k]] then has_start = true end
        local n = number_of(w[k])
        if n and n <= 60 and (w[k + 1] == "year" or w[k + 1] == "years") then
          local j = k + 2
          if w[j] == "old" then j = j + 1 end
          for m = j, j + 1 do
            if w[m] and lex.conflict[w[m]] then age = age or n end
          end
        end
      end
      if has_conflict and has_start then
        for _, d in ipairs(l.dates or {}) do
          if d.start >= s.start and d.stop <= s.stop and explicit(d) and d.precision ~= "day"
             and (not start or first_day(d) < first_day(start)) then
            start = d
          end
        end
      end
    end
  end
  if not (age and start) then return nil end
  return lede.day_number(string.format("%04d-%02d-01", start.year + age, start.month or 1))
end

-- The copyright year's last day, as an upper bound for the story's date.
local function copyright_bound(page)
  local best
  for _, l in ipairs(page.lines) do
    if l.text:find("\u{00A9}", 1, true) or l.text:find("%([cC]%)") or l.text:lower():find("copyright", 1, true) then
      for y in l.text:gmatch("%f[%d](%d%d%d%d)%f[%D]") do
        local x = lede.day_number(y .. "-12-31")
        if x and (not best or x > best) then best = x end
      end
    end
  end
  return best
end

-- The reference for resolving dates without a year or a day, when the
-- page gives no publication date.  Returns {ref, not_before, relative,
-- why} (ISO strings).
function M.reference(lex, page, dates, sentences, saved)
  local hi = saved or copyright_bound(page)
  local lo, newest
  for _, d in ipairs(body_dates(page, dates)) do
    local x = first_day(d)
    if explicit(d) and x and (not hi or x <= hi) then
      if not lo or x > lo then lo = x end
      if d.precision == "day" and (not newest or x > newest) then newest = x end
    end
  end
  local age = conflict_age_estimate(lex, page, sentences)
  local why_lo = "not before the newest date the story mentions"
  if age and (not hi or age <= hi) and (not lo or age > lo) then
    lo, why_lo = age, "not before the conflict's age added to the year it began"
  end
  if newest and (not lo or newest >= lo) then
    return { ref = lede.day_iso(newest), relative = true, why = "newest full date in the story" }
  end
  local why_hi = hi and (saved and "not after the page's own date" or "not after the copyright year")
  return { ref = hi and lede.day_iso(hi), not_before = lo and lede.day_iso(lo), relative = false,
           why = lo and why_hi and (why_lo .. ", " .. why_hi) or lo and why_lo or why_hi }
end

-- ---- event ----

local function bounded(page, s, d)
  local words = text.words(page.text:sub(s.start, d.start - 1))
  return BOUND_WORDS[words[#words] or ""] or false
end

-- The day of the main event: the dates of the first sentence of the lead
-- paragraphs that has one.  With a publication date, the first within two
-- days before it (a follow-up's lead names an older event first), else the
-- last; without one, the first.  Returns {iso, confidence, evidence, why}
-- or nil.
function M.event(page, dates, sentences, first_line, pub_iso, max_lines)
  local pub = pub_iso and day(pub_iso)
  local first_sentence = {}
  for _, s in ipairs(sentences) do
    if not first_sentence[s.block] then first_sentence[s.block] = s end
  end
  local seen = 0
  for i = first_line, #page.lines do
    local l = page.lines[i]
    if l.prose and not l.caption and not l.dated and not (page.has_bp and l.bp) then
      seen = seen + 1
      if seen > max_lines then break end
      local s = first_sentence[i]
      local found = {}
      for _, d in ipairs(l.dates or {}) do
        if s and d.start >= s.start and d.stop <= s.stop and d.precision == "day" and d.iso
           and not bounded(page, s, d) and (not pub or day(d.iso) <= pub + 1) then
          found[#found + 1] = d
        end
      end
      if #found > 0 then
        local pick
        for _, d in ipairs(found) do
          if not pick and (not pub or day(d.iso) >= pub - 2) then pick = d end
        end
        pick = pick or found[#found]
        return { iso = pick.iso, confidence = math.min(0.9, pick.confidence or 0.8),
                 evidence = { start = pick.start, stop = pick.stop, text = s.text },
                 why = "first dated sentence of the lead" }
      end
    end
  end
  return nil
end

return M
