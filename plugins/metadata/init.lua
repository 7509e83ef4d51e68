-- Stock plugin `metadata`: headline, dates, dateline, outlet and credits of
-- each article, read from the text itself (reference: docs/metadata.md).
-- Writes layer `meta` (one record per article) and layer `date` (every
-- date mention resolved to ISO, for later passes).  Metadata given at
-- ingest wins; the text only fills what is missing.
local text = require("metadata.text")
local pages = require("metadata.page")
local titles = require("metadata.title")
local credits = require("metadata.credits")
local when = require("metadata.when")

local lex -- lexicons, loaded by setup()

-- The order of all-numeric dates: the option, else the order of the
-- page's written dates ("7 May" vs "May 7"), else day first.
local function numeric_order(option, dates)
  if option == "dmy" or option == "mdy" then return option end
  local dmy, mdy = 0, 0
  for _, d in ipairs(dates) do
    if not d.numeric and d.order == "dmy" then dmy = dmy + 1 end
    if not d.numeric and d.order == "mdy" then mdy = mdy + 1 end
  end
  return mdy > dmy and "mdy" or "dmy"
end

local function any_assumed(dates)
  for _, d in ipairs(dates) do
    if d.order_assumed then return true end
  end
  return false
end

-- The day of a publication date given at ingest ("2024-03-19T18:05:00+01:00"
-- keeps its local date), or nil.
local function given_date(published)
  if not published or published == "" then return nil end
  local iso = published:match("^(%d%d%d%d%-%d%d%-%d%d)")
  if iso and lede.day_number(iso) then return iso end
  local d = lede.parse_date(published)
  return d and d.precision == "day" and d.iso or nil
end

-- The first paragraph after the headline that opens with a dateline.
local function find_dateline(page, from)
  local seen = 0
  for i = from, #page.lines do
    local l = page.lines[i]
    if l.prose and not l.caption and not (page.has_bp and l.bp) then
      local d = credits.dateline(lex.credits, l.text)
      if d then return d, i end
      seen = seen + 1
      if seen >= 8 then break end
    end
  end
  return nil
end

-- The first byline among the lines up to `upto`.
local function find_byline(page, upto)
  for i = 1, math.min(#page.lines, upto) do
    local who = credits.byline(page.lines[i])
    if who then return who end
  end
  return nil
end

-- Every date of the page, in its numeric order: resolved against the
-- publication date given at ingest, else absolute dates only (the
-- reference is worked out later).  Returns the dates and the order.
local function read_dates(page, given, opt)
  local scan = given and { ref = given, relative = true, future_days = opt.future_days } or { relative = false }
  local dates = lede.dates(page.text, scan)
  local order = numeric_order(opt.numeric_order, dates)
  if order ~= "dmy" and any_assumed(dates) then
    scan.order = order
    dates = lede.dates(page.text, scan)
  end
  when.attach(lex.when, page, dates, pages.line_at)
  return dates, order
end

-- The outlet (given, or found), then the headline, which is not the
-- masthead.  Fills sources; returns outlet, title, title line index.
local function find_outlet_and_title(doc, page, sources)
  local furniture = function(l) return titles.furniture(lex.title, l) end
  local first_prose = #page.lines + 1
  for i, l in ipairs(page.lines) do
    if l.prose and not (page.has_bp and l.bp) then
      first_prose = i
      break
    end
  end
  local outlet, why, masthead = doc.source ~= "" and doc.source or nil, nil, nil
  if outlet then
    sources.outlet = "ingest"
  else
    outlet, why, masthead = credits.outlet(page, math.min(first_prose, 15), furniture)
    if outlet then sources.outlet = "text: " .. why end
  end
  local title = doc.title ~= "" and doc.title or nil
  if title then
    sources.title = "ingest"
    return outlet, title, titles.find(page, title)
  end
  local outlet_words = outlet and table.concat(text.words(outlet), " ")
  local skip = function(i)
    local l = page.lines[i]
    return i == masthead or l.dated or (outlet_words and table.concat(l.words, " ") == outlet_words)
  end
  local _, story_i = find_dateline(page, 1)
  local title_i
  title_i, why = titles.pick(lex.title, page, skip, story_i)
  if not title_i then return outlet, nil, nil end
  sources.title = "text: " .. why
  return outlet, page.lines[title_i].text, title_i
end

-- The publication date and the reference that resolves the other dates;
-- with no publication date given, every date is read again against it.
-- Returns published (or nil), the reference and the resolved dates.
local function find_when(doc, page, dates, given, order, title_i, opt, sources, notes)
  local published, saved
  if given then
    published = { iso = given, confidence = 1, why = "given at ingest",
                  evidence = { source = "ingest", text = doc.published } }
    sources.published = "ingest"
    return published, { ref = given, relative = true, why = "the publication date" }, dates
  end
  published, saved = when.published(lex.when, page, dates, title_i, notes)
  local ref
  if published then
    sources.published = "text"
    ref = { ref = published.iso, relative = true, why = "the publication date" }
  else
    ref = when.reference(lex.when, page, dates, page.sentences, saved)
  end
  local resolved = lede.dates(page.text, { ref = ref.ref, not_before = ref.not_before, relative = ref.relative,
                                           order = order, future_days = opt.future_days })
  when.attach(lex.when, page, resolved, pages.line_at)
  return published, ref, resolved
end

-- The reference as recorded: a day that resolved relative dates, or bounds.
local function reference_record(ref)
  if not (ref.ref or ref.not_before) then return nil end
  return { date = ref.relative and ref.ref or nil, not_after = not ref.relative and ref.ref or nil,
           not_before = ref.not_before, why = ref.why }
end

return {
  name = "metadata",
  version = "1",
  description = "headline, publication and event dates, dateline, outlet, agencies and byline; dates resolved to ISO",
  layers = {
    meta = { "title", "published", "published_confidence", "published_evidence", "published_why",
             "event_date", "event_date_confidence", "event_date_evidence", "event_date_why",
             "dateline", "outlet", "agency", "byline", "reference", "sources", "notes" },
    date = { "iso", "precision", "relative", "inferred", "confidence" },
  },
  options = { numeric_order = "auto", future_days = 7, lead_paragraphs = 6 },

  setup = function()
    lex = { title = titles.load(), credits = credits.load(), when = when.load() }
  end,

  article = function(doc, ctx)
    local opt = ctx.options
    local page = pages.build(doc)
    page.sentences = doc:sentences({ all = true })
    local sources, notes = {}, {}
    local given = given_date(doc.published)
    local dates, order = read_dates(page, given, opt)
    local outlet, title, title_i = find_outlet_and_title(doc, page, sources)

    local dateline, dateline_i = find_dateline(page, title_i and title_i + 1 or 1)
    if dateline then sources.dateline = "text" end
    local byline = find_byline(page, (title_i or 0) + 15)
    if byline then sources.byline = "text" end
    local agency = credits.agencies(lex.credits, page, dateline, byline)
    if #agency > 0 then sources.agency = "text" end

    local published, ref, resolved = find_when(doc, page, dates, given, order, title_i, opt, sources, notes)
    for _, d in ipairs(resolved) do
      if d.iso then
        doc:annotate("date", d.start, d.stop, { iso = d.iso, precision = d.precision, relative = d.relative,
                                                inferred = d.inferred, confidence = d.confidence })
      end
    end
    local event = when.event(page, resolved, page.sentences, title_i and title_i + 1 or 1,
                             published and published.iso, opt.lead_paragraphs)
    if not event and published then
      event = { iso = published.iso, confidence = 0.5, why = "no date in the lead: the publication date" }
    end
    if event then sources.event_date = "text" end

    local anchor = title_i and page.lines[title_i] or (dateline_i and page.lines[dateline_i])
    doc:annotate("meta", anchor and anchor.start or 1, anchor and anchor.stop or 0, {
      title = title,
      published = published and published.iso,
      published_confidence = published and published.confidence,
      published_evidence = published and published.evidence,
      published_why = published and published.why,
      event_date = event and event.iso,
      event_date_confidence = event and event.confidence,
      event_date_evidence = event and event.evidence,
      event_date_why = event and event.why,
      dateline = dateline and dateline.place,
      outlet = outlet,
      agency = agency,
      byline = byline,
      reference = reference_record(ref),
      sources = sources,
      notes = #notes > 0 and notes or nil,
    })
  end,
}
