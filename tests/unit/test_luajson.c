/* Span fields between Lua and JSON (luajson.h): what the reader makes of
 * each JSON value, what it refuses, and that encoding then reading gives
 * the fields back. */
#include "check.h"
#include "jsonw.h"
#include "luajson.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

/* Decodes json into a fresh table left on the stack; returns the status. */
static int decode(lua_State *L, const char *json)
{
    lua_settop(L, 0);
    lua_newtable(L);
    return lede_luajson_decode_into(L, json, strlen(json));
}

static const char *field_string(lua_State *L, const char *name)
{
    lua_getfield(L, 1, name);
    const char *s = lua_tostring(L, -1);
    lua_pop(L, 1); /* the string stays anchored by the table */
    return s ? s : "(not a string)";
}

static void test_values(lua_State *L)
{
    CHECK_INT(decode(L, "{\"i\":12600000,\"f\":0.9,\"e\":1E+2,\"n\":-0,\"t\":true,\"x\":false,\"z\":null}"), 0);
    lua_getfield(L, 1, "i");
    CHECK(lua_isinteger(L, -1) && lua_tointeger(L, -1) == 12600000);
    lua_getfield(L, 1, "f");
    CHECK(!lua_isinteger(L, -1) && lua_tonumber(L, -1) == 0.9);
    lua_getfield(L, 1, "e");
    CHECK(!lua_isinteger(L, -1) && lua_tonumber(L, -1) == 100.0);
    lua_getfield(L, 1, "n");
    CHECK(lua_isinteger(L, -1) && lua_tointeger(L, -1) == 0);
    lua_getfield(L, 1, "t");
    CHECK(lua_isboolean(L, -1) && lua_toboolean(L, -1));
    lua_getfield(L, 1, "x");
    CHECK(lua_isboolean(L, -1) && !lua_toboolean(L, -1));
    lua_getfield(L, 1, "z"); /* a null member is an absent field */
    CHECK(lua_isnil(L, -1));

    CHECK_INT(decode(L, "{\"s\":\"a\\\"b\\\\c\\/d\\n\",\"u\":\"\\u00e9\\u20AC\\ud83d\\ude00\",\"r\":\"caf\xC3\xA9\"}"), 0);
    CHECK_STR(field_string(L, "s"), "a\"b\\c/d\n");
    CHECK_STR(field_string(L, "u"), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    CHECK_STR(field_string(L, "r"), "caf\xC3\xA9");

    CHECK_INT(decode(L, " { \"l\" : [ 1 , [ ] , { \"a\" : [ null , 2 ] } ] , \"k\" : 1 , \"k\" : 2 } "), 0);
    lua_getfield(L, 1, "l");
    CHECK_INT(lua_rawlen(L, -1), 3);
    lua_rawgeti(L, -1, 3);
    lua_getfield(L, -1, "a");
    lua_rawgeti(L, -1, 2);
    CHECK_INT(lua_tointeger(L, -1), 2);
    lua_getfield(L, 1, "k"); /* the last of duplicate members counts */
    CHECK_INT(lua_tointeger(L, -1), 2);
}

static void test_refusals(lua_State *L)
{
    static const char *const bad[] = {
        "", "[1]", "\"x\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}",
        "{\"a\":1e}", "{\"a\":tru}", "{\"a\":\"x}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}",
        "{\"a\":\"tab\tinside\"}", "{a:1}", "{\"a\":1} x", "{\"a\":[1 2]}", "{\"a\":--1}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK_INT(decode(L, bad[i]), -1);
        CHECK_INT(lua_gettop(L), 1); /* the stack as it was */
    }
    char deep[200] = "{\"a\":";
    for (int i = 0; i < 70; i++)
        strcat(deep, "[");
    CHECK_INT(decode(L, deep), -1);
}

static void test_round_trip(lua_State *L)
{
    char *names[] = {"count", "where", "confidence", "tags", "note"};
    lede_layer_def def = {"figure", names, 5, 0};
    lua_settop(L, 0);
    CHECK_INT(luaL_dostring(L, "return { count = 1200, where = 'Kh\\195\\169rson \"north\"', confidence = 0.75, "
                               "tags = { 'a', 'b' } }"),
              LUA_OK);
    char *json;
    size_t len;
    lede_luajson_encode_fields(L, 1, &def, &json, &len);
    CHECK_STR(json, "{\"count\":1200,\"where\":\"Kh\xC3\xA9rson \\\"north\\\"\",\"confidence\":0.75,"
                    "\"tags\":[\"a\",\"b\"],\"note\":null}");
    CHECK_INT(decode(L, json), 0);
    CHECK_STR(field_string(L, "where"), "Kh\xC3\xA9rson \"north\"");
    lua_getfield(L, 1, "count");
    CHECK(lua_isinteger(L, -1) && lua_tointeger(L, -1) == 1200);
    free(json);
}

/* Spans written in C (jsonw.h) read the same as those a plugin writes:
 * each value as lede_luajson_encode_fields writes it. */
static void test_written_from_c(lua_State *L)
{
    char *names[] = {"n", "neg", "f", "whole", "small", "s", "b", "none"};
    lede_layer_def def = {"x", names, 8, 0};
    lua_settop(L, 0);
    CHECK_INT(luaL_dostring(L, "return { n = 9007199254740993, neg = -42, f = 0.85, whole = 2.0, small = 1e-7, "
                               "s = 'tab\\tnl\\nq\"bs\\\\ctl\\1 caf\\195\\169', b = false }"),
              LUA_OK);
    char *json;
    size_t len;
    lede_luajson_encode_fields(L, 1, &def, &json, &len);
    lede_jsonw b = {NULL, 0, 0};
    int bad = lede_jsonw_raw(&b, "{\"n\":", 5) || lede_jsonw_int(&b, 9007199254740993) ||
              lede_jsonw_raw(&b, ",\"neg\":", 7) || lede_jsonw_int(&b, -42) ||
              lede_jsonw_raw(&b, ",\"f\":", 5) || lede_jsonw_double(&b, 0.85) ||
              lede_jsonw_raw(&b, ",\"whole\":", 9) || lede_jsonw_double(&b, 2.0) ||
              lede_jsonw_raw(&b, ",\"small\":", 9) || lede_jsonw_double(&b, 1e-7) ||
              lede_jsonw_raw(&b, ",\"s\":", 5) || lede_jsonw_string(&b, "tab\tnl\nq\"bs\\ctl\001 caf\xC3\xA9") ||
              lede_jsonw_raw(&b, ",\"b\":", 5) || lede_jsonw_bool(&b, 0) ||
              lede_jsonw_raw(&b, ",\"none\":", 8) || lede_jsonw_string(&b, NULL) || lede_jsonw_raw(&b, "}", 1);
    CHECK(!bad);
    CHECK_INT(b.n, len);
    if (!bad && b.n == len)
        CHECK(memcmp(b.p, json, len) == 0);
    free(b.p);
    free(json);
}

/* Row `row` of the column at stack index col, as text ("nil" when absent). */
static const char *cell(lua_State *L, int col, lua_Integer row)
{
    lua_rawgeti(L, col, row);
    const char *s = lua_isnil(L, -1) ? "nil" : luaL_tolstring(L, -1, NULL);
    lua_settop(L, 2);
    return s; /* anchored by the column, or a literal */
}

static int decode_row(lua_State *L, const char *json, const lede_json_key *keys, size_t n, int col, lua_Integer row)
{
    return lede_luajson_decode_columns(L, json, strlen(json), keys, n, col, row);
}

static void test_columns(lua_State *L)
{
    const lede_json_key keys[] = {{"where", 5}, {"n", 1}};
    lua_settop(L, 0);
    lua_newtable(L);
    lua_newtable(L);
    CHECK_INT(decode_row(L, "{\"n\":3,\"skip\":[1,{\"where\":2}],\"where\":\"Kyiv\"}", keys, 2, 1, 1),
              0);
    CHECK_INT(decode_row(L, "{\"\\u0077here\":\"Lviv\",\"n\":null}", keys, 2, 1, 2), 0);
    CHECK_INT(decode_row(L, "{\"n\":-12345678901234567890}", keys, 2, 1, 3), 0);
    CHECK_INT(lua_gettop(L), 2);
    CHECK_STR(cell(L, 1, 1), "Kyiv");
    CHECK_STR(cell(L, 2, 1), "3");
    CHECK_STR(cell(L, 1, 2), "Lviv"); /* an escaped name is the same name */
    CHECK_STR(cell(L, 2, 2), "nil");  /* null: nothing set */
    lua_rawgeti(L, 2, 3);             /* too long for an integer: a float, as lua_stringtonumber reads it */
    CHECK(!lua_isinteger(L, -1) && lua_tonumber(L, -1) == -12345678901234567890.0);
    lua_settop(L, 2);
    CHECK_INT(decode_row(L, "{\"n\":4,\"where\":}", keys, 2, 1, 4), -1);
    CHECK_INT(lua_gettop(L), 2); /* the stack as it was, the members before the fault set */
    CHECK_STR(cell(L, 2, 4), "4");
    CHECK_INT(decode_row(L, "[1]", keys, 2, 1, 5), -1);
}

/* A fields table with a metatable may run Lua code while it is encoded:
 * here its __index encodes other fields, which must not disturb it. */
static void test_encode_metatable(lua_State *L)
{
    static char *names[] = {"a", "b"};
    static lede_layer_def def = {"pair", names, 2, 0};
    lua_settop(L, 0);
    CHECK_INT(luaL_dostring(L, "return { a = 'x' }, { __index = function(_, k) return encode({ a = k }) end }"),
              LUA_OK);
    lua_setmetatable(L, 1);
    char *json;
    size_t len;
    lede_luajson_encode_fields(L, 1, &def, &json, &len);
    CHECK_STR(json, "{\"a\":\"x\",\"b\":\"{\\\"a\\\":\\\"b\\\",\\\"b\\\":null}\"}");
    free(json);
}

static int l_encode(lua_State *L)
{
    static char *names[] = {"a", "b"};
    static lede_layer_def def = {"pair", names, 2, 0};
    char *json;
    size_t len;
    lede_luajson_encode_fields(L, 1, &def, &json, &len);
    lua_pushlstring(L, json, len);
    free(json);
    return 1;
}

int main(void)
{
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    lua_register(L, "encode", l_encode);
    test_values(L);
    test_refusals(L);
    test_round_trip(L);
    test_written_from_c(L);
    test_columns(L);
    test_encode_metatable(L);
    lua_close(L);
    return check_report("test_luajson");
}
