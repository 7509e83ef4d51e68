-- The no-op plugin of bench/run: measures what the runtime itself costs per
-- article (loading the doc, calling into Lua, bookkeeping), with no work.
return {name = "noop", version = "1", article = function(doc, ctx) end}
