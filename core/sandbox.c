/* The sandbox: see sandbox.h.  What plugins may reach is decided here and
 * nowhere else. */
#include "sandbox.h"

#include "lede.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Instructions between two hook calls: small enough that a trip is noticed
 * quickly, large enough that the hook costs nothing measurable. */
#define HOOK_STEP 1000
#define MODULE_MAX_BYTES ((long)16 << 20)
/* Allocating this many bytes counts as one instruction against the budget,
 * so a loop of cheap instructions calling costly C functions (string.rep of
 * megabytes) is stopped too. */
#define BYTES_PER_INSTRUCTION 16

struct lede_sandbox {
    lua_State *L;
    size_t used, limit;
    uint64_t budget, spent;
    lede_sandbox_trip trip;
    char **dirs; /* plugin folders whose lib/ `require` searches */
    size_t n_dirs;
};

/* Registry keys: addresses of constant objects, so no mutable state. */
static const char loaded_key = 'L';
static const char globals_key = 'G';

static void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    lede_sandbox *sb = ud;
    if (ptr == NULL)
        osize = 0; /* osize then encodes the object type */
    if (nsize == 0) {
        free(ptr);
        sb->used -= osize;
        return NULL;
    }
    if (nsize > osize && sb->used - osize + nsize > sb->limit) {
        sb->trip = LEDE_TRIP_MEMORY; /* Lua collects and retries, or raises LUA_ERRMEM */
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p == NULL)
        return NULL;
    sb->used = sb->used - osize + nsize;
    if (nsize > osize) /* copying costs time the instruction count does not see */
        sb->spent += (nsize - osize) / BYTES_PER_INSTRUCTION;
    return p;
}

/* Counts instructions; once the budget is spent it raises on every single
 * instruction, so a pcall that catches the error cannot keep its caller
 * running: the next instruction outside it raises again. */
static void sandbox_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    lede_sandbox *sb = lede_sandbox_of(L);
    if (sb->trip != LEDE_TRIP_BUDGET) {
        if (lua_gethookcount(L) != HOOK_STEP) { /* a thread still tripped from an earlier call */
            lua_sethook(L, sandbox_hook, LUA_MASKCOUNT, HOOK_STEP);
            sb->spent += 1;
        } else {
            sb->spent += HOOK_STEP;
        }
        if (sb->spent <= sb->budget)
            return;
        sb->trip = LEDE_TRIP_BUDGET;
    }
    lua_sethook(L, sandbox_hook, LUA_MASKCOUNT, 1);
    luaL_where(L, 0); /* in a hook, level 0 is the Lua function running */
    lua_pushfstring(L, "%sinstruction budget of %I exhausted", lua_tostring(L, -1), (lua_Integer)sb->budget);
    lua_error(L);
}

lede_sandbox *lede_sandbox_of(lua_State *L)
{
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return ud;
}

lua_State *lede_sandbox_state(const lede_sandbox *sb) { return sb->L; }

void lede_sandbox_arm(lede_sandbox *sb, uint64_t instructions)
{
    sb->budget = instructions;
    sb->spent = 0;
    sb->trip = LEDE_TRIP_NONE;
    lua_sethook(sb->L, sandbox_hook, LUA_MASKCOUNT, HOOK_STEP);
}

lede_sandbox_trip lede_sandbox_tripped(const lede_sandbox *sb) { return sb->trip; }
uint64_t lede_sandbox_budget(const lede_sandbox *sb) { return sb->budget; }
size_t lede_sandbox_memory_used(const lede_sandbox *sb) { return sb->used; }
size_t lede_sandbox_memory_limit(const lede_sandbox *sb) { return sb->limit; }

/* Pushes a new environment table whose reads fall through to the sandbox's
 * shared globals and whose writes stay in it. */
static void push_env(lua_State *L)
{
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, -1);
    lua_setfield(L, -2, "_G");
    lua_createtable(L, 0, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &globals_key);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
}

/* Length of the long bracket opening at s ("[[", "[==["), 0 if none. */
static size_t long_bracket(const char *s, const char *end)
{
    const char *p = s + 1;
    while (p < end && *p == '=')
        p++;
    return *s == '[' && p < end && *p == '[' ? (size_t)(p - s + 1) : 0;
}

/* Skips a long string or comment whose opening bracket is `open` bytes long. */
static const char *skip_long(const char *p, const char *end, size_t open)
{
    size_t level = open - 2;
    for (p += open; p < end; p++) {
        if (*p != ']')
            continue;
        const char *q = p + 1;
        while (q < end && *q == '=')
            q++;
        if (q < end && *q == ']' && (size_t)(q - p - 1) == level)
            return q + 1;
    }
    return end;
}

/* Finds the `<close>` attribute outside strings and comments.  Plugins may
 * not use it: Lua runs __close metamethods with hooks disabled when a
 * coroutine killed by the budget is closed, which would escape the budget. */
static int uses_close_attrib(const char *src, size_t len)
{
    const char *p = src, *end = src + len;
    while (p < end) {
        char c = *p;
        size_t open;
        if (c == '-' && p + 1 < end && p[1] == '-') {
            p += 2;
            if (p < end && (open = long_bracket(p, end)) != 0)
                p = skip_long(p, end, open);
            else
                while (p < end && *p != '\n')
                    p++;
        } else if (c == '"' || c == '\'') {
            for (p++; p < end && *p != c && *p != '\n'; p++)
                if (*p == '\\' && p + 1 < end)
                    p++;
            p++;
        } else if (c == '[' && (open = long_bracket(p, end)) != 0) {
            p = skip_long(p, end, open);
        } else if (c == '<') {
            const char *q = p + 1;
            while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
                q++;
            if ((size_t)(end - q) >= 5 && memcmp(q, "close", 5) == 0) {
                q += 5;
                while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
                    q++;
                if (q < end && *q == '>')
                    return 1;
            }
            p++;
        } else {
            p++;
        }
    }
    return 0;
}

int lede_sandbox_load(lua_State *L, const char *src, size_t len, const char *chunkname)
{
    if (uses_close_attrib(src, len)) {
        lua_pushfstring(L, "%s: the <close> attribute is not allowed in plugins", chunkname + (*chunkname == '@' || *chunkname == '='));
        return LUA_ERRSYNTAX;
    }
    int rc = luaL_loadbufferx(L, src, len, chunkname, "t");
    if (rc != LUA_OK)
        return rc;
    push_env(L);
    if (lua_setupvalue(L, -2, 1) == NULL)
        lua_pop(L, 1); /* a chunk without _ENV: nothing to confine */
    return LUA_OK;
}

int lede_sandbox_msgh(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) /* no __tostring: plugin code must not run here (see sb_xpcall) */
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    luaL_traceback(L, L, msg, 1);
    return 1;
}

void lede_sandbox_preload(lua_State *L, const char *name)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &loaded_key);
    lua_insert(L, -2);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

/* ---- allow-listed replacements of base functions ---- */

static int sb_print(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    fwrite(s, 1, len, stderr); /* stdout belongs to lede's own output */
    return 0;
}

/* load(string [, chunkname [, mode [, env]]]): text only; without env the
 * chunk gets a fresh environment, never the shared globals. */
static int sb_load(lua_State *L)
{
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    if (s == NULL)
        return luaL_error(L, "load: only strings can be loaded in the sandbox");
    const char *chunkname = luaL_optstring(L, 2, s);
    const char *mode = luaL_optstring(L, 3, "t");
    if (strchr(mode, 't') == NULL)
        return luaL_error(L, "load: binary chunks are not allowed");
    int has_env = lua_gettop(L) >= 4;
    int rc = uses_close_attrib(s, len) ? (lua_pushliteral(L, "load: the <close> attribute is not allowed in plugins"), LUA_ERRSYNTAX)
                                       : luaL_loadbufferx(L, s, len, chunkname, "t");
    if (rc != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    if (has_env)
        lua_pushvalue(L, 4);
    else
        push_env(L);
    if (lua_setupvalue(L, -2, 1) == NULL)
        lua_pop(L, 1);
    return 1;
}

/* Lua runs a message handler with hooks disabled when it follows an error
 * raised by the hook itself, and __gc metamethods always without hooks, so
 * code in them would escape the budget.  Plugins get an xpcall whose handler
 * is skipped once a limit tripped, and a setmetatable refusing __gc (and the
 * loader refuses <close>, see uses_close_attrib). */
static int guarded_msgh(lua_State *L)
{
    if (lede_sandbox_of(L)->trip != LEDE_TRIP_NONE) {
        lua_settop(L, 1);
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int finish_xpcall(lua_State *L, int status, lua_KContext extra)
{
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

static int sb_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_msgh, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);
    int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_xpcall);
    return finish_xpcall(L, status, 2);
}

static int sb_setmetatable(lua_State *L)
{
    if (lua_istable(L, 2)) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: __gc metamethods are not allowed in plugins");
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int sb_collectgarbage(lua_State *L)
{
    static const char *const opts[] = {"collect", "count", "step", "isrunning", NULL};
    int o = luaL_checkoption(L, 1, "collect", opts);
    switch (o) {
    case 0:
        lua_gc(L, LUA_GCCOLLECT);
        lua_pushinteger(L, 0);
        return 1;
    case 1: {
        int k = lua_gc(L, LUA_GCCOUNT), b = lua_gc(L, LUA_GCCOUNTB);
        lua_pushnumber(L, (lua_Number)k + ((lua_Number)b / 1024));
        return 1;
    }
    case 2:
        lua_pushboolean(L, lua_gc(L, LUA_GCSTEP, (int)luaL_optinteger(L, 2, 0)));
        return 1;
    default:
        lua_pushboolean(L, lua_gc(L, LUA_GCISRUNNING));
        return 1;
    }
}

/* ---- require, confined to <plugin folder>/lib ---- */

static int module_name_ok(const char *name)
{
    if (*name == '\0' || *name == '.')
        return 0;
    for (const char *p = name; *p; p++) {
        int c = (unsigned char)*p;
        int word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '-';
        if (!word && !(c == '.' && p[1] != '.' && p[1] != '\0'))
            return 0;
    }
    return 1;
}

/* Reads a whole file into a Lua string on the stack; 0 if it cannot be opened. */
static int push_file(lua_State *L, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    long total = 0;
    size_t n;
    char chunk[8192];
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        total += (long)n;
        if (total > MODULE_MAX_BYTES) {
            fclose(f);
            return luaL_error(L, "module %s is larger than %I bytes", path, (lua_Integer)MODULE_MAX_BYTES);
        }
        luaL_addlstring(&b, chunk, n);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return luaL_error(L, "cannot read module %s", path);
    luaL_pushresult(&b);
    return 1;
}

/* Pushes the source of module `name` and its "@path" chunk name; 0 if none. */
static int find_module(lua_State *L, lede_sandbox *sb, const char *name)
{
    char rel[512];
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < sizeof rel; p++)
        rel[k++] = *p == '.' ? '/' : *p;
    rel[k] = '\0';
    static const char *const patterns[] = {"%s/lib/%s.lua", "%s/lib/%s/init.lua"};
    for (size_t d = 0; d < sb->n_dirs; d++) {
        for (size_t i = 0; i < 2; i++) {
            lua_pushfstring(L, patterns[i], sb->dirs[d], rel);
            const char *path = lua_tostring(L, -1);
            if (push_file(L, path)) {
                lua_pushfstring(L, "@%s", path);
                lua_remove(L, -3);
                return 1;
            }
            lua_pop(L, 1);
        }
    }
    return 0;
}

static int sb_require(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    lede_sandbox *sb = lede_sandbox_of(L);
    lua_settop(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &loaded_key); /* 2 */
    lua_getfield(L, 2, name);
    if (lua_islightuserdata(L, -1))
        return luaL_error(L, "require: module '%s' requires itself (loop)", name);
    if (!lua_isnil(L, -1))
        return 1;
    lua_pop(L, 1);
    if (!module_name_ok(name))
        return luaL_error(L, "require: bad module name '%s'", name);
    if (!find_module(L, sb, name))
        return luaL_error(L, "require: module '%s' not found in the lib/ folder of any plugin folder",
                          name);
    size_t len;
    const char *src = lua_tolstring(L, -2, &len);
    const char *chunkname = lua_tostring(L, -1);
    if (lede_sandbox_load(L, src, len, chunkname) != LUA_OK)
        return lua_error(L);
    lua_pushlightuserdata(L, (void *)&loaded_key); /* marks "being loaded" */
    lua_setfield(L, 2, name);
    lua_pushstring(L, name);
    lua_call(L, 1, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, 2, name);
    return 1;
}

int lede_sandbox_add_plugin_dir(lede_sandbox *sb, const char *dir)
{
    for (size_t i = 0; i < sb->n_dirs; i++)
        if (strcmp(sb->dirs[i], dir) == 0)
            return LEDE_OK;
    char **dirs = realloc(sb->dirs, (sb->n_dirs + 1) * sizeof *dirs);
    if (dirs == NULL)
        return LEDE_ENOMEM;
    sb->dirs = dirs;
    size_t len = strlen(dir);
    if ((dirs[sb->n_dirs] = malloc(len + 1)) == NULL)
        return LEDE_ENOMEM;
    memcpy(dirs[sb->n_dirs++], dir, len + 1);
    return LEDE_OK;
}

/* ---- building the allowed globals ---- */

static void set_nil(lua_State *L, int table, const char *name)
{
    table = lua_absindex(L, table);
    lua_pushnil(L);
    lua_setfield(L, table, name);
}

static void open_os_subset(lua_State *L)
{
    luaL_requiref(L, "os", luaopen_os, 0);
    lua_createtable(L, 0, 4);
    static const char *const keep[] = {"time", "clock", "date", "difftime"};
    for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
        lua_getfield(L, -2, keep[i]);
        lua_setfield(L, -2, keep[i]);
    }
    lua_setglobal(L, "os");
    lua_pop(L, 1);
}

static int open_libs(lua_State *L)
{
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},  {LUA_STRLIBNAME, luaopen_string},
                                    {LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_COLIBNAME, luaopen_coroutine},
                                    {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    open_os_subset(L);
    lua_pushglobaltable(L);
    int g = lua_gettop(L);
    set_nil(L, g, "dofile");
    set_nil(L, g, "loadfile");
    set_nil(L, g, "warn");
    lua_pushcfunction(L, sb_print);
    lua_setfield(L, g, "print");
    lua_pushcfunction(L, sb_load);
    lua_setfield(L, g, "load");
    lua_pushcfunction(L, sb_collectgarbage);
    lua_setfield(L, g, "collectgarbage");
    lua_pushcfunction(L, sb_require);
    lua_setfield(L, g, "require");
    lua_pushcfunction(L, sb_xpcall);
    lua_setfield(L, g, "xpcall");
    lua_getfield(L, g, "setmetatable");
    lua_pushcclosure(L, sb_setmetatable, 1);
    lua_setfield(L, g, "setmetatable");
    lua_getfield(L, g, "string");
    set_nil(L, -1, "dump");
    lua_pop(L, 1);
    lua_pushvalue(L, g);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &globals_key);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &loaded_key);
    /* Plugins share the string metatable: keep them from changing it. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 3);
    return 0;
}

int lede_sandbox_new(lede_sandbox **out, size_t memory_limit)
{
    *out = NULL;
    lede_sandbox *sb = calloc(1, sizeof *sb);
    if (sb == NULL)
        return LEDE_ENOMEM;
    sb->limit = memory_limit ? memory_limit : LEDE_SANDBOX_MEMORY_DEFAULT;
    sb->L = lua_newstate(sandbox_alloc, sb);
    if (sb->L == NULL) {
        free(sb);
        return LEDE_ENOMEM;
    }
    *(void **)lua_getextraspace(sb->L) = NULL; /* no VM until one claims the state */
    lua_pushcfunction(sb->L, open_libs);
    if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) {
        lede_sandbox_free(sb);
        return LEDE_ENOMEM;
    }
    /* Most of what plugins allocate dies with its article: collecting when
     * memory reaches 4x (not 2x) what survived the last cycle does half the
     * work, and the cap still forces a collection before it fails. */
    lua_gc(sb->L, LUA_GCINC, 400, 0, 0);
    lede_sandbox_arm(sb, LEDE_SANDBOX_BUDGET_DEFAULT);
    *out = sb;
    return LEDE_OK;
}

void lede_sandbox_free(lede_sandbox *sb)
{
    if (sb == NULL)
        return;
    lua_close(sb->L);
    for (size_t i = 0; i < sb->n_dirs; i++)
        free(sb->dirs[i]);
    free(sb->dirs);
    free(sb);
}
