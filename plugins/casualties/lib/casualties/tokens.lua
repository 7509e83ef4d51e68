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

-- Clause breaks: punctuation, and words opening a subordinate clause.
local BREAK_P = {
  [","] = true, [";"] = true, [":"] = true, ["("] = true, [")"] = true, ["\226\128\148"] = true,
  ["\226\128\147"] = true, ["-"] = true, ["["] = true, ["]"] = true, ["|"] = true,
}
local BREAK_W = {
  after = true, when = true, ["while"] = true, because = true, before = true, although = true,
  though = true, whereas = true, ["until"] = true,
}

-- Segment number of every token (clauses, roughly).
function M.segments(t)
  local seg, cur = {}, 1
  local tw, tk = t.w, t.k
  for i = 1, t.n do
    local w, k = tw[i], tk[i]
    if (k == "p" and BREAK_P[w]) or (k == "w" and BREAK_W[w])
      or (w == "by" and tk[i + 1] == "w" and sub(tw[i + 1], -3) == "ing")
      or (w == "as" and k == "w" and (tw[i + 1] == "the" or tw[i + 1] == "a" or tw[i + 1] == "an")) then
      cur = cur + 1
    end
    seg[i] = cur
  end
  return seg
end

return M
