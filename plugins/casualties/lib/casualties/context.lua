-- What a figure's sentence and article say about it: its date (as_of), its
-- scope (a running total or one incident), its place, whether it repeats
-- an earlier figure, and how sure the rule is.
local lexicon = require("casualties.lexicon")
local places_mod = require("casualties.places")
local tokens = require("casualties.tokens")

local M = {}

local match = lexicon.match

local ISO = "^(%d%d%d%d)%-(%d%d)%-(%d%d)"
local LEX -- the word lists of the article being resolved

-- Words without which a sentence names no date (lede.dates is not called).
local DATE_WORDS = {}
for _, w in ipairs({ "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
  "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
  "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "today", "yesterday",
  "tonight", "ago", "week", "month", "year", "weekend", "morning", "evening", "night", "afternoon" }) do
  DATE_WORDS[w] = true
end
local YEAR = lede.num.F.year

-- Whether the date ending at byte `stop` of `text` is in the possessive ("Sunday's attack").
local function possessive_at(text, stop)
  local after = text:sub(stop + 1, stop + 5)
  return (after:find("^'s%f[^%w]") or after:find("^\226\128\153s%f[^%w]")) ~= nil
end

local function iso_day(s)
  if type(s) ~= "string" then return nil end
  local y, m, d = s:match(ISO)
  return y and (y .. "-" .. m .. "-" .. d) or nil
end

-- Function words that tell a text's language, for texts ingested without one.
local FUNCTION_WORDS = {
  es = { el = true, los = true, las = true, del = true, que = true, por = true, una = true },
  fr = { le = true, les = true, des = true, une = true, est = true, dans = true, qui = true },
  de = { der = true, die = true, das = true, und = true, nicht = true, mit = true, ist = true },
  pt = { os = true, as = true, dos = true, das = true, uma = true, ["não"] = true, com = true },
  it = { il = true, della = true, degli = true, sono = true, che = true, gli = true, nel = true },
}

local function count_plain(s, w, limit)
  local n, p = 0, 1
  while n < limit do
    local _, e = s:find(w, p, true)
    if not e then break end
    n, p = n + 1, e + 1
  end
  return n
end

-- The language a text ingested as English is really in: English unless
-- another language's function words clearly outnumber "the".
local function guess_language(text)
  local sample = text:sub(1, 4000)
  if count_plain(sample, " the ", 4) >= 4 then return "en" end
  local counts, best, best_n = {}, "en", 0
  local en = 0
  for w in sample:lower():gmatch("%a+") do
    if w == "the" or w == "and" or w == "of" then en = en + 1 end
    for lang, set in pairs(FUNCTION_WORDS) do
      if set[w] then
        counts[lang] = (counts[lang] or 0) + 1
        if counts[lang] > best_n then best, best_n = lang, counts[lang] end
      end
    end
  end
  return (best_n >= 6 and best_n > 2 * en) and best or "en"
end

-- The number conventions of the article: the option, else its language
-- (guessed when it was ingested as English), for lede.num.
function M.number_options(doc, options)
  local lang = options.language ~= "" and options.language or doc.language or "en"
  if lang == "en" and options.language == "" then lang = guess_language(doc.text) end
  local o = { language = lang }
  if options.decimal_comma == "true" or options.decimal_comma == true then o.decimal_comma = true end
  if options.decimal_comma == "false" or options.decimal_comma == false then o.decimal_comma = false end
  return o
end

-- ---- per sentence ----

-- Index of the first token starting at or after byte pos.
local function token_at(t, pos)
  local lo, hi = 1, t.n
  while lo < hi do
    local mid = (lo + hi) // 2
    if t.e[mid] < pos then lo = mid + 1 else hi = mid end
  end
  return lo
end

-- Since-phrases ("since the war began in August", "since Saturday"):
-- token ranges, whether they name a day, and the "since 1962, when ..."
-- ones, which date the event instead.
local function since_phrases(t, seg)
  local out = {}
  local tw, n = t.w, t.n
  for i = 1, n do
    if tw[i] == "since" and t.k[i] == "w" then
      local j = i
      while j < n and seg[j + 1] == seg[i] do j = j + 1 end
      local when = tw[j + 1] == "," and tw[j + 2] == "when"
      out[#out + 1] = { a = i, b = j, when = when }
    end
  end
  return out
end

local function in_since(sp, i)
  for _, p in ipairs(sp) do
    if i >= p.a and i <= p.b and not p.when then return p end
  end
  return nil
end

-- What each word of the lists below may be for sentence_info, built once
-- per word lists (one lookup per word instead of four).
local function word_roles(lex)
  local roles = lex.sentence_roles
  if roles then return roles end
  roles = {}
  local function add(set, role)
    for w in pairs(set) do
      local r = roles[w] or {}
      r[role] = true
      roles[w] = r
    end
  end
  local cum = lex.cumulative.phrases
  add(cum.one, "cumulative") -- the first word of a phrase, matched in full there
  add(cum.many, "cumulative")
  add(lex.anchor.set, "anchor")
  add(lex.conflict_subject.set, "conflict")
  add(DATE_WORDS, "date")
  lex.sentence_roles = roles
  return roles
end

local function sentence_info(s, t, ref)
  local seg = tokens.segments(t)
  local sp = since_phrases(t, seg)
  local dates, taken = {}, {}
  local function add(i, iso, precision, relative, possessive)
    if taken[i] then return end
    taken[i] = true
    local p = in_since(sp, i)
    if p then
      if precision == "day" or relative then p.day = true end
    else
      dates[#dates + 1] = { i = i, iso = iso, precision = precision, possessive = possessive }
    end
  end
  -- one pass: the words the scope rules look for, bare years the date
  -- scanner leaves alone ("the 1987 earthquake"), and whether the sentence
  -- may name a date at all
  local m_cum, m_anchor, m_conflict = {}, {}, {}
  local marks = { cumulative = m_cum, anchor = m_anchor, conflict = m_conflict }
  local cum, roles = LEX.cumulative.phrases, word_roles(LEX)
  local year = ref and tonumber(ref:sub(1, 4)) or 9999
  local datable, years = false, nil
  local tk, tw, tq = t.k, t.w, t.q
  for i = 1, t.n do
    local k, w = tk[i], tw[i]
    if k == "w" then
      local r = roles[w]
      if r then
        if r.cumulative and match(cum, tw, i) then m_cum[#m_cum + 1] = i end
        if r.anchor then m_anchor[#m_anchor + 1] = i end
        if r.conflict then m_conflict[#m_conflict + 1] = i end
        if r.date then datable = true end
      end
    elseif k == "d" then
      datable = true
    elseif k == "n" then
      local q = tq[i]
      if not q then
        datable = true
      elseif q.flags & YEAR ~= 0 and q.value and q.value >= 1800 and q.value <= year then
        years = years or {}
        years[#years + 1] = i
      end
    end
  end
  if datable then
    local found = lede.dates(s.text, ref and { ref = ref } or { relative = false })
    for _, d in ipairs(found) do
      if d.iso then
        add(token_at(t, s.start + d.start - 1), d.iso, d.precision, d.relative, possessive_at(s.text, d.stop))
      end
    end
  end
  for _, i in ipairs(years or {}) do add(i, string.format("%04d", t.q[i].value), "year", false) end
  return { seg = seg, since = sp, dates = dates, marks = marks }
end

-- ---- as_of ----

-- A day in the possessive dates an event, not a count said in the present
-- perfect: "the toll from Sunday's attack has climbed to 29" holds today.
local function as_of(f, t, si, ref)
  local cue = f.cue or f.qi
  local best
  for _, d in ipairs(si.dates) do
    if d.precision == "day" and si.seg[d.i] == si.seg[cue] and d.i > cue and d.i - cue <= 8 then return d.iso end
    if d.precision == "day" and (not best or d.iso > best) and not (d.possessive and f.perfect) then best = d.iso end
  end
  if best then return best end
  local ref_month = ref and ref:sub(1, 7)
  if f.past or f.had then
    for _, d in ipairs(si.dates) do
      if (d.precision == "month" or d.precision == "year") and (not ref_month or d.iso < ref_month:sub(1, #d.iso)) then
        return nil
      end
    end
  end
  return ref
end

-- ---- scope ----

local function in_segment(si, class, i)
  for _, j in ipairs(si.marks[class]) do
    if si.seg[j] == si.seg[i] then return true end
  end
  return false
end

local BY_IN = { by = true, ["in"] = true }

local function scope_of(f, t, si, lex, topic)
  local i = f.qi
  if f.running then return "cumulative" end
  if in_segment(si, "cumulative", i) then return "cumulative" end
  for _, p in ipairs(si.since) do
    if not p.when and not p.day and si.seg[p.a] == si.seg[i] then return "cumulative" end
  end
  local anchor = in_segment(si, "anchor", i)
  local cue = f.cue or i
  -- "the war has killed", "a conflict that claimed", "the confrontation ... has claimed"
  for _, j in ipairs(si.marks.conflict) do
    if j <= cue and not anchor and (f.perfect or si.seg[j] == si.seg[cue]) then return "cumulative" end
    -- "have been displaced by the fighting", "have been lost in the conflict"
    if j > cue and f.perfect and not anchor and si.seg[j] == si.seg[cue] and (BY_IN[t.w[j - 1]]
      or (t.w[j - 1] == "the" and BY_IN[t.w[j - 2]])) then
      return "cumulative"
    end
  end
  -- a large running count in coverage of a war, with no day and no event
  local day = false
  for _, d in ipairs(si.dates) do
    if d.precision == "day" then day = true end
  end
  local low = f.q.value or f.q.low or 0
  local small_vague = f.q.vague and low < 1000
  -- the topic last: it is worked out (over the whole article) only when asked
  if not day and not anchor and not small_vague and topic.war then
    if f.perfect and low >= 100 and (f.category == "arrested" or f.category == "abducted" or f.category == "displaced") then
      return "cumulative"
    end
    if (f.perfect or f.had) and low >= 1000 then return "cumulative" end
  end
  return "incident"
end

-- ---- where ----

local function known(m)
  return m.kind ~= "candidate" and m.kind ~= "none"
end

-- The known place of segment `seg` nearest to token i (a demonym too unless
-- `no_demonym`).
local function nearest(list, i, segs, seg, no_demonym)
  local best, dist
  for _, m in ipairs(list) do
    if segs[m.ti] == seg and known(m) and not (no_demonym and m.kind == "demonym") then
      local d = math.abs(m.ti - i)
      if not dist or d < dist then best, dist = m, d end
    end
  end
  return best
end

local NONE = {}

-- The places a figure of segment `seg` looks at first: those of its own
-- clause, indexed by segment when the sentence has many places (a sentence
-- of many clauses then costs no more per figure); few are simply all read.
local function clause_places(si, sentence_places, seg)
  if #sentence_places <= 8 then return sentence_places end
  local by = si.places_by_seg
  if by then return by[seg] or NONE end
  by = {}
  for _, m in ipairs(sentence_places) do
    local seg = si.seg[m.ti]
    local list = by[seg]
    if not list then
      list = {}
      by[seg] = list
    end
    list[#list + 1] = m
  end
  si.places_by_seg = by
  return by[seg] or NONE
end

local function where_of(f, t, si, sentence_places, places, previous, s)
  local i = f.qi
  local seg = si.seg[i]
  local name_of = places_mod.name_of
  local clause = clause_places(si, sentence_places, seg)
  -- names the sentence does not introduce are looked up in the article only
  -- where they matter: in the figure's clause, or anywhere for a running total
  local cumulative = f.scope == "cumulative"
  for _, m in ipairs(cumulative and sentence_places or clause) do
    if m.kind == "candidate" and (cumulative or si.seg[m.ti] == seg) then places:resolve(m, t) end
  end
  if f.scope == "cumulative" then
    local m = nearest(clause, i, si.seg, seg, false)
    if m then return name_of(m) end
    -- a country named elsewhere in the sentence, unless in a clause of its own
    -- ("..., including some 70 000 who crossed into Sarentia")
    local pre, post
    for _, m2 in ipairs(sentence_places) do
      if known(m2) and places_mod.is_country(places, m2) then
        if m2.ti < i then
          pre = m2
        elseif not post then
          local first = m2.ti
          while first > 1 and si.seg[first - 1] == si.seg[m2.ti] do first = first - 1 end
          while first < m2.ti and t.k[first] ~= "w" do first = first + 1 end
          local w = t.w[first]
          if w ~= "including" and w ~= "among" and w ~= "while" and w ~= "whereas" then post = m2 end
        end
      end
    end
    if pre or post then return name_of(pre or post) end
    if f.anaphor and previous then return previous.fields.where end
    return places:main()
  end
  local m = nearest(clause, i, si.seg, seg, true)
  if m then return name_of(m) end
  if f.anaphor and previous and previous.fields.where then return previous.fields.where end
  -- elsewhere in the sentence: a place after "in", "near", ... first, the
  -- nearest before the figure, else the first after it; then any place
  -- named before the figure ("Valdemora floods: 61 dead")
  local pick
  for pass = 1, 2 do
    local pre, post
    for _, m2 in ipairs(sentence_places) do
      if pass == 2 and m2.kind == "candidate" and m2.ti < i then places:resolve(m2, t) end
      if known(m2) and m2.kind ~= "demonym" and (pass == 2 or m2.prep) then
        if m2.ti < i then pre = m2 elseif not post then post = m2 end
      end
    end
    pick = pre or post
    if pick then break end
  end
  if pick then return name_of(pick) end
  -- the figure just before, in this sentence or the one before, tells the story on
  if previous and previous.fields.where and previous.sentence >= f.sentence - 1 then
    return previous.fields.where
  end
  local dl = places:dateline()
  if dl then return dl.city end
  if previous and previous.fields.where then return previous.fields.where end
  local b = places:before(s.start)
  if b then return name_of(b) end
  return places:main()
end

-- ---- the article ----

local function class_of(category)
  return category == "killed" and "dead" or category
end

-- What two figures of one class share when they give the same number: the
-- count, else the vague word, else the range (nil: no number to share).
local function number_key(fields)
  if fields.count then return "n" .. fields.count end
  if fields.vague then return "v" .. fields.vague end
  if fields.low ~= nil then return "r" .. fields.low .. "-" .. tostring(fields.high) end
  return nil
end

local BASE = { ["verb-count"] = 0.9, ["count-victims-verb"] = 0.9, ["count-verb"] = 0.8, ["count-cue"] = 0.85,
  ["count-noun"] = 0.85, ["count-adjective-victims"] = 0.85, ["toll-verb-count"] = 0.85,
  ["bringing-to-count"] = 0.8, ["bringing-toll-to-count"] = 0.8, ["claimed-lives"] = 0.9, ["lives-lost"] = 0.85,
  ["left-count-state"] = 0.9, ["forced-count-from-homes"] = 0.8, bodies = 0.85, ["took-hostage"] = 0.8,
  ["count-of-the-state"] = 0.75, ["among-the-state-count"] = 0.75, ["count-among-the-state"] = 0.75,
  ["count-of-them"] = 0.7, ["label-count"] = 0.8, ["including-count"] = 0.7,
  ["event-of-count"] = 0.8 }

local function confidence(f)
  local c = BASE[f.rule] or 0.7
  local q = f.q
  if q.vague then c = c - 0.1 end
  if q.value == 1 and q.flags & lede.num.F.words ~= 0 then c = c - 0.2 end
  if f.victims == "people" and not f.rule:find("victims") then c = c - 0.05 end
  c = math.max(0.1, math.min(0.99, c))
  return math.floor(c * 100 + 0.5) / 100
end

-- Fills f.fields for every figure of the article (in text order).
function M.resolve(doc, sentences, figures, lex)
  LEX = lex
  -- the meta layer is read only when the ingested metadata do not say enough
  local meta_read, meta = false, nil
  local function get_meta()
    if not meta_read then
      meta_read, meta = true, doc:spans("meta")[1]
    end
    return meta
  end
  local ref = iso_day(doc.published)
  if not ref then
    local m = get_meta()
    ref = m and (iso_day(m.published) or iso_day(m.event_date)) or nil
  end
  local places = places_mod.article(doc, lex, get_meta, sentences)
  local topic = setmetatable({}, { __index = function(tp, k)
    if k ~= "war" then return nil end
    local war = #places:conflicts()
    tp.war = war >= 3 and war > #lex.disaster_lex:match(doc)
    return tp.war
  end })
  local infos = {}
  local previous
  -- figures by class (killed and dead are one) and number: those are the same
  local same = {}
  for _, f in ipairs(figures) do
    local s = sentences[f.sentence]
    local t = f.toks
    local si = infos[f.sentence]
    if not si then
      si = sentence_info(s, t, ref)
      si.places = places:sentence(t)
      infos[f.sentence] = si
    end
    local q = f.q
    local fields = {
      count = q.value, low = nil, high = nil, vague = q.vague,
      qualifier = (q.qualifier == "exact" and f.toll_qualifier) or q.qualifier,
      category = f.category, victims = f.victims, rule = f.rule,
    }
    if q.value == nil then fields.low, fields.high = q.low, q.high end
    f.fields = fields
    if f.anaphor and previous then
      f.scope = previous.scope
    else
      f.scope = scope_of(f, t, si, lex, topic)
    end
    fields.scope = f.scope
    fields.as_of = as_of(f, t, si, ref)
    fields.where = where_of(f, t, si, si.places, places, previous, s)
    fields.confidence = confidence(f)
    fields.subset = f.subset or false
    fields["repeat"] = false
    local key = number_key(fields)
    if key then
      key = class_of(f.category) .. "\0" .. key
      local group = same[key]
      if group then
        fields["repeat"] = true
      else
        group = {}
        same[key] = group
      end
      group[#group + 1] = f
    end
    f.start = math.min(q.start, t.s[f.cue or f.qi])
    f.stop = math.max(q.stop, t.e[f.cue or f.qi])
    previous = f
  end
  -- a count said once as a running total is one everywhere in the article
  for _, group in pairs(same) do
    local cumulative = false
    for _, g in ipairs(group) do cumulative = cumulative or g.scope == "cumulative" end
    if cumulative then
      for _, g in ipairs(group) do
        g.scope = "cumulative"
        g.fields.scope = "cumulative"
      end
    end
  end
end

return M
