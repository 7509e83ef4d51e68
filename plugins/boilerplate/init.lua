-- boilerplate: tells the article from the page around it.  Per article, the
-- line-level rules of lib/boilerplate/ (UI lexicon, icons, banners, menus,
-- repeats, headline, comment and related sections, the page's head and
-- tail); per corpus, lines recurring across an outlet's pages.  How it
-- decides: docs/boilerplate.md.
local data = require("boilerplate.data")
local features = require("boilerplate.features")
local page = require("boilerplate.page")
local template = require("boilerplate.template")

return {
  name = "boilerplate",
  version = "2",
  description = "page furniture (menus, banners, repeats, comments, related links, template lines) and captions",
  layers = {
    boilerplate = { "reason", "detail" },
    caption = { "kind" },
    -- per article, one empty span listing the short lines kept as content,
    -- for the corpus pass to count across an outlet (lib/boilerplate/template.lua)
    boilerplate_index = { "lines" },
  },
  options = {
    languages = "en,fr,de,es,pt", -- UI lexicons and function words to load
    template_min = 2,             -- articles of one outlet a template line recurs in
    template_min_unknown = 3,     -- articles of the whole corpus, when the outlet is unknown
    outlet_from_folder = true,    -- no source or URL: the key's folder names the outlet
  },

  setup = function(ctx)
    local o = ctx.options
    if type(o.template_min) ~= "number" or o.template_min < 2
      or type(o.template_min_unknown) ~= "number" or o.template_min_unknown < 2 then
      error("options template_min and template_min_unknown must be numbers of articles, at least 2", 0)
    end
    ctx.data = data.load(data.languages(o.languages))
    ctx.scan = features.scan_options(ctx.data)
  end,

  article = function(doc, ctx)
    local text = doc.text
    local L = lede.lines(text, ctx.scan)
    page.classify(L, text, ctx.data, doc.title)
    -- one span per run of lines with the same reason (or caption kind)
    local bp, detail, cap, s, e = L.bp, L.detail, L.cap, L.start, L.stop
    local i, n = 1, L.n
    while i <= n do
      local reason, det, kind = bp[i], detail[i], cap[i]
      local j = i
      while j < n and bp[j + 1] == reason and detail[j + 1] == det and cap[j + 1] == kind do
        j = j + 1
      end
      if reason then
        doc:annotate("boilerplate", s[i], e[j], { reason = reason, detail = det })
      elseif kind then
        doc:annotate("caption", s[i], e[j], { kind = kind })
      end
      i = j + 1
    end
    local candidates = page.template_candidates(L, text)
    if candidates then
      doc:annotate("boilerplate_index", 1, 0, { lines = candidates })
    end
  end,

  corpus = function(corpus, ctx)
    local o = ctx.options
    template.run(corpus, {
      min = o.template_min,
      min_unknown = o.template_min_unknown,
      by_folder = o.outlet_from_folder,
    })
  end,
}
