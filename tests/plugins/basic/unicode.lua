-- The lede module's Unicode helpers, written out for the tests to compare.
return {
  name = "unicode",
  version = "1",
  layers = { uni = { "fold", "upper", "lower", "unaccent", "nfc", "classes", "lookup", "size" } },
  setup = function(ctx)
    ctx.lex = lede.lexicon { "according to", "Gen." }
  end,
  article = function(doc, ctx)
    local classes = {}
    for _, c in ipairs { "é", "É", "—", "٣", "x", " ", "€", 65 } do
      classes[#classes + 1] = (lede.is_letter(c) and "L" or "") .. (lede.is_upper(c) and "U" or "")
        .. (lede.is_lower(c) and "l" or "") .. (lede.is_punct(c) and "P" or "")
        .. (lede.is_digit(c) and "D" or "") .. (lede.is_space(c) and "S" or "")
        .. (lede.is_symbol(c) and "Y" or "")
    end
    doc:annotate("uni", 1, 0, {
      fold = lede.fold("ÉCOLE Straße ǅ"), upper = lede.upper("straße éa"), lower = lede.lower("ÀÉÎ ABC"),
      unaccent = lede.unaccent("Müller Ñoño façade"), nfc = lede.nfc("e\204\129"),
      classes = table.concat(classes, ","),
      lookup = tostring(ctx.lex:lookup("According  TO")) .. "," .. tostring(ctx.lex:has("according")),
      size = #ctx.lex,
    })
  end,
}
