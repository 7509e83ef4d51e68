/* Lua test files: see luatest.h.
 *
 * A test file runs in a plugin VM of its own, as if it were the plugin of
 * the folder it tests (so lede.data, lede.lexicon and require behave as in
 * that plugin's setup), under the same sandbox and limits.  t.run runs
 * plugins in other VMs, cached per file, on an article held in memory;
 * t.corpus runs them through lede_run on an in-memory database. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "luatest.h"

#include "engine.h"
#include "luajson.h"
#include "plugin.h"
#include "run.h"
#include "sandbox.h"
#include "text.h"

#include <errno.h>
#include <lauxlib.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_MAX_BYTES ((size_t)16 << 20)
/* A case may run this many times a plugin call's budget: tests loop over
 * tables of examples. */
#define CASE_BUDGET_FACTOR 10
#define SHOW_MAX 200  /* bytes of a value shown in a message */
#define DIFF_DEPTH 200 /* nesting compared before falling back to identity */
#define MSG_MAX 1024
#define ERR_CAP 4096

#define ARTICLE_MT "lede.test.article"
#define SPANS_MT "lede.test.spans"
#define ENGINE_MT "lede.test.engine"
#define STMT_MT "lede.test.stmt"

typedef struct cached_vm {
    char *key; /* plugin names and options */
    lede_plugin_set set;
    lede_vm *vm;
} cached_vm;

typedef struct tester {
    const lede_test_opts *opts;
    lede_test_stats *stats;
    const char *file;   /* as given */
    char *chunkname;    /* "@file" */
    char *dir;          /* absolute folder of the file */
    char *host_dir;     /* the plugin folder the file tests */
    char *plugins_dir;  /* the folder holding host_dir, when the file is in NAME/tests/ */
    const char **dirs;  /* where plugins are looked for before LEDE_PLUGIN_PATH */
    size_t n_dirs;
    lede_plugin_path path;
    lede_plugin host;
    lede_plugin *host_items[1];
    lede_plugin_set host_set;
    lede_vm *vm; /* the test file's own */
    uint64_t case_budget;
    int fail_line;       /* set by the message handler */
    char fail_src[LUA_IDSIZE]; /* the file as Lua shows it in messages */
    cached_vm **cache;
    size_t n_cache;
} tester;

static tester *tester_of(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

/* "a/b/c" -> "a/b"; "/a" -> "/". */
static char *parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return dup_str(".");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

static int is_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') != NULL || (n > 4 && strcmp(s + n - 4, ".lua") == 0);
}

/* ---- where a failure is: the innermost line of the test file ---- */

static int test_line(lua_State *L, tester *t)
{
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0 && strcmp(ar.source, t->chunkname) == 0) {
            snprintf(t->fail_src, sizeof t->fail_src, "%s", ar.short_src);
            return ar.currentline;
        }
    }
    return 0;
}

/* Message handler of cases: notes the test file's line, keeps the error. */
static int case_msgh(lua_State *L)
{
    tester *t = tester_of(L);
    t->fail_line = test_line(L, t);
    return 1;
}

/* ---- showing values ---- */

typedef struct shown {
    char s[SHOW_MAX + 8];
    size_t n;
    int full;
} shown;

static void show_add(shown *sh, const char *s, size_t n)
{
    if (sh->full)
        return;
    if (sh->n + n > SHOW_MAX) {
        n = SHOW_MAX - sh->n;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80) /* never cut a character */
            n--;
        sh->full = 1;
    }
    memcpy(sh->s + sh->n, s, n);
    sh->n += n;
    if (sh->full) {
        memcpy(sh->s + sh->n, "...", 3);
        sh->n += 3;
    }
    sh->s[sh->n] = '\0';
}

static void show_str(shown *sh, const char *s)
{
    show_add(sh, s, strlen(s));
}

/* A string between double quotes, escaped as Lua would read it back. */
static void show_quoted(shown *sh, const char *s, size_t len)
{
    show_str(sh, "\"");
    for (size_t i = 0; i < len && !sh->full; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\')
            snprintf(esc, sizeof esc, "\\%c", c);
        else if (c == '\n')
            snprintf(esc, sizeof esc, "\\n");
        else if (c == '\t')
            snprintf(esc, sizeof esc, "\\t");
        else if (c < 0x20 || c == 0x7F)
            snprintf(esc, sizeof esc, "\\%u", c);
        else {
            size_t run = 1;
            while (i + run < len && (unsigned char)s[i + run] >= 0x20 && s[i + run] != '"' && s[i + run] != '\\' &&
                   s[i + run] != 0x7F)
                run++;
            show_add(sh, s + i, run);
            i += run - 1;
            continue;
        }
        show_str(sh, esc);
    }
    show_str(sh, "\"");
}

static int is_identifier(const char *s, size_t len)
{
    if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

static void show_value(shown *sh, lua_State *L, int idx, int depth);

static void show_key(shown *sh, lua_State *L, int idx)
{
    size_t len = 0;
    const char *s = lua_type(L, idx) == LUA_TSTRING ? lua_tolstring(L, idx, &len) : NULL;
    if (s && is_identifier(s, len)) {
        show_add(sh, s, len);
        return;
    }
    show_str(sh, "[");
    show_value(sh, L, idx, 2);
    show_str(sh, "]");
}

static void show_table(shown *sh, lua_State *L, int idx, int depth)
{
    if (depth >= 2) {
        show_str(sh, "{...}");
        return;
    }
    luaL_checkstack(L, 4, "showing a table");
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    int first = 1;
    show_str(sh, "{");
    for (lua_Integer i = 1; i <= n && !sh->full; i++, first = 0) {
        show_str(sh, first ? "" : ", ");
        lua_rawgeti(L, idx, i);
        show_value(sh, L, lua_gettop(L), depth + 1);
        lua_pop(L, 1);
    }
    lua_pushnil(L);
    while (!sh->full && lua_next(L, idx)) {
        int key = lua_gettop(L) - 1;
        if (!(lua_isinteger(L, key) && lua_tointeger(L, key) >= 1 && lua_tointeger(L, key) <= n)) {
            show_str(sh, first ? "" : ", ");
            first = 0;
            show_key(sh, L, key);
            show_str(sh, " = ");
            show_value(sh, L, key + 1, depth + 1);
        }
        lua_pop(L, 1);
    }
    show_str(sh, "}"); /* a key left by a loop cut short goes with show_value's settop */
}

static void show_value(shown *sh, lua_State *L, int idx, int depth)
{
    idx = lua_absindex(L, idx);
    int top = lua_gettop(L);
    size_t len;
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
        const char *s = lua_tolstring(L, idx, &len);
        show_quoted(sh, s, len);
        break;
    }
    case LUA_TTABLE: show_table(sh, L, idx, depth); break;
    case LUA_TNUMBER:
    case LUA_TBOOLEAN:
    case LUA_TNIL:
        lua_pushvalue(L, idx);
        show_str(sh, lua_type(L, idx) == LUA_TNUMBER ? lua_tostring(L, -1)
                     : lua_type(L, idx) == LUA_TNIL  ? "nil"
                     : lua_toboolean(L, idx)         ? "true"
                                                     : "false");
        break;
    default: show_str(sh, luaL_typename(L, idx)); break;
    }
    lua_settop(L, top);
}

/* ---- deep comparison ---- */

/* A comparison in progress: where it is, and the pairs of tables being
 * compared on the way there (got -> want), so that cycles end. */
typedef struct keypath {
    char s[256];
    size_t n;
    int on_path; /* stack index of a table */
} keypath;

static void path_add_key(keypath *p, lua_State *L, int key)
{
    shown sh = {.n = 0};
    size_t len = 0;
    const char *s = lua_type(L, key) == LUA_TSTRING ? lua_tolstring(L, key, &len) : NULL;
    if (s && is_identifier(s, len)) {
        show_str(&sh, p->n ? "." : "");
        show_add(&sh, s, len);
    } else {
        show_str(&sh, "[");
        show_value(&sh, L, key, 2);
        show_str(&sh, "]");
    }
    int k = snprintf(p->s + p->n, sizeof p->s - p->n, "%s", sh.s);
    if (k > 0)
        p->n = p->n + (size_t)k < sizeof p->s ? p->n + (size_t)k : sizeof p->s - 1;
}

typedef struct key_ref {
    const char *s; /* string keys sort first, by bytes */
    size_t len;
    lua_Integer pos; /* in the key list */
} key_ref;

static int cmp_key_ref(const void *a, const void *b)
{
    const key_ref *x = a, *y = b;
    if ((x->s == NULL) != (y->s == NULL))
        return x->s == NULL ? 1 : -1;
    if (x->s) {
        size_t n = x->len < y->len ? x->len : y->len;
        int c = memcmp(x->s, y->s, n);
        if (c || x->len != y->len)
            return c ? c : (x->len < y->len ? -1 : 1);
    }
    return (x->pos > y->pos) - (x->pos < y->pos);
}

static int differ(lua_State *L, int got, int want, keypath *p, int depth);

/* Compares got[key] and want[key] for the key on top (popped). */
static int differ_at(lua_State *L, int got, int want, keypath *p, int depth)
{
    int key = lua_gettop(L);
    size_t mark = p->n;
    lua_pushvalue(L, key);
    lua_rawget(L, got);
    lua_pushvalue(L, key);
    lua_rawget(L, want);
    path_add_key(p, L, key);
    if (differ(L, key + 1, key + 2, p, depth + 1))
        return 1;
    p->n = mark;
    p->s[mark] = '\0';
    lua_settop(L, key - 1);
    return 0;
}

/* Array part first, in order, then the other keys of either table, string
 * keys sorted, so the difference reported is the first one a reader sees. */
static int tables_differ(lua_State *L, int got, int want, keypath *p, int depth)
{
    luaL_checkstack(L, 12, "comparing nested tables");
    lua_Integer n = (lua_Integer)lua_rawlen(L, got), nw = (lua_Integer)lua_rawlen(L, want);
    if (nw > n)
        n = nw;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_pushinteger(L, i);
        if (differ_at(L, got, want, p, depth))
            return 1;
    }
    lua_newtable(L);
    int keys = lua_gettop(L);
    lua_Integer m = 0;
    for (int side = 0; side < 2; side++) {
        int tbl = side ? got : want;
        lua_pushnil(L);
        while (lua_next(L, tbl)) {
            lua_pop(L, 1);
            int in_array = lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1 && lua_tointeger(L, -1) <= n;
            int seen = 0;
            if (side && !in_array) { /* a key of got only: want[key] is nil */
                lua_pushvalue(L, -1);
                seen = lua_rawget(L, want) != LUA_TNIL;
                lua_pop(L, 1);
            }
            if (!in_array && !seen) {
                lua_pushvalue(L, -1);
                lua_rawseti(L, keys, ++m);
            }
        }
    }
    key_ref *refs = lua_newuserdatauv(L, (size_t)(m + 1) * sizeof *refs, 0);
    for (lua_Integer i = 1; i <= m; i++) {
        lua_rawgeti(L, keys, i);
        refs[i - 1].s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &refs[i - 1].len) : NULL;
        refs[i - 1].pos = i;
        lua_pop(L, 1); /* the string stays alive in `keys` */
    }
    qsort(refs, (size_t)m, sizeof *refs, cmp_key_ref);
    for (lua_Integer i = 0; i < m; i++) {
        lua_rawgeti(L, keys, refs[i].pos);
        if (differ_at(L, got, want, p, depth))
            return 1;
    }
    lua_pop(L, 2);
    return 0;
}

/* 1 when the values at got and want differ: then p names where, and the
 * two values that differ there are pushed (got's, then want's).  A pair of
 * tables met again inside itself is equal as far as this path goes. */
static int differ(lua_State *L, int got, int want, keypath *p, int depth)
{
    int base = lua_gettop(L);
    if (lua_rawequal(L, got, want))
        return 0;
    if (lua_istable(L, got) && lua_istable(L, want) && depth < DIFF_DEPTH) {
        lua_pushvalue(L, got);
        lua_rawget(L, p->on_path); /* base + 1: what got is paired with further up, kept to restore */
        if (lua_rawequal(L, base + 1, want)) {
            lua_settop(L, base);
            return 0;
        }
        lua_pushvalue(L, got);
        lua_pushvalue(L, want);
        lua_rawset(L, p->on_path);
        int d = tables_differ(L, got, want, p, depth);
        lua_pushvalue(L, got);
        lua_pushvalue(L, base + 1);
        lua_rawset(L, p->on_path);
        if (!d) {
            lua_settop(L, base);
            return 0;
        }
        lua_rotate(L, base + 1, 2); /* the pair found deeper, to just above base */
        lua_settop(L, base + 2);
        return 1;
    }
    lua_pushvalue(L, got);
    lua_pushvalue(L, want);
    return 1;
}

/* ---- assertions ---- */

/* Raises the failure of a check: "[msg: ]what".  The case reports it with
 * the line of the test file. */
static int check_failed(lua_State *L, int msg_arg, const char *fmt, ...)
{
    char what[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *msg = lua_type(L, msg_arg) == LUA_TSTRING ? lua_tostring(L, msg_arg) : NULL;
    lua_pushfstring(L, "%s%s%s", msg ? msg : "", msg ? ": " : "", what);
    return lua_error(L);
}

/* "at byte 12: expected "...abc", got "...abd"" for two long strings. */
static void show_string_diff(shown *g, shown *w, size_t *at, const char *gs, size_t gl, const char *ws, size_t wl)
{
    size_t i = 0;
    while (i < gl && i < wl && gs[i] == ws[i])
        i++;
    size_t from = i > 20 ? i - 20 : 0;
    while (from > 0 && ((unsigned char)ws[from] & 0xC0) == 0x80)
        from--;
    *at = i;
    show_str(g, from ? "..." : "");
    show_quoted(g, gs + from, gl - from < 60 ? gl - from : 60);
    show_str(w, from ? "..." : "");
    show_quoted(w, ws + from, wl - from < 60 ? wl - from : 60);
}

static int t_eq(lua_State *L)
{
    luaL_checkany(L, 2);
    lua_settop(L, 3);
    lua_newtable(L);
    keypath p = {.n = 0, .on_path = 4};
    p.s[0] = '\0';
    if (!differ(L, 1, 2, &p, 0))
        return 0;
    int g = lua_gettop(L) - 1, w = g + 1;
    shown gs = {.n = 0}, ws = {.n = 0};
    char where[300] = "";
    size_t gl, wl;
    if (lua_type(L, g) == LUA_TSTRING && lua_type(L, w) == LUA_TSTRING &&
        (lua_rawlen(L, g) > 60 || lua_rawlen(L, w) > 60)) {
        const char *a = lua_tolstring(L, g, &gl), *b = lua_tolstring(L, w, &wl);
        size_t at;
        show_string_diff(&gs, &ws, &at, a, gl, b, wl);
        snprintf(where, sizeof where, "at %s%sbyte %zu: ", p.s, p.n ? ", " : "", at + 1);
    } else {
        show_value(&gs, L, g, 0);
        show_value(&ws, L, w, 0);
        if (p.n)
            snprintf(where, sizeof where, "at %s: ", p.s);
    }
    return check_failed(L, 3, "%sexpected %s, got %s", where, ws.s, gs.s);
}

static int t_ok(lua_State *L)
{
    luaL_checkany(L, 1);
    lua_settop(L, 2);
    if (lua_toboolean(L, 1))
        return 0;
    return check_failed(L, 2, "expected a true value, got %s", lua_isnil(L, 1) ? "nil" : "false");
}

static int t_near(lua_State *L)
{
    lua_Number got = luaL_checknumber(L, 1), want = luaL_checknumber(L, 2);
    lua_Number eps = luaL_optnumber(L, 3, 1e-9);
    lua_settop(L, 4);
    if (fabs(got - want) <= eps)
        return 0;
    return check_failed(L, 4, "expected %.10g (within %.3g), got %.10g", (double)want, (double)eps, (double)got);
}

/* Plain substring, else Lua pattern (a malformed pattern matches nothing). */
static int error_matches(lua_State *L, const char *msg, const char *pattern)
{
    if (strstr(msg, pattern))
        return 1;
    lua_getglobal(L, "string");
    lua_getfield(L, -1, "find");
    lua_pushstring(L, msg);
    lua_pushstring(L, pattern);
    int found = lua_pcall(L, 2, 1, 0) == LUA_OK && !lua_isnil(L, -1);
    lua_pop(L, 2);
    return found;
}

static int t_error(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    const char *pattern = luaL_optstring(L, 2, NULL);
    lua_settop(L, 3);
    lua_pushvalue(L, 1);
    if (lua_pcall(L, 0, 0, 0) == LUA_OK)
        return check_failed(L, 3, "expected an error, got none");
    const char *msg = luaL_tolstring(L, -1, NULL);
    if (pattern && !error_matches(L, msg, pattern)) {
        shown m = {.n = 0};
        show_quoted(&m, msg, strlen(msg));
        return check_failed(L, 3, "error %s does not match \"%s\"", m.s, pattern);
    }
    return 1;
}

static void report(tester *t, int line, const char *name, const char *message)
{
    if (message)
        t->stats->failed++;
    else
        t->stats->passed++;
    if (t->opts->report) {
        lede_test_case c = {t->file, line, name, message == NULL, message};
        t->opts->report(t->opts->ud, &c);
    }
}

/* The error on top as one line, without the test file's location (the
 * report gives it). */
static void error_text(lua_State *L, tester *t, char *buf, size_t cap)
{
    const char *msg = lua_tostring(L, -1);
    char fallback[64];
    if (msg == NULL) {
        snprintf(fallback, sizeof fallback, "(error object is a %s value)", luaL_typename(L, -1));
        msg = fallback;
    }
    size_t n = strlen(t->fail_src);
    if (n && strncmp(msg, t->fail_src, n) == 0 && msg[n] == ':') {
        const char *d = msg + n + 1;
        while (*d >= '0' && *d <= '9')
            d++;
        if (d > msg + n + 1 && d[0] == ':' && d[1] == ' ')
            msg = d + 2;
    }
    snprintf(buf, cap, "%s", msg);
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
}

/* Calls the function on top under a fresh budget; returns 1 if it
 * succeeded, else fills msg and *line. */
static int call_checked(lua_State *L, tester *t, int *line, char *msg, size_t cap)
{
    lua_pushlightuserdata(L, t);
    lua_pushcclosure(L, case_msgh, 1);
    lua_insert(L, -2);
    t->fail_line = 0;
    lede_sandbox_arm(t->vm->sb, t->case_budget);
    int rc = lua_pcall(L, 0, 0, -2);
    if (rc == LUA_OK) {
        lua_pop(L, 1);
        return 1;
    }
    if (lede_sandbox_tripped(t->vm->sb) == LEDE_TRIP_BUDGET)
        snprintf(msg, cap, "instruction budget of %llu exhausted", (unsigned long long)t->case_budget);
    else if (rc == LUA_ERRMEM)
        snprintf(msg, cap, "memory limit of %zu MiB exceeded", lede_sandbox_memory_limit(t->vm->sb) >> 20);
    else
        error_text(L, t, msg, cap);
    if (t->fail_line)
        *line = t->fail_line;
    lua_pop(L, 2);
    lua_gc(L, LUA_GCCOLLECT);
    return 0;
}

static int t_case(lua_State *L)
{
    tester *t = tester_of(L);
    const char *name = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    int line = test_line(L, t);
    char msg[MSG_MAX];
    lua_pushvalue(L, 2);
    int ok = call_checked(L, t, &line, msg, sizeof msg);
    report(t, line, name, ok ? NULL : msg);
    lede_sandbox_arm(t->vm->sb, t->case_budget); /* what follows the case starts afresh */
    return 0;
}

/* ---- plugins on articles: what t.run and t.corpus share ---- */

typedef struct plugin_args {
    const char **names;
    size_t n_names;
    const char **overrides; /* "plugin.option=value" */
    size_t n_overrides;
} plugin_args;

/* The declared name of the plugin `name` (a name, or a path), pushed. */
static const char *push_plugin_name(lua_State *L, tester *t, const char *name)
{
    if (!is_path(name))
        return lua_pushstring(L, name);
    lede_plugin *p = NULL;
    char err[ERR_CAP];
    if (lede_plugin_load(&p, name, &t->path, err, sizeof err) != LEDE_OK) {
        lede_plugin_free(p);
        luaL_error(L, "%s", err);
    }
    const char *s = lua_pushstring(L, p->name);
    lede_plugin_free(p);
    return s;
}

/* Reads argument 1 (a name or path, or a list of them) and the `options`
 * of the table at opts_arg.  Every string is anchored in a table pushed on
 * the stack; the arrays live in userdata (so a Lua error leaks nothing). */
static void read_plugin_args(lua_State *L, tester *t, int opts_arg, plugin_args *a)
{
    lua_newtable(L);
    int anchor = lua_gettop(L);
    lua_Integer k = 0;
    size_t n = lua_istable(L, 1) ? (size_t)lua_rawlen(L, 1) : 1;
    if (!lua_istable(L, 1))
        luaL_checkstring(L, 1);
    if (n == 0)
        luaL_argerror(L, 1, "no plugin named");
    a->names = lua_newuserdatauv(L, n * sizeof *a->names, 0);
    lua_rawseti(L, anchor, ++k);
    a->n_names = n;
    for (size_t i = 0; i < n; i++) {
        if (lua_istable(L, 1))
            lua_rawgeti(L, 1, (lua_Integer)i + 1);
        else
            lua_pushvalue(L, 1);
        const char *s = lua_tostring(L, -1);
        if (s == NULL)
            luaL_argerror(L, 1, "plugin names must be strings");
        if (is_path(s) && s[0] != '/') /* relative to the test file */
            lua_pushfstring(L, "%s/%s", t->dir, s);
        else
            lua_pushvalue(L, -1);
        a->names[i] = lua_tostring(L, -1);
        lua_rawseti(L, anchor, ++k);
        lua_pop(L, 1);
    }
    a->n_overrides = 0;
    a->overrides = NULL;
    if (lua_isnoneornil(L, opts_arg))
        return;
    luaL_checktype(L, opts_arg, LUA_TTABLE);
    lua_getfield(L, opts_arg, "options");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    if (!lua_istable(L, -1))
        luaL_error(L, "options must be a table: { option = value } or { [\"plugin.option\"] = value }");
    int options = lua_gettop(L);
    size_t m = 0;
    lua_pushnil(L);
    while (lua_next(L, options)) {
        lua_pop(L, 1);
        m++;
    }
    a->overrides = lua_newuserdatauv(L, (m + 1) * sizeof *a->overrides, 0);
    lua_rawseti(L, anchor, ++k);
    const char *first = NULL;
    lua_pushnil(L);
    while (lua_next(L, options)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "options: every key must be an option name");
        const char *key = lua_tostring(L, -2);
        const char *value = lua_type(L, -1) == LUA_TBOOLEAN ? (lua_toboolean(L, -1) ? "true" : "false")
                                                            : lua_tostring(L, -1);
        if (value == NULL)
            luaL_error(L, "options: '%s' must be a string, a number or a boolean", key);
        if (strchr(key, '.') == NULL && first == NULL) { /* options without a plugin are the first one's */
            first = push_plugin_name(L, t, a->names[0]);
            lua_rawseti(L, anchor, ++k);
        }
        if (strchr(key, '.'))
            lua_pushfstring(L, "%s=%s", key, value);
        else
            lua_pushfstring(L, "%s.%s=%s", first, key, value);
        a->overrides[a->n_overrides++] = lua_tostring(L, -1);
        lua_rawseti(L, anchor, ++k);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sets the article's fields from argument `idx`: a text, or a table with
 * text and key, title, source, url, published, language. */
static void read_article(lua_State *L, int idx, lede_article *a, const char *default_key)
{
    size_t len;
    const char *text;
    static const char *const names[] = {"key", "title", "source", "url", "published", "language"};
    char **slots[] = {&a->key, &a->title, &a->source, &a->url, &a->published, &a->language};
    if (lua_type(L, idx) == LUA_TSTRING) {
        text = lua_tolstring(L, idx, &len);
    } else {
        luaL_checktype(L, idx, LUA_TTABLE);
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
            lua_getfield(L, idx, names[i]);
            if (!lua_isnil(L, -1)) {
                const char *v = lua_tostring(L, -1);
                if (v == NULL)
                    luaL_error(L, "article %s must be a string", names[i]);
                if ((*slots[i] = dup_str(v)) == NULL)
                    luaL_error(L, "not enough memory");
            }
            lua_pop(L, 1);
        }
        lua_getfield(L, idx, "text");
        text = lua_tolstring(L, -1, &len);
        if (text == NULL)
            luaL_error(L, "an article needs its text: { text = \"...\" }");
        lua_pop(L, 1); /* the string stays alive in the table */
    }
    if (a->key == NULL && (a->key = dup_str(default_key)) == NULL)
        luaL_error(L, "not enough memory");
    size_t repairs, first_bad;
    if (lede_text_clean(&a->text, &a->len, &repairs, &first_bad, text, len) != LEDE_OK)
        luaL_error(L, "not enough memory");
}

static int article_gc(lua_State *L)
{
    lede_article_clear(lua_touserdata(L, 1));
    return 0;
}

/* A new article freed by the GC, pushed. */
static lede_article *push_article(lua_State *L)
{
    lede_article *a = lua_newuserdatauv(L, sizeof *a, 0);
    memset(a, 0, sizeof *a);
    if (luaL_newmetatable(L, ARTICLE_MT)) {
        lua_pushcfunction(L, article_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return a;
}

/* ---- t.run ---- */

typedef struct spans_box {
    lede_spans *v; /* one list per plugin of the set */
    size_t n;
} spans_box;

static int spans_box_gc(lua_State *L)
{
    spans_box *b = lua_touserdata(L, 1);
    for (size_t i = 0; b->v && i < b->n; i++)
        lede_spans_free(&b->v[i]);
    free(b->v);
    b->v = NULL;
    return 0;
}

static spans_box *push_spans_box(lua_State *L, size_t n)
{
    spans_box *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->n = n;
    b->v = NULL;
    if (luaL_newmetatable(L, SPANS_MT)) {
        lua_pushcfunction(L, spans_box_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    if ((b->v = calloc(n + 1, sizeof *b->v)) == NULL)
        luaL_error(L, "not enough memory");
    return b;
}

static void cached_vm_free(cached_vm *c)
{
    if (c == NULL)
        return;
    lede_vm_free(c->vm);
    lede_plugin_set_free(&c->set);
    free(c->key);
    free(c);
}

/* The message of a plugin error, up to its traceback. */
static void first_line(char *s)
{
    char *tb = strstr(s, "\nstack traceback:");
    if (tb)
        *tb = '\0';
    for (char *nl; (nl = strchr(s, '\n')) != NULL;)
        *nl = ' ';
}

/* Makes c's VM (again, after a limit exhausted the last one). */
static void vm_make(lua_State *L, tester *t, cached_vm *c)
{
    char err[ERR_CAP];
    lede_span_reader none = {NULL, NULL};
    if (lede_vm_new(&c->vm, &c->set, &t->path, &t->opts->limits, none, err, sizeof err) != LEDE_OK) {
        first_line(err);
        luaL_error(L, "%s", err);
    }
}

/* The VM running `a`'s plugins, made on first use. */
static cached_vm *vm_for(lua_State *L, tester *t, const plugin_args *a)
{
    if (a->n_overrides > 1)
        qsort(a->overrides, a->n_overrides, sizeof *a->overrides, cmp_cstr);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < a->n_names; i++) {
        luaL_addstring(&b, a->names[i]);
        luaL_addchar(&b, '\n');
    }
    for (size_t i = 0; i < a->n_overrides; i++) {
        luaL_addchar(&b, '\t');
        luaL_addstring(&b, a->overrides[i]);
    }
    luaL_pushresult(&b);
    const char *key = lua_tostring(L, -1);
    cached_vm *c = NULL;
    for (size_t i = 0; i < t->n_cache && c == NULL; i++)
        if (strcmp(t->cache[i]->key, key) == 0)
            c = t->cache[i];
    if (c == NULL) {
        cached_vm **bigger = realloc(t->cache, (t->n_cache + 1) * sizeof *bigger);
        if (bigger)
            t->cache = bigger;
        if (bigger == NULL || (c = calloc(1, sizeof *c)) == NULL || (c->key = dup_str(key)) == NULL) {
            free(c);
            luaL_error(L, "not enough memory");
            return NULL;
        }
        char err[ERR_CAP];
        if (lede_plugin_set_resolve(&c->set, &t->path, a->names, a->n_names, a->overrides, a->n_overrides, err,
                                    sizeof err) != LEDE_OK) {
            cached_vm_free(c);
            first_line(err);
            luaL_error(L, "%s", err);
            return NULL;
        }
        t->cache[t->n_cache++] = c;
    }
    lua_pop(L, 1);
    if (c->vm == NULL)
        vm_make(L, t, c);
    return c;
}

static int cmp_span_ptr(const void *a, const void *b)
{
    const lede_span *x = *(const lede_span *const *)a, *y = *(const lede_span *const *)b;
    if (x->layer != y->layer)
        return x->layer < y->layer ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return (x > y) - (x < y); /* order of writing */
}

/* Runs every plugin of c's set on `art`, moving their spans into box. */
static void run_plugins(lua_State *L, cached_vm *c, lede_article *art, spans_box *box)
{
    char msg[ERR_CAP] = "";
    lede_vm_begin_article(c->vm, art);
    for (size_t p = 0; p < c->set.n && !msg[0]; p++) {
        lede_failure fail = {0};
        if (lede_vm_run_article(c->vm, p, &fail) != LEDE_OK)
            snprintf(msg, sizeof msg, "plugin '%s' failed on '%s': %s%s%s", c->set.items[p]->name, art->key,
                     fail.location ? fail.location : "", fail.location ? ": " : "",
                     fail.message ? fail.message : "failed");
        lede_failure_clear(&fail);
    }
    for (size_t p = 0; p < c->set.n; p++) {
        box->v[p] = c->vm->out[p];
        memset(&c->vm->out[p], 0, sizeof c->vm->out[p]);
    }
    lede_vm_end_article(c->vm);
    if (lede_vm_exhausted(c->vm)) { /* a limit left the state full: the next call makes a new one */
        lede_vm_free(c->vm);
        c->vm = NULL;
    }
    if (msg[0]) {
        first_line(msg);
        luaL_error(L, "%s", msg);
    }
}

/* Pushes { layer = { {start, stop, text, <fields>}, ... } } for every
 * layer of the set. */
static void push_run_result(lua_State *L, const lede_plugin_set *set, const lede_article *art, spans_box *box)
{
    lua_newtable(L);
    int res = lua_gettop(L);
    for (size_t p = 0; p < set->n; p++) {
        const lede_plugin *pg = set->items[p];
        const lede_spans *sp = &box->v[p];
        const lede_span **order = lua_newuserdatauv(L, (sp->n + 1) * sizeof *order, 0);
        for (size_t i = 0; i < sp->n; i++)
            order[i] = &sp->v[i];
        qsort(order, sp->n, sizeof *order, cmp_span_ptr);
        size_t i = 0;
        for (size_t l = 0; l < pg->n_layers; l++) {
            lua_newtable(L);
            for (lua_Integer k = 1; i < sp->n && order[i]->layer == l; i++, k++) {
                const lede_span *s = order[i];
                lua_createtable(L, 0, 4);
                lua_pushinteger(L, (lua_Integer)s->start + 1);
                lua_setfield(L, -2, "start");
                lua_pushinteger(L, (lua_Integer)s->end);
                lua_setfield(L, -2, "stop");
                lua_pushlstring(L, art->text + s->start, s->end - s->start);
                lua_setfield(L, -2, "text");
                if (s->attrs)
                    lede_luajson_decode_into(L, s->attrs, s->attrs_len);
                lua_rawseti(L, -2, k);
            }
            lua_setfield(L, res, pg->layers[l].name);
        }
        lua_pop(L, 1);
    }
}

/* t.run(plugins, article [, { options = {...} }]) */
static int t_run(lua_State *L)
{
    tester *t = tester_of(L);
    lua_settop(L, 3);
    plugin_args a;
    read_plugin_args(L, t, 3, &a);
    cached_vm *c = vm_for(L, t, &a);
    lede_article *art = push_article(L);
    read_article(L, 2, art, "test");
    art->id = 1;
    spans_box *box = push_spans_box(L, c->set.n);
    run_plugins(L, c, art, box);
    push_run_result(L, &c->set, art, box);
    return 1;
}

/* ---- t.corpus ---- */

static int engine_gc(lua_State *L)
{
    lede_engine **e = lua_touserdata(L, 1);
    lede_engine_close(*e);
    *e = NULL;
    return 0;
}

static int stmt_gc(lua_State *L)
{
    sqlite3_stmt **st = lua_touserdata(L, 1);
    sqlite3_finalize(*st);
    *st = NULL;
    return 0;
}

/* A statement finalized by the GC (or earlier), pushed. */
static sqlite3_stmt *push_stmt(lua_State *L, sqlite3 *db, const char *sql)
{
    sqlite3_stmt **st = lua_newuserdatauv(L, sizeof *st, 0);
    *st = NULL;
    if (luaL_newmetatable(L, STMT_MT)) {
        lua_pushcfunction(L, stmt_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        luaL_error(L, "t.corpus: %s", sqlite3_errmsg(db));
    return *st;
}

static void finish_stmt(lua_State *L)
{
    sqlite3_stmt **st = lua_touserdata(L, -1);
    sqlite3_finalize(*st);
    *st = NULL;
    lua_pop(L, 1);
}

static void ingest_articles(lua_State *L, lede_engine *e, int list)
{
    luaL_checktype(L, list, LUA_TTABLE);
    lua_Integer n = (lua_Integer)lua_rawlen(L, list);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, list, i);
        char key[32];
        snprintf(key, sizeof key, "article%lld", (long long)i);
        lede_article *a = push_article(L);
        read_article(L, lua_gettop(L) - 1, a, key);
        lede_article_meta meta = {a->key, a->source, a->url, a->title, a->published, a->language, NULL, NULL};
        lede_ingest_outcome outcome;
        if (lede_ingest_buffer(&outcome, e, &meta, a->text, a->len, NULL) != LEDE_OK ||
            outcome == LEDE_INGEST_REJECTED)
            luaL_error(L, "t.corpus: article %d: %s", (int)i, lede_errmsg(e));
        if (outcome != LEDE_INGEST_ADDED)
            luaL_error(L, "t.corpus: article %d: key '%s' given twice", (int)i, a->key);
        lua_pop(L, 2);
    }
}

/* Raises the first problem of run `run_id`. */
static void raise_problem(lua_State *L, sqlite3 *db, int64_t run_id)
{
    sqlite3_stmt *st = push_stmt(L, db,
                                 "SELECT plugin, coalesce('''' || article_key || '''', 'the corpus pass'), "
                                 "coalesce(location || ': ', ''), message FROM problem WHERE run_id = ?1 "
                                 "ORDER BY id LIMIT 1");
    sqlite3_bind_int64(st, 1, run_id);
    char msg[ERR_CAP] = "a plugin failed";
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(msg, sizeof msg, "plugin '%s' failed on %s: %s%s", sqlite3_column_text(st, 0),
                 sqlite3_column_text(st, 1), sqlite3_column_text(st, 2), sqlite3_column_text(st, 3));
    finish_stmt(L);
    first_line(msg);
    luaL_error(L, "%s", msg);
}

/* Appends one record per row of `sql` (layer, [article, start, end, text,]
 * attrs) to res[layer]. */
static void push_records(lua_State *L, sqlite3 *db, int res, const char *sql, int spans)
{
    sqlite3_stmt *st = push_stmt(L, db, sql);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *layer = (const char *)sqlite3_column_text(st, 0);
        if (lua_getfield(L, res, layer) == LUA_TNIL) {
            lua_pop(L, 1);
            lua_newtable(L);
            lua_pushvalue(L, -1);
            lua_setfield(L, res, layer);
        }
        lua_createtable(L, 0, 5);
        if (spans) {
            lua_pushstring(L, (const char *)sqlite3_column_text(st, 1));
            lua_setfield(L, -2, "article");
            lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(st, 2) + 1);
            lua_setfield(L, -2, "start");
            lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(st, 3));
            lua_setfield(L, -2, "stop");
            lua_pushlstring(L, (const char *)sqlite3_column_blob(st, 4), (size_t)sqlite3_column_bytes(st, 4));
            lua_setfield(L, -2, "text");
        }
        int attrs = spans ? 5 : 1;
        if (sqlite3_column_type(st, attrs) != SQLITE_NULL)
            lede_luajson_decode_into(L, (const char *)sqlite3_column_text(st, attrs),
                                     (size_t)sqlite3_column_bytes(st, attrs));
        lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
        lua_pop(L, 1);
    }
    if (rc != SQLITE_DONE)
        luaL_error(L, "t.corpus: %s", sqlite3_errmsg(db));
    finish_stmt(L);
}

/* Pushes { layer = records } for every layer of the run: spans as
 * {article, start, stop, text, <fields>}, corpus rows as {<fields>}. */
static void push_corpus_result(lua_State *L, sqlite3 *db)
{
    lua_newtable(L);
    int res = lua_gettop(L);
    sqlite3_stmt *st = push_stmt(L, db, "SELECT name FROM sqlite_master WHERE type = 'view'");
    while (sqlite3_step(st) == SQLITE_ROW) {
        lua_newtable(L);
        lua_setfield(L, res, (const char *)sqlite3_column_text(st, 0));
    }
    finish_stmt(L);
    push_records(L, db, res,
                 "SELECT an.layer, ar.key, an.start, an.\"end\", "
                 "substr(CAST(ar.text AS BLOB), an.start + 1, an.\"end\" - an.start), an.attrs "
                 "FROM annotation an JOIN article ar ON ar.id = an.article_id "
                 "ORDER BY an.layer, an.article_id, an.start, an.\"end\", an.id",
                 1);
    push_records(L, db, res, "SELECT layer, attrs FROM corpus_row ORDER BY layer, id", 0);
}

/* t.corpus(plugins, { article, ... } [, { options = {...} }]) */
static int t_corpus(lua_State *L)
{
    tester *t = tester_of(L);
    lua_settop(L, 3);
    luaL_checktype(L, 2, LUA_TTABLE);
    plugin_args a;
    read_plugin_args(L, t, 3, &a);
    lede_engine **e = lua_newuserdatauv(L, sizeof *e, 0);
    int ebox = lua_gettop(L);
    *e = NULL;
    if (luaL_newmetatable(L, ENGINE_MT)) {
        lua_pushcfunction(L, engine_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    if (lede_engine_open(e, ":memory:", 0) != LEDE_OK)
        luaL_error(L, "t.corpus: %s", *e ? lede_errmsg(*e) : "not enough memory");
    ingest_articles(L, *e, 2);
    lede_run_opts ro = {0};
    ro.jobs = 1;
    ro.limits = t->opts->limits;
    ro.plugin_dirs = t->dirs;
    ro.n_plugin_dirs = t->n_dirs;
    ro.options = a.overrides;
    ro.n_options = a.n_overrides;
    lede_run_stats stats;
    int rc = lede_run(&stats, *e, a.names, a.n_names, &ro);
    if (rc == LEDE_EPLUGIN)
        raise_problem(L, (*e)->db, stats.run_id);
    if (rc != LEDE_OK) {
        char msg[ERR_CAP];
        snprintf(msg, sizeof msg, "%s", lede_errmsg(*e));
        first_line(msg);
        luaL_error(L, "%s", msg);
    }
    push_corpus_result(L, (*e)->db);
    lua_pushnil(L);
    lua_setmetatable(L, ebox); /* closed now, not by the GC */
    lede_engine_close(*e);
    *e = NULL;
    return 1;
}

/* ---- the file ---- */

static int open_module(lua_State *L)
{
    static const luaL_Reg fns[] = {{"case", t_case}, {"eq", t_eq},     {"ok", t_ok},         {"near", t_near},
                                   {"error", t_error}, {"run", t_run}, {"corpus", t_corpus}, {NULL, NULL}};
    lua_createtable(L, 0, 7);
    lua_pushvalue(L, 1);
    luaL_setfuncs(L, fns, 1);
    lede_sandbox_preload(L, "lede.test");
    return 0;
}

/* Reads the file into a Lua string on the stack, or pushes nil and an error. */
static int read_source(lua_State *L)
{
    tester *t = lua_touserdata(L, 1);
    FILE *f = fopen(t->file, "rb");
    if (f == NULL) {
        lua_pushnil(L);
        lua_pushfstring(L, "cannot open: %s", strerror(errno));
        return 2;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    char chunk[8192];
    size_t n, total = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && (total += n) <= TEST_MAX_BYTES)
        luaL_addlstring(&b, chunk, n);
    int bad = ferror(f), big = total > TEST_MAX_BYTES;
    fclose(f);
    luaL_pushresult(&b);
    if (bad || big) {
        lua_pushnil(L);
        lua_pushstring(L, big ? "larger than 16 MiB" : "cannot read it");
        return 2;
    }
    return 1;
}

/* Loads and runs the file (in protected mode, with the tester as argument
 * 1): its cases report themselves; an error outside them is one failure. */
static int run_file(lua_State *L)
{
    tester *t = lua_touserdata(L, 1);
    lua_pushcfunction(L, open_module);
    lua_pushlightuserdata(L, t);
    lua_call(L, 1, 0);
    lua_pushcfunction(L, read_source);
    lua_pushlightuserdata(L, t);
    lua_call(L, 1, 2);
    char msg[MSG_MAX];
    int line = 0;
    if (lua_isnil(L, -2)) {
        report(t, 0, "(top level)", lua_tostring(L, -1));
        return 0;
    }
    lua_pop(L, 1);
    size_t len;
    const char *src = lua_tolstring(L, -1, &len);
    if (lede_sandbox_load(L, src, len, t->chunkname) != LUA_OK) {
        error_text(L, t, msg, sizeof msg);
        report(t, 0, "(top level)", msg);
        return 0;
    }
    if (!call_checked(L, t, &line, msg, sizeof msg))
        report(t, line, "(top level)", msg);
    return 0;
}

static void tester_free(tester *t)
{
    for (size_t i = 0; i < t->n_cache; i++)
        cached_vm_free(t->cache[i]);
    free(t->cache);
    lede_vm_free(t->vm);
    lede_plugin_path_free(&t->path);
    free(t->dirs);
    free(t->chunkname);
    free(t->dir);
    free(t->host_dir);
    free(t->plugins_dir);
}

/* Works out the folders of the file at absolute path `abs`: a file in
 * DIR/NAME/tests/ tests the plugin folder DIR/NAME, and finds plugins in DIR
 * and DIR/NAME as well as in its own folder. */
static int tester_dirs(tester *t, const char *abs)
{
    if ((t->dir = parent_dir(abs)) == NULL)
        return LEDE_ENOMEM;
    const char *base = strrchr(t->dir, '/');
    if (base && strcmp(base + 1, "tests") == 0) {
        if ((t->host_dir = parent_dir(t->dir)) == NULL || (t->plugins_dir = parent_dir(t->host_dir)) == NULL)
            return LEDE_ENOMEM;
    } else if ((t->host_dir = dup_str(t->dir)) == NULL) {
        return LEDE_ENOMEM;
    }
    const lede_test_opts *o = t->opts;
    if ((t->dirs = calloc(o->n_plugin_dirs + 3, sizeof *t->dirs)) == NULL)
        return LEDE_ENOMEM;
    for (size_t i = 0; i < o->n_plugin_dirs; i++)
        t->dirs[t->n_dirs++] = o->plugin_dirs[i];
    if (t->plugins_dir) { /* DIR/NAME/tests/: NAME's siblings, and DIR/tests/: DIR's NAME.lua plugins */
        t->dirs[t->n_dirs++] = t->plugins_dir;
        t->dirs[t->n_dirs++] = t->host_dir;
    }
    t->dirs[t->n_dirs++] = t->dir;
    return lede_plugin_path_init(&t->path, t->dirs, t->n_dirs);
}

/* The file's own VM: it runs as the plugin of host_dir, a plugin that
 * declares nothing (the VM only reads these fields). */
static int tester_vm(tester *t, char *err, size_t cap)
{
    t->host.name = "test";
    t->host.version = "0";
    t->host.dir = t->host_dir;
    t->host.chunkname = "=lede.test";
    t->host.source = "return {}";
    t->host.source_len = strlen(t->host.source);
    t->host_items[0] = &t->host;
    t->host_set.items = t->host_items;
    t->host_set.n = 1;
    t->host_set.n_phases = 1;
    lede_vm_limits limits = t->opts->limits;
    t->case_budget = (limits.budget ? limits.budget : LEDE_SANDBOX_BUDGET_DEFAULT) * CASE_BUDGET_FACTOR;
    lede_span_reader none = {NULL, NULL};
    int rc = lede_vm_new(&t->vm, &t->host_set, &t->path, &limits, none, err, cap);
    if (rc == LEDE_OK && t->plugins_dir)
        rc = lede_sandbox_add_plugin_dir(t->vm->sb, t->dir); /* tests/lib: the tests' own helpers */
    return rc;
}

int lede_test_file(lede_test_stats *stats, const char *path, const lede_test_opts *opts)
{
    tester t;
    memset(&t, 0, sizeof t);
    t.opts = opts;
    t.stats = stats;
    t.file = path;
    t.path.stock = -1;
    char *abs = realpath(path, NULL);
    if (abs == NULL) {
        if (errno == ENOENT || errno == ENOTDIR)
            return LEDE_ENOTFOUND;
        report(&t, 0, "(top level)", strerror(errno));
        return LEDE_OK;
    }
    size_t n = strlen(path) + 2;
    int rc = (t.chunkname = malloc(n)) ? LEDE_OK : LEDE_ENOMEM;
    if (rc == LEDE_OK) {
        snprintf(t.chunkname, n, "@%s", path);
        rc = tester_dirs(&t, abs);
    }
    free(abs);
    char err[ERR_CAP];
    if (rc == LEDE_OK && (rc = tester_vm(&t, err, sizeof err)) != LEDE_OK && rc != LEDE_ENOMEM) {
        report(&t, 0, "(top level)", err);
        rc = LEDE_OK;
    } else if (rc == LEDE_OK) {
        lua_State *L = t.vm->L;
        t.vm->plugin = 0; /* lede.data reads the host folder */
        lua_pushcfunction(L, run_file);
        lua_pushlightuserdata(L, &t);
        if (lua_pcall(L, 1, 0, 0) != LUA_OK) { /* out of memory outside any case */
            report(&t, 0, "(top level)", lua_tostring(L, -1) ? lua_tostring(L, -1) : "failed");
            lua_pop(L, 1);
        }
        t.vm->plugin = -1;
    }
    tester_free(&t);
    return rc;
}
