-- What the patterns need to know about tokens beyond lede.num.tokens
-- (which splits a sentence into words, quantities and punctuation, in C):
-- quote marks, and clause breaks.
local M = {}

local sub = string.sub

-- Quote marks: skipped between a verb and its count.
local QUOTES = {
  ['"'] = true, ["'"] = true, ["\226\128\156"] = true, ["\226\128\157"] = true, ["\226\128\152"] = true,
  ["\226\128\153"] = true, ["\194\171"] = true, ["\194\187"] = true, ["\226\128\185"] = true,
  ["\226\128\186"] = true, ["\226\128\158"] = true,
}
M.QUOTES = QUOTES

-- Clause breaks: punctuation, and words opening a subordinate clause; "by"
-- and "as" break only before a gerund and an article.  One lookup a token:
-- the value is the kind of token the word breaks as.
local BREAKS = {
  [","] = "p", [";"] = "p", [":"] = "p", ["("] = "p", [")"] = "p", ["\226\128\148"] = "p",
  ["\226\128\147"] = "p", ["-"] = "p", ["["] = "p", ["]"] = "p", ["|"] = "p",
  after = "w", when = "w", ["while"] = "w", because = "w", before = "w", although = "w",
  though = "w", whereas = "w", ["until"] = "w", by = "by", as = "as",
}
local ARTICLES = { the = true, a = true, an = true }

-- Segment number of every token (clauses, roughly).
function M.segments(t)
  local seg, cur = {}, 1
  local tw, tk = t.w, t.k
  for i = 1, t.n do
    local b = BREAKS[tw[i]]
    if b then
      local k = tk[i]
      if b == k or (b == "by" and tk[i + 1] == "w" and sub(tw[i + 1], -3) == "ing")
        or (b == "as" and k == "w" and ARTICLES[tw[i + 1]]) then
        cur = cur + 1
      end
    end
    seg[i] = cur
  end
  return seg
end

return M
