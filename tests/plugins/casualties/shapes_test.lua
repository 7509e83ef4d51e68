-- The casualties plugin on one-sentence articles of its own (lede test):
-- the shapes of a figure, the fields it gets, and counts that are no
-- casualty figures.
local t = require("lede.test")

-- The figures of `text` (published on Monday 6 May 2024 unless given).
local function figures(text, extra)
  local article = { text = text, published = "2024-05-06" }
  for k, v in pairs(extra or {}) do article[k] = v end
  return t.run("casualties", article).figure
end

-- Checks the listed fields of each figure, and that there are no more.
local function expect(text, want, extra)
  local got = figures(text, extra)
  t.eq(#got, #want, "figures of: " .. text)
  for i, w in ipairs(want) do
    for k, v in pairs(w) do t.eq(got[i][k], v, string.format("figure %d, %s, of: %s", i, k, text)) end
  end
end

t.case("people, then what happened to them", function()
  expect("Officials said 12 people were killed in Dalmore on Sunday.",
    { { count = 12, category = "killed", qualifier = "exact", victims = "people", where = "Dalmore",
        scope = "incident", as_of = "2024-05-05" } })
  expect("At least 7 miners are still unaccounted for.", { { count = 7, qualifier = "at_least", category = "missing" } })
  expect("Most were freed after ransoms were paid, but dozens remain in captivity.",
    { { vague = "dozens", category = "abducted" } })
  expect("Nine people died and 30 were injured when the bridge fell.",
    { { count = 9, category = "dead" }, { count = 30, category = "wounded" } })
  expect("4 killed, 11 hurt.", { { count = 4, category = "killed" }, { count = 11, category = "wounded" } })
  expect("Killed: 45. Injured: 120.", { { count = 45, category = "killed", rule = "label-count" }, { count = 120, category = "wounded" } })
  expect("Police say 4 officers and 2 civilians were hurt.",
    { { count = 4, category = "wounded", victims = "police officers" }, { count = 2, victims = "civilians" } })
  expect("At least three people \226\128\148 two women and a child \226\128\148 died.",
    { { count = 3, qualifier = "at_least", category = "dead" } })
end)

t.case("a verb, then the count", function()
  expect("The blast killed four workers and injured 15 more, police said.",
    { { count = 4, category = "killed", victims = "workers" }, { count = 15, category = "wounded" } })
  expect("Gunmen kidnapped 20 students from a school near Tavel.",
    { { count = 20, category = "abducted", victims = "students", where = "Tavel" } })
  expect("Police detained 140 after the march.", { { count = 140, category = "arrested" } })
  expect("The plane was shot down, killing all 298 people on board.", { { count = 298, category = "killed" } })
  expect("The blast killed the driver and 11 passengers.", { { count = 11, category = "killed", victims = "passengers" } })
  expect("They killed 12 soldiers and 30 civilians.", { { count = 12, victims = "soldiers" }, { count = 30, victims = "civilians" } })
  expect("The attack killed 12 and 30 others were wounded.", { { count = 12, category = "killed" }, { count = 30, category = "wounded" } })
  expect("Some 818 fighters were displaced and 2,493 others evacuated.", { { count = 818, category = "displaced" } })
  expect("Security forces shot dead 5 protesters.", { { count = 5, category = "dead", victims = "protesters" } })
  expect("The militants beheaded 12 hostages.", { { count = 12, category = "killed" } })
  expect("The storm has left at least 18 people dead.", { { count = 18, qualifier = "at_least", category = "dead" } })
  expect("The epidemic has claimed more than 2,000 lives.", { { count = 2000, qualifier = "more_than", category = "killed" } })
  expect("The floods forced some 60,000 people from their homes.", { { count = 60000, qualifier = "about", category = "displaced" } })
end)

t.case("tolls", function()
  expect("The death toll rose to 31 on Saturday.", { { count = 31, category = "dead", as_of = "2024-05-04" } })
  expect("Quake toll passes 500.", { { count = 500, qualifier = "more_than", category = "dead" } })
  expect("Ten more arrests on Friday brought to 64 the number of people detained.",
    { { count = 64, category = "arrested", scope = "cumulative" } })
  expect("The ministry put the death toll at 1,024.", { { count = 1024, category = "dead", rule = "toll-verb-count" } })
  expect("Authorities confirmed 4 deaths and 16 injuries.",
    { { count = 4, category = "dead" }, { count = 16, category = "wounded", rule = "count-noun" } })
end)

t.case("lives lost", function()
  expect("More than 70,000 lives have been lost in the conflict.",
    { { count = 70000, qualifier = "more_than", category = "dead", rule = "lives-lost", scope = "cumulative" } })
  expect("Twelve lives were lost at sea.", { { count = 12, category = "dead" } })
  expect("The team lost 3 games and 12 players lost their jobs.", {})
  expect("The violence has cost at least 3,000 lives.", { { count = 3000, category = "killed", rule = "claimed-lives" } })
  expect("The attack claimed at least 45 victims.", { { count = 45, qualifier = "at_least", category = "killed" } })
  expect("The blast cost the lives of 18 people.", { { count = 18, category = "killed" } })
  expect("The repairs cost 3,000 dollars.", {})
end)

t.case("ranges, words and vague quantities", function()
  expect("Between 40 and 50 people are missing.", { { low = 40, high = 50, category = "missing", qualifier = "exact" } })
  expect("Twenty-three people were wounded.", { { count = 23, category = "wounded" } })
  expect("Dozens of civilians were killed.", { { vague = "dozens", qualifier = "vague", category = "killed", low = 24 } })
  expect("Tens of thousands have fled.", { { vague = "tens of thousands", category = "displaced" } })
end)

t.case("sub-counts and repeats", function()
  expect("The shelling killed 12 people. Among the dead were three children.",
    { { count = 12 }, { count = 3, category = "dead", subset = true, victims = "children" } })
  expect("Nine members of the same family were among the dead.",
    { { count = 9, category = "dead", subset = true, rule = "count-among-the-state" } })
  expect("More than 1,000 people have been killed, 300 of them children.",
    { { count = 1000, subset = false }, { count = 300, category = "killed", victims = "children", subset = true } })
  expect("Five people were killed. The five people who were killed were all farmers.",
    { { count = 5, ["repeat"] = false }, { count = 5, ["repeat"] = true } })
end)

t.case("running totals and dates", function()
  expect("The war has killed more than 5,000 people since 2021.",
    { { count = 5000, scope = "cumulative", as_of = "2024-05-06" } })
  expect("In 1999, a cyclone killed 40 people in the same bay.", { { count = 40, as_of = nil } })
  expect("A cholera outbreak has killed 87 people, health officials said.", { { count = 87, scope = "cumulative" } })
  expect("Two men were arrested on April 30.", { { count = 2, as_of = "2024-04-30" } })
  expect("The death toll from Sunday's attack has climbed to 29.", { { count = 29, as_of = "2024-05-06" } })
  expect("Sunday's attack killed 12 people.", { { count = 12, as_of = "2024-05-05" } })
  -- an impossible publication day dates nothing; the article is read all the same
  expect("Sunday's attack killed 12 people on 3 May.", { { count = 12, as_of = nil } }, { published = "2019-02-30" })
end)

t.case("numbers that count no casualties", function()
  expect("A 10-year-old boy and a five-year-old girl were rescued.", {})
  expect("Turnout fell to 45% and the budget rose to $5 million.", {})
  expect("About 2,000 people marched for 3 hours; 200 people were rescued.", {})
  expect("None of the 12 passengers was hurt.", {})
  expect("Resolution 1701 was adopted in 2006 by 15 votes.", {})
  expect("Police seized 3 tonnes of cocaine.", {})
  expect("The oil spill killed 300 birds, and the bill would kill 500 jobs.", {})
  expect("The attack on 11 September 2001 killed nearly 3,000 people.",
    { { count = 3000, qualifier = "nearly", as_of = "2001-09-11" } })
end)

t.case("the same shapes in Spanish, French, German and Portuguese", function()
  expect("Al menos 84 personas murieron y más de 200 resultaron heridas.",
    { { count = 84, qualifier = "at_least", category = "dead" }, { count = 200, qualifier = "more_than", category = "wounded" } },
    { language = "es" })
  expect("El terremoto dejó 1.350 muertos.", { { count = 1350, category = "dead" } }, { language = "es" })
  expect("Hombres armados secuestraron a 12 estudiantes.", { { count = 12, category = "abducted", victims = "students" } },
    { language = "es" })
  expect("Decenas de civiles murieron en los bombardeos.", { { vague = "decenas", category = "dead", victims = "civilians" } },
    { language = "es" })
  expect("Au moins 84 personnes ont été tuées.", { { count = 84, qualifier = "at_least", category = "killed" } },
    { language = "fr" })
  expect("Le séisme a fait 1 350 morts et environ 4 000 blessés.",
    { { count = 1350, category = "dead" }, { count = 4000, qualifier = "about", category = "wounded" } }, { language = "fr" })
  expect("Mindestens 84 Menschen wurden getötet.", { { count = 84, qualifier = "at_least", category = "killed" } },
    { language = "de" })
  expect("Mais de 30 pessoas ficaram feridas.", { { count = 30, qualifier = "more_than", category = "wounded" } },
    { language = "pt" })
end)

t.case("number conventions of the article's language", function()
  expect("Some 1.500 people were displaced.", { { count = 1500, qualifier = "about" } }, { language = "de" })
  expect("Some 1.5 million people were displaced.", { { count = 1500000 } })
end)

t.case("a sentence of three thousand clauses costs no more per figure than a short one", function()
  local clauses = {}
  for k = 1, 3000 do
    clauses[k] = string.format("gunmen killed %d people and wounded %d others in Karsk", k + 1, k + 2000)
  end
  local got = figures("Officials said " .. table.concat(clauses, ", ") .. ".")
  t.eq(#got, 6000, "every figure of the sentence, within the instruction budget")
end)
