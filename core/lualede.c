/* The `lede` module: what Lua's byte strings cannot do well, in C. */
#include "lualede.h"

#include "data.h"
#include "lexicon.h"
#include "luacas.h"
#include "luaquote.h"
#include "luadates.h"
#include "luadoc.h"
#include "lualines.h"
#include "luanum.h"
#include "luascan.h"
#include "text.h"
#include "vm.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define LEXICON_MT "lede.lexicon"
#define CBOX_MT "lede.cbox"
#define DATA_MAX_BYTES ((long)64 << 20)

/* ---- a malloc'd pointer owned by a userdata, freed even after a Lua error ---- */

static int cbox_gc(lua_State *L)
{
    void **p = lua_touserdata(L, 1);
    free(*p);
    *p = NULL;
    return 0;
}

static void **cbox_push(lua_State *L)
{
    void **p = lua_newuserdatauv(L, sizeof *p, 0);
    *p = NULL;
    if (luaL_newmetatable(L, CBOX_MT)) {
        lua_pushcfunction(L, cbox_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return p;
}

/* ---- Unicode ---- */

static int push_mapped(lua_State *L, int opts)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    void **box = cbox_push(L);
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &out,
                                      (utf8proc_option_t)(UTF8PROC_STABLE | opts));
    if (n < 0)
        return luaL_error(L, "%s", utf8proc_errmsg(n));
    *box = out;
    lua_pushlstring(L, (const char *)out, (size_t)n);
    return 1;
}

static int l_fold(lua_State *L)
{
    size_t len, n;
    const char *s = luaL_checklstring(L, 1, &len);
    void **box = cbox_push(L);
    char *out;
    int rc = lede_text_fold(&out, &n, s, len);
    if (rc != LEDE_OK)
        return luaL_error(L, "%s", rc == LEDE_ENOMEM ? "not enough memory" : utf8proc_errmsg(UTF8PROC_ERROR_INVALIDUTF8));
    *box = out;
    lua_pushlstring(L, out, n);
    return 1;
}
static int l_nfc(lua_State *L) { return push_mapped(L, UTF8PROC_COMPOSE); }
static int l_unaccent(lua_State *L) { return push_mapped(L, UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK); }

static int map_case(lua_State *L, int upper)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    size_t n = lede_text_change_case(NULL, s, len, upper);
    luaL_Buffer b;
    lede_text_change_case(luaL_buffinitsize(L, &b, n), s, len, upper);
    luaL_pushresultsize(&b, n);
    return 1;
}

static int l_upper(lua_State *L) { return map_case(L, 1); }
static int l_lower(lua_State *L) { return map_case(L, 0); }

/* The code point of arg 1: an integer, or the first character of a string. */
static utf8proc_int32_t arg_codepoint(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TNUMBER)
        return (utf8proc_int32_t)luaL_checkinteger(L, 1);
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    utf8proc_int32_t cp = -1;
    if (len)
        utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp);
    return cp;
}

static int category_in(lua_State *L, int lo, int hi)
{
    utf8proc_int32_t cp = arg_codepoint(L);
    int c = cp >= 0 && utf8proc_codepoint_valid(cp) ? (int)utf8proc_category(cp) : -1;
    lua_pushboolean(L, c >= lo && c <= hi);
    return 1;
}

static int l_is_letter(lua_State *L) { return category_in(L, UTF8PROC_CATEGORY_LU, UTF8PROC_CATEGORY_LO); }
static int l_is_upper(lua_State *L)
{
    utf8proc_int32_t cp = arg_codepoint(L);
    lua_pushboolean(L, cp >= 0 && utf8proc_codepoint_valid(cp) && utf8proc_isupper(cp));
    return 1;
}
static int l_is_lower(lua_State *L)
{
    utf8proc_int32_t cp = arg_codepoint(L);
    lua_pushboolean(L, cp >= 0 && utf8proc_codepoint_valid(cp) && utf8proc_islower(cp));
    return 1;
}
static int l_is_digit(lua_State *L) { return category_in(L, UTF8PROC_CATEGORY_ND, UTF8PROC_CATEGORY_ND); }
static int l_is_number(lua_State *L) { return category_in(L, UTF8PROC_CATEGORY_ND, UTF8PROC_CATEGORY_NO); }
static int l_is_punct(lua_State *L) { return category_in(L, UTF8PROC_CATEGORY_PC, UTF8PROC_CATEGORY_PO); }
static int l_is_symbol(lua_State *L) { return category_in(L, UTF8PROC_CATEGORY_SM, UTF8PROC_CATEGORY_SO); }
static int l_is_space(lua_State *L)
{
    utf8proc_int32_t cp = arg_codepoint(L);
    int c = cp >= 0 && utf8proc_codepoint_valid(cp) ? (int)utf8proc_category(cp) : -1;
    lua_pushboolean(L, (c >= UTF8PROC_CATEGORY_ZS && c <= UTF8PROC_CATEGORY_ZP) || cp == '\t' || cp == '\n' ||
                           cp == '\r' || cp == '\f' || cp == '\v');
    return 1;
}

/* ---- plugin data ---- */

static int relative_path_ok(const char *p)
{
    if (*p == '\0' || *p == '/')
        return 0;
    for (const char *s = p; (s = strstr(s, "..")) != NULL; s += 2)
        if ((s == p || s[-1] == '/') && (s[2] == '/' || s[2] == '\0'))
            return 0;
    return 1;
}

/* Pushes the contents of `name`: a file relative to the calling plugin's
 * folder, else a data file compiled into lede. */
static void push_data(lua_State *L, const char *name)
{
    lede_vm *vm = lede_vm_of(L);
    if (vm == NULL)
        luaL_error(L, "data '%s': read data in setup(), not at the top of the plugin file", name);
    if (!relative_path_ok(name))
        luaL_error(L, "data '%s': give a path relative to the plugin folder, without '..'", name);
    const char *dir = vm->plugin >= 0 ? vm->set->items[vm->plugin]->dir : NULL;
    if (dir) {
        lua_pushfstring(L, "%s/%s", dir, name);
        FILE *f = fopen(lua_tostring(L, -1), "rb");
        lua_pop(L, 1);
        if (f) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            char chunk[8192];
            size_t n;
            long total = 0;
            while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && (total += (long)n) <= DATA_MAX_BYTES)
                luaL_addlstring(&b, chunk, n);
            int bad = ferror(f) || total > DATA_MAX_BYTES;
            fclose(f);
            if (bad)
                luaL_error(L, "data '%s': cannot read it (or larger than 64 MiB)", name);
            luaL_pushresult(&b);
            return;
        }
    }
    size_t len;
    const char *embedded = lede_data_find(name, &len);
    if (embedded == NULL)
        luaL_error(L, "data '%s' not found in %s nor among lede's data files", name, dir ? dir : "(no plugin)");
    lua_pushlstring(L, embedded, len);
}

static int l_data(lua_State *L)
{
    push_data(L, luaL_checkstring(L, 1));
    return 1;
}

/* ---- lexicons ---- */

typedef struct lexicon_ud {
    lede_lexicon *lx;
} lexicon_ud;

static int lexicon_gc(lua_State *L)
{
    lexicon_ud *u = luaL_checkudata(L, 1, LEXICON_MT);
    lede_lexicon_free(u->lx);
    u->lx = NULL;
    return 0;
}

static lede_lexicon *check_lexicon(lua_State *L, int idx)
{
    lexicon_ud *u = luaL_checkudata(L, idx, LEXICON_MT);
    if (u->lx == NULL)
        luaL_error(L, "lexicon already released");
    return u->lx;
}

static int lexicon_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)lede_lexicon_size(check_lexicon(L, 1)));
    return 1;
}

static lede_tokenizer *vm_tokenizer(lua_State *L, const char *lang)
{
    lede_vm *vm = lede_vm_of(L);
    if (vm == NULL)
        luaL_error(L, "lexicons are built in setup(), not at the top of the plugin file");
    lede_tokenizer *tk = lede_vm_tokenizer(vm, lang);
    if (tk == NULL)
        luaL_error(L, "not enough memory");
    return tk;
}

/* The token range of lex:match's arguments: a sentence/block-like table
 * {first=, last=}, or first and last indexes; 1-based inclusive. */
static void match_range(lua_State *L, size_t n, size_t *first, size_t *last)
{
    lua_Integer a = 1, b = (lua_Integer)n;
    if (lua_istable(L, 3)) {
        lua_getfield(L, 3, "first");
        lua_getfield(L, 3, "last");
        a = luaL_checkinteger(L, -2);
        b = luaL_checkinteger(L, -1);
        lua_pop(L, 2);
    } else {
        a = luaL_optinteger(L, 3, 1);
        b = luaL_optinteger(L, 4, (lua_Integer)n);
    }
    if (a < 1)
        a = 1;
    if (b > (lua_Integer)n)
        b = (lua_Integer)n;
    *first = (size_t)(a - 1);
    *last = b >= a ? (size_t)b : *first;
}

static int lexicon_match(lua_State *L)
{
    const lede_lexicon *lx = check_lexicon(L, 1);
    lede_doc *doc = lede_luadoc_check(L, 2);
    size_t n_tok, first, last, n;
    const lede_token *t = lede_doc_tokens(doc, &n_tok);
    match_range(L, n_tok, &first, &last);
    void **box = cbox_push(L);
    lede_lexicon_match *m;
    if (lede_lexicon_find(&m, &n, lx, doc, first, last) != LEDE_OK)
        return luaL_error(L, "not enough memory");
    *box = m;
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, 5);
        lua_pushinteger(L, (lua_Integer)m[i].first + 1);
        lua_setfield(L, -2, "first");
        lua_pushinteger(L, (lua_Integer)m[i].last + 1);
        lua_setfield(L, -2, "last");
        lua_pushinteger(L, (lua_Integer)t[m[i].first].start + 1);
        lua_setfield(L, -2, "start");
        lua_pushinteger(L, (lua_Integer)t[m[i].last].end);
        lua_setfield(L, -2, "stop");
        size_t vlen;
        const char *v = lede_lexicon_value(lx, m[i].value, &vlen);
        lua_pushlstring(L, v, vlen);
        lua_setfield(L, -2, "value");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int lexicon_lookup(lua_State *L)
{
    const lede_lexicon *lx = check_lexicon(L, 1);
    size_t len;
    const char *s = luaL_checklstring(L, 2, &len);
    uint32_t value;
    int rc = lede_lexicon_lookup(&value, lx, vm_tokenizer(L, NULL), s, len);
    if (rc < 0)
        return luaL_error(L, "lexicon lookup failed: %s", lede_errstr(rc));
    if (rc == 0) {
        lua_pushnil(L);
        return 1;
    }
    size_t vlen;
    const char *v = lede_lexicon_value(lx, value, &vlen);
    lua_pushlstring(L, v, vlen);
    return 1;
}

static int lexicon_has(lua_State *L)
{
    lexicon_lookup(L);
    lua_pushboolean(L, !lua_isnil(L, -1));
    return 1;
}

/* Builds the text of a lexicon from a Lua table: list items are entries,
 * string keys are entries whose value is the key's value.  The lines are
 * gathered in a table first: a luaL_Buffer cannot live across lua_next, whose
 * key must stay on top of the stack while the buffer grows below it. */
static void push_table_source(lua_State *L, int idx)
{
    lua_newtable(L);
    int parts = lua_gettop(L);
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) == LUA_TNUMBER) {
            lua_pushvalue(L, -1);
        } else {
            lua_pushvalue(L, -2);
            lua_pushliteral(L, "\t");
            lua_pushvalue(L, -3);
            lua_concat(L, 3);
        }
        lua_pushliteral(L, "\n");
        lua_concat(L, 2);
        lua_rawseti(L, parts, ++n);
        lua_pop(L, 1);
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, parts, i);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    lua_remove(L, parts);
}

static int l_lexicon(lua_State *L)
{
    if (lua_istable(L, 1))
        push_table_source(L, 1);
    else
        push_data(L, luaL_checkstring(L, 1));
    size_t len;
    const char *src = lua_tolstring(L, -1, &len);
    const char *lang = NULL;
    if (lua_istable(L, 2)) {
        lua_getfield(L, 2, "language");
        lang = lua_tostring(L, -1);
    }
    lexicon_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    u->lx = NULL;
    luaL_setmetatable(L, LEXICON_MT);
    if (lede_lexicon_new(&u->lx, vm_tokenizer(L, lang), src, len) != LEDE_OK)
        return luaL_error(L, "not enough memory for the lexicon");
    return 1;
}

static void open_lexicon_mt(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"match", lexicon_match}, {"lookup", lexicon_lookup}, {"has", lexicon_has}, {NULL, NULL}};
    luaL_newmetatable(L, LEXICON_MT);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, lexicon_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, lexicon_gc);
    lua_setfield(L, -2, "__gc");
    lua_pop(L, 1);
}

static void push_flags(lua_State *L)
{
    static const struct {
        const char *name;
        unsigned bit;
    } flags[] = {{"capitalised", LEDE_TF_CAPITALISED}, {"all_caps", LEDE_TF_ALL_CAPS},
                 {"sent_start", LEDE_TF_SENT_START},   {"abbrev", LEDE_TF_ABBREV},
                 {"space_before", LEDE_TF_SPACE_BEFORE}, {"has_digit", LEDE_TF_HAS_DIGIT},
                 {"hyphenated", LEDE_TF_HYPHENATED},   {"possessive", LEDE_TF_POSSESSIVE},
                 {"elision", LEDE_TF_ELISION},         {"ordinal", LEDE_TF_ORDINAL},
                 {"block_start", LEDE_TF_BLOCK_START}, {"non_ascii", LEDE_TF_NON_ASCII}};
    lua_createtable(L, 0, (int)(sizeof flags / sizeof *flags));
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++) {
        lua_pushinteger(L, flags[i].bit);
        lua_setfield(L, -2, flags[i].name);
    }
}

void lede_lualede_push(lua_State *L)
{
    static const luaL_Reg funcs[] = {{"fold", l_fold},
                                     {"nfc", l_nfc},
                                     {"unaccent", l_unaccent},
                                     {"upper", l_upper},
                                     {"lower", l_lower},
                                     {"is_letter", l_is_letter},
                                     {"is_upper", l_is_upper},
                                     {"is_lower", l_is_lower},
                                     {"is_digit", l_is_digit},
                                     {"is_number", l_is_number},
                                     {"is_punct", l_is_punct},
                                     {"is_symbol", l_is_symbol},
                                     {"is_space", l_is_space},
                                     {"data", l_data},
                                     {"lexicon", l_lexicon},
                                     {"quoter", lede_luaquote_new},
                                     {"casualties", lede_luacas_new},
                                     {NULL, NULL}};
    open_lexicon_mt(L);
    luaL_newlib(L, funcs);
    lede_luadates_add(L);
    lede_lualines_add(L);
    lede_luanum_open(L);
    lede_luascan_open(L);
    push_flags(L);
    lua_setfield(L, -2, "TF");
    lua_pushstring(L, lede_version());
    lua_setfield(L, -2, "version");
}
