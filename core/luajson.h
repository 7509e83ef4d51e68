/* Span fields between Lua values and the JSON kept in annotation.attrs. */
#ifndef LEDE_LUAJSON_H
#define LEDE_LUAJSON_H

#include "plugin.h"

#include <lua.h>
#include <stddef.h>

/* Largest JSON object one span may carry. */
#define LEDE_FIELDS_MAX_BYTES ((size_t)16 << 20)

/* Encodes the fields table at `idx` (or nil) for `layer`: every declared
 * field in declaration order, null when absent; an undeclared key is a Lua
 * error.  Values may be strings (invalid UTF-8 becomes U+FFFD), numbers,
 * booleans or tables (arrays, or objects with string keys, sorted), nested
 * at most 16 deep.  Raises Lua errors; on success *out is malloc'd and owned
 * by the caller. */
void lede_luajson_encode_fields(lua_State *L, int idx, const lede_layer_def *layer, char **out, size_t *len);

/* Sets the members of the JSON object `json` (len bytes) as fields of the
 * table on top of the stack.  Returns 0 on success, -1 if it is not a JSON
 * object. */
int lede_luajson_decode_into(lua_State *L, const char *json, size_t len);

/* The number of keys of the table at idx (any keys: next() walks them). */
size_t lede_luajson_count_keys(lua_State *L, int idx);

#endif
