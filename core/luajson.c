/* Span fields as JSON: see luajson.h. */
#include "luajson.h"

#include "jsonw.h"
#include "text.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16

/* A growable byte buffer held by a userdata, so that a Lua error raised in
 * the middle of encoding cannot leak it.  Each Lua state keeps one in its
 * registry for all its encodings (a pass writes tens of thousands of spans:
 * a buffer each, finalized by the collector, cost more than encoding). */
typedef struct jbuf {
    char *p;
    size_t n, cap;
} jbuf;

#define JBUF_MT "lede.jbuf"
#define JBUF_KEY "lede.jbuf.shared" /* the registry key of the state's buffer */
/* Past this size, the buffer is freed after use, not kept. */
#define JBUF_KEEP_BYTES ((size_t)64 << 10)

static int jbuf_gc(lua_State *L)
{
    jbuf *b = lua_touserdata(L, 1);
    free(b->p);
    b->p = NULL;
    return 0;
}

static jbuf *jbuf_new(lua_State *L)
{
    jbuf *b = lua_newuserdatauv(L, sizeof *b, 0);
    memset(b, 0, sizeof *b);
    if (luaL_newmetatable(L, JBUF_MT)) {
        lua_pushcfunction(L, jbuf_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return b;
}

/* Pushes an empty buffer: the state's own, or a fresh one when encoding
 * the table at idx may run Lua code (through its metatable), which could
 * encode fields in turn. */
static jbuf *jbuf_push(lua_State *L, int idx)
{
    if (lua_getmetatable(L, idx)) {
        lua_pop(L, 1);
        return jbuf_new(L);
    }
    if (lua_getfield(L, LUA_REGISTRYINDEX, JBUF_KEY) != LUA_TUSERDATA) {
        lua_pop(L, 1);
        jbuf_new(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, JBUF_KEY);
    }
    jbuf *b = lua_touserdata(L, -1);
    b->n = 0;
    return b;
}

/* Done with the buffer on top: a large one goes back to the system. */
static void jbuf_pop(lua_State *L, jbuf *b)
{
    if (b->cap > JBUF_KEEP_BYTES) {
        free(b->p);
        b->p = NULL;
        b->cap = 0;
    }
    lua_pop(L, 1);
}

static void jbuf_grow(lua_State *L, jbuf *b, size_t n)
{
    if (b->n + n > LEDE_FIELDS_MAX_BYTES)
        luaL_error(L, "span fields are larger than %d MiB", (int)(LEDE_FIELDS_MAX_BYTES >> 20));
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + n)
        cap *= 2;
    if (cap > LEDE_FIELDS_MAX_BYTES) /* so that what fits the buffer fits the limit */
        cap = LEDE_FIELDS_MAX_BYTES;
    char *p = realloc(b->p, cap);
    if (p == NULL)
        luaL_error(L, "not enough memory");
    b->p = p;
    b->cap = cap;
}

static void jbuf_add(lua_State *L, jbuf *b, const char *s, size_t n)
{
    if (b->n + n > b->cap)
        jbuf_grow(L, b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

#define JADD(L, b, lit) jbuf_add(L, b, lit, sizeof(lit) - 1)

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
            size_t k = lede_jsonw_utf8_len(s + i, n - i);
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
    if (lua_isinteger(L, idx)) { /* most numbers of spans: digits by hand, snprintf is slow */
        lua_Integer v = lua_tointeger(L, idx);
        unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
        char *end = num + sizeof num, *d = end;
        do
            *--d = (char)('0' + u % 10);
        while ((u /= 10) != 0);
        if (v < 0)
            *--d = '-';
        jbuf_add(L, b, d, (size_t)(end - d));
        return;
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

size_t lede_luajson_count_keys(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        n++;
    }
    return n;
}

static void undeclared_key(lua_State *L, int idx, const lede_layer_def *layer)
{
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

void lede_luajson_encode_fields(lua_State *L, int idx, const lede_layer_def *layer, char **out, size_t *len)
{
    idx = lua_absindex(L, idx);
    int has = lua_istable(L, idx);
    if (!has && !lua_isnoneornil(L, idx))
        luaL_error(L, "fields of layer '%s' must be a table", layer->name);
    jbuf *b = jbuf_push(L, idx);
    size_t present = 0;
    for (size_t f = 0; f < layer->n_fields; f++) {
        /* field names are identifiers (plugin.c): nothing to escape */
        jbuf_add(L, b, f ? ",\"" : "{\"", 2);
        jbuf_add(L, b, layer->fields[f], strlen(layer->fields[f]));
        JADD(L, b, "\":");
        if (has)
            lua_getfield(L, idx, layer->fields[f]);
        else
            lua_pushnil(L);
        present += !lua_isnil(L, -1);
        add_value(L, b, lua_gettop(L), 0, layer->fields[f]);
        lua_pop(L, 1);
    }
    if (layer->n_fields == 0)
        JADD(L, b, "{");
    JADD(L, b, "}");
    /* every key must be a declared field, or a typo would vanish silently:
     * counting them against the declared fields found is cheap, and only a
     * mismatch looks for the culprit */
    if (has && lede_luajson_count_keys(L, idx) != present)
        undeclared_key(L, idx, layer);
    char *s = malloc(b->n + 1);
    if (s == NULL)
        luaL_error(L, "not enough memory");
    memcpy(s, b->p, b->n);
    s[b->n] = '\0';
    *out = s;
    *len = b->n;
    jbuf_pop(L, b);
}

/* ---- decoding: JSON text straight into Lua values ----
 * A corpus pass reads back every span of a layer: going through a jansson
 * tree first (allocating, hashing, then copying it into Lua) cost about ten
 * times what this direct reader does.  It takes the JSON grammar (RFC 8259)
 * and leaves out members whose value is null, as an absent field reads nil. */

#define DECODE_MAX_DEPTH 64

typedef struct jreader {
    lua_State *L;
    const char *p, *end;
} jreader;

static void skip_space(jreader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

/* One escape after its backslash (r->p at the letter); -1 if malformed. */
static int read_escape(jreader *r, luaL_Buffer *b)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *hit = r->p < r->end ? memchr(from, *r->p, sizeof from - 1) : NULL;
    if (hit) {
        luaL_addchar(b, to[hit - from]);
        r->p++;
        return 0;
    }
    unsigned cp, lo;
    if (r->end - r->p < 5 || *r->p != 'u' || lede_hex4(&cp, r->p + 1) != 0)
        return -1;
    r->p += 5;
    if (cp >= 0xDC00 && cp < 0xE000)
        return -1; /* a low surrogate alone */
    if (cp >= 0xD800 && cp < 0xDC00) {
        if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' || lede_hex4(&lo, r->p + 2) != 0 ||
            lo < 0xDC00 || lo >= 0xE000)
            return -1;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        r->p += 6;
    }
    char u[4];
    luaL_addlstring(b, u, lede_utf8_put(u, cp));
    return 0;
}

/* Pushes the string at r->p (its opening quote); -1 if malformed. */
static int read_string(jreader *r)
{
    const char *s = ++r->p;
    while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (unsigned char)*r->p >= 0x20)
        r->p++;
    if (r->p < r->end && *r->p == '"') { /* no escapes: the common case */
        lua_pushlstring(r->L, s, (size_t)(r->p++ - s));
        return 0;
    }
    luaL_Buffer b;
    luaL_buffinit(r->L, &b);
    luaL_addlstring(&b, s, (size_t)(r->p - s));
    int ok = 1;
    while (ok && r->p < r->end && *r->p != '"') {
        unsigned char c = (unsigned char)*r->p;
        if (c < 0x20) {
            ok = 0;
        } else if (c == '\\') {
            r->p++;
            ok = read_escape(r, &b) == 0;
        } else {
            luaL_addchar(&b, (char)c);
            r->p++;
        }
    }
    ok = ok && r->p < r->end;
    r->p += ok;
    /* Finished even on error: it closes the buffer's box in order, which
     * lua_settop over a to-be-closed slot does not do safely in Lua 5.4.4. */
    luaL_pushresult(&b);
    return ok ? 0 : -1;
}

/* Pushes the number at r->p; -1 if malformed.  Integers stay integers. */
static int read_number(jreader *r)
{
    const char *s = r->p;
    if (r->p < r->end && *r->p == '-')
        r->p++;
    const char *int_digits = r->p;
    if (r->p >= r->end || !(*r->p >= '0' && *r->p <= '9'))
        return -1;
    if (*r->p == '0')
        r->p++;
    else
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    const char *int_end = r->p;
    if (r->p < r->end && *r->p == '.') {
        const char *digits = ++r->p;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
        if (r->p == digits)
            return -1;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
            r->p++;
        const char *digits = r->p;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
        if (r->p == digits)
            return -1;
    }
    if (r->p == int_end && int_end - int_digits <= 18) { /* an integer that fits: most numbers of spans */
        lua_Integer v = 0;
        for (const char *d = int_digits; d < int_end; d++)
            v = v * 10 + (*d - '0');
        lua_pushinteger(r->L, int_digits > s ? -v : v);
        return 0;
    }
    char num[64];
    size_t n = (size_t)(r->p - s);
    if (n >= sizeof num)
        return -1;
    memcpy(num, s, n);
    num[n] = '\0';
    return lua_stringtonumber(r->L, num) == n + 1 ? 0 : -1;
}

static int read_value(jreader *r, int depth);

/* Inside a container, before its first item: consumes the closing bracket
 * and returns 1 if the container is empty. */
static int at_close(jreader *r, char close)
{
    skip_space(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return 1;
    }
    return 0;
}

/* After an item: 1 if a comma announces another, 0 at the closing bracket
 * (consumed), -1 for anything else. */
static int next_item(jreader *r, char close)
{
    skip_space(r);
    if (r->p < r->end && (*r->p == ',' || *r->p == close))
        return *r->p++ == ',';
    return -1;
}

/* Reads members into the table on top of the stack, r->p after its '{'. */
static int read_members(jreader *r, int depth)
{
    if (at_close(r, '}'))
        return 0;
    int more;
    do {
        skip_space(r);
        if (r->p >= r->end || *r->p != '"' || read_string(r) != 0)
            return -1;
        skip_space(r);
        if (r->p >= r->end || *r->p++ != ':' || read_value(r, depth + 1) != 0)
            return -1;
        lua_settable(r->L, -3); /* null: an absent field (and the last of duplicates wins) */
    } while ((more = next_item(r, '}')) == 1);
    return more;
}

static int read_elements(jreader *r, int depth)
{
    if (at_close(r, ']'))
        return 0;
    lua_Integer i = 0;
    int more;
    do {
        if (read_value(r, depth + 1) != 0)
            return -1;
        lua_rawseti(r->L, -2, ++i);
    } while ((more = next_item(r, ']')) == 1);
    return more;
}

static int read_word(jreader *r, const char *word, size_t n)
{
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return -1;
    r->p += n;
    return 0;
}

/* Pushes the value at r->p (nil for null); -1 if malformed. */
static int read_value(jreader *r, int depth)
{
    if (depth > DECODE_MAX_DEPTH)
        return -1;
    skip_space(r);
    if (r->p >= r->end)
        return -1;
    switch (*r->p) {
    case '{':
        r->p++;
        luaL_checkstack(r->L, 4, "nested fields"); /* the table, a key, a value */
        lua_newtable(r->L);
        return read_members(r, depth);
    case '[':
        r->p++;
        luaL_checkstack(r->L, 4, "nested fields");
        lua_newtable(r->L);
        return read_elements(r, depth);
    case '"': return read_string(r);
    case 't':
        lua_pushboolean(r->L, 1);
        return read_word(r, "true", 4);
    case 'f':
        lua_pushboolean(r->L, 0);
        return read_word(r, "false", 5);
    case 'n':
        lua_pushnil(r->L);
        return read_word(r, "null", 4);
    default: return read_number(r);
    }
}

/* Reads the object at r->p, its members by `read` (r->p after the '{'). */
static int read_object(jreader *r, int (*read)(jreader *r, void *arg), void *arg)
{
    int top = lua_gettop(r->L);
    skip_space(r);
    int rc = r->p < r->end && *r->p == '{' ? (r->p++, read(r, arg)) : -1;
    skip_space(r);
    if (rc != 0 || r->p != r->end) {
        lua_settop(r->L, top);
        return -1;
    }
    return 0;
}

static int read_fields(jreader *r, void *arg)
{
    (void)arg;
    return read_members(r, 0);
}

int lede_luajson_decode_into(lua_State *L, const char *json, size_t len)
{
    jreader r = {L, json, json + len};
    luaL_checkstack(L, 4, "span fields");
    return read_object(&r, read_fields, NULL);
}

/* ---- decoding into columns ----
 * A pass over many spans that reads a few of their fields: no table per
 * span, and no Lua string made for a member's name. */

typedef struct columns {
    const lede_json_key *keys;
    size_t n, hint; /* hint: where the next name is looked for first (members keep their order) */
    int col;
    lua_Integer row;
} columns;

/* The column of the member name s (len bytes), c->n for none. */
static size_t column_of(columns *c, const char *s, size_t len)
{
    for (size_t i = 0; i < c->n; i++) {
        size_t k = (c->hint + i) % c->n;
        if (c->keys[k].n == len && memcmp(c->keys[k].s, s, len) == 0) {
            c->hint = k + 1;
            return k;
        }
    }
    return c->n;
}

/* The column of the member name at r->p (its opening quote), c->n for
 * none; -1 if malformed.  Only a name holding escapes becomes a Lua string. */
static long read_column_name(jreader *r, columns *c)
{
    const char *s = r->p + 1, *e = s;
    while (e < r->end && *e != '"' && *e != '\\' && (unsigned char)*e >= 0x20)
        e++;
    if (e < r->end && *e == '"') {
        r->p = e + 1;
        return (long)column_of(c, s, (size_t)(e - s));
    }
    if (read_string(r) != 0)
        return -1;
    size_t len;
    s = lua_tolstring(r->L, -1, &len);
    long k = (long)column_of(c, s, len);
    lua_pop(r->L, 1);
    return k;
}

static int read_row(jreader *r, void *arg)
{
    columns *c = arg;
    if (at_close(r, '}'))
        return 0;
    int more;
    do {
        skip_space(r);
        long k = r->p < r->end && *r->p == '"' ? read_column_name(r, c) : -1;
        skip_space(r);
        if (k < 0 || r->p >= r->end || *r->p++ != ':' || read_value(r, 1) != 0)
            return -1;
        if ((size_t)k < c->n && !lua_isnil(r->L, -1))
            lua_rawseti(r->L, c->col + (int)k, c->row);
        else
            lua_pop(r->L, 1);
    } while ((more = next_item(r, '}')) == 1);
    return more;
}

int lede_luajson_decode_columns(lua_State *L, const char *json, size_t len, const lede_json_key *keys, size_t n,
                                int col, lua_Integer row)
{
    jreader r = {L, json, json + len};
    columns c = {keys, n, 0, lua_absindex(L, col), row};
    luaL_checkstack(L, 4, "span fields");
    return read_object(&r, read_row, &c);
}
