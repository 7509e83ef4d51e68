-- The page as lines (the engine's blocks): text, words, and what other
-- passes said about them (boilerplate and caption spans, when present).
local text = require("metadata.text")

local M = {}

-- Share of each line's bytes covered by the spans (both lists sorted by start).
local function coverage(lines, spans)
  local merged = {}
  for _, s in ipairs(spans) do
    local last = merged[#merged]
    if last and s.start <= last[2] + 1 then
      if s.stop > last[2] then last[2] = s.stop end
    else
      merged[#merged + 1] = { s.start, s.stop }
    end
  end
  local out, j = {}, 1
  for i, l in ipairs(lines) do
    while j <= #merged and merged[j][2] < l.start do j = j + 1 end
    local covered, k = 0, j
    while k <= #merged and merged[k][1] <= l.stop do
      local a = math.max(merged[k][1], l.start)
      local b = math.min(merged[k][2], l.stop)
      if b >= a then covered = covered + (b - a + 1) end
      k = k + 1
    end
    out[i] = covered / math.max(1, l.stop - l.start + 1)
  end
  return out
end

-- Folded text, words and word count of a line are made on first use: most
-- lines of a long page never need them.
local LINE = {
  __index = function(l, k)
    local v
    if k == "fold" then
      v = text.quick(l.text)
    elseif k == "words" then
      v = text.plain_words(l.fold)
    elseif k == "n" then
      v = #l.words
    else
      return nil
    end
    rawset(l, k, v)
    return v
  end,
}

-- Photo captions and their credits: "(MPA Photo)", "/ AFP PHOTO / NAME",
-- "(Foto: ...)", "© NAME / Outlet", "(file photo)", "Getty Images".
local CAPTION_WORDS = { "photo", "photos", "foto", "fotos", "photograph", "picture", "pictures", "getty",
  "image", "images" }

-- Marks the lines holding a caption word or a © (with more than six words):
-- one search of the whole text per word, not one per line.
local function mark_captions(page, low)
  local lines = page.lines
  for _, w in ipairs(CAPTION_WORDS) do
    local a, b = low:find(w, 1, true)
    while a do
      if text.boundary(low, a, b) then
        local i = M.line_at(page, a)
        if i then lines[i].caption = true end
      end
      a, b = low:find(w, b + 1, true)
    end
  end
  local a = page.text:find("\u{00A9}", 1, true)
  while a do
    local i = M.line_at(page, a)
    if i and lines[i].n > 6 then lines[i].caption = true end
    a = page.text:find("\u{00A9}", a + 1, true)
  end
end

-- A sentence-like paragraph: sentence punctuation and eight words or more.
local function prose_like(l)
  local len = #l.text
  if len < 25 or not l.text:find("[%.!?\"\u{201D}\u{00BB}:]") then return false end
  return len >= 80 or l.n >= 8
end

-- Builds the page of `doc`.  Each line: i, start, stop (1-based, inclusive),
-- text, bp (mostly boilerplate by the boilerplate layer), caption, prose (a
-- sentence-like paragraph), and on first use fold (text.quick), words and
-- n (word count).
function M.build(doc)
  local lines = {}
  for i, b in ipairs(doc:blocks({ all = true })) do
    lines[i] = setmetatable({ i = i, start = b.start, stop = b.stop, text = b.text }, LINE)
  end
  local bp_spans = doc:spans("boilerplate")
  local bp = coverage(lines, bp_spans)
  local cap = coverage(lines, doc:spans("caption"))
  for i, l in ipairs(lines) do
    l.bp = bp[i] > 0.5
    l.caption = cap[i] > 0.5
    l.prose = prose_like(l)
  end
  local page = { doc = doc, text = doc.text, lines = lines, has_bp = #bp_spans > 0 }
  mark_captions(page, doc.text:lower())
  return page
end

-- The whole text in text.quick form (same offsets), made on first use.
function M.quick(page)
  page.quick = page.quick or text.quick(page.text)
  return page.quick
end

-- Index of the line holding byte `pos` (1-based), by binary search.
function M.line_at(page, pos)
  local lines = page.lines
  local lo, hi = 1, #lines
  while lo <= hi do
    local mid = (lo + hi) // 2
    local l = lines[mid]
    if pos < l.start then hi = mid - 1
    elseif pos > l.stop then lo = mid + 1
    else return mid end
  end
  return nil
end

return M
