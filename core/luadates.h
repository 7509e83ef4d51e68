/* Date functions of the `lede` Lua module (core/dates.h from Lua):
 * lede.dates, lede.parse_date, lede.day_number, lede.day_iso, lede.weekday.
 * Reference: docs/metadata.md. */
#ifndef LEDE_LUADATES_H
#define LEDE_LUADATES_H

#include <lua.h>

/* Adds the date functions to the module table on top of the stack. */
void lede_luadates_add(lua_State *L);

#endif
