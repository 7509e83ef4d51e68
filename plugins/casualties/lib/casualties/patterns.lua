-- Casualty figures in one sentence.  Each quantity of the sentence is tried
-- against the shapes news gives a toll:
--   after   "12 people were killed", "61 dead", "the 14 injured miners"
--   verb    "killing 12", "seized four peacekeepers", "left 300 dead",
--           "claimed 70,000 lives", "forced 1.2 million from their homes"
--   toll    "the death toll rose to 45", "bringing to 11 the number of ..."
--   subset  "among the dead were three children", "512 of the dead"
-- A figure says which quantity, what happened (category), to whom
-- (victims), by which rule, and the tense of its verb (for dates and scope).
local lexicon = require("casualties.lexicon")
local tokens = require("casualties.tokens")

local M = {}

local F = lede.num.F
local QUOTES = tokens.QUOTES
local match = lexicon.match

local DETERMINERS = { the = true, its = true, their = true, his = true, her = true, these = true, those = true,
  our = true, whom = true, los = true, las = true, les = true }
-- "of" before the people: "dozens of civilians", "decenas de civiles", "des dizaines de civils"
local OF = { of = true, de = true }
local PP = { on = true, of = true, from = true, ["in"] = true, at = true, aboard = true, inside = true,
  ["on board"] = true, with = true }
local STATE_NOUNS = { dead = "dead", injured = "wounded", wounded = "wounded", missing = "missing",
  victims = "dead", displaced = "displaced", detained = "arrested", arrested = "arrested",
  abducted = "abducted", kidnapped = "abducted", killed = "killed", deceased = "dead", fatalities = "dead" }
local PERFECT = { have = true, has = true, ["'ve"] = true }
-- verbs of a running total: "bringing to 11 the number of ...", "brought the toll to 31"
local BRINGING = { bringing = true, brought = true, brings = true, bring = true, raising = true, raised = true,
  raises = true, taking = true, took = true, takes = true, pushing = true, pushed = true }
-- nouns of what happened, before "of" and the people it happened to
local EVENT_NOUNS = { killing = "killed", killings = "killed", murder = "killed", murders = "killed",
  deaths = "dead", death = "dead", abduction = "abducted", abductions = "abducted", kidnapping = "abducted",
  kidnappings = "abducted", arrest = "arrested", arrests = "arrested", detention = "arrested",
  disappearance = "missing", evacuation = "displaced", displacement = "displaced" }
local PAST = { were = true, was = true, had = true }
-- the marks around an insertion between the people and the verb
local INSERTION = { [","] = ",", ["\226\128\148"] = "\226\128\148", ["\226\128\147"] = "\226\128\147", ["("] = ")" }
-- a year after one of these is part of a date: "on 11 September 2001 killed"
local MONTHS = {}
for _, m in ipairs({ "january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
  "dec" }) do
  MONTHS[m] = true
end
-- verbs whose object is lives: "claimed 70,000 lives", "cost the lives of 18 people"
local TAKES_LIVES = { claimed = true, claims = true, claiming = true, claim = true, cost = true, costs = true,
  costing = true }
local PAST_VERBS = { killed = true, died = true, drowned = true, perished = true, claimed = true, left = true,
  seized = true, abducted = true, kidnapped = true, detained = true, arrested = true, fled = true,
  wounded = true, injured = true, forced = true, recovered = true, found = true, took = true, captured = true,
  jailed = true, murdered = true, massacred = true, executed = true, displaced = true, hurt = true }

-- ---- small readers over the token arrays ----

local function word(t, i)
  return t.k[i] == "w" and t.w[i] or nil
end

local function cue_at(t, lex, i)
  if t.k[i] ~= "w" then return nil end
  return match(lex.cues, t.w, i)
end

local function victim_at(t, lex, i)
  if t.k[i] ~= "w" then return nil end
  return match(lex.victims, t.w, i)
end

local function is_class(lex, class, w)
  return w ~= nil and lex[class].set[w] == true
end

-- A word that may stand before a victim noun: not a function word, cue,
-- unit or auxiliary.  Capitalised words ("Filipino") and plain adjectives
-- ("suspected", "more") qualify.
local function modifier_ok(t, lex, i)
  local w = word(t, i)
  if not w or cue_at(t, lex, i) or is_class(lex, "unit", w) or is_class(lex, "aux", w)
    or is_class(lex, "negation", w) then
    return false
  end
  return not is_class(lex, "function", w) or w == "more" or w == "other" or w == "many"
end

-- A plural-looking word not known to any list: "smugglers", "Marovians".
local function unknown_plural(t, lex, i)
  local w = word(t, i)
  if not w or #w < 4 or w:sub(-1) ~= "s" or w:find("[su]s$") or w:find("is$") then return false end
  return not (cue_at(t, lex, i) or is_class(lex, "function", w) or is_class(lex, "aux", w)
    or is_class(lex, "unit", w) or is_class(lex, "negation", w))
end

-- The people after a count: [of [the]] [modifiers] noun [(and|or) [modifier] noun].
-- Returns victims, the index after the phrase, and whether the noun was a
-- known victim noun (false: an unknown plural).
local function victim_phrase(t, lex, i)
  local j = i
  if OF[t.w[j]] and t.k[j] == "w" then
    j = j + 1
    if DETERMINERS[t.w[j]] then j = j + 1 end
  end
  for m = 0, 3 do
    local v, last = victim_at(t, lex, j + m)
    if v then
      local after = last + 1
      if (t.w[after] == "and" or t.w[after] == "or") and t.k[after] == "w" then
        for m2 = 1, 2 do
          local v2, last2 = victim_at(t, lex, after + m2)
          if v2 then
            if v2 ~= v then v = v .. " and " .. v2 end
            after = last2 + 1
            break
          end
          if not modifier_ok(t, lex, after + m2) then break end
        end
      end
      return v, after, true
    end
    if unknown_plural(t, lex, j + m) and not modifier_ok(t, lex, j + m + 1) then
      return "people", j + m + 1, false
    end
    if not modifier_ok(t, lex, j + m) then break end
  end
  return nil, i, false
end

-- A complement a cue needs: "treated for ... wounds", "forced from their
-- homes", "crossed into ...".  Looks at the words after index i.
local function complement_ok(t, cue, i, sentence_has)
  local w = cue.word
  local function ahead(pattern_words, within)
    for j = i + 1, math.min(t.n, i + within) do
      if pattern_words[t.w[j]] then return j end
    end
    return nil
  end
  if w == "treated" or w == "suffered" then
    return ahead({ wounds = true, injuries = true, burns = true, wound = true, injury = true,
      fractures = true, gunshot = true }, 8) ~= nil
  elseif w == "forced" then
    local j = ahead({ homes = true, flee = true, leave = true, houses = true, evacuate = true }, 6)
    return j ~= nil
  elseif w == "crossed" then
    return ahead({ into = true, border = true, over = true }, 2) ~= nil and sentence_has(t).refugee
  end
  return false
end

-- has/have/had among the few words before index i (adverbs between):
-- perfect, past, and whether the auxiliary was "had".
local function tense_before(t, lex, i, limit)
  for j = i - 1, math.max(1, i - (limit or 3)), -1 do
    local w = t.w[j]
    if PERFECT[w] then return true, false, false end
    if PAST[w] then return false, true, w == "had" end
    if t.k[j] ~= "w" or not (is_class(lex, "aux", w) or w == "already" or w == "only" or w == "alone") then break end
  end
  return false, false, false
end

-- ---- the shapes ----

local function new_figure(t, qi, cue, category, victims, rule)
  return { qi = qi, q = t.q[qi], cue = cue, category = category, victims = victims or "people", rule = rule }
end

-- "12 people were killed", "61 dead", "23 missing people", "Twenty-one
-- people, including six police officers, were injured".
local function shape_after(t, lex, qi, ctx)
  local j = qi + 1
  local d, last = cue_at(t, lex, j)
  if d and (d.p or d.n) and not d.complement and not d.strict then
    -- "12 killed", "61 dead", "23 wounded", "5 bodies"; "the 14 injured miners"
    local v, after, known = victim_phrase(t, lex, last + 1)
    if d.j and v and known then
      local f = new_figure(t, qi, last, d.category, v, "count-adjective-victims")
      f.past = PAST_VERBS[d.word] and true or false
      return f
    end
    -- "12 missing documents": an unknown noun after the cue counts something else
    local nxt = last + 1
    if t.k[nxt] == "w" and not (is_class(lex, "function", t.w[nxt]) or is_class(lex, "aux", t.w[nxt])
      or cue_at(t, lex, nxt) or victim_at(t, lex, nxt)) then
      return nil
    end
    local f = new_figure(t, qi, last, d.category, nil, d.n and not d.p and "count-noun" or "count-cue")
    f.past = d.word == "died" or d.word == "drowned" or d.word == "fled"
    return f
  end
  if d and d.j then
    local v, _, known = victim_phrase(t, lex, last + 1)
    if v and known then return new_figure(t, qi, last, d.category, v, "count-adjective-victims") end
  end
  local victims, after, known = victim_phrase(t, lex, j)
  j = after
  -- an insertion: ", including six police officers," / "— two women and a child —" / an appositive
  local close = t.k[j] == "p" and INSERTION[t.w[j]]
  if close then
    for k2 = j + 1, math.min(t.n, j + 12) do
      if t.w[k2] == close then
        j = k2 + 1
        break
      end
      if cue_at(t, lex, k2) then break end
    end
  end
  -- people counted side by side: "4 officers and 2 civilians were hurt"
  if victims and t.w[j] == "and" and t.q[j + 1] then
    local v2, after2 = victim_phrase(t, lex, j + 2)
    if v2 then j = after2 end
  end
  -- a prepositional phrase after the people: "three patients on ventilators"
  if victims and PP[t.w[j]] and t.k[j] == "w" then
    for k2 = j + 1, math.min(t.n, j + 4) do
      if t.k[k2] ~= "w" or cue_at(t, lex, k2) then
        if cue_at(t, lex, k2) or is_class(lex, "aux", t.w[k2]) then j = k2 end
        break
      end
      if is_class(lex, "aux", t.w[k2]) then
        j = k2
        break
      end
    end
  end
  local perfect, past, had = false, false, false
  local chain_start = j
  while j <= t.n and t.k[j] == "w" and is_class(lex, "aux", t.w[j]) do
    local w = t.w[j]
    if PERFECT[w] then perfect = true elseif PAST[w] then past = true end
    if w == "had" then had = true end
    j = j + 1
  end
  if j <= t.n and is_class(lex, "negation", t.w[j]) then return nil end
  if not victims and j == chain_start then return nil end
  -- "70,000 lives have been lost": "lost" counts lives only, never people
  if t.w[qi + 1] == "lives" and t.w[j] == "lost" and j > chain_start then
    local f = new_figure(t, qi, j, "dead", "people", "lives-lost")
    f.perfect, f.had, f.past = perfect, had, past
    return f
  end
  -- "Nine members of the family were among the dead"
  local state = t.w[j] == "among" and t.w[j + 1] == "the" and STATE_NOUNS[t.w[j + 2]]
  if state and j > chain_start then
    local f = new_figure(t, qi, j + 2, state, victims, "count-among-the-state")
    f.subset, f.anaphor, f.past = true, true, past
    return f
  end
  d, last = cue_at(t, lex, j)
  if not d or not d.p then return nil end
  if d.strict and not known then return nil end
  if d.complement and not complement_ok(t, d, last, ctx.has) then return nil end
  local f = new_figure(t, qi, last, d.category, victims, victims and "count-victims-verb" or "count-verb")
  f.perfect, f.had = perfect, had
  f.past = past or (not perfect and PAST_VERBS[d.word] and j == chain_start) or false
  return f
end

-- The count after an active verb: unit nouns and unknown words make it
-- something else than people.
local function count_object(t, lex, qi, d)
  local from = qi + 1
  while QUOTES[t.w[from]] and t.k[from] == "p" do from = from + 1 end
  local victims, after, known = victim_phrase(t, lex, from)
  if victims then
    if d.strict and not known then return nil end
    return victims, after
  end
  local nxt = t.w[after]
  if after > t.n or t.k[after] == "p" or t.k[after] == "n" then
    if d.strict and t.k[after] ~= "p" and after <= t.n then return nil end
    return "people", after
  end
  if d.strict then return nil end
  if is_class(lex, "unit", nxt) then return nil end
  if is_class(lex, "function", nxt) or cue_at(t, lex, after) then return "people", after end
  return nil
end

-- The verb before "and" when the count is the second object of that verb:
-- "killed the driver and 11 passengers", "killed 12 soldiers and 30
-- civilians"; nil when the people after the count are no known victims or
-- a word other than a preposition follows them: a verb of their own ("and
-- 30 others were wounded", "and 2,493 others evacuated").
local function verb_before_and(t, lex, qi, j)
  local _, after, known = victim_phrase(t, lex, qi + 1)
  if not known then return nil end
  local w = t.w[after]
  if t.k[after] == "w" and (not is_class(lex, "function", w) or is_class(lex, "aux", w)) then return nil end
  local k = j - 1
  while k > 1 and j - k < 4 and (t.k[k] == "w" or t.k[k] == "n") and not cue_at(t, lex, k) do k = k - 1 end
  return cue_at(t, lex, k) and k or nil
end

-- "killing 12", "seized four Filipino peacekeepers", "left 84 people dead",
-- "claimed over 70,000 lives", "claimed lives of over 70,000 people".
local function shape_verb(t, lex, qi, ctx)
  local j = qi - 1
  while j >= 1 and t.k[j] == "p" and QUOTES[t.w[j]] do j = j - 1 end
  -- "killing all 298 people on board"; "secuestraron a 12 estudiantes"
  if (t.w[j] == "all" or t.w[j] == "a") and t.k[j] == "w" then j = j - 1 end
  if j < 1 or t.k[j] ~= "w" then return nil end
  local q = t.q[qi]
  -- "the killing of three aid workers", "the abduction of 20 students"
  if t.w[j] == "of" and EVENT_NOUNS[t.w[j - 1]] then
    local victims, _, known = victim_phrase(t, lex, qi + 1)
    if not known then return nil end
    local f = new_figure(t, qi, j - 1, EVENT_NOUNS[t.w[j - 1]], victims, "event-of-count")
    f.past = true
    return f
  end
  -- "claimed (the) lives of N"
  if t.w[j] == "of" and t.w[j - 1] == "lives" then
    local k = j - 2
    if t.w[k] == "the" then k = k - 1 end
    local d = cue_at(t, lex, k)
    if d and TAKES_LIVES[d.word] then
      local victims = victim_phrase(t, lex, qi + 1)
      local f = new_figure(t, qi, k, "killed", victims, "claimed-lives")
      f.perfect, _, f.had = tense_before(t, lex, k)
      f.past = not f.perfect and d.word == "claimed"
      return f
    end
    return nil
  end
  if t.w[j] == "and" and t.k[j] == "w" then
    j = verb_before_and(t, lex, qi, j)
    if not j then return nil end
  end
  -- the verb may be the last word of a phrase ("shot and killed", "shot dead")
  local d, last
  for start = j, math.max(1, j - 2), -1 do
    local d2, l2 = cue_at(t, lex, start)
    if d2 and l2 == j and d2.a then
      d, last = d2, l2
      break
    end
  end
  if not d or not d.a then return nil end
  local cue = d.word
  local perfect, past, had = tense_before(t, lex, j - (last - j))
  local function done(f)
    f.perfect, f.had = perfect, had
    f.past = not perfect and (past or PAST_VERBS[cue] or false)
    return f
  end
  if d.complement then
    if cue:find("^lef") or cue:find("^leav") then
      local victims, after = victim_phrase(t, lex, qi + 1)
      local state = STATE_NOUNS[t.w[after]] or (t.w[after] == "homeless" and "displaced")
      if not state then return nil end
      if t.w[after] == "victims" then return nil end
      return done(new_figure(t, qi, after, state, victims, "left-count-state"))
    elseif TAKES_LIVES[cue] then
      local victims, after = victim_phrase(t, lex, qi + 1)
      if t.w[qi + 1] == "lives" then return done(new_figure(t, qi, qi + 1, "killed", "people", "claimed-lives")) end
      if victims and t.w[after] == "lives" then return done(new_figure(t, qi, after, "killed", victims, "claimed-lives")) end
      -- "claimed at least 45 victims"
      if t.w[qi + 1] == "victims" then return done(new_figure(t, qi, qi + 1, "killed", "people", "claimed-lives")) end
      return nil
    elseif cue == "recovered" or cue == "found" or cue == "pulled" or cue == "retrieved" then
      if t.w[qi + 1] == "bodies" or (t.w[qi + 2] == "bodies" and t.k[qi + 1] == "w") then
        return done(new_figure(t, qi, qi + 1, "dead", "people", "bodies"))
      end
      return nil
    elseif cue == "forced" then
      local victims, after = victim_phrase(t, lex, qi + 1)
      if complement_ok(t, d, after - 1, ctx.has) then
        return done(new_figure(t, qi, after, "displaced", victims, "forced-count-from-homes"))
      end
      return nil
    elseif cue == "took" or cue == "taken" or cue == "holding" then
      local victims, after = victim_phrase(t, lex, qi + 1)
      local w = t.w[after]
      if w == "hostage" or w == "hostages" or w == "captive" or t.w[qi + 1] == "hostages" then
        return done(new_figure(t, qi, after, "abducted", victims, "took-hostage"))
      end
      return nil
    end
    return nil
  end
  if q.flags & F.year ~= 0 then
    local victims, after, known = victim_phrase(t, lex, qi + 1)
    if not known then return nil end
  end
  local victims = count_object(t, lex, qi, d)
  if not victims then return nil end
  return done(new_figure(t, qi, j, d.category, victims, "verb-count"))
end

-- The toll's subject before index j: "death toll", "toll", "number of
-- people killed", "number of dead".  Returns the category, or nil.
local function toll_subject(t, lex, j, stop)
  for i = j, math.max(1, stop), -1 do
    if t.k[i] == "n" or (t.k[i] == "p" and (t.w[i] == ";" or t.w[i] == ".")) then return nil end
    local w = t.w[i]
    if w == "toll" and t.k[i] == "w" then
      local before = t.w[i - 1]
      if before == "injury" then return "wounded" end
      return "dead"
    end
    -- "storm deaths reach 25", "arrests rose to 300"
    local d = i == j and cue_at(t, lex, i)
    if d and d.n and not d.p then return d.category end
    if w == "number" and t.w[i + 1] == "of" then
      for k = i + 2, math.min(t.n, i + 6) do
        local c = cue_at(t, lex, k)
        if c and (c.p or c.n or c.j) and not c.complement then return c.category end
        local s = STATE_NOUNS[t.w[k]]
        if s then return s end
      end
      return nil
    end
  end
  return nil
end

-- "the death toll rose to 45", "toll passes 700", "a death toll of 45",
-- "bringing the death toll to 12", "bringing to 11 the number of reporters detained".
local function shape_toll(t, lex, qi)
  local j = qi - 1
  while j >= 1 and t.k[j] == "p" and QUOTES[t.w[j]] do j = j - 1 end
  local w = t.w[j]
  local qualifier
  -- "bringing to 11 the number of X", "bringing to 11 the death toll"
  if w == "to" and BRINGING[t.w[j - 1]] then
    local k = qi + 1
    if t.w[k] == "the" then k = k + 1 end
    local cat = toll_subject(t, lex, math.min(t.n, k + 1), k)
    if cat then
      local f = new_figure(t, qi, k, cat, "people", "bringing-to-count")
      f.running = true
      return f
    end
    return nil
  end
  local verb_i = j
  if w == "to" or w == "at" or w == "of" or w == "past" then verb_i = j - 1 end
  if w == "past" then qualifier = "more_than" end -- "climbed past 40,000"
  local v = t.w[verb_i]
  local category
  if (w == "of" or w == "at") and v == "toll" then -- "a death toll of 45", "put the toll at 45"
    category = toll_subject(t, lex, verb_i, verb_i - 1)
  elseif t.k[verb_i] == "w" and is_class(lex, "toll_verb", v) then
    if is_class(lex, "toll_more", v) then qualifier = "more_than" end
    if w == "past" then qualifier = "more_than" end
    if is_class(lex, "toll_nearly", v) then qualifier = "nearly" end
    local k = verb_i - 1
    while k >= 1 and t.k[k] == "w" and (is_class(lex, "aux", t.w[k]) or t.w[k] == "now") do k = k - 1 end
    category = toll_subject(t, lex, k, math.max(1, verb_i - 25))
  elseif w == "to" then
    -- "bringing the death toll to 12", "bringing the number of reporters in custody to 15"
    local k = j - 1
    while k > 1 and t.k[k] == "w" and not BRINGING[t.w[k]] and j - k < 9 do k = k - 1 end
    if not BRINGING[t.w[k]] then return nil end
    category = toll_subject(t, lex, j - 1, k + 1)
    if category then
      local f = new_figure(t, qi, j, category, "people", "bringing-toll-to-count")
      f.running = true
      return f
    end
    return nil
  end
  if not category then return nil end
  local f = new_figure(t, qi, verb_i, category, "people", "toll-verb-count")
  f.toll_qualifier = qualifier
  f.perfect, _, f.had = tense_before(t, lex, verb_i)
  f.past = not f.perfect and v:sub(-2) == "ed" or v == "rose" or v == "stood" or v == "hit"
  return f
end

-- "Among the dead were three children", "512 of the dead were civilians",
-- "among them 74 children", "including six police officers".
local function shape_subset(t, lex, qi, previous)
  local victims, after, known = victim_phrase(t, lex, qi + 1)
  -- N of the dead
  if t.w[qi + 1] == "of" and t.w[qi + 2] == "the" then
    local s = STATE_NOUNS[t.w[qi + 3]]
    if s then
      local v2 = victim_phrase(t, lex, qi + 4) -- "512 of the dead were civilians"
      local k = qi + 4
      while t.k[k] == "w" and is_class(lex, "aux", t.w[k]) do k = k + 1 end
      local v3 = victim_phrase(t, lex, k)
      local f = new_figure(t, qi, qi + 3, s, v3 or v2, "count-of-the-state")
      f.subset = true
      return f
    end
  end
  -- among the dead were N
  local j = qi - 1
  while j >= 1 and t.k[j] == "w" and (t.w[j] == "were" or t.w[j] == "was" or t.w[j] == "are" or t.w[j] == "is") do
    j = j - 1
  end
  local s = STATE_NOUNS[t.w[j]]
  if s and t.w[j - 1] == "the" and t.w[j - 2] == "among" and (victims or t.k[qi + 1] ~= "w") then
    local f = new_figure(t, qi, j, s, victims, "among-the-state-count")
    f.subset = true
    return f
  end
  -- "1,000 people were killed, 300 of them children": part of the figure before
  if previous and t.w[qi + 1] == "of" and t.w[qi + 2] == "them" then
    local v = victim_phrase(t, lex, qi + 3)
    local f = new_figure(t, qi, qi + 2, previous.category, v or previous.victims, "count-of-them")
    f.subset, f.anaphor = true, true
    return f
  end
  -- among them N, including N: the category of the figure before, in this sentence
  if previous and victims and known and ((t.w[qi - 1] == "them" and t.w[qi - 2] == "among")
    or t.w[qi - 1] == "including") then
    local f = new_figure(t, qi, qi - 1, previous.category, victims, "including-count")
    f.subset = true
    f.anaphor = true
    return f
  end
  return nil
end

-- "Killed: 45. Injured: 120.": a cue as the label of a count, opening the
-- sentence or a clause.
local function shape_label(t, lex, qi)
  if t.w[qi - 1] ~= ":" or t.k[qi - 1] ~= "p" then return nil end
  local d, last = cue_at(t, lex, qi - 2)
  if not d or last ~= qi - 2 or not (d.p or d.n) or d.complement then return nil end
  if qi > 3 and t.k[qi - 3] ~= "p" then return nil end
  return new_figure(t, qi, qi - 2, d.category, "people", "label-count")
end

-- Words of the whole sentence that some shapes look for (read once, when asked).
local function sentence_words(t)
  if t.has then return t.has end
  local has = {}
  for i = 1, t.n do
    local w = t.w[i]
    if w:find("^refugee") or w == "fled" or w:find("^displac") or w == "asylum" then has.refugee = true end
  end
  t.has = has
  return has
end

-- The figures of one sentence, given its tokens (lede.num.tokens).
function M.find(t, lex)
  local ctx = { has = sentence_words }
  local out = {}
  local tw, tk = t.w, t.k
  for _, i in ipairs(t.qi) do
    -- a year after a month is part of a date; a count after a negation counts nobody
    local skip = t.q[i].flags & F.year ~= 0 and MONTHS[tw[i - 1]] == true
    for j = math.max(1, i - 3), i - 1 do
      local w = tw[j]
      if tk[j] == "w" and (w == "none" or w == "no" or w == "not" or w == "without") then skip = true end
    end
    local f
    if not skip then
      f = shape_subset(t, lex, i, out[#out])
        or shape_toll(t, lex, i)
        or shape_verb(t, lex, i, ctx)
        or shape_after(t, lex, i, ctx)
        or shape_label(t, lex, i)
    end
    if f then
      if t.w[i - 1] and is_class(lex, "anaphor", t.w[i - 1]) then f.anaphor = true end
      if f.rule == "count-of-the-state" or f.rule == "among-the-state-count" then f.anaphor = true end
      out[#out + 1] = f
    end
  end
  return out
end

return M
