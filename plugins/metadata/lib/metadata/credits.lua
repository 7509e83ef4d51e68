-- Who published and who supplied the story: dateline, agencies, byline,
-- outlet.  Everything is read from the lines of the page (page.lua).
local text = require("metadata.text")
local pages = require("metadata.page")

local M = {}

-- ---- lexicons (built once, in setup) ----

function M.load()
  local agencies = {}
  for _, line in ipairs(text.data_lines("data/agencies.txt")) do
    local canon, aliases = line:match("^([^\t]+)\t(.+)$")
    if canon then
      for alias in aliases:gmatch("[^|]+") do
        agencies[table.concat(text.words(alias), " ")] = canon
      end
    end
  end
  return {
    agencies = agencies,
    not_names = text.data_set("data/not_names.txt"),
  }
end

-- ---- agencies ----

-- Words that make a credit a photo credit, which names no agency of the text.
local PHOTO = { photo = true, photos = true, foto = true, fotos = true, picture = true, pictures = true,
  image = true, images = true, video = true, file = true, getty = true, graphic = true }

-- The agency a credit item names: its canonical name from the lexicon, or
-- the item itself when it is an acronym of 2 to 6 capitals ("MPA").
local function agency_of(lex, item)
  item = text.trim(item:gsub("^%(", ""):gsub("%)$", ""))
  local words = text.words(item)
  if #words == 0 then return nil end
  for _, w in ipairs(words) do
    if PHOTO[w] then return nil end
  end
  local key = table.concat(words, " ")
  if lex.agencies[key] then return lex.agencies[key] end
  if key:sub(1, 4) == "the " and lex.agencies[key:sub(5)] then return lex.agencies[key:sub(5)] end
  if item:match("^%u%u%u?%u?%u?%u?$") and not lex.not_names[key] then return item end
  return nil
end

-- Splits a credit list "AFP, AP and VOA" into items.
local function list_items(s)
  s = s:gsub("%s+and%s+", ","):gsub("%s+y%s+", ","):gsub("%s+et%s+", ","):gsub("%s+und%s+", ",")
       :gsub("%s+e%s+", ","):gsub("%s*&%s*", ","):gsub("[/;|]", ",")
  local out = {}
  for item in s:gmatch("[^,]+") do
    item = text.trim(item)
    if item ~= "" then out[#out + 1] = item end
  end
  return out
end

-- Credit phrases (ASCII lower case, accents as written), each followed by
-- the list of sources.  "with" and "avec" alone only count on short lines
-- whose every item is an agency ("Kestrel Online with MPA").
local CREDIT_LEADS = {
  "with additional reporting by", "with reporting by", "additional reporting by", "reporting by",
  "compiled by", "source:", "sources:", "con información de", "con informacion de", "con agencias",
  "com informações de", "com informacoes de", "mit material von", "information from",
}
local LOOSE_LEADS = { "with", "avec", "con", "com", "mit" }

-- Finds the lead as a phrase in `low` (the line in ASCII lower case);
-- returns the byte after it.
local function find_lead(low, lead)
  local a, b = low:find(lead, 1, true)
  while a do
    local before_ok = a == 1 or low:sub(a - 1, a - 1):match("[%s|,%(]")
    local after_ok = b == #low or low:sub(b + 1, b + 1):match("[%s:]")
    if before_ok and after_ok then return b + 1 end
    a, b = low:find(lead, b + 1, true)
  end
  return nil
end

-- The part of a credit line that lists sources, and whether every item of
-- it must be an agency; nil when the line credits nobody.
local function credit_list(line)
  local low = line.text:lower()
  for _, lead in ipairs(CREDIT_LEADS) do
    local at = find_lead(low, lead)
    if at then return line.text:sub(at), false end
  end
  for _, lead in ipairs(LOOSE_LEADS) do
    local at = find_lead(low, lead)
    if at and (line.n > 8 or line.text:match("[%.!?]$")) then return nil end
    if at then
      -- "Kestrel Online with MPA", "Par NAME avec GNS": a name before the lead
      for _, w in ipairs(text.raw_words(line.text:sub(1, at - #lead - 1))) do
        if text.case_of(w) == "lower" then return nil end
      end
      return line.text:sub(at), true
    end
  end
  return nil
end

-- Agencies credited by one line: a credit line ("With reporting by ...",
-- "Kestrel Online with MPA", "Par NAME avec GNS"), or a line that is
-- only an agency's name ("Agence France-Presse").
local function line_agencies(lex, line, out)
  if #line.text > 160 then return end
  if #line.text <= 40 then
    local whole = lex.agencies[table.concat(text.words(line.text), " ")]
    if whole then
      out[#out + 1] = whole
      return
    end
  end
  local list, strict = credit_list(line)
  if not list or line.n > 16 then return end
  for _, w in ipairs(line.words) do
    if PHOTO[w] then return end
  end
  local found, items = {}, list_items(list)
  for _, item in ipairs(items) do
    local a = agency_of(lex, item)
    if a then found[#found + 1] = a end
  end
  if strict and #found ~= #items then return end
  for _, a in ipairs(found) do out[#out + 1] = a end
end

-- ---- dateline ----

-- What ends a dateline; a colon only after an all-capital place ("NEW DELHI:").
local DASHES = { " \u{2014} ", " \u{2013} ", " -- ", " - ", "\u{2014}", "\u{2013}", ": " }

-- Reads "MOSCOW, Russia (AFP) –", "PUERTO ANCLA -", "Kyiv (Reuters) -" at
-- the start of a paragraph: returns the place, the parenthesised
-- agencies, and the dateline as printed; nil when there is none.
function M.dateline(lex, s)
  local cut, dash_end, colon
  for _, d in ipairs(DASHES) do
    local a, b = s:find(d, 1, true)
    if a and a <= 90 and (not cut or a < cut) then cut, dash_end, colon = a, b, d == ": " end
  end
  if not cut then return nil end
  local rest = text.trim(s:sub(dash_end + 1))
  if not rest:match("^[%u\"'\194-\244%d%(]") then return nil end
  local head = text.trim(s:sub(1, cut - 1))
  local agencies = {}
  head = head:gsub("%s*%(([^()]*)%)", function(inner)
    for _, item in ipairs(list_items(inner)) do
      local a = agency_of(lex, item)
      if a then agencies[#agencies + 1] = a end
    end
    return ""
  end)
  -- a date written into the dateline ("LONDON, May 7") is not the place
  local dates = lede.dates(head, { relative = false })
  if #dates > 0 then head = text.trim(head:sub(1, dates[1].start - 1)) end
  head = text.trim(head:gsub("[,%s]+$", ""))
  if head == "" then return nil end
  local parts = {}
  for part in head:gmatch("[^,]+") do parts[#parts + 1] = text.trim(part) end
  if #parts > 3 then return nil end
  local city = text.raw_words(parts[1])
  if #city == 0 or #city > 4 or lex.not_names[text.words(city[1])[1] or ""] then return nil end
  local caps, capitalised = true, true
  for _, w in ipairs(city) do
    local case = text.case_of(w)
    if case ~= "upper" and not w:match("^%u%.?$") then caps = false end
    if case == "lower" then capitalised = false end
  end
  -- all-capital places stand alone; a capitalised one needs its agency
  if not (caps or (capitalised and #agencies > 0 and not colon)) then return nil end
  for k = 2, #parts do
    local words = text.raw_words(parts[k])
    if #words == 0 or #words > 3 then return nil end
    for _, w in ipairs(words) do
      if text.case_of(w) == "lower" then return nil end
    end
  end
  return { place = table.concat(parts, ", "), agencies = agencies, printed = text.trim(s:sub(1, dash_end)) }
end

-- ---- byline ----

local BYLINE_LEADS = { "by ", "par ", "por ", "von ", "written by ", "reporting by " }

function M.byline(line)
  if #line.text > 200 or not line.text:match("^[BbPpVvWwRr]") or line.n > 14 then return nil end
  local low = line.text:sub(1, 16):lower()
  for _, lead in ipairs(BYLINE_LEADS) do
    if low:sub(1, #lead) == lead then
      local who = text.trim(line.text:sub(#lead + 1))
      for _, sep in ipairs({ " | ", " avec ", " with ", " con ", " com ", " mit ", " \u{2013} ", " \u{2014} ", " - " }) do
        local a = who:find(sep, 1, true)
        if a then who = who:sub(1, a - 1) end
      end
      who = text.trim(who)
      if who ~= "" and who:match("^[%u\194-\244]") then return who end
    end
  end
  return nil
end

-- ---- outlet ----

local CORPORATE = { ltd = true, limited = true, inc = true, llc = true, plc = true, gmbh = true, sa = true,
  ag = true, corp = true, corporation = true, co = true, group = true, media = true, sl = true, srl = true,
  spa = true, bv = true, nv = true, holdings = true, company = true, publishing = true }

local RIGHTS = { "all rights reserved", "todos los derechos reservados", "tous droits reserves",
  "alle rechte vorbehalten", "todos os direitos reservados", "tutti i diritti riservati" }

-- The name in a copyright line: "© 2024 Daily Harbor Media Group Ltd. All
-- rights reserved." gives "Daily Harbor"; "Kestrel Online © 2024." gives
-- "Kestrel Online".  Returns the words as written, or nil.
local function copyright_name(line)
  local s = line.text
  local mark = s:find("\u{00A9}", 1, true) or s:find("%([cC]%)") or s:find("[Cc]opyright")
  if not mark then return nil end
  local function clean(part)
    part = part:gsub("\u{00A9}", " "):gsub("%([cC]%)", " "):gsub("[Cc]opyright", " ")
    local f = text.fold(part)
    for _, r in ipairs(RIGHTS) do
      local a = f:find(r, 1, true)
      if a then part = part:sub(1, a - 1) end
    end
    part = part:gsub("%d%d%d%d", " "):gsub("^[%s%p]+", "")
    local cut
    for _, sep in ipairs({ " - ", "\u{2013}", "\u{2014}", "|", "/", ". " }) do
      local a = part:find(sep, 1, true)
      if a and (not cut or a < cut) then cut = a end
    end
    if cut then part = part:sub(1, cut - 1) end
    local words = text.raw_words(part)
    while #words > 0 and CORPORATE[text.fold(words[#words]):gsub("%.", "")] do words[#words] = nil end
    if #words == 0 or #words > 6 then return nil end
    for _, w in ipairs(words) do
      if text.case_of(w) == "lower" and #w > 3 then return nil end
    end
    return table.concat(words, " ")
  end
  return clean(s:sub(mark)) or (mark > 1 and clean(s:sub(1, mark - 1))) or nil
end

-- "Download the Lakeside App!", "Descarga la app de Noticias del Sur",
-- "Get the Coastline Post app", "Follow Kestrel Online on Telegram".
-- Patterns on the line in ASCII lower case, so offsets match the text.
local PROMOS = {
  "^download the (.-) app", "^get the (.-) app", "^descarga la app de (.+)$", "^follow (.-) on ",
  "^baixe o app d[oa] (.+)$", "^laden sie die (.-)%-app",
}

local function promo_name(line)
  local low = line.text:lower():gsub("[!%.%s]+$", "")
  for _, p in ipairs(PROMOS) do
    local a, b = low:find(p)
    if a then
      local name = low:match(p)
      local start = low:find(name, a, true)
      local words = text.raw_words(line.text:sub(start, start + #name - 1))
      if #words > 0 and #words <= 5 and text.case_of(words[1]) ~= "lower" then
        return table.concat(words, " ")
      end
    end
  end
  return nil
end

-- "... in 2014. – Lakeside.com" at the end of the story.
local function signoff_name(line)
  local at, name = line.text:match("()([%w%-]+)%.com%s*$")
  if not at then return nil end
  local before = text.trim(line.text:sub(1, at - 1))
  for _, d in ipairs({ "\u{2013}", "\u{2014}", "-" }) do
    if before:sub(-#d) == d then return name end
  end
  return nil
end

-- A bare domain on a short line near the top: "To harbourtimes.ng".
local function domain_name(line)
  if line.n > 4 then return nil end
  return line.text:match("(%f[%w][%w%-]+%.%a%a%a?)%s*$")
end


-- The outlet: a masthead line before the headline whose name recurs on
-- the page (copyright, "told Radio Horizon", "Follow Kestrel Online"), else
-- the copyright name, the sign-off, an app promo, a domain line.  `top` is
-- the index of the headline line (or a guess).  Returns name, why.
function M.outlet(page, top, furniture)
  local lines = page.lines
  local copyright, promo, signoff, domain
  for _, l in ipairs(lines) do
    if #l.text <= 200 and l.n <= 16 then
      copyright = copyright or copyright_name(l)
      promo = promo or promo_name(l)
    end
  end
  for i = #lines, math.max(1, #lines - 40), -1 do
    if lines[i].prose then
      signoff = signoff_name(lines[i])
      if signoff then break end
    end
  end
  for i = 1, math.min(top or 12, #lines) do
    local l = lines[i]
    if l.n >= 1 and l.n <= 5 and not furniture(l) and not l.text:find("%d") and not l.dated
       and not M.byline(l) then
      local words = l.words
      local start = (words[1] == "the" or words[1] == "le" or words[1] == "la" or words[1] == "el") and 2 or 1
      local core = table.move(words, start, #words, 1, {})
      local quick = pages.quick(page)
      local pattern = #core > 0 and quick:find(core[1], 1, true) and text.phrase_pattern(core)
      local at = pattern and quick:find(pattern)
      while at do
        local j = pages.line_at(page, at)
        local other = j and lines[j]
        if other and j ~= i and other.text ~= l.text and (#core >= 2 or copyright_name(other)) then
          return l.text, "masthead named again on the page", i
        end
        at = quick:find(pattern, at + 1)
      end
    end
    domain = domain or domain_name(l)
  end
  if copyright then return copyright, "copyright line" end
  if signoff then return signoff, "sign-off after the story" end
  if promo then return promo, "app or follow prompt" end
  if domain then return domain, "site name near the top" end
  return nil
end

-- ---- all credits ----

-- Agencies named in a byline ("By NAME, Reuters", "By AFP"): lexicon only.
local function byline_agencies(lex, who, out)
  for _, item in ipairs(list_items(who)) do
    local key = table.concat(text.words(item), " ")
    if lex.agencies[key] then out[#out + 1] = lex.agencies[key] end
  end
end

-- "... the statement said. (AFP)", "... -- Reuters": an agency signing the story.
local function signoff_agency(lex, line, out)
  local tail = line.text:match("%(([^()]+)%)%s*$")
  if not tail then
    for _, d in ipairs({ "\u{2013}", "\u{2014}", "--", " - " }) do
      local a = line.text:find(d, math.max(1, #line.text - 40), true)
      if a then tail = line.text:sub(a + #d) end
    end
  end
  if not tail then return end
  local key = table.concat(text.words(tail), " ")
  if lex.agencies[key] then out[#out + 1] = lex.agencies[key] end
end

-- Agencies from the dateline and from credit lines, in order, once each.
function M.agencies(lex, page, dateline, byline)
  local found = {}
  if dateline then
    for _, a in ipairs(dateline.agencies) do found[#found + 1] = a end
  end
  if byline then byline_agencies(lex, byline, found) end
  for _, l in ipairs(page.lines) do line_agencies(lex, l, found) end
  for i = #page.lines, 1, -1 do
    local l = page.lines[i]
    if l.prose and not l.caption and not (page.has_bp and l.bp) then
      signoff_agency(lex, l, found)
      break
    end
  end
  local out, seen = {}, {}
  for _, a in ipairs(found) do
    local k = text.fold(a)
    if not seen[k] then
      seen[k] = true
      out[#out + 1] = a
    end
  end
  return out
end

return M
