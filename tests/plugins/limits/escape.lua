-- Reports what the sandbox lets through, and errors on io.open.
return {
  name = "escape",
  layers = { probe = { "io", "os_execute", "os_getenv", "dofile", "loadfile", "debug", "package",
                       "string_dump", "require_path", "require_os", "getmetatable_string",
                       "collect_stop", "helper", "os_time" } },
  options = { open = false },
  article = function(doc, ctx)
    if ctx.options.open then
      local f = io.open("/etc/passwd")
      return f
    end
    local helper = require("helper")
    doc:annotate("probe", 1, 0, {
      io = type(io), os_execute = type(os.execute), os_getenv = type(os.getenv),
      dofile = type(dofile), loadfile = type(loadfile), debug = type(debug),
      package = type(package), string_dump = type(string.dump),
      require_path = (select(2, pcall(require, "../../../etc/passwd"))),
      require_os = (select(2, pcall(require, "os"))),
      getmetatable_string = tostring(getmetatable("")),
      collect_stop = (pcall(collectgarbage, "stop")),
      helper = helper.double(21),
      os_time = type(os.time()),
    })
  end,
}
