-- The corpus pass: lines that recur across the articles of one outlet are
-- the outlet's page template.  The article pass leaves, per article, the
-- short lines it kept as content (layer boilerplate_index, field lines:
-- their starts, stops and keys, keys with digits normalised, "Comments (2)"
-- = "Comments (5)", and prefixed by where the line stands on the page, see
-- page.template_candidates); here they are counted once per article and
-- per outlet, and the lines that recur often enough become boilerplate
-- with reason "template".
local M = {}

local find, match, lower, gsub = string.find, string.match, string.lower, string.gsub

-- The outlet of an article: its source, else the host of its URL, else
-- (with by_folder) the folder of its key ("dailyharbor/x.txt"); nil when
-- unknown.
function M.outlet(a, by_folder)
  local src = a.source
  if src and find(src, "%S") then
    return "source:" .. lower(src)
  end
  local host = a.url and match(a.url, "^%a[%w+.-]*://([^/?#:@]+)")
  if host then
    return "host:" .. gsub(lower(host), "^www%.", "")
  end
  local folder = by_folder and match(a.key, "^(.+)/[^/]+$")
  if folder then
    return "folder:" .. folder
  end
  return nil
end

-- Counts, for every key of `keys` (once per article), the articles of the
-- outlet (`of_outlet`: the outlet's own counts, nil when unknown) and of the
-- whole corpus holding it.
local function count(of_outlet, everywhere, keys)
  local seen = {}
  for _, k in ipairs(keys) do
    if not seen[k] then
      seen[k] = true
      everywhere[k] = (everywhere[k] or 0) + 1
      if of_outlet then
        of_outlet[k] = (of_outlet[k] or 0) + 1
      end
    end
  end
end

-- Runs the corpus pass: annotates template lines through corpus:annotate.
-- opts: min (articles of one outlet), min_unknown (articles of the whole
-- corpus, for articles whose outlet is unknown), by_folder.
function M.run(corpus, opts)
  local outlets = {}
  for a in corpus:articles() do
    outlets[a.key] = M.outlet(a, opts.by_folder) or false
  end
  local pages, per_outlet, everywhere = {}, {}, {}
  for sp in corpus:spans("boilerplate_index") do
    local outlet, lines = outlets[sp.article], sp.lines
    if outlet ~= nil and type(lines) == "table" and type(lines.k) == "table" then
      local of_outlet = outlet and per_outlet[outlet]
      if outlet and not of_outlet then
        of_outlet = {}
        per_outlet[outlet] = of_outlet
      end
      count(of_outlet, everywhere, lines.k)
      pages[#pages + 1] = { key = sp.article, outlet = outlet, lines = lines }
    end
  end
  for _, p in ipairs(pages) do
    local of_outlet = p.outlet and per_outlet[p.outlet]
    local lines = p.lines
    local starts, stops, inner = lines.s, lines.e, {}
    for _, j in ipairs(lines.i or {}) do
      inner[j] = true
    end
    for j, k in ipairs(lines.k) do
      local count_, need
      if of_outlet then
        count_, need = of_outlet[k], opts.min
      else
        count_, need = everywhere[k], opts.min_unknown
      end
      -- a heading between paragraphs must recur more
      if inner[j] then
        need = need + 1
      end
      if count_ >= need then
        corpus:annotate(p.key, "boilerplate", starts[j], stops[j],
          { reason = "template", detail = count_ .. (p.outlet and " articles of its outlet" or " articles") })
      end
    end
  end
end

return M
