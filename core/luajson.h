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

/* A member wanted by lede_luajson_decode_columns: its name, n bytes. */
typedef struct lede_json_key {
    const char *s;
    size_t n;
} lede_json_key;

/* Reads the JSON object `json` (len bytes) as row `row` of n columns: the
 * value of member keys[k] goes to index `row` of the table at stack index
 * col + k (nothing for null), other members are read and dropped.  Returns
 * 0 on success, -1 if it is not a JSON object (the members before the fault
 * are set). */
int lede_luajson_decode_columns(lua_State *L, const char *json, size_t len, const lede_json_key *keys, size_t n,
                                int col, lua_Integer row);

/* The number of keys of the table at idx (any keys: next() walks them). */
size_t lede_luajson_count_keys(lua_State *L, int idx);

#endif
