/* Fuzz target: arbitrary bytes as the stored JSON of a span's fields, read
 * back into a Lua table by lede_luajson_decode_into (and as a row of columns
 * by lede_luajson_decode_columns, which must agree).  Besides "no crash, no
 * leak", it checks the reader against jansson: an input jansson takes as an
 * object (not nested deeper than the reader allows) is taken too, with the
 * same number of non-null members; a refused input leaves the stack as it
 * was.  (jansson stops reading at a NUL byte and may then accept a broken
 * object, so inputs holding one are not compared.) */
#include "luajson.h"

#include <jansson.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_fields: invariant broken: %s\n", what);
        abort();
    }
}

static size_t opening_brackets(const uint8_t *data, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '[' || data[i] == '{';
    return n;
}

static size_t json_members(json_t *o)
{
    size_t n = 0;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) n += !json_is_null(v);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lua_State *L = luaL_newstate();
    require(L != NULL, "lua state");
    lua_newtable(L);
    int rc = lede_luajson_decode_into(L, (const char *)data, size);
    require(rc == 0 || rc == -1, "status");
    require(lua_gettop(L) == 1 && lua_istable(L, 1), "stack balanced");
    json_t *ref = json_loadb((const char *)data, size, 0, NULL);
    if (ref && json_is_object(ref) && opening_brackets(data, size) <= 64 && !memchr(data, 0, size)) {
        require(rc == 0, "an object jansson reads is read");
        require(lede_luajson_count_keys(L, 1) == json_members(ref), "same members as jansson");
    }
    json_decref(ref);
    /* the same input read as a row of columns: the same verdict */
    static const lede_json_key keys[] = {{"a", 1}, {"count", 5}};
    lua_settop(L, 0);
    lua_newtable(L);
    lua_newtable(L);
    require(lede_luajson_decode_columns(L, (const char *)data, size, keys, 2, 1, 1) == rc, "columns status");
    require(lua_gettop(L) == 2, "columns stack balanced");
    lua_close(L);
    return 0;
}
