/* lede.scan: see luascan.h. */
#include "luascan.h"

#include <lauxlib.h>
#include <string.h>

static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }

/* The letters after a word's capital: lower-case ASCII, and the lead bytes
 * (C3-DF) and continuation bytes of accented letters. */
static int is_tail(unsigned char c) { return is_lower(c) || (c >= 0x80 && c <= 0xBF) || (c >= 0xC3 && c <= 0xDF); }

/* Between the word and the next one: spaces and the bytes of U+00A0. */
static int is_gap(unsigned char c) { return c == ' ' || c == 0xC2 || c == 0xA0; }

/* When the capital at s[i] starts a suffixed word before a lower-case word:
 * returns the word's end (exclusive) and sets *next to the end of the
 * lower-case letter; else returns 0.  Like Lua's greedy matcher, the longest
 * tail that leaves room for the suffix is tried first. */
static size_t suffixed_at(const unsigned char *s, size_t len, size_t i, const char *suf, size_t n_suf,
                          size_t *next)
{
    size_t run = i + 1;
    while (run < len && is_tail(s[run]))
        run++;
    for (size_t end = run; end > i + 1; end--) { /* the tail is s[i+1 .. end) */
        if (n_suf > len - end || memcmp(s + end, suf, n_suf) != 0)
            continue;
        size_t stop = end + n_suf, q = stop;
        while (q < len && is_gap(s[q]))
            q++;
        if (q > stop && q < len && is_lower(s[q])) {
            *next = q + 1;
            return stop;
        }
    }
    return 0;
}

static int l_suffixed(lua_State *L)
{
    size_t len, n_suf;
    const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 1, &len);
    const char *suf = luaL_checklstring(L, 2, &n_suf);
    lua_newtable(L);
    lua_Integer k = 0;
    for (size_t i = 0; i < len;) {
        /* a word starts at a capital not preceded by a letter (no two words
         * overlap: none holds a capital after its first) */
        size_t next = 0, stop = 0;
        if (is_upper(s[i]) && (i == 0 || !(is_upper(s[i - 1]) || is_lower(s[i - 1]))))
            stop = suffixed_at(s, len, i, suf, n_suf, &next);
        if (stop == 0) {
            i++;
            continue;
        }
        lua_pushlstring(L, (const char *)s + i, stop - i);
        lua_rawseti(L, -2, ++k);
        i = next;
    }
    return 1;
}

void lede_luascan_open(lua_State *L)
{
    static const luaL_Reg funcs[] = {{"suffixed", l_suffixed}, {NULL, NULL}};
    luaL_newlib(L, funcs);
    lua_setfield(L, -2, "scan");
}
