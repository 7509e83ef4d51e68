-- Stock plugin `quotes`: direct, partial and indirect quotes with their
-- speakers and cue verbs (docs/quotes.md).  The article pass writes layer
-- `quote` with lede's quote extractor, driven by the word lists of data/;
-- the corpus pass merges spelling variants of speakers' names into the rows
-- of layer `speaker`.
local speakers = require("quotes.speakers")

local LISTS = {
  cues = "cues.txt",
  roles = "roles.txt",
  titles = "titles.txt",
  organisations = "organisations.txt",
  groups = "groups.txt",
  function_words = "function_words.txt",
  acronyms = "acronyms.txt",
}

return {
  name = "quotes",
  version = "1",
  description = "quotes (direct, partial, indirect), their speakers and cue verbs; canonical speakers",
  -- quotes of comments and related headlines are not the article's
  requires = { "boilerplate" },
  layers = {
    quote = { "speaker", "speaker_as_written", "role", "speaker_type", "cue", "kind", "confidence", "rule" },
    -- canonical speakers of the corpus: rows of the corpus pass, not spans
    speaker = { fields = { "canonical", "variants", "speaker_type", "roles", "quotes", "articles" }, rows = true },
  },
  setup = function(ctx)
    local lists = {}
    for field, file in pairs(LISTS) do
      lists[field] = lede.data("data/" .. file)
    end
    ctx.quoter = lede.quoter(lists)
  end,
  article = function(doc, ctx)
    ctx.quoter:annotate(doc, "quote", "boilerplate")
  end,
  corpus = function(corpus, ctx)
    speakers.corpus(corpus, ctx.quoter)
  end,
}
