-- The corpus pass's rules for merging spellings of a speaker's name
-- (plugins/quotes/lib/quotes/speakers.lua), on names of our own.
local t = require("lede.test")
local speakers = require("quotes.speakers")

local function same(a, b)
  return speakers.variants(speakers.words(a), speakers.words(b))
end

t.case("transliterations and accents of one name merge", function()
  t.ok(same("Sergei Ivanenko", "Sergey Ivanenko"))
  t.ok(same("Dmitri Volkan", "Dmitrij Volkan"))
  t.ok(same("Dmitry Volkan", "Dmitri Wolkan"))
  t.ok(same("Mohammed Tahiri", "Muhammad Tahiri"))
  t.ok(same("José Núñez", "Jose Nunez"))
  t.ok(same("Bashir al-Rami", "Bashir Rami"))
  t.ok(same("Philipp Kaar", "Filip Kar"))
end)

t.case("other names stay apart", function()
  t.ok(not same("Anna Korel", "Anton Korel"))
  t.ok(not same("Mark Vance", "Mike Vance"))
  t.ok(not same("Sergei Ivanenko", "Sergei Ivanov"))
  t.ok(not same("Lena Dasko", "Lena Dasko Mirova"))
end)

t.case("groups: spellings, bare surnames, bodies", function()
  local rows = {
    { name = "Sergei Ivanenko", type = "person", quotes = 1, articles = 1, roles = { "Foreign Minister" } },
    { name = "Sergey Ivanenko", type = "person", quotes = 2, articles = 1, roles = {} },
    { name = "Ivanenko", type = "person", quotes = 1, articles = 1, roles = {} },
    { name = "Interior Ministry", type = "organisation", quotes = 2, articles = 2, roles = {} },
    { name = "interior ministry", type = "organisation", quotes = 1, articles = 1, roles = {} },
    { name = "a senior official", type = "unnamed", quotes = 3, articles = 2, roles = {} },
  }
  local records = {}
  for _, g in ipairs(speakers.merge(rows)) do
    local r = speakers.record(g)
    records[r.canonical] = r
  end
  t.eq(records["Sergey Ivanenko"].variants, { "Ivanenko", "Sergei Ivanenko", "Sergey Ivanenko" })
  t.eq(records["Sergey Ivanenko"].quotes, 4)
  t.eq(records["Sergey Ivanenko"].roles, { "Foreign Minister" })
  t.eq(records["Interior Ministry"].variants, { "Interior Ministry", "interior ministry" })
  t.eq(records["a senior official"].speaker_type, "unnamed")
  local n = 0
  for _ in pairs(records) do
    n = n + 1
  end
  t.eq(n, 3)
end)

t.case("the corpus pass: one row per canonical speaker, spans of layer quote", function()
  local out = t.corpus("quotes", {
    { key = "a.txt", text = "Envoys meet\n\n\"We are close,\" said Foreign Minister Sergei Ivanenko.\n" },
    { key = "b.txt", text = "Accord signed\n\n\"It holds,\" said Foreign Minister Sergey Ivanenko.\n\n" ..
      "Ivanenko added that it would be reviewed in five years.\n" },
  })
  t.eq(#out.quote, 3)
  t.eq(out.quote[1].text, "We are close")
  t.eq(out.quote[1].speaker, "Sergei Ivanenko")
  t.eq(out.quote[3].kind, "indirect")
  t.eq(out.quote[3].speaker, "Sergey Ivanenko")
  t.eq(#out.speaker, 1)
  t.eq(out.speaker[1].canonical, "Sergey Ivanenko")
  t.eq(out.speaker[1].variants, { "Sergei Ivanenko", "Sergey Ivanenko" })
  t.eq(out.speaker[1].quotes, 3)
  t.eq(out.speaker[1].roles, { "Foreign Minister" })
end)
