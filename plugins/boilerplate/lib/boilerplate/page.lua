-- Decisions that need the whole page: repeated lines, the headline, what
-- comes before it, comment sections and related-link lists, what trails
-- the last paragraph, and short lines among boilerplate (neighbour
-- smoothing).  The lines are walked once in full (line rules, repeats,
-- paragraphs); the zones are then found with short walks from their ends.
local features = require("boilerplate.features")

local M = {}

local find, sub, byte = string.find, string.sub, string.byte

local HEAD_LINES = 40     -- the headline is looked for among the first lines
local SUMMARY_WINDOW = 8  -- a copy of a line is looked for in the next lines
local HEADLINE_BYTES = 300
local SHORT_WORDS = 5     -- smoothing: lines of at most this many words

-- The first pass: line rules, second and later copies of a line, and which
-- lines are paragraphs (a sentence of 8+ words, or 20+ words of which a
-- quarter are function words: prose without final punctuation, "... –
-- Lakeside.com").  Sets L.bp, L.detail, L.cap, L.marker, L.prose
-- (paragraph lines), L.markers (lines opening comments or related links)
-- and L.smooth (short lines left for neighbour smoothing).
local function first_pass(L, text, D)
  local bp, detail, cap, marker, prose = {}, {}, {}, {}, {}
  local markers, smooth, weak = {}, {}, {}
  L.bp, L.detail, L.cap, L.marker, L.prose, L.markers, L.smooth, L.weak =
    bp, detail, cap, marker, prose, markers, smooth, weak
  local W, T, ST, DUP, S, E, NU, SE, HITS, WI, SY = L.words, L.term, L.stops, L.dup, L.start, L.stop, L.numbers,
    L.seps, L.hits, L.with, L.symbols
  local line, banner_bytes = features.line, features.BANNER_BYTES
  for i = 1, L.n do
    local nw, term, hits = W[i], T[i], HITS[i]
    if term and nw > 10 and not hits and not SY[i] and not DUP[i] and (not NU[i] or E[i] - S[i] >= banner_bytes) then
      prose[i] = true -- a plain sentence, most lines: nothing more to look at
    else
      local reason, kind, cat, det, is_weak
      -- lines without the signs the rules of features.line look for are
      -- read no further
      if (hits and (hits > 1 or not WI[i])) or SY[i]
        or (not term and ((WI[i] and nw <= 10) or (SE[i] and nw <= 40) or nw <= 4))
        or (NU[i] and E[i] - S[i] < banner_bytes) or (nw >= 8 and ST[i] == 0) then
        reason, kind, cat, det, is_weak = line(L, i, text, D)
        if is_weak then
          weak[#weak + 1] = i
        end
        if cat == "caption" then
          kind = "credit"
        elseif cat == "comments" or cat == "related" then
          reason, marker[i] = cat, cat
          markers[#markers + 1] = i
        elseif cat then
          reason, det = "ui-lexicon", cat
        end
      end
      local j = DUP[i]
      if j then
        reason, det, kind, marker[i] = "duplicate", "line " .. j, nil, nil
      end
      bp[i], cap[i], detail[i] = reason, kind, det
      if not reason and not kind then
        if (term and nw >= 8) or (nw >= 20 and ST[i] * 4 >= nw) then
          prose[i] = true
        elseif nw <= SHORT_WORDS and not term then
          smooth[#smooth + 1] = i
        end
      end
    end
  end
end

-- The line ending at byte e ends with a dash: - – —.
local function ends_with_dash(text, e)
  return byte(text, e) == 45 or sub(text, e - 2, e) == "\226\128\147" or sub(text, e - 2, e) == "\226\128\148"
end

local function free(L, i)
  return not L.bp[i] and not L.cap[i]
end

local function mark(L, i, reason, detail)
  L.bp[i], L.detail[i], L.prose[i] = reason, detail, nil
end

-- The headline: the line equal to the article's title when the record has
-- one, else the first headline-shaped line before the first paragraph (of
-- 5+ words, or 3+ with a word neither capitalised nor a function word: a
-- masthead like "The Daily Harbor" is taken only when nothing else is).
local function find_headline(L, text, title)
  local last = L.n < HEAD_LINES and L.n or HEAD_LINES
  if title and find(title, "%S") then
    local want = lede.line_key(title)
    for i = 1, last do
      if L.key[i] == want then
        return i
      end
    end
  end
  local fallback
  for i = 1, last do
    if free(L, i) then
      if L.prose[i] then
        break
      end
      local nw = L.words[i]
      if nw <= 40 and L.stop[i] - L.start[i] < HEADLINE_BYTES and not (L.term[i] and byte(text, L.stop[i]) == 46) then
        -- a short line of capitalised and function words only may be a
        -- masthead ("The Daily Harbor", "Le Courrier du Lac")
        if nw >= 5 or (nw >= 3 and (L.caps[i] or 0) + L.stops[i] < nw) then
          return i
        elseif nw >= 3 and not fallback then
          fallback = i
        end
      end
    end
  end
  return fallback
end

local function first_prose(L, from)
  for i = from, L.n do
    if L.prose[i] then
      return i
    end
  end
  return nil
end

local function last_prose(L)
  for i = L.n, 1, -1 do
    if L.prose[i] then
      return i
    end
  end
  return nil
end

-- A line printed again inside a longer line just below it (a summary
-- above the lede that copies it) is a copy too.
local function mark_contained(L, text, from, to, headline)
  local S, E = L.start, L.stop
  for i = from, to < L.n and to or L.n do
    local t = E[i] - S[i] < features.KEY_BYTES and sub(text, S[i], E[i])
    if t and i ~= headline and free(L, i) and L.words[i] >= 6 then
      local last = i + SUMMARY_WINDOW < L.n and i + SUMMARY_WINDOW or L.n
      for j = i + 1, last do
        if E[j] - S[j] > #t and find(sub(text, S[j], E[j]), t, 1, true) then
          mark(L, i, "duplicate", "inside line " .. j)
          break
        end
      end
    end
  end
end

-- The first comment-section marker with more article above it than below:
-- from there on, everything is comments.  Returns its line (or n + 1).
local function mark_comments(L, from)
  local first
  for _, i in ipairs(L.markers) do
    if i >= from and L.marker[i] == "comments" then
      first = i
      break
    end
  end
  if not first then
    return L.n + 1
  end
  local above, below, W = 0, 0, L.words
  for i = 1, L.n do
    if L.prose[i] then
      if i < first then
        above = above + W[i]
      else
        below = below + W[i]
      end
    end
  end
  for _, i in ipairs(L.markers) do
    if i >= first and L.marker[i] == "comments" then
      if above > below then
        for j = i, L.n do
          if not L.bp[j] then
            mark(L, j, "comments")
          end
          L.cap[j] = nil
        end
        return i
      end
      for j = first, i do -- the article above the next marker grows
        if L.prose[j] then
          above, below = above + W[j], below - W[j]
        end
      end
      first = i
    end
  end
  return L.n + 1
end

-- A related link: a headline-sized line.
local function link_like(L, j)
  local nw = L.words[j]
  return nw >= 1 and nw <= 25 and L.stop[j] - L.start[j] < HEADLINE_BYTES and not (L.term[j] and nw >= 12)
    and L.marker[j] ~= "comments"
end

-- After a related-links marker, the headline-sized lines that follow it
-- without a blank line are links; in the page's tail (after the last
-- paragraph) blank lines do not end the list.
local function mark_related(L, from, to, last_para)
  for _, i in ipairs(L.markers) do
    if i >= from and i < to and L.marker[i] == "related" then
      local in_tail = last_para ~= nil and i > last_para
      local j = i + 1
      while j < to and link_like(L, j) and (in_tail or not L.gap[j]) do
        if not L.bp[j] then
          mark(L, j, "related")
        end
        L.cap[j] = nil
        j = j + 1
      end
    end
  end
end

-- The lines the corpus pass counts across an outlet's pages: short lines
-- left as content, that are no paragraph.  Returns { s = starts, e =
-- stops, k = keys, i = inner } (nil when there are none): each key is the
-- line's key after "h " before the first paragraph, else "a "; `inner`
-- lists the lines that are headings between two paragraphs (no final
-- period), which must recur more to count as template.  An article's own
-- headline, reprinted in a sibling's related links, is in the head of one
-- page and not of the other.  Arrays, not text: the corpus pass reads them
-- back as they are instead of parsing every line.
function M.template_candidates(L, text)
  local first, last = first_prose(L, 1), last_prose(L)
  local starts, stops, keys, inner = {}, {}, {}, {}
  local S, E, K, bp, cap, prose = L.start, L.stop, L.key, L.bp, L.cap, L.prose
  local short = features.KEY_BYTES
  for i = 1, L.n do
    if not bp[i] and not cap[i] and not prose[i] and E[i] - S[i] < short and K[i] ~= "" then
      local j = #keys + 1
      starts[j], stops[j] = S[i], E[i]
      if first == nil or i < first then
        keys[j] = "h " .. K[i] -- the page's head counts apart from the rest
      else
        keys[j] = "a " .. K[i]
        if i < last and byte(text, E[i]) ~= 46 then inner[#inner + 1] = j end
      end
    end
  end
  return #keys > 0 and { s = starts, e = stops, k = keys, i = inner } or nil
end

-- Classifies the lines L (lede.lines of `text` with
-- features.scan_options(D)) with the data D; `title` is the article's
-- title from its record, or nil.  Fills L.bp / L.detail (a boilerplate
-- reason and its detail), L.cap (a caption kind) and L.prose.
function M.classify(L, text, D, title)
  first_pass(L, text, D)
  local n = L.n
  local headline = find_headline(L, text, title)
  if headline and L.bp[headline] ~= "duplicate" then
    L.bp[headline], L.detail[headline], L.marker[headline] = nil, nil, nil
  end
  -- a copy of the lede above it (a summary) is looked for up to the first
  -- paragraph, which may itself be that copy
  local lede_from = headline and headline + 1 or 1
  local first_para = first_prose(L, lede_from)
  mark_contained(L, text, lede_from, first_para and first_para < HEAD_LINES and first_para or HEAD_LINES,
    headline)
  first_para = first_prose(L, lede_from)

  -- before the headline: the page's head (mastheads, menus, banners)
  if headline then
    for i = 1, headline - 1 do
      if free(L, i) and not L.prose[i] then
        mark(L, i, "short-line", "before the headline")
      end
    end
  end
  -- between the headline and the first paragraph: bylines, captions, dates
  -- and labels like "Analysis" or "Middle East Live Updates" (title case,
  -- no function word); not a dateline on a line of its own ("KARSK —")
  local lede_to = (first_para or 1) - 1 -- no paragraph at all: no such place
  if lede_to > HEAD_LINES then
    lede_to = HEAD_LINES
  end
  for i = lede_from, lede_to do
    local nw = L.words[i]
    if free(L, i) and not L.term[i] and (nw <= 3 or (nw <= 6 and L.caps[i] == nw and L.stops[i] == 0))
      and not ends_with_dash(text, L.stop[i]) then
      mark(L, i, "short-line", "before the first paragraph")
    end
  end

  if #L.markers > 0 then
    local comments = mark_comments(L, lede_from)
    mark_related(L, lede_from, comments, nil)
    mark_related(L, lede_from, comments, last_prose(L))
  end
  -- after the last paragraph: footers, share lines, tag lists
  local last_para = last_prose(L)
  if last_para then
    for i = last_para + 1, n do
      if free(L, i) and not (L.term[i] and L.words[i] >= 3) then
        mark(L, i, "short-line", "after the article")
      end
    end
  end
  -- weak evidence (a phrase inside a sentence, a bare date, a link) does not
  -- take a line out of the article's body, between its paragraphs
  local first = first_prose(L, 1)
  for _, i in ipairs(L.weak) do
    if first and last_para and i > first and i < last_para and L.bp[i] ~= "duplicate" and not L.marker[i]
      and L.bp[i] ~= "comments" and L.bp[i] ~= "related" then
      L.bp[i], L.detail[i] = nil, nil
    end
  end
  -- neighbour smoothing: a short line between two boilerplate lines
  for _, i in ipairs(L.smooth) do
    if i > 1 and i < n and free(L, i) and L.bp[i - 1] and L.bp[i + 1] then
      mark(L, i, "short-line", "between boilerplate lines")
    end
  end
end

return M
