#!/usr/bin/env bash
# lede.lines, lede.line_key and lede.wordset from Lua (the C scanner under
# the boilerplate plugin, core/lualines.h): columns, sparse flags, repeats,
# word sets with values, and the errors of bad arguments.
source "$(dirname "$0")/lib/common.bash"

printf 'Home | World\n\nThe mayor of Holm said the bridge was safe.\nHome | World\n© 2024 Holm News\n' >"$TMP/page.txt"
run 0 "$LEDE" -q ingest "$TMP/page.txt"
cat >"$TMP/lines_api.lua" <<'LUA'
local function eq(got, want, what)
  if got ~= want then
    error(string.format("%s: got %s, want %s", what, tostring(got), tostring(want)), 2)
  end
end
return {
  name = "lines_api", version = "1",
  layers = { lines_api = { "ok" } },
  article = function(doc)
    eq(lede.line_key("Publié le 3 Mai, à 09h15!"), "publie le 0 mai a 0h0", "line_key")
    local stop = lede.wordset("# function words\nthe\nof\nwas\n")
    eq(#stop, 3, "#stop")
    eq(stop:has("THE"), true, "has")
    local lex = lede.wordset({ ["share this"] = "share", ["we use cookies"] = "cookie", "menu" })
    eq(lex:get("Menu"), true, "get without value")
    eq(lex:get("Share  this!"), "share", "get with value")
    local v, entry = lex:find("Today we use cookies, sadly")
    eq(v, "cookie", "find value")
    eq(entry, "we use cookies", "find entry")
    eq(lex:find("Today we use cookies", true), nil, "anchored find")
    local L = lede.lines(doc.text, { stopwords = stop, find = { lex = lex }, exact = { menu = lex } })
    eq(L.n, 4, "n")
    eq(L.start[1], 1, "start")
    eq(L.stop[1], 12, "stop")
    eq(doc.text:sub(L.start[3], L.stop[3]), "Home | World", "line text")
    eq(L.gap[1], true, "gap 1")
    eq(L.gap[2], true, "gap 2")
    eq(L.gap[3], nil, "gap 3")
    eq(L.seps[1], 1, "seps")
    eq(L.seps[2], nil, "no seps")
    eq(L.words[2], 9, "words")
    eq(L.stops[2], 4, "stops")
    eq(L.caps[2], 2, "caps")
    eq(L.term[2], true, "term")
    eq(L.term[1], nil, "no term")
    eq(L.dup[3], 1, "dup")
    eq(L.dup[1], nil, "no dup")
    eq(L.symbols[4], 1, "symbols")
    eq(L.numbers[4], 1, "numbers")
    eq(L.key[4], "0 holm news", "key")
    eq(L.hits and L.hits[2], nil, "no hits")
    local K = lede.lines("Menu\nWe use cookies here\n" .. string.rep("word ", 60) .. "we use cookies",
      { find = { lex = lex }, exact = { menu = lex }, long_words = 40, tail_bytes = 30 })
    eq(K.menu[1], true, "exact")
    eq(K.menu[2], nil, "exact, not whole")
    eq(K.lex[2], "cookie", "find")
    eq(K.key[3], "", "long line: no key")
    eq(K.lex[3], "cookie", "the tail of a long line that ends no sentence")
    doc:annotate("lines_api", 1, 0, { ok = true })
  end,
}
LUA
run 0 "$LEDE" run "$TMP/lines_api.lua"

cat >"$TMP/bad_args.lua" <<'LUA'
return {
  name = "bad_args", version = "1",
  article = function(doc)
    for _, f in ipairs({
      function() return lede.lines(nil) end,
      function() return lede.lines("x", { key_bytes = -1 }) end,
      function() return lede.lines("x", { find = { a = "not a set" } }) end,
      function() return lede.lines("x", { stopwords = {} }) end,
      function() return lede.wordset(42) end,
      function() return lede.wordset({ 1, 2 }) end,
    }) do
      if pcall(f) then error("a bad argument was accepted") end
    end
  end,
}
LUA
run 0 "$LEDE" run "$TMP/bad_args.lua"

finish
