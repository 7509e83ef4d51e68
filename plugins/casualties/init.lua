-- Stock plugin `casualties`: every casualty figure of an article (killed,
-- wounded, displaced, abducted, arrested, missing), normalised — count or
-- range, qualifier, victims, place, scope, date — and, over the corpus, the
-- series of tolls those figures make.  How it decides: docs/casualties.md.
local lexicon = require("casualties.lexicon")
local patterns = require("casualties.patterns")
local context = require("casualties.context")
local track = require("casualties.track")

local lex -- word lists, loaded by setup()

-- Content sentences holding a cue word (found in C over the whole doc).
local function candidate_sentences(doc, sentences)
  local hits = lex.trigger:match(doc)
  local out, si = {}, 1
  for _, h in ipairs(hits) do
    while sentences[si] and sentences[si].last < h.first do si = si + 1 end
    local s = sentences[si]
    if not s then break end
    if s.first <= h.first and out[#out] ~= si then out[#out + 1] = si end
  end
  return out
end

return {
  name = "casualties",
  version = "1",
  description = "casualty figures (killed, wounded, displaced, abducted, arrested, missing) normalised, and tolls tracked across articles",
  requires = { "boilerplate", "metadata" },
  layers = {
    figure = { "count", "low", "high", "qualifier", "vague", "category", "victims", "where", "scope", "as_of",
               "confidence", "rule", "repeat", "subset" },
    toll = { "series", "place", "category", "scope", "seq", "as_of", "count", "low", "high", "qualifier",
             "outlet", "previous", "change", "movement", "notes" },
    toll_series = { fields = { "series", "place", "category", "scope", "points", "first_as_of", "last_as_of",
                               "first", "last", "change", "trend", "decreases", "conflicts", "repeats", "outlets" },
                    rows = true },
  },
  options = {
    language = "",          -- number words and marks: "" reads the article's language
    decimal_comma = "auto", -- "true": 1.234,5; "false": 1,234.5; "auto": from the language
    tolerance = 0.1,        -- outlets' figures for one day differing by more than this share conflict
  },

  setup = function(ctx)
    local t = ctx.options.tolerance
    if type(t) ~= "number" or t < 0 or t >= 1 then
      error("option tolerance must be a share between 0 and 1, e.g. 0.1", 0)
    end
    lex = lexicon.load()
  end,

  article = function(doc, ctx)
    local sentences = doc:sentences()
    if #sentences == 0 then return end
    local cand = candidate_sentences(doc, sentences)
    if #cand == 0 then return end
    local text = doc.text
    local numopts = context.number_options(doc, ctx.options)
    local figures = {}
    for _, idx in ipairs(cand) do
      local s = sentences[idx]
      local toks = lede.num.tokens(text, numopts, s.start, s.stop)
      if toks then
        for _, f in ipairs(patterns.find(toks, lex)) do
          f.sentence, f.toks = idx, toks
          figures[#figures + 1] = f
        end
      end
    end
    if #figures == 0 then return end
    context.resolve(doc, sentences, figures, lex)
    for _, f in ipairs(figures) do
      doc:annotate("figure", f.start, f.stop, f.fields)
    end
  end,

  corpus = function(corpus, ctx)
    track.run(corpus, ctx.options)
  end,
}
