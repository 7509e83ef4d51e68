return {
  name = "noop",
  version = "1",
  description = "does nothing (measures the runtime's own cost)",
  article = function(doc) end,
}
