/* lede.num: see luanum.h. */
#include "luanum.h"

#include "lede.h"
#include "numparse.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#define QBOX_MT "lede.num.box"

/* The scan result, freed by the GC even if building the tables fails. */
static int qbox_gc(lua_State *L)
{
    lede_quantity **q = lua_touserdata(L, 1);
    free(*q);
    *q = NULL;
    return 0;
}

static lede_quantity **qbox_push(lua_State *L)
{
    lede_quantity **q = lua_newuserdatauv(L, sizeof *q, 0);
    *q = NULL;
    if (luaL_newmetatable(L, QBOX_MT)) {
        lua_pushcfunction(L, qbox_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return q;
}

/* Reads opts at idx (nil or a table).  The language string stays on the
 * stack (in the table), so the pointer is valid during the call. */
static lede_num_opts check_opts(lua_State *L, int idx)
{
    lede_num_opts o = LEDE_NUM_OPTS_INIT;
    if (lua_isnoneornil(L, idx))
        return o;
    luaL_checktype(L, idx, LUA_TTABLE);
    if (lua_getfield(L, idx, "language") == LUA_TSTRING)
        o.language = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (lua_getfield(L, idx, "decimal_comma") != LUA_TNIL)
        o.decimal_comma = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return o;
}

static void set_int(lua_State *L, const char *k, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

/* Pushes quantity q as a table; offsets shifted by `base` bytes. */
static void push_quantity(lua_State *L, const lede_quantity *q, size_t base)
{
    lua_createtable(L, 0, 12);
    set_int(L, "start", (lua_Integer)(base + q->start) + 1);
    set_int(L, "stop", (lua_Integer)(base + q->end));
    set_int(L, "num_start", (lua_Integer)(base + q->num_start) + 1);
    set_int(L, "num_stop", (lua_Integer)(base + q->num_end));
    if (!(q->flags & (LEDE_NUM_RANGE | LEDE_NUM_VAGUE)))
        set_int(L, "value", q->value);
    set_int(L, "low", q->low);
    set_int(L, "high", q->high);
    lua_pushnumber(L, q->real);
    lua_setfield(L, -2, "real");
    lua_pushstring(L, lede_num_qualifier_name(q->qualifier));
    lua_setfield(L, -2, "qualifier");
    if (q->vague) {
        lua_pushstring(L, lede_num_vague_name(q->vague));
        lua_setfield(L, -2, "vague");
    }
    set_int(L, "flags", q->flags);
}

/* Byte range [from, to) of a string from optional 1-based inclusive i, j. */
static void byte_range(lua_State *L, size_t len, int idx, size_t *from, size_t *to)
{
    lua_Integer i = luaL_optinteger(L, idx, 1), j = luaL_optinteger(L, idx + 1, (lua_Integer)len);
    if (i < 1)
        i = 1;
    if (j > (lua_Integer)len)
        j = (lua_Integer)len;
    *from = (size_t)(i - 1);
    *to = j >= i ? (size_t)j : *from;
}

static int l_scan(lua_State *L)
{
    size_t len, from, to, n;
    const char *s = luaL_checklstring(L, 1, &len);
    lede_num_opts o = check_opts(L, 2);
    byte_range(L, len, 3, &from, &to);
    lede_quantity **box = qbox_push(L);
    if (lede_num_scan(box, &n, s + from, to - from, &o) != LEDE_OK)
        return luaL_error(L, "not enough memory");
    lua_createtable(L, (int)n, 0);
    for (size_t k = 0; k < n; k++) {
        push_quantity(L, &(*box)[k], from);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    return 1;
}

#define TBOX_MT "lede.num.tokbox"

static int tbox_gc(lua_State *L)
{
    lede_num_token **t = lua_touserdata(L, 1);
    free(*t);
    *t = NULL;
    return 0;
}

static lede_num_token **tbox_push(lua_State *L)
{
    lede_num_token **t = lua_newuserdatauv(L, sizeof *t, 0);
    *t = NULL;
    if (luaL_newmetatable(L, TBOX_MT)) {
        lua_pushcfunction(L, tbox_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return t;
}

/* Column `name` of the token table at index `tokens`: a new array left at the top. */
static int new_column(lua_State *L, int tokens, const char *name, size_t n)
{
    lua_createtable(L, (int)n, 0);
    lua_pushvalue(L, -1);
    lua_setfield(L, tokens, name);
    return lua_gettop(L);
}

/* Quantities that can count people: not percentages, money, ordinals,
 * times, codes, dates, decimals, or "five-year-old" compounds. */
static int countable(const lede_quantity *q)
{
    unsigned reject = LEDE_NUM_PERCENT | LEDE_NUM_CURRENCY | LEDE_NUM_ORDINAL | LEDE_NUM_TIME |
                      LEDE_NUM_ATTACHED | LEDE_NUM_SLASHED | LEDE_NUM_DECIMAL | LEDE_NUM_HUGE;
    if (q->flags & reject)
        return 0;
    return !(q->flags & LEDE_NUM_COMPOUND) || (q->flags & LEDE_NUM_RANGE);
}

static int l_tokens(lua_State *L)
{
    size_t len, from, to, nq, nt;
    const char *s = luaL_checklstring(L, 1, &len);
    lede_num_opts o = check_opts(L, 2);
    byte_range(L, len, 3, &from, &to);
    lede_quantity **qbox = qbox_push(L);
    if (lede_num_scan(qbox, &nq, s + from, to - from, &o) != LEDE_OK)
        return luaL_error(L, "not enough memory");
    size_t n_countable = 0;
    for (size_t i = 0; i < nq; i++)
        n_countable += countable(&(*qbox)[i]);
    if (n_countable == 0) {
        lua_pushnil(L);
        return 1;
    }
    lede_num_token **tbox = tbox_push(L);
    if (lede_num_tokens(tbox, &nt, s + from, to - from, *qbox, nq) != LEDE_OK)
        return luaL_error(L, "not enough memory");
    const lede_num_token *t = *tbox;
    lua_createtable(L, 0, 7);
    int tok = lua_gettop(L);
    set_int(L, "n", (lua_Integer)nt);
    set_int(L, "nq", (lua_Integer)n_countable);
    int w = new_column(L, tok, "w", nt), st = new_column(L, tok, "s", nt), en = new_column(L, tok, "e", nt);
    int k = new_column(L, tok, "k", nt), q = new_column(L, tok, "q", 0);
    int qi = new_column(L, tok, "qi", n_countable);
    lua_Integer n_qi = 0;
    int kinds = lua_gettop(L) + 1; /* interned once: "w", "n", "p", "d", "#" */
    lua_pushliteral(L, "w");
    lua_pushliteral(L, "n");
    lua_pushliteral(L, "p");
    lua_pushliteral(L, "d");
    lua_pushliteral(L, "#");
    char buf[256];
    for (size_t i = 0; i < nt; i++) {
        lua_Integer idx = (lua_Integer)i + 1;
        size_t a = t[i].start, b = t[i].end;
        if (t[i].kind == LEDE_NUM_TOK_QUANTITY) {
            lua_pushvalue(L, kinds + 4);
            if (countable(&(*qbox)[t[i].quantity])) {
                push_quantity(L, &(*qbox)[t[i].quantity], from);
                lua_rawseti(L, q, idx);
                lua_pushinteger(L, idx);
                lua_rawseti(L, qi, ++n_qi);
            }
        } else if (t[i].kind == LEDE_NUM_TOK_WORD && lede_num_fold(buf, sizeof buf, s + from, a, b)) {
            lua_pushlstring(L, buf, b - a);
        } else {
            lua_pushlstring(L, s + from + a, b - a);
        }
        lua_rawseti(L, w, idx);
        lua_pushinteger(L, (lua_Integer)(from + a) + 1);
        lua_rawseti(L, st, idx);
        lua_pushinteger(L, (lua_Integer)(from + b));
        lua_rawseti(L, en, idx);
        lua_pushvalue(L, kinds + (t[i].kind & 3));
        lua_rawseti(L, k, idx);
    }
    lua_settop(L, tok);
    return 1;
}

static int l_parse(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lede_num_opts o = check_opts(L, 2);
    lede_quantity q;
    if (lede_num_parse(&q, s, len, &o) == 0)
        lua_pushnil(L);
    else
        push_quantity(L, &q, 0);
    return 1;
}

static int l_vague_range(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    for (int v = 1; lede_num_vague_name(v); v++)
        if (strcmp(lede_num_vague_name(v), name) == 0) {
            int64_t lo, hi;
            lede_num_vague_range(v, &lo, &hi);
            lua_pushinteger(L, lo);
            lua_pushinteger(L, hi);
            return 2;
        }
    lua_pushnil(L);
    return 1;
}

static void push_flags(lua_State *L)
{
    static const struct {
        const char *name;
        unsigned bit;
    } flags[] = {{"words", LEDE_NUM_WORDS},       {"decimal", LEDE_NUM_DECIMAL},   {"scaled", LEDE_NUM_SCALED},
                 {"range", LEDE_NUM_RANGE},       {"vague", LEDE_NUM_VAGUE},       {"percent", LEDE_NUM_PERCENT},
                 {"currency", LEDE_NUM_CURRENCY}, {"ordinal", LEDE_NUM_ORDINAL},   {"compound", LEDE_NUM_COMPOUND},
                 {"year", LEDE_NUM_YEAR},         {"time", LEDE_NUM_TIME},         {"attached", LEDE_NUM_ATTACHED},
                 {"from", LEDE_NUM_FROM},         {"slashed", LEDE_NUM_SLASHED},   {"huge", LEDE_NUM_HUGE}};
    lua_createtable(L, 0, (int)(sizeof flags / sizeof *flags));
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        lua_pushinteger(L, flags[i].bit);
        lua_setfield(L, -2, flags[i].name);
    }
}

void lede_luanum_open(lua_State *L)
{
    static const luaL_Reg funcs[] = {
        {"scan", l_scan}, {"tokens", l_tokens}, {"parse", l_parse}, {"vague_range", l_vague_range}, {NULL, NULL}};
    luaL_newlib(L, funcs);
    push_flags(L);
    lua_setfield(L, -2, "F");
    lua_setfield(L, -2, "num");
}
