/* The `lede` Lua module: Unicode helpers (utf8proc), lexicons, token flag
 * constants, plugin data files (reference: docs/plugins.md). */
#ifndef LEDE_LUALEDE_H
#define LEDE_LUALEDE_H

#include <lua.h>

/* Pushes the module table (one per VM). */
void lede_lualede_push(lua_State *L);

#endif
