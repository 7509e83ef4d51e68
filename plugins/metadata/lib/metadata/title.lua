-- The headline as printed: the first headline-shaped line near the top of
-- the page whose words the story below echoes.
local text = require("metadata.text")

local M = {}

-- Furniture phrases indexed by their first word.
function M.load()
  local furniture = {}
  for _, phrase in ipairs(text.data_lines("data/page_furniture.txt")) do
    local first = phrase:match("^[^%s]+")
    furniture[first] = furniture[first] or {}
    table.insert(furniture[first], phrase)
  end
  return { furniture = furniture, stop = text.data_set("data/stopwords.txt") }
end

-- Navigation, prompts and notices ("Skip to main content", "Sign in").
function M.furniture(lex, l)
  l.plain = l.plain or text.plain(l.text)
  local first = l.plain:match("^[^%s]+")
  for _, p in ipairs(first and lex.furniture[first] or {}) do
    if text.starts_with_phrase(l.plain, p) then return true end
  end
  return false
end

-- Menus and breadcrumbs: items separated by | › » / · •.
local SEPARATORS = { " | ", " \u{203A} ", " \u{00BB} ", " / ", " \u{00B7} ", " \u{2022} " }

local function menu_like(l)
  for _, sep in ipairs(SEPARATORS) do
    if l.text:find(sep, 1, true) then return true end
  end
  return false
end

-- Whether line l could be a headline at all.
local function headline_shaped(lex, l)
  if l.n < 3 or l.n > 30 or l.caption or M.furniture(lex, l) or menu_like(l) then return false end
  if l.text:find("\u{00A9}", 1, true) then return false end
  -- a headline has no final full stop (an ellipsis or an abbreviation may end one)
  if l.text:match("[^%.%u]%.$") then return false end
  if l.n <= 4 and l.text:match("%f[%w][%w%-]+%.%a%a%a?%s*$") then return false end -- "To site.ng"
  local low = text.fold(l.text)
  if low:match("^by ") or low:match("^par ") or low:match("^por ") or low:match("^von ") then return false end
  return true
end

-- Content words of line l (no function words).
local function content_words(lex, l)
  local out = {}
  for _, w in ipairs(l.words) do
    if not lex.stop[w] and (#w >= 3 or w:match("%d")) then out[#out + 1] = w end
  end
  return out
end

-- How many of l's content words recur in the prose below it (up to 30
-- paragraphs, boilerplate left out).
local function echo(lex, page, i)
  local words = content_words(lex, page.lines[i])
  if #words == 0 then return 0, 0 end
  local below = {}
  for j = i + 1, #page.lines do
    local o = page.lines[j]
    if o.prose and not (page.has_bp and o.bp) then
      below[#below + 1] = o.text
      if #below >= 30 then break end
    end
  end
  below = text.quick(table.concat(below, "\n"))
  local shared = 0
  for _, w in ipairs(words) do
    if text.has_word(below, w) then shared = shared + 1 end
  end
  return shared, #words
end

-- A paragraph that ends like a sentence: the story (or its standfirst) has begun.
local function ends_sentence(l)
  local t = l.text
  return t:sub(-1) == "." or t:sub(-2) == ".\"" or t:sub(-4) == ".\u{201D}" or t:sub(-4) == ".\u{2019}"
end

-- Picks the headline line among the first lines of the page.  `skip(i)`
-- says which lines are known to be something else (date lines, the
-- masthead); `stop_at` is the dateline paragraph, where the story begins.
-- The first headline-shaped line whose words recur in the story wins,
-- unless it is a short topic label ("Russia-Ukraine war") and a line
-- sharing more words follows before the story begins; failing all that,
-- the first headline-shaped line.  Returns the line index and why, or nil.
function M.pick(lex, page, skip, stop_at)
  local lines = page.lines
  local limit = math.min(#lines, stop_at and stop_at - 1 or 60, 60)
  local scores = {}
  local function score(i)
    if scores[i] == nil then
      local l = lines[i]
      scores[i] = false
      if not skip(i) and headline_shaped(lex, l) then
        local shared, n = echo(lex, page, i)
        scores[i] = { shared = shared, ok = shared >= math.min(2, n) and shared / n >= 0.3 }
      end
    end
    return scores[i]
  end
  local first
  for pass = 1, 2 do -- boilerplate lines only when nothing else qualifies
    for i = 1, limit do
      local sc = (pass == 2 or not (page.has_bp and lines[i].bp)) and score(i)
      if sc and sc.ok then
        if lines[i].n > 4 then return i, "first headline-shaped line whose words recur in the story" end
        for j = i + 1, limit do
          local l = lines[j]
          if l.prose and ends_sentence(l) and not l.caption then break end
          local other = not (page.has_bp and l.bp) and score(j)
          if other and other.ok and other.shared > sc.shared then
            return j, "headline under a topic label, sharing more words with the story"
          end
        end
        return i, "first headline-shaped line whose words recur in the story"
      end
      first = first or (sc and i)
    end
    if first then return first, "first headline-shaped line near the top" end
  end
  return nil
end

-- The line printing `title` (same words), if any.
function M.find(page, title)
  local want = table.concat(text.words(title), " ")
  for i, l in ipairs(page.lines) do
    if i > 80 then break end
    if table.concat(l.words, " ") == want then return i end
  end
  return nil
end

return M
