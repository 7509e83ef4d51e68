-- The assertion library of `lede test` (lede.test), including the messages
-- of failing checks, caught with t.error.
local t = require("lede.test")

local function failure(fn)
  return t.error(fn)
end

t.case("eq compares values and tables deeply", function()
  t.eq(1 + 1, 2)
  t.eq(3, 3.0)
  t.eq("é", "é")
  t.eq({ 1, { a = "x", b = { true } } }, { 1, { a = "x", b = { true } } })
  t.eq({}, {})
end)

t.case("eq says what was expected and what came", function()
  t.eq(failure(function() t.eq(2, 3) end), "expected 3, got 2")
  t.eq(failure(function() t.eq("a\nb", "a\"b") end), [[expected "a\"b", got "a\nb"]])
  t.eq(failure(function() t.eq(nil, false, "flag") end), "flag: expected false, got nil")
end)

t.case("eq names the first difference inside tables", function()
  local got = { quote = { { speaker = "Ann", cue = "said" }, { speaker = "Bo" } } }
  local want = { quote = { { speaker = "Ann", cue = "said" }, { speaker = "Bob" } } }
  t.eq(failure(function() t.eq(got, want) end), 'at quote[2].speaker: expected "Bob", got "Bo"')
  t.eq(failure(function() t.eq({ 1, 2 }, { 1, 2, 3 }) end), "at [3]: expected 3, got nil")
  t.eq(failure(function() t.eq({ a = 1, z = 1 }, { a = 1 }) end), "at z: expected nil, got 1")
  t.eq(failure(function() t.eq({ ["two words"] = 1 }, { ["two words"] = 2 }) end),
    'at ["two words"]: expected 2, got 1')
  -- keys are checked in order: the array, then the other keys sorted
  t.eq(failure(function() t.eq({ b = 1, a = 1 }, { b = 2, a = 2 }) end), "at a: expected 2, got 1")
end)

t.case("eq ends on cycles", function()
  local a, b = { x = 1 }, { x = 1 }
  a.self, b.self = a, b
  t.eq(a, b)
  b.y = 2
  t.eq(failure(function() t.eq(a, b) end), "at y: expected 2, got nil")
end)

t.case("eq shows where two long strings part", function()
  local base = string.rep("word ", 20)
  local msg = failure(function() t.eq(base .. "alpha", base .. "omega") end)
  t.eq(msg, 'at byte 101: expected ..."word word word word omega", got ..."word word word word alpha"')
end)

t.case("eq shows tables and other values", function()
  t.eq(failure(function() t.eq({ 1, "x" }, "x") end), 'expected "x", got {1, "x"}')
  t.eq(failure(function() t.eq(print, 1) end), "expected 1, got function")
end)

t.case("ok, near", function()
  t.ok(true)
  t.ok(0)
  t.eq(failure(function() t.ok(nil) end), "expected a true value, got nil")
  t.eq(failure(function() t.ok(false, "found") end), "found: expected a true value, got false")
  t.near(0.1 + 0.2, 0.3)
  t.near(99, 100, 1)
  t.eq(failure(function() t.near(1.5, 1, 0.25) end), "expected 1 (within 0.25), got 1.5")
end)

t.case("error returns the message and checks it", function()
  local msg = t.error(function() error("no wires please") end, "no wires")
  t.ok(msg:find("no wires please$"))
  t.error(function() error({}) end)
  t.error(function() error("line 12: bad (thing)") end, "bad (thing)") -- plain text
  t.error(function() error("at 12") end, "at %d+") -- or a pattern
  t.eq(failure(function() t.error(function() end) end), "expected an error, got none")
  local mismatch = failure(function() t.error(function() error("boom", 0) end, "bang") end)
  t.eq(mismatch, 'error "boom" does not match "bang"')
end)

t.case("the sandbox is the plugins' one", function()
  t.eq(io, nil)
  t.eq(os.execute, nil)
  t.eq(lede.fold("Straße"), "strasse")
  t.eq(require("lede"), lede)
  t.error(function() require("no.such.module") end, "not found")
end)

local outer_ran = false
t.case("cases may nest", function()
  t.case("inner", function() t.eq(1, 1) end)
  outer_ran = true
end)

t.case("cases run in order", function()
  t.ok(outer_ran)
end)
