-- The line-local rules: UI lexicon, icon runs, date banners, menus, link
-- lines, bylines and photo credits.  They read the columns of lede.lines
-- (words, function words, separators, final punctuation, the key of the
-- line's start and end, the lexicon phrases found in it) and, only when a
-- rule needs it, the line itself; so a line's length costs little here.
local M = {}

local find, sub, byte, lower, gsub, gmatch, match =
  string.find, string.sub, string.byte, string.lower, string.gsub, string.gmatch, string.match

local KEY_BYTES = 200     -- lines up to this length are keyed whole
local TAIL_BYTES = 64     -- longer lines: the key of their end too
local BANNER_BYTES = 120  -- a date banner is short
local LONG_WORDS = 40     -- longer lines are prose or a notice: read at their end only
local PREFIX_WORDS = 14   -- a line starting with a UI phrase is short

-- Phrases of these categories found inside a sentence may be the news
-- itself ("the app uses cookies to ...", "may not be reproduced, the
-- court said"); those of promotions and notices ("... delivered to your
-- inbox") are not.
local WEAK_INSIDE = { cookie = true, copyright = true }

M.KEY_BYTES = KEY_BYTES
M.BANNER_BYTES = BANNER_BYTES

-- Short items between separators ("News | World | Sport", "International
-- › Europe"): at most three words an item, two when there are two (the
-- caller leaves out lines with numbers: "Karsk | 12 | 30" is a table row).
local function is_menu(nw, seps)
  return nw <= 3 * (seps + 1) and (seps >= 2 or nw <= 4)
end

-- Every word of the key is part of a date or a time, and there is a day, a
-- month, a clock time or a relative time among them: "Saturday, 9
-- November 2024", "Publié le 20 février 2024 à 09h15", "Posted 3 days ago".
local function is_banner(raw, k, D)
  local dates = D.dates
  local numbers, anchor, relative = 0, false, false
  for w in gmatch(k, "%S+") do
    local class = dates[w]
    if class then
      if class == "month" or class == "weekday" or class == "day" then
        anchor = true
      elseif class == "unit" or class == "rel" then
        relative = true
      end
    elseif w == "0" then
      numbers = numbers + 1
    elseif find(w, "^0%l%l?$") or find(w, "^0%l0%l?$") then
      numbers = numbers + 1 -- 25th, 09h15, 5pm, 2016-03-02T11:24:00Z
      anchor = anchor or find(w, "^0%l0") ~= nil or find(w, "m$") ~= nil
    else
      return false
    end
  end
  if numbers == 0 then
    return false
  end
  return anchor or relative or find(raw, "%d%d?[:h]%d%d") ~= nil or find(raw, "%d%d?[/.-]%d%d?[/.-]%d%d") ~= nil
end

-- "By Hannah Coyle", "Par Claire Vautrin, à Velgrad", "Por Redacción NdS |
-- con información de GNS": after the byline word, mostly capitalised names.
local function is_byline(raw, D)
  local credit = D.credit
  local up, low, first = 0, 0, true
  for tok in gmatch(raw, "[^%s,|/;:()%[%]]+") do
    if first then
      first = false
    else
      local class = credit[lede.line_key(tok)]
      if class ~= "joiner" and class ~= "with" then
        local c = byte(tok, 1)
        if (c >= 65 and c <= 90) or (c >= 0xC3 and lede.is_upper(tok)) then
          up = up + 1
        elseif c < 48 or c > 57 then
          low = low + 1
        end
      end
    end
  end
  return up >= 1 and up >= 2 * low
end

local function is_acronym(tok)
  return #tok >= 2 and #tok <= 6 and not find(tok, "[^%u&]")
end

-- "Kestrel Online with MPA and GNS": a few capitalised words, a "with"
-- word, then only agencies (known names or acronyms).
local function is_agency_credit(raw, D)
  local credit = D.credit
  local before, agencies_seen, after = 0, 0, false
  for tok in gmatch(raw, "[^%s,;/|()]+") do
    local k = lede.line_key(tok)
    local class = credit[k]
    if not after then
      if class == "with" and before > 0 then
        after = true
      elseif find(tok, "^%u") or class == "joiner" then
        before = before + 1
      else
        return false
      end
    elseif is_acronym(tok) or D.exact.agency:has(tok) then
      agencies_seen = agencies_seen + 1
    elseif class ~= "joiner" and class ~= "with" and not find(tok, "^%u") then
      return false
    end
  end
  return after and agencies_seen > 0 and before <= 5
end

local function is_letter_byte(c)
  return c ~= nil and ((c >= 97 and c <= 122) or c >= 0x80)
end

-- A photo word in a parenthesis "(AFP Photo)", "(Foto: GNS)", next to a
-- slash "/ AFP PHOTO /", "photo/ Public Domain", before a colon "Photo: X",
-- or a © followed by a name ("© Claire Vautrin / Le Courrier du Lac");
-- not "(Photo Gallery)".  `raw` is the line, or the end of a long line.
local function is_photo_credit(raw, D)
  local photo, notphoto = D.find.photo, D.notphoto
  for par in gmatch(raw, "%b()") do
    if #par <= 80 and photo:find(par) and not notphoto:find(par) then
      return true
    end
  end
  local lraw = lower(raw)
  for _, w in ipairs(D.photo_words) do
    local a, b = find(lraw, w, 1, true)
    while a do
      local after = byte(lraw, b + 1)
      if not is_letter_byte(byte(lraw, a - 1)) and (not is_letter_byte(after) or after == 115) then
        if find(lraw, "^s?%s?[/:]", b + 1) or find(sub(lraw, a > 12 and a - 12 or 1, a - 1), "/", 1, true) then
          return not notphoto:find(sub(raw, a, b + 16))
        end
      end
      a, b = find(lraw, w, b + 1, true)
    end
  end
  local at = find(raw, "\194\169%s*[^%d%s]")
  if at and at > #raw * 0.3 then
    local rest = sub(lraw, at)
    return not find(rest, "reserv", 1, true) and not find(rest, "right", 1, true)
      and not find(rest, "rechte", 1, true) and not find(rest, "droits", 1, true)
      and not find(rest, "direitos", 1, true) and not find(rest, "derechos", 1, true)
  end
  return false
end

-- The line opens with a quotation mark: " “ « „ ‘ '.
local function is_quoted(raw)
  local c = byte(raw, 1)
  if c == 34 or c == 39 then
    return true
  end
  local c2, c3 = sub(raw, 1, 2), sub(raw, 1, 3)
  return c2 == "\194\171" or c3 == "\226\128\156" or c3 == "\226\128\158" or c3 == "\226\128\152"
end

-- A label ("Tags:", "Read more:") is the text before the line's colon.
local function label(raw, D)
  local colon = find(raw, ":", 1, true)
  if not colon or colon > 80 then
    return nil
  end
  return D.prefix.label:get(sub(raw, 1, colon - 1))
end

-- Rules for line i; returns reason, caption kind, lexicon category, detail,
-- and whether the evidence is weak (a phrase found inside a sentence, a
-- bare date, a menu-like line, a link): weak boilerplate inside the
-- article's body stays text.
-- Lines of more than LONG_WORDS words have no key (lede.lines leaves it
-- empty): only their end is read, for a photo credit or a © notice.
function M.line(L, i, text, D)
  local s, e, nw, term, k = L.start[i], L.stop[i], L.words[i], L.term[i], L.key[i]
  local short = e - s < KEY_BYTES and nw <= LONG_WORDS
  local raw -- the line, read when a rule needs it
  local copyright = false
  if L.symbols[i] then
    raw = short and sub(text, s, e) or sub(text, e - TAIL_BYTES + 1, e)
    copyright = find(raw, "\194\169", 1, true) ~= nil
  end
  if nw >= 8 and L.stops[i] == 0 then
    local head = short and k or lede.line_key(sub(text, s, s + KEY_BYTES - 1))
    if find(head, "icon", 1, true) then
      local _, icons = gsub(head, "icon", "")
      if icons >= 3 and icons * 10 >= (short and nw or #head // 6) * 3 then
        return "icons"
      end
    end
  end
  if not short then
    if (copyright or L.photo[i]) and is_photo_credit(sub(text, e - TAIL_BYTES + 1, e), D) then
      return nil, "photo"
    end
    local cat = L.contains[i]
    if cat then
      return nil, nil, cat, nil, (term or nw >= 15) and WEAK_INSIDE[cat]
    elseif copyright and nw <= LONG_WORDS then
      return "ui-lexicon", nil, nil, "copyright"
    end
    return nil
  end
  -- captions and credits
  if L.byline[i] and nw >= 2 and nw <= 12 then
    raw = raw or sub(text, s, e)
    if byte(raw, -1) ~= 46 and is_byline(raw, D) then
      return nil, "byline"
    end
  end
  if L.agency[i] then
    return nil, "credit"
  end
  if copyright or L.photo[i] then
    raw = raw or sub(text, s, e)
    if is_photo_credit(raw, D) then
      return nil, "photo"
    end
  end
  if L.with[i] and not term and nw >= 3 and nw <= 10 then
    raw = raw or sub(text, s, e)
    if is_agency_credit(raw, D) then
      return nil, "credit"
    end
  end
  -- the UI lexicon
  local cat = L.exact[i]
  if not cat and L.prefix[i] and nw <= PREFIX_WORDS and not (term and nw >= 8) then
    raw = raw or sub(text, s, e)
    if not is_quoted(raw) then -- '"Get our kids back," she said.' is no promotion
      cat = L.prefix[i]
    end
  end
  if not cat and L.label[i] then
    cat = label(raw or sub(text, s, e), D)
  end
  if cat then
    return nil, nil, cat
  end
  cat = L.contains[i]
  if cat then -- a notice; or a sentence that mentions cookies
    return nil, nil, cat, nil, ((term and nw >= 8) or nw >= 15) and WEAK_INSIDE[cat]
  end
  if copyright or find(k, "^c 0 ") then
    return "ui-lexicon", nil, nil, "copyright"
  end
  if L.numbers[i] and e - s < BANNER_BYTES then
    raw = raw or sub(text, s, e)
    if is_banner(raw, k, D) then
      -- a bare date may head a section of a timeline; "Published ..." may not
      return "banner", nil, nil, nil, D.dates[match(k, "^%S+")] ~= "label"
    end
  end
  if L.seps[i] and not term and not L.numbers[i] and is_menu(nw, L.seps[i]) then
    return "menu", nil, nil, nil, true -- between paragraphs, rather a table's header
  elseif nw <= 4 and not term then
    raw = raw or sub(text, s, e)
    if find(raw, ".", 1, true) and (find(raw, "%w%.%a%a+%f[%W]") or find(raw, "://", 1, true)) then
      return "link", nil, nil, nil, true
    end
  end
  return nil
end

-- The options of lede.lines that the rules read.
function M.scan_options(D)
  return { stopwords = D.stopwords, key_bytes = KEY_BYTES, tail_bytes = TAIL_BYTES, find = D.find,
           prefix = D.prefix, exact = D.exact, long_words = LONG_WORDS }
end

return M
