/* Span fields as JSON: see luajson.h. */
#include "luajson.h"

#include <jansson.h>
#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16

/* A growable byte buffer held by a userdata, so that a Lua error raised in
 * the middle of encoding cannot leak it. */
typedef struct jbuf {
    char *p;
    size_t n, cap;
} jbuf;

static int jbuf_gc(lua_State *L)
{
    jbuf *b = lua_touserdata(L, 1);
    free(b->p);
    b->p = NULL;
    return 0;
}

static jbuf *jbuf_push(lua_State *L)
{
    jbuf *b = lua_newuserdatauv(L, sizeof *b, 0);
    memset(b, 0, sizeof *b);
    if (luaL_newmetatable(L, "lede.jbuf")) {
        lua_pushcfunction(L, jbuf_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return b;
}

static void jbuf_add(lua_State *L, jbuf *b, const char *s, size_t n)
{
    if (b->n + n > LEDE_FIELDS_MAX_BYTES)
        luaL_error(L, "span fields are larger than %d MiB", (int)(LEDE_FIELDS_MAX_BYTES >> 20));
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (p == NULL)
            luaL_error(L, "not enough memory");
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

#define JADD(L, b, lit) jbuf_add(L, b, lit, sizeof(lit) - 1)

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned cp;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (len > n)
        return 0;
    cp = c & (0x3F >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return len;
}

static void add_string(lua_State *L, jbuf *b, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    JADD(L, b, "\"");
    size_t run = 0; /* bytes copied as they are, pending */
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            run++;
            continue;
        }
        if (c >= 0x80) {
            size_t k = utf8_seq(s + i, n - i);
            if (k) {
                i += k;
                run += k;
                continue;
            }
        }
        jbuf_add(L, b, (const char *)s + i - run, run);
        run = 0;
        char esc[8];
        if (c == '"')
            JADD(L, b, "\\\"");
        else if (c == '\\')
            JADD(L, b, "\\\\");
        else if (c == '\n')
            JADD(L, b, "\\n");
        else if (c == '\t')
            JADD(L, b, "\\t");
        else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            jbuf_add(L, b, esc, 6);
        } else
            JADD(L, b, "\xEF\xBF\xBD"); /* U+FFFD for a byte that is not UTF-8 */
        i++;
    }
    jbuf_add(L, b, (const char *)s + n - run, run);
    JADD(L, b, "\"");
}

static void add_number(lua_State *L, jbuf *b, int idx)
{
    char num[64];
    int k;
    if (lua_isinteger(L, idx)) {
        k = snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, idx));
    } else {
        double d = lua_tonumber(L, idx);
        if (!isfinite(d)) {
            JADD(L, b, "null");
            return;
        }
        k = snprintf(num, sizeof num, "%.14g", d);
        if (strpbrk(num, ".e") == NULL) /* keep a float a float when read back */
            k += snprintf(num + k, sizeof num - (size_t)k, ".0");
    }
    jbuf_add(L, b, num, (size_t)k);
}

static void add_value(lua_State *L, jbuf *b, int idx, int depth, const char *field);

typedef struct key_ref {
    const char *s;
    size_t n;
} key_ref;

static int key_cmp(const void *a, const void *b)
{
    const key_ref *x = a, *y = b;
    int c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* A table is an array when its keys are exactly 1..#t. */
static size_t count_pairs(lua_State *L, int idx, int *all_strings)
{
    size_t n = 0;
    *all_strings = 1;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            *all_strings = 0;
        n++;
    }
    return n;
}

static void add_table(lua_State *L, jbuf *b, int idx, int depth, const char *field)
{
    if (depth >= MAX_DEPTH)
        luaL_error(L, "field '%s': tables nested deeper than %d", field, MAX_DEPTH);
    luaL_checkstack(L, 8, "nested fields");
    int all_strings;
    size_t n = count_pairs(L, idx, &all_strings);
    size_t len = (size_t)lua_rawlen(L, idx);
    if (n == len) {
        JADD(L, b, "[");
        for (size_t i = 1; i <= len; i++) {
            if (i > 1)
                JADD(L, b, ",");
            lua_rawgeti(L, idx, (lua_Integer)i);
            add_value(L, b, lua_gettop(L), depth + 1, field);
            lua_pop(L, 1);
        }
        JADD(L, b, "]");
        return;
    }
    if (!all_strings)
        luaL_error(L, "field '%s': a table must be a list or have only string keys", field);
    key_ref *keys = lua_newuserdatauv(L, n * sizeof *keys, 0);
    size_t k = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        keys[k].s = lua_tolstring(L, -1, &keys[k].n); /* anchored by the table */
        k++;
    }
    qsort(keys, n, sizeof *keys, key_cmp);
    JADD(L, b, "{");
    for (size_t i = 0; i < n; i++) {
        if (i)
            JADD(L, b, ",");
        add_string(L, b, keys[i].s, keys[i].n);
        JADD(L, b, ":");
        lua_pushlstring(L, keys[i].s, keys[i].n);
        lua_rawget(L, idx);
        add_value(L, b, lua_gettop(L), depth + 1, field);
        lua_pop(L, 1);
    }
    JADD(L, b, "}");
    lua_pop(L, 1);
}

static void add_value(lua_State *L, jbuf *b, int idx, int depth, const char *field)
{
    size_t n;
    const char *s;
    switch (lua_type(L, idx)) {
    case LUA_TNIL: JADD(L, b, "null"); break;
    case LUA_TBOOLEAN:
        if (lua_toboolean(L, idx))
            JADD(L, b, "true");
        else
            JADD(L, b, "false");
        break;
    case LUA_TNUMBER: add_number(L, b, idx); break;
    case LUA_TSTRING:
        s = lua_tolstring(L, idx, &n);
        add_string(L, b, s, n);
        break;
    case LUA_TTABLE: add_table(L, b, idx, depth, field); break;
    default: luaL_error(L, "field '%s': a %s cannot be stored", field, luaL_typename(L, idx));
    }
}

void lede_luajson_encode_fields(lua_State *L, int idx, const lede_layer_def *layer, char **out, size_t *len)
{
    idx = lua_absindex(L, idx);
    int has = lua_istable(L, idx);
    if (!has && !lua_isnoneornil(L, idx))
        luaL_error(L, "fields of layer '%s' must be a table", layer->name);
    if (has) { /* every key must be declared: typos would otherwise vanish */
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            lua_pop(L, 1);
            const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            size_t f = 0;
            while (k && f < layer->n_fields && strcmp(layer->fields[f], k) != 0)
                f++;
            if (k == NULL || f == layer->n_fields)
                luaL_error(L, "layer '%s' has no field '%s' (declare it in the plugin's layers)", layer->name,
                           k ? k : luaL_tolstring(L, -1, NULL));
        }
    }
    jbuf *b = jbuf_push(L);
    JADD(L, b, "{");
    for (size_t f = 0; f < layer->n_fields; f++) {
        if (f)
            JADD(L, b, ",");
        add_string(L, b, layer->fields[f], strlen(layer->fields[f]));
        JADD(L, b, ":");
        if (has)
            lua_getfield(L, idx, layer->fields[f]);
        else
            lua_pushnil(L);
        add_value(L, b, lua_gettop(L), 0, layer->fields[f]);
        lua_pop(L, 1);
    }
    JADD(L, b, "}");
    char *s = malloc(b->n + 1);
    if (s == NULL)
        luaL_error(L, "not enough memory");
    memcpy(s, b->p, b->n);
    s[b->n] = '\0';
    *out = s;
    *len = b->n;
    lua_pop(L, 1);
}

static void push_json(lua_State *L, json_t *v)
{
    luaL_checkstack(L, 4, "nested fields");
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *m;
        lua_createtable(L, 0, (int)json_object_size(v));
        json_object_foreach(v, k, m)
        {
            if (json_is_null(m))
                continue;
            push_json(L, m);
            lua_setfield(L, -2, k);
        }
        break;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *m;
        lua_createtable(L, (int)json_array_size(v), 0);
        json_array_foreach(v, i, m)
        {
            push_json(L, m);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    }
    case JSON_STRING: lua_pushlstring(L, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: lua_pushinteger(L, (lua_Integer)json_integer_value(v)); break;
    case JSON_REAL: lua_pushnumber(L, json_real_value(v)); break;
    case JSON_TRUE: lua_pushboolean(L, 1); break;
    case JSON_FALSE: lua_pushboolean(L, 0); break;
    default: lua_pushnil(L); break;
    }
}

/* Runs inside lua_pcall so that a memory error cannot leak the tree. */
static int decode_protected(lua_State *L)
{
    json_t *root = lua_touserdata(L, 2);
    const char *k;
    json_t *m;
    lua_settop(L, 1);
    json_object_foreach(root, k, m)
    {
        if (json_is_null(m))
            continue;
        push_json(L, m);
        lua_setfield(L, 1, k);
    }
    return 0;
}

int lede_luajson_decode_into(lua_State *L, const char *json, size_t len)
{
    json_error_t e;
    json_t *root = json_loadb(json, len, 0, &e);
    if (root == NULL || !json_is_object(root)) {
        json_decref(root);
        return -1;
    }
    lua_pushcfunction(L, decode_protected);
    lua_pushvalue(L, -2);
    lua_pushlightuserdata(L, root);
    int rc = lua_pcall(L, 2, 0, 0);
    json_decref(root);
    if (rc != LUA_OK)
        lua_error(L);
    return 0;
}
