/* The sandbox and the plugin VM: every escape and every limit of issue 3,
 * the doc API, lexicons and the lede module, without a database. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "plugin.h"
#include "sandbox.h"
#include "vm.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIB ((size_t)1 << 20)

static char plugin_dir[1024];

/* ---- the sandbox on its own ---- */

/* Runs `code` in a fresh environment of sb; on success copies the first
 * result as text into out, on failure the error. */
static int run_code(lede_sandbox *sb, const char *code, char *out, size_t cap)
{
    lua_State *L = lede_sandbox_state(sb);
    lede_sandbox_arm(sb, 5000000);
    lua_settop(L, 0);
    lua_pushcfunction(L, lede_sandbox_msgh);
    int rc = lede_sandbox_load(L, code, strlen(code), "=test");
    if (rc == LUA_OK)
        rc = lua_pcall(L, 0, 1, 1);
    const char *s = lua_tostring(L, -1);
    snprintf(out, cap, "%s", s ? s : luaL_typename(L, -1));
    lua_settop(L, 0);
    return rc;
}

static void check_globals(lede_sandbox *sb)
{
    static const char *const absent[] = {"io", "os.execute", "os.getenv", "os.remove", "os.exit", "dofile",
                                         "loadfile", "debug", "package", "string.dump", "warn", NULL};
    char code[128], out[256];
    for (const char *const *g = absent; *g; g++) {
        snprintf(code, sizeof code, "return type(%s)", *g);
        CHECK_INT(run_code(sb, code, out, sizeof out), LUA_OK);
        if (strcmp(out, "nil") != 0)
            fprintf(stderr, "global %s is reachable\n", *g);
        CHECK_STR(out, "nil");
    }
    CHECK_INT(run_code(sb, "return type(os.time()) .. type(os.clock()) .. type(os.date('%Y'))", out, sizeof out),
              LUA_OK);
    CHECK_STR(out, "numbernumberstring");
    CHECK(run_code(sb, "collectgarbage('stop')", out, sizeof out) != LUA_OK);
    CHECK_INT(run_code(sb, "return tostring(getmetatable(''))", out, sizeof out), LUA_OK);
    CHECK_STR(out, "false");
    /* Globals written by one chunk do not leak into the next. */
    CHECK_INT(run_code(sb, "leaked = 1 string_x = 2 return 'ok'", out, sizeof out), LUA_OK);
    CHECK_INT(run_code(sb, "return type(leaked)", out, sizeof out), LUA_OK);
    CHECK_STR(out, "nil");
    CHECK_INT(run_code(sb, "return type(load('return io')())", out, sizeof out), LUA_OK);
    CHECK_STR(out, "nil");
}

/* Real bytecode, made in an ordinary state, must not load in the sandbox. */
static int dump_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
    (void)L;
    luaL_addlstring(ud, p, sz);
    return 0;
}

static void check_bytecode(lede_sandbox *sb)
{
    lua_State *plain = luaL_newstate();
    luaL_loadstring(plain, "return 'bytecode ran'");
    luaL_Buffer b;
    lua_State *L = lede_sandbox_state(sb);
    luaL_buffinit(L, &b);
    lua_dump(plain, dump_writer, &b, 0);
    luaL_pushresult(&b);
    lua_setglobal(L, "bc");
    lua_close(plain);
    char out[256];
    CHECK_INT(run_code(sb, "local f, err = load(bc) return f and f() or err", out, sizeof out), LUA_OK);
    CHECK(strstr(out, "binary") != NULL);
    CHECK(run_code(sb, "return load(bc, 'x', 'b')", out, sizeof out) != LUA_OK);
    CHECK(strstr(out, "binary chunks are not allowed") != NULL);
    CHECK_INT(run_code(sb, "local f, err = load(bc, 'x', 'bt') return f and f() or err", out, sizeof out), LUA_OK);
    CHECK(strstr(out, "bytecode ran") == NULL);
    CHECK(run_code(sb, "return load(function() return nil end)", out, sizeof out) != LUA_OK);
    lua_getglobal(L, "bc");
    size_t len;
    const char *bc = lua_tolstring(L, -1, &len);
    CHECK(lede_sandbox_load(L, bc, len, "=bc") != LUA_OK);
    lua_settop(L, 0);
}

static void check_require(lede_sandbox *sb)
{
    char out[512];
    CHECK_INT(lede_sandbox_add_plugin_dir(sb, plugin_dir), LEDE_OK);
    CHECK_INT(run_code(sb, "return require('helper').double(21)", out, sizeof out), LUA_OK);
    CHECK_STR(out, "42");
    CHECK_INT(run_code(sb, "return tostring(require('helper') == require('helper'))", out, sizeof out), LUA_OK);
    CHECK_STR(out, "true");
    CHECK(run_code(sb, "return require('../../../etc/passwd')", out, sizeof out) != LUA_OK);
    CHECK(strstr(out, "bad module name") != NULL);
    CHECK(run_code(sb, "return require('/etc/passwd')", out, sizeof out) != LUA_OK);
    CHECK(run_code(sb, "return require('os')", out, sizeof out) != LUA_OK);
    CHECK(strstr(out, "not found") != NULL);
}

static void check_memory(void)
{
    lede_sandbox *sb;
    CHECK_INT(lede_sandbox_new(&sb, 32 * MIB), LEDE_OK);
    char out[256];
    CHECK_INT(run_code(sb, "return #string.rep('x', 1 << 30)", out, sizeof out), LUA_ERRMEM);
    CHECK_INT(lede_sandbox_tripped(sb), LEDE_TRIP_MEMORY);
    CHECK_INT(run_code(sb, "local s = 'xy' while true do s = s .. s end", out, sizeof out), LUA_ERRMEM);
    CHECK_INT(run_code(sb, "local t = {} for i = 1, math.maxinteger do t[i] = {i} end", out, sizeof out),
              LUA_ERRMEM);
    CHECK(lede_sandbox_memory_used(sb) <= 32 * MIB);
    /* The state is still usable, and memory came back. */
    CHECK_INT(run_code(sb, "collectgarbage() return #string.rep('x', 1000)", out, sizeof out), LUA_OK);
    CHECK_STR(out, "1000");
    CHECK(lede_sandbox_memory_used(sb) < 4 * MIB);
    lede_sandbox_free(sb);
}

static void check_budget(lede_sandbox *sb)
{
    static const char *const loops[] = {
        "while true do end",
        "for i = 1, 100 do pcall(function() while true do end end) end return 'escaped'",
        "while true do pcall(function() while true do end end) end",
        "while true do xpcall(function() while true do end end, function() while true do end end) end",
        "while true do coroutine.resume(coroutine.create(function() while true do end end)) end",
        "while true do pcall(error, 'x') end",
        "local co = coroutine.wrap(function() while true do pcall(coroutine.yield) end end) "
        "while true do pcall(co) end",
        NULL};
    char out[256];
    for (const char *const *code = loops; *code; code++) {
        clock_t t0 = clock();
        int rc = run_code(sb, *code, out, sizeof out);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        CHECK(rc != LUA_OK);
        CHECK_INT(lede_sandbox_tripped(sb), LEDE_TRIP_BUDGET);
        CHECK(secs < 30.0); /* generous for sanitizer builds: the point is that it ends */
        if (rc == LUA_OK || secs >= 30.0)
            fprintf(stderr, "escaped the budget: %s (%.1f s)\n", *code, secs);
    }
    /* Code Lua would run with hooks off is refused or skipped. */
    CHECK(run_code(sb, "setmetatable({}, {__gc = function() while true do end end})", out, sizeof out) != LUA_OK);
    CHECK(strstr(out, "__gc") != NULL);
    CHECK(run_code(sb, "local x <close> = nil while true do end", out, sizeof out) == LUA_ERRSYNTAX);
    CHECK(strstr(out, "<close>") != NULL);
    CHECK_INT(run_code(sb, "local f, err = load('local y < close > = nil') return err", out, sizeof out), LUA_OK);
    CHECK(strstr(out, "<close>") != NULL);
    CHECK_INT(run_code(sb, "return ('a <close> b') .. [[<close>]] -- <close>", out, sizeof out), LUA_OK);
    CHECK_INT(run_code(sb, "return select(2, xpcall(error, function(m) return 'handled: ' .. m end, 'e'))", out,
                       sizeof out),
              LUA_OK);
    CHECK_STR(out, "handled: e");
    CHECK_INT(run_code(sb, "local mt = {} local t = setmetatable({}, mt) mt.__index = function() return 7 end "
                           "return t.x",
                       out, sizeof out),
              LUA_OK);
    CHECK_STR(out, "7");
    /* Re-armed, the same state runs again. */
    CHECK_INT(run_code(sb, "local n = 0 for i = 1, 1000 do n = n + i end return n", out, sizeof out), LUA_OK);
    CHECK_STR(out, "500500");
}

static void check_recursion(lede_sandbox *sb)
{
    char out[256];
    /* Lua's stack limit, the memory cap or the budget, whichever comes first. */
    int rc = run_code(sb, "local function f(n) return 1 + f(n + 1) end return f(1)", out, sizeof out);
    if (!CHECK(rc == LUA_ERRMEM || (rc == LUA_ERRRUN && (strstr(out, "stack overflow") || strstr(out, "budget")))))
        fprintf(stderr, "  recursion: %d %s\n", rc, out);
    CHECK(run_code(sb, "local t = setmetatable({}, {__index = function(t, k) return t[k .. 'x'] end}) return t.x",
                   out, sizeof out) != LUA_OK);
    CHECK(strstr(out, "stack overflow") != NULL || strstr(out, "C stack") != NULL);
    CHECK(run_code(sb, "local function g() return pcall(g) end return g()", out, sizeof out) == LUA_OK ||
          strstr(out, "stack") != NULL);
    CHECK_INT(run_code(sb, "return 'alive'", out, sizeof out), LUA_OK);
}

/* ---- plugins through the VM ---- */

typedef struct fixture {
    lede_plugin_path path;
    lede_plugin_set set;
    lede_vm *vm;
} fixture;

static int fixture_open(fixture *f, const char *name, const char *option, size_t memory)
{
    const char *dirs[] = {plugin_dir};
    char err[4096] = "";
    memset(f, 0, sizeof *f);
    lede_plugin_path_init(&f->path, dirs, 1);
    const char *names[] = {name};
    const char *opts[] = {option};
    int rc = lede_plugin_set_resolve(&f->set, &f->path, names, 1, opts, option ? 1 : 0, err, sizeof err);
    if (rc == LEDE_OK) {
        lede_vm_limits limits = {memory, 20000000, 100};
        lede_span_reader none = {NULL, NULL};
        rc = lede_vm_new(&f->vm, &f->set, &f->path, &limits, none, err, sizeof err);
    }
    if (rc != LEDE_OK)
        fprintf(stderr, "fixture %s: %s\n", name, err);
    return rc;
}

static void fixture_close(fixture *f)
{
    lede_vm_free(f->vm);
    lede_plugin_set_free(&f->set);
    lede_plugin_path_free(&f->path);
}

static void make_article(lede_article *a, int64_t id, const char *key, const char *text)
{
    memset(a, 0, sizeof *a);
    a->id = id;
    a->key = strdup(key);
    a->text = strdup(text);
    a->len = strlen(text);
}

/* Runs the fixture's last plugin (the one named; the others are its
 * requirements) on one article.  Returns the status; *fail holds the
 * failure, *spans (may be NULL) receives the spans (caller frees). */
static int run_one(fixture *f, const char *key, const char *text, lede_failure *fail, lede_spans *spans)
{
    lede_article a;
    make_article(&a, 1, key, text);
    lede_vm_begin_article(f->vm, &a);
    int rc = LEDE_OK;
    for (size_t p = 0; p < f->set.n && rc == LEDE_OK; p++)
        rc = lede_vm_run_article(f->vm, p, fail);
    if (spans) {
        *spans = f->vm->out[f->set.n - 1];
        memset(&f->vm->out[f->set.n - 1], 0, sizeof *spans);
    }
    lede_vm_end_article(f->vm);
    lede_article_clear(&a);
    return rc;
}

static void check_plugin_limit(const char *name, const char *option, int want_status, const char *want_msg,
                               const char *want_loc)
{
    fixture f;
    if (!CHECK_INT(fixture_open(&f, name, option, 48 * MIB), LEDE_OK))
        return;
    lede_failure fail = {0};
    clock_t t0 = clock();
    int rc = run_one(&f, "a1", "Some text of an article.", &fail, NULL);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    int msg_ok = 0; /* want_msg: alternatives separated by '|' */
    for (const char *alt = want_msg; fail.message && alt && !msg_ok; alt = strchr(alt, '|') ? strchr(alt, '|') + 1 : NULL) {
        size_t n = strchr(alt, '|') ? (size_t)(strchr(alt, '|') - alt) : strlen(alt);
        for (const char *m = fail.message; *m && !msg_ok; m++)
            msg_ok = strncmp(m, alt, n) == 0;
    }
    if (!CHECK(want_status ? rc == want_status : rc != LEDE_OK) || !CHECK(msg_ok))
        fprintf(stderr, "  %s %s: status %d message '%s'\n", name, option ? option : "", rc,
                fail.message ? fail.message : "(none)");
    CHECK(secs < 30.0); /* generous for sanitizer builds: the point is that it ends */
    if (want_loc && !CHECK(fail.location && strstr(fail.location, want_loc)))
        fprintf(stderr, "  %s: location '%s'\n", name, fail.location ? fail.location : "(none)");
    lede_failure_clear(&fail);
    /* The next article still runs in a usable state (a new one if need be). */
    if (lede_vm_exhausted(f.vm)) {
        lede_vm_free(f.vm);
        char err[512];
        lede_vm_limits limits = {48 * MIB, 20000000, 100};
        lede_span_reader none = {NULL, NULL};
        CHECK_INT(lede_vm_new(&f.vm, &f.set, &f.path, &limits, none, err, sizeof err), LEDE_OK);
    }
    lua_State *L = f.vm->L;
    lede_sandbox_arm(f.vm->sb, 100000);
    CHECK_INT(luaL_dostring(L, "return 1 + 1"), LUA_OK);
    lua_settop(L, 0);
    fixture_close(&f);
}

static void check_limits(void)
{
    check_plugin_limit("loop", NULL, LEDE_ELIMIT, "instruction budget", "loop.lua:5");
    check_plugin_limit("swallow", "swallow.how=pcall", LEDE_ELIMIT, "instruction budget", "swallow.lua:");
    check_plugin_limit("swallow", "swallow.how=xpcall", LEDE_ELIMIT, "instruction budget", NULL);
    check_plugin_limit("swallow", "swallow.how=coroutine", LEDE_ELIMIT, "instruction budget", NULL);
    check_plugin_limit("swallow", "swallow.how=error", LEDE_ELIMIT, "instruction budget", NULL);
    check_plugin_limit("bomb", "bomb.how=rep", LEDE_ELIMIT, "memory limit of 48 MiB", NULL);
    check_plugin_limit("bomb", "bomb.how=double", LEDE_ELIMIT, "memory limit", NULL);
    check_plugin_limit("bomb", "bomb.how=table", LEDE_ELIMIT, "memory limit", NULL);
    check_plugin_limit("bomb", "bomb.how=pcall", LEDE_ELIMIT, "instruction budget", NULL);
    check_plugin_limit("deep", "deep.how=lua", 0, "stack overflow|memory limit", NULL);
    check_plugin_limit("deep", "deep.how=c", LEDE_EPLUGIN, "stack overflow", "deep.lua:");
    check_plugin_limit("escape", "escape.open=true", LEDE_EPLUGIN, "global 'io'", "escape.lua:10");
}

static const char *attrs_of(const lede_spans *s, size_t i)
{
    return i < s->n && s->v[i].attrs ? s->v[i].attrs : "(none)";
}

static void check_escape_probe(void)
{
    fixture f;
    if (!CHECK_INT(fixture_open(&f, "escape", NULL, 0), LEDE_OK))
        return;
    lede_failure fail = {0};
    lede_spans spans = {0};
    CHECK_INT(run_one(&f, "a1", "Text.", &fail, &spans), LEDE_OK);
    CHECK_INT(spans.n, 1);
    const char *a = attrs_of(&spans, 0);
    CHECK(strstr(a, "\"io\":\"nil\",\"os_execute\":\"nil\",\"os_getenv\":\"nil\",\"dofile\":\"nil\","
                    "\"loadfile\":\"nil\",\"debug\":\"nil\",\"package\":\"nil\",\"string_dump\":\"nil\"") != NULL);
    CHECK(strstr(a, "bad module name") != NULL);
    CHECK(strstr(a, "module 'os' not found") != NULL);
    CHECK(strstr(a, "\"getmetatable_string\":\"false\",\"collect_stop\":false,\"helper\":42,\"os_time\":\"number\"") !=
          NULL);
    if (check_failed)
        fprintf(stderr, "  probe: %s\n", a);
    lede_spans_free(&spans);
    lede_failure_clear(&fail);
    fixture_close(&f);
}

static void check_stale_doc(void)
{
    fixture f;
    if (!CHECK_INT(fixture_open(&f, "stash", NULL, 0), LEDE_OK))
        return;
    lede_failure fail = {0};
    CHECK_INT(run_one(&f, "a1", "First.", &fail, NULL), LEDE_OK);
    CHECK_INT(run_one(&f, "a2", "Second.", &fail, NULL), LEDE_EPLUGIN);
    CHECK(fail.message && strstr(fail.message, "finished") != NULL);
    CHECK(fail.traceback && strstr(fail.traceback, "stash.lua:") != NULL);
    lede_failure_clear(&fail);
    fixture_close(&f);
}

static void check_misuse(void)
{
    static const struct {
        const char *key, *text, *want;
    } cases[] = {
        {"undeclared-layer", "Text.", "does not declare layer 'other'"},
        {"undeclared-field", "Text.", "has no field 'nope'"},
        {"past-end", "Text.", "outside the text"},
        {"before-start", "Text.", "outside the text"},
        {"cuts-utf8", "\xC3\xA9t\xC3\xA9.", "cuts a UTF-8 character"},
        {"bad-value", "Text.", "cannot be stored"},
        {"deep-value", "Text.", "nested deeper"},
        {"mixed-table", "Text.", "a list or have only string keys"},
    };
    fixture f;
    if (!CHECK_INT(fixture_open(&f, "misuse", NULL, 0), LEDE_OK))
        return;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        lede_failure fail = {0};
        CHECK_INT(run_one(&f, cases[i].key, cases[i].text, &fail, NULL), LEDE_EPLUGIN);
        if (!CHECK(fail.message && strstr(fail.message, cases[i].want)))
            fprintf(stderr, "  %s: '%s'\n", cases[i].key, fail.message ? fail.message : "(none)");
        lede_failure_clear(&fail);
    }
    lede_failure fail = {0};
    lede_spans spans = {0};
    CHECK_INT(run_one(&f, "good", "Text.", &fail, &spans), LEDE_OK);
    CHECK_INT(spans.n, 2);
    CHECK_STR(attrs_of(&spans, 0), "{\"note\":{\"bad\":\"\xEF\xBF\xBD\",\"list\":[1,2.5,\"three\",true]}}");
    CHECK_INT(spans.v[0].start, 0);
    CHECK_INT(spans.v[0].end, 3);
    CHECK_INT(spans.v[1].start, 1);
    CHECK_INT(spans.v[1].end, 1);
    CHECK_STR(attrs_of(&spans, 1), "{\"note\":null}");
    lede_spans_free(&spans);
    fixture_close(&f);
}

int main(void)
{
    const char *src = getenv("LEDE_SOURCE_DIR");
    snprintf(plugin_dir, sizeof plugin_dir, "%s/tests/plugins/limits", src ? src : ".");
    lede_sandbox *sb;
    if (!CHECK_INT(lede_sandbox_new(&sb, 64 * MIB), LEDE_OK))
        return check_report("test_vm");
    check_globals(sb);
    check_bytecode(sb);
    check_require(sb);
    check_budget(sb);
    check_recursion(sb);
    lede_sandbox_free(sb);
    check_memory();
    check_limits();
    check_escape_probe();
    check_stale_doc();
    check_misuse();
    return check_report("test_vm");
}
