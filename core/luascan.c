/* lede.scan: see luascan.h. */
#include "luascan.h"

#include "scan.h"

#include <lauxlib.h>

static int l_suffixed(lua_State *L)
{
    size_t len, n_suf;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *suf = luaL_checklstring(L, 2, &n_suf);
    lua_newtable(L);
    lua_Integer k = 0;
    size_t pos = 0, start, stop;
    while (lede_scan_suffixed(s, len, suf, n_suf, &pos, &start, &stop)) {
        lua_pushlstring(L, s + start, stop - start);
        lua_rawseti(L, -2, ++k);
    }
    return 1;
}

void lede_luascan_open(lua_State *L)
{
    static const luaL_Reg funcs[] = {{"suffixed", l_suffixed}, {NULL, NULL}};
    luaL_newlib(L, funcs);
    lua_setfield(L, -2, "scan");
}
