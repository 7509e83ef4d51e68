/* lede.lines, lede.line_key, lede.wordset: see lualines.h. */
#include "lualines.h"

#include "lede.h"
#include "lines.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#define WORDSET_MT "lede.wordset"
#define LINESBOX_MT "lede.linesbox"
#define KEY_BYTES_DEFAULT 200
#define BYTES_MAX (1 << 20)
#define SETS_MAX 16

/* ---- word sets: the C set, and in the user value the list of values ---- */

typedef struct wordset_ud {
    lede_wordset *ws;
} wordset_ud;

static int wordset_gc(lua_State *L)
{
    wordset_ud *u = luaL_checkudata(L, 1, WORDSET_MT);
    lede_wordset_free(u->ws);
    u->ws = NULL;
    return 0;
}

static const lede_wordset *check_wordset(lua_State *L, int idx)
{
    wordset_ud *u = luaL_checkudata(L, idx, WORDSET_MT);
    if (u->ws == NULL)
        luaL_error(L, "wordset already released");
    return u->ws;
}

/* Pushes the value numbered `value` of the wordset at `idx` (true for 0). */
static void push_set_value(lua_State *L, int idx, uint32_t value)
{
    if (value == 0) {
        lua_pushboolean(L, 1);
        return;
    }
    lua_getiuservalue(L, idx, 1);
    lua_rawgeti(L, -1, (lua_Integer)value);
    lua_remove(L, -2);
}

/* Pushes key(s) and returns it (in a buffer owned by the stack). */
static const char *push_key_of(lua_State *L, int arg, size_t *n)
{
    size_t len;
    const char *s = luaL_checklstring(L, arg, &len);
    luaL_Buffer b;
    char *key = luaL_buffinitsize(L, &b, 2 * len + 16);
    size_t k = lede_line_key(key, 2 * len + 16, s, len);
    luaL_pushresultsize(&b, k);
    return lua_tolstring(L, -1, n);
}

static int wordset_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)lede_wordset_size(check_wordset(L, 1)));
    return 1;
}

static int wordset_get(lua_State *L)
{
    const lede_wordset *ws = check_wordset(L, 1);
    size_t n;
    const char *key = push_key_of(L, 2, &n);
    uint32_t value;
    if (lede_wordset_get(ws, key, n, &value))
        push_set_value(L, 1, value);
    else
        lua_pushnil(L);
    return 1;
}

static int wordset_has(lua_State *L)
{
    const lede_wordset *ws = check_wordset(L, 1);
    size_t n;
    const char *key = push_key_of(L, 2, &n);
    lua_pushboolean(L, lede_wordset_get(ws, key, n, NULL));
    return 1;
}

static int wordset_find(lua_State *L)
{
    const lede_wordset *ws = check_wordset(L, 1);
    int anchored = lua_toboolean(L, 3);
    size_t n, at, len;
    const char *key = push_key_of(L, 2, &n);
    uint32_t value;
    if (!lede_wordset_find(ws, key, n, anchored, &at, &len, &value)) {
        lua_pushnil(L);
        return 1;
    }
    push_set_value(L, 1, value);
    lua_pushlstring(L, key + at, len);
    return 2;
}

static void add_entry(lua_State *L, lede_wordset *ws, const char *s, size_t len, uint32_t value)
{
    int rc = lede_wordset_add(ws, s, len, value);
    if (rc != LEDE_OK)
        luaL_error(L, "wordset: %s", lede_errstr(rc));
}

/* One entry per line of s; blank lines and # comments skipped. */
static void add_lines(lua_State *L, lede_wordset *ws, const char *s, size_t len)
{
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - s) : len, a = pos;
        while (a < end && (s[a] == ' ' || s[a] == '\t'))
            a++;
        if (a < end && s[a] != '#')
            add_entry(L, ws, s + a, end - a, 0);
        pos = end + 1;
    }
}

static int l_wordset(lua_State *L)
{
    int t = lua_type(L, 1);
    if (t != LUA_TTABLE && t != LUA_TSTRING)
        return luaL_typeerror(L, 1, "string or table");
    wordset_ud *u = lua_newuserdatauv(L, sizeof *u, 1);
    u->ws = NULL;
    luaL_setmetatable(L, WORDSET_MT);
    int ud = lua_gettop(L);
    lua_newtable(L); /* values, numbered from 1 */
    lua_setiuservalue(L, ud, 1);
    if (lede_wordset_new(&u->ws) != LEDE_OK)
        return luaL_error(L, "not enough memory for the wordset");
    if (t == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, 1, &len);
        add_lines(L, u->ws, s, len);
        return 1;
    }
    lua_getiuservalue(L, ud, 1);
    int values = lua_gettop(L);
    uint32_t n_values = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        size_t len;
        if (lua_type(L, -2) == LUA_TNUMBER) {
            if (lua_type(L, -1) != LUA_TSTRING)
                return luaL_error(L, "wordset: list items must be strings");
            const char *s = lua_tolstring(L, -1, &len);
            add_entry(L, u->ws, s, len, 0);
        } else if (lua_type(L, -2) == LUA_TSTRING) {
            lua_pushvalue(L, -1);
            lua_rawseti(L, values, (lua_Integer)++n_values);
            const char *s = lua_tolstring(L, -2, &len);
            add_entry(L, u->ws, s, len, n_values);
        } else {
            return luaL_error(L, "wordset: keys must be strings (entries) or list positions");
        }
        lua_pop(L, 1);
    }
    lua_settop(L, ud);
    return 1;
}

static int l_line_key(lua_State *L)
{
    size_t n;
    push_key_of(L, 1, &n);
    return 1;
}

/* ---- lines ---- */

typedef struct lines_box {
    lede_line *v;
} lines_box;

static int linesbox_gc(lua_State *L)
{
    lines_box *box = lua_touserdata(L, 1);
    free(box->v);
    box->v = NULL;
    return 0;
}

/* The first `max` bytes of s[0..len), not cutting a character. */
static size_t head_bytes(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

/* Offset of the last `max` bytes of s[0..len), starting on a character. */
static size_t tail_offset(const char *s, size_t len, size_t max)
{
    size_t off = len > max ? len - max : 0;
    while (off < len && ((unsigned char)s[off] & 0xC0) == 0x80)
        off++;
    return off;
}

typedef struct lines_opts {
    const lede_wordset *stop;
    size_t key_bytes, tail_bytes, long_words;
    int n_sets;
    const lede_wordset *sets[SETS_MAX];
    int set_idx[SETS_MAX]; /* stack index of each find/prefix wordset */
    int anchored[SETS_MAX]; /* 0 find, 1 prefix, 2 exact */
    int name_idx[SETS_MAX]; /* stack index of its column name */
} lines_opts;

static size_t opt_bytes(lua_State *L, const char *name, size_t dflt)
{
    lua_Integer v = (lua_Integer)dflt;
    if (lua_getfield(L, 2, name) != LUA_TNIL)
        v = luaL_checkinteger(L, -1);
    lua_pop(L, 1);
    if (v < 0 || v > BYTES_MAX)
        luaL_error(L, "lede.lines: %s must be 0 .. %d", name, BYTES_MAX);
    return (size_t)v;
}

/* Leaves name and wordset of every entry of opts[field] on the stack. */
static void read_sets(lua_State *L, lines_opts *o, const char *field, int anchored)
{
    if (lua_getfield(L, 2, field) == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    luaL_checktype(L, -1, LUA_TTABLE);
    int tbl = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, tbl)) { /* ... name wordset */
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "lede.lines: %s = { name = wordset, ... }", field);
        if (o->n_sets == SETS_MAX)
            luaL_error(L, "lede.lines: at most %d word sets", SETS_MAX);
        o->sets[o->n_sets] = check_wordset(L, -1);
        o->set_idx[o->n_sets] = lua_gettop(L);
        o->name_idx[o->n_sets] = lua_gettop(L) - 1;
        o->anchored[o->n_sets++] = anchored;
        luaL_checkstack(L, 4, "lede.lines");
        lua_pushvalue(L, -2); /* a copy of the name, for lua_next */
    }
}

static void read_opts(lua_State *L, lines_opts *o)
{
    memset(o, 0, sizeof *o);
    o->key_bytes = KEY_BYTES_DEFAULT;
    if (lua_isnoneornil(L, 2))
        return;
    luaL_checktype(L, 2, LUA_TTABLE);
    if (lua_getfield(L, 2, "stopwords") != LUA_TNIL)
        o->stop = check_wordset(L, -1);
    lua_pop(L, 1); /* the wordset stays reachable from opts */
    o->key_bytes = opt_bytes(L, "key_bytes", KEY_BYTES_DEFAULT);
    o->tail_bytes = opt_bytes(L, "tail_bytes", 0);
    o->long_words = opt_bytes(L, "long_words", 0);
    read_sets(L, o, "find", 0);
    read_sets(L, o, "prefix", 1);
    read_sets(L, o, "exact", 2);
}

enum { C_START, C_STOP, C_GAP, C_WORDS, C_CAPS, C_NUMBERS, C_STOPS, C_SEPS, C_SYMBOLS, C_TERM, C_COUNT };
static const char *const column_names[C_COUNT] = {"start", "stop", "gap",     "words", "caps",
                                                  "numbers", "stops", "seps", "symbols", "term"};

/* A sparse column's value is stored: a true flag or a count above 0. */
static int present(int col, const lede_line *ln)
{
    switch (col) {
    case C_GAP: return ln->gap;
    case C_TERM: return ln->ends_sentence;
    case C_CAPS: return ln->capitalised > 0;
    case C_NUMBERS: return ln->numbers > 0;
    case C_SEPS: return ln->separators > 0;
    default: return ln->symbols > 0;
    }
}

static void push_value(lua_State *L, int col, const lede_line *ln)
{
    switch (col) {
    case C_START: lua_pushinteger(L, (lua_Integer)ln->start + 1); break;
    case C_STOP: lua_pushinteger(L, (lua_Integer)ln->end); break;
    case C_GAP: lua_pushboolean(L, ln->gap); break;
    case C_WORDS: lua_pushinteger(L, (lua_Integer)ln->words); break;
    case C_CAPS: lua_pushinteger(L, (lua_Integer)ln->capitalised); break;
    case C_NUMBERS: lua_pushinteger(L, (lua_Integer)ln->numbers); break;
    case C_STOPS: lua_pushinteger(L, (lua_Integer)ln->stopwords); break;
    case C_SEPS: lua_pushinteger(L, (lua_Integer)ln->separators); break;
    case C_SYMBOLS: lua_pushinteger(L, (lua_Integer)ln->symbols); break;
    default: lua_pushboolean(L, ln->ends_sentence); break;
    }
}

/* Sets the dup column: for each line that repeats an earlier one byte for
 * byte, the number of the first such line (from 1).  One pass over the
 * lines' hashes, in a table of twice their number. */
static void dup_column(lua_State *L, const char *text, const lede_line *v, size_t n, int result)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    uint32_t *first = lua_newuserdatauv(L, cap * sizeof *first, 0); /* 1 + index of a line, 0: empty */
    memset(first, 0, cap * sizeof *first);
    lua_createtable(L, 0, 0);
    for (size_t i = 0; i < n; i++) {
        size_t len = v[i].end - v[i].start;
        for (size_t j = (size_t)v[i].hash & (cap - 1);; j = (j + 1) & (cap - 1)) {
            if (first[j] == 0) {
                first[j] = (uint32_t)i + 1;
                break;
            }
            const lede_line *f = &v[first[j] - 1];
            if (f->hash == v[i].hash && f->end - f->start == len && memcmp(text + f->start, text + v[i].start, len) == 0) {
                lua_pushinteger(L, (lua_Integer)first[j]);
                lua_rawseti(L, -2, (lua_Integer)i + 1);
                break;
            }
        }
    }
    lua_setfield(L, result, "dup");
    lua_pop(L, 1);
}

/* Sets column[i] of each word set: the value of the entry found in key,
 * else in tail (tail may be NULL); nothing when none.  `whole`: key is the
 * key of the whole line (for the exact sets). */
static void set_found(lua_State *L, const lines_opts *o, int first_col, int hits_col, lua_Integer i,
                      const char *key, size_t key_len, int whole, const char *tail, size_t tail_len)
{
    int hits = 0;
    int found[SETS_MAX], tail_found[SETS_MAX], anchored[SETS_MAX], map[SETS_MAX];
    uint32_t values[SETS_MAX], tail_values[SETS_MAX];
    size_t at[SETS_MAX], n[SETS_MAX], m = 0;
    const lede_wordset *sets[SETS_MAX];
    for (int s = 0; s < o->n_sets; s++)
        if (o->anchored[s] < 2) {
            sets[m] = o->sets[s];
            anchored[m] = o->anchored[s];
            map[m++] = s;
        } else {
            found[s] = whole && lede_wordset_get(o->sets[s], key, key_len, &values[s]);
        }
    lede_wordsets_find(sets, anchored, m, key, key_len, tail_found, tail_values, at, n);
    for (size_t j = 0; j < m; j++) {
        found[map[j]] = tail_found[j];
        values[map[j]] = tail_values[j];
    }
    m = 0;
    for (int s = 0; tail && s < o->n_sets; s++)
        if (!found[s] && !o->anchored[s]) {
            sets[m] = o->sets[s];
            anchored[m] = 0;
            map[m++] = s;
        }
    if (m) {
        lede_wordsets_find(sets, anchored, m, tail, tail_len, tail_found, tail_values, at, n);
        for (size_t j = 0; j < m; j++)
            if (tail_found[j]) {
                found[map[j]] = 1;
                values[map[j]] = tail_values[j];
            }
    }
    for (int s = 0; s < o->n_sets; s++)
        if (found[s]) {
            push_set_value(L, o->set_idx[s], values[s]);
            lua_rawseti(L, first_col + s, i);
            hits++;
        }
    if (hits) {
        lua_pushinteger(L, hits);
        lua_rawseti(L, hits_col, i);
    }
}

/* The key and set columns, in one loop over the lines. */
static void key_columns(lua_State *L, const lines_opts *o, const char *text, const lede_line *v, size_t n,
                        int result)
{
    int key_col = lua_gettop(L) + 1, hits_col = key_col + 1, set_col = key_col + 2;
    lua_createtable(L, (int)n, 0);
    lua_createtable(L, 0, 0);
    for (int s = 0; s < o->n_sets; s++)
        lua_createtable(L, 0, 0);
    size_t cap = 2 * (o->key_bytes > o->tail_bytes ? o->key_bytes : o->tail_bytes) + 16;
    char *key = lua_newuserdatauv(L, 2 * cap, 0), *tail = key + cap;
    for (size_t i = 0; i < n; i++) {
        const char *line = text + v[i].start;
        size_t len = v[i].end - v[i].start, key_len = 0;
        int is_long = o->long_words && v[i].words > o->long_words;
        size_t head = head_bytes(line, len, o->key_bytes);
        if (!is_long)
            key_len = lede_line_key(key, cap, line, head);
        lua_pushlstring(L, key, key_len);
        lua_rawseti(L, key_col, (lua_Integer)i + 1);
        if (o->n_sets == 0)
            continue;
        const char *t = NULL;
        size_t tail_len = 0;
        if (o->tail_bytes && (len > o->key_bytes || is_long) && !v[i].ends_sentence) {
            size_t off = tail_offset(line, len, o->tail_bytes);
            tail_len = lede_line_key(tail, cap, line + off, len - off);
            t = tail;
        }
        set_found(L, o, set_col, hits_col, (lua_Integer)i + 1, key, key_len, !is_long && head == len, t, tail_len);
    }
    lua_pop(L, 1); /* the scratch buffers */
    for (int s = o->n_sets - 1; s >= 0; s--) {
        lua_pushvalue(L, o->name_idx[s]);
        lua_insert(L, -2);
        lua_settable(L, result);
    }
    lua_setfield(L, result, "hits");
    lua_setfield(L, result, "key");
}

static int l_lines(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    lines_opts o;
    read_opts(L, &o);
    lines_box *box = lua_newuserdatauv(L, sizeof *box, 0); /* frees the lines even after an error */
    box->v = NULL;
    if (luaL_newmetatable(L, LINESBOX_MT)) {
        lua_pushcfunction(L, linesbox_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    size_t n;
    int rc = lede_lines_scan(&box->v, &n, text, len, o.stop);
    if (rc != LEDE_OK)
        return luaL_error(L, "lede.lines: %s", lede_errstr(rc));
    luaL_checkstack(L, SETS_MAX + 8, "lede.lines");
    lua_createtable(L, 0, C_COUNT + 3 + o.n_sets);
    int result = lua_gettop(L);
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, result, "n");
    for (int col = 0; col < C_COUNT; col++) {
        /* the columns of rare features hold only what is there (true, or a count > 0) */
        int sparse = col == C_GAP || col == C_TERM || col == C_CAPS || col == C_NUMBERS || col == C_SEPS ||
                     col == C_SYMBOLS;
        lua_createtable(L, sparse ? 0 : (int)n, 0);
        for (size_t i = 0; i < n; i++) {
            if (sparse && !present(col, &box->v[i]))
                continue;
            push_value(L, col, &box->v[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_setfield(L, result, column_names[col]);
    }
    dup_column(L, text, box->v, n, result);
    if (o.key_bytes)
        key_columns(L, &o, text, box->v, n, result);
    free(box->v);
    box->v = NULL;
    lua_pushvalue(L, result);
    return 1;
}

void lede_lualines_add(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"get", wordset_get}, {"has", wordset_has}, {"find", wordset_find}, {NULL, NULL}};
    luaL_newmetatable(L, WORDSET_MT);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, wordset_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, wordset_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
    static const luaL_Reg funcs[] = {
        {"lines", l_lines}, {"line_key", l_line_key}, {"wordset", l_wordset}, {NULL, NULL}};
    luaL_setfuncs(L, funcs, 0);
}
