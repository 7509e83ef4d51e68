-- Stock plugin `casualties`: every casualty figure of an article (killed,
-- wounded, displaced, abducted, arrested, missing), normalised — count or
-- range, qualifier, victims, place, scope, date — and, over the corpus, the
-- series of tolls those figures make.  How it decides: docs/casualties.md.
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
    -- the extractor's rules are in C (core/casualty.h), its word lists here
    ctx.extractor = lede.casualties({
      cues = lede.data("data/cues.txt"),
      victims = lede.data("data/victims.txt"),
      words = lede.data("data/words.txt"),
      places = lede.data("data/places.txt"),
      gazetteer = lede.data("data/gazetteer.txt"),
    })
  end,

  article = function(doc, ctx)
    ctx.extractor:annotate(doc, "figure", ctx.options)
  end,

  corpus = function(corpus, ctx)
    -- the series of tolls, tracked in C (core/castrack.h)
    ctx.extractor:track(corpus, ctx.options)
  end,
}
