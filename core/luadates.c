/* The date functions of the `lede` module: see luadates.h.  Offsets are
 * Lua-style, as in the doc object: 1-based, inclusive. */
#include "luadates.h"

#include "dates.h"
#include "lede.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATEBOX_MT "lede.datebox"

/* The scanner's array, owned by a userdata so a Lua error cannot leak it. */
static int datebox_gc(lua_State *L)
{
    void **p = lua_touserdata(L, 1);
    free(*p);
    *p = NULL;
    return 0;
}

static void **datebox_push(lua_State *L)
{
    void **p = lua_newuserdatauv(L, sizeof *p, 0);
    *p = NULL;
    if (luaL_newmetatable(L, DATEBOX_MT)) {
        lua_pushcfunction(L, datebox_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return p;
}

static void ymd_field(lua_State *L, int idx, const char *key, lede_ymd *out)
{
    lua_getfield(L, idx, key);
    if (!lua_isnil(L, -1)) {
        size_t len;
        const char *s = luaL_checklstring(L, -1, &len);
        if (lede_ymd_parse(out, s, len) != LEDE_OK)
            luaL_error(L, "date option '%s': '%s' is not YYYY, YYYY-MM or YYYY-MM-DD", key, s);
    }
    lua_pop(L, 1);
}

/* Options at idx: nil, a reference date string, or a table {ref=,
 * not_before=, order="dmy"|"mdy", future_days=, relative=}. */
static void read_opts(lua_State *L, int idx, lede_date_opts *o)
{
    lede_date_opts_init(o);
    if (lua_isnoneornil(L, idx))
        return;
    if (lua_type(L, idx) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        if (lede_ymd_parse(&o->ref, s, len) != LEDE_OK)
            luaL_error(L, "reference date '%s' is not YYYY, YYYY-MM or YYYY-MM-DD", s);
        return;
    }
    luaL_checktype(L, idx, LUA_TTABLE);
    ymd_field(L, idx, "ref", &o->ref);
    ymd_field(L, idx, "not_before", &o->not_before);
    lua_getfield(L, idx, "order");
    if (!lua_isnil(L, -1)) {
        const char *order = luaL_checkstring(L, -1);
        if (strcmp(order, "mdy") == 0)
            o->order = LEDE_DATE_MDY;
        else if (strcmp(order, "dmy") != 0)
            luaL_error(L, "date option 'order': give \"dmy\" or \"mdy\", not '%s'", order);
    }
    lua_getfield(L, idx, "future_days");
    if (!lua_isnil(L, -1)) {
        lua_Integer days = luaL_checkinteger(L, -1);
        o->future_days = days < 0 ? 0 : days > 366 ? 366 : (int)days;
    }
    lua_getfield(L, idx, "relative");
    if (!lua_isnil(L, -1))
        o->relative = lua_toboolean(L, -1);
    lua_pop(L, 3);
}

static void set_bool(lua_State *L, const char *k, int v)
{
    lua_pushboolean(L, v != 0);
    lua_setfield(L, -2, k);
}

static void set_int(lua_State *L, const char *k, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

/* Pushes one date as a table (without start, stop and text). */
static void push_date(lua_State *L, const lede_date *d)
{
    static const char *const precisions[] = {"", "year", "month", "week", "day"};
    lua_createtable(L, 0, 16);
    char iso[16];
    if (lede_date_iso(iso, sizeof iso, d)) {
        lua_pushstring(L, iso);
        lua_setfield(L, -2, "iso");
    }
    lua_pushstring(L, precisions[d->precision >= 1 && d->precision <= 4 ? d->precision : 0]);
    lua_setfield(L, -2, "precision");
    if (d->ymd.year && !(d->flags & LEDE_DATE_UNRESOLVED))
        set_int(L, "year", d->ymd.year);
    if (d->ymd.month)
        set_int(L, "month", d->ymd.month);
    if (d->ymd.day)
        set_int(L, "day", d->ymd.day);
    if (d->weekday)
        set_int(L, "weekday", d->weekday);
    if (d->flags & LEDE_DATE_HAS_TIME) {
        lua_pushfstring(L, "%s%d:%s%d", d->hour < 10 ? "0" : "", d->hour, d->minute < 10 ? "0" : "", d->minute);
        lua_setfield(L, -2, "time");
    }
    if (d->flags & (LEDE_DATE_DAY_FIRST | LEDE_DATE_MONTH_FIRST)) {
        lua_pushstring(L, d->flags & LEDE_DATE_DAY_FIRST ? "dmy" : "mdy");
        lua_setfield(L, -2, "order");
    }
    set_bool(L, "inferred", d->flags & LEDE_DATE_INFERRED_YEAR);
    set_bool(L, "relative", d->flags & LEDE_DATE_RELATIVE);
    set_bool(L, "numeric", d->flags & LEDE_DATE_NUMERIC);
    set_bool(L, "order_assumed", d->flags & LEDE_DATE_ORDER_ASSUMED);
    set_bool(L, "weekday_mismatch", d->flags & LEDE_DATE_WEEKDAY_MISMATCH);
    set_bool(L, "unresolved", d->flags & LEDE_DATE_UNRESOLVED);
    lua_pushnumber(L, d->confidence);
    lua_setfield(L, -2, "confidence");
}

/* lede.dates(text [, opts]) -> list of dates with start, stop, text. */
static int l_dates(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    lede_date_opts o;
    read_opts(L, 2, &o);
    void **box = datebox_push(L);
    lede_date_span *v;
    size_t n;
    if (lede_dates_scan(&v, &n, text, len, &o) != LEDE_OK)
        return luaL_error(L, "not enough memory");
    *box = v;
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        push_date(L, &v[i].date);
        set_int(L, "start", (lua_Integer)v[i].start + 1);
        set_int(L, "stop", (lua_Integer)v[i].end);
        lua_pushlstring(L, text + v[i].start, v[i].end - v[i].start);
        lua_setfield(L, -2, "text");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* lede.parse_date(s [, opts]) -> date table, or nil when s is not one date. */
static int l_parse_date(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lede_date_opts o;
    read_opts(L, 2, &o);
    lede_date d;
    int rc = lede_date_parse(&d, s, len, &o);
    if (rc == LEDE_ENOMEM)
        return luaL_error(L, "not enough memory");
    if (rc != LEDE_OK) {
        lua_pushnil(L);
        return 1;
    }
    push_date(L, &d);
    return 1;
}

/* A whole ISO day at arg 1, or nil. */
static int check_day(lua_State *L, lede_ymd *d)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    return lede_ymd_parse(d, s, len) == LEDE_OK && d->day != 0;
}

/* lede.day_number("2024-03-05") -> days since 1970-01-01, or nil. */
static int l_day_number(lua_State *L)
{
    lede_ymd d;
    if (check_day(L, &d))
        lua_pushinteger(L, (lua_Integer)lede_ymd_days(d.year, d.month, d.day));
    else
        lua_pushnil(L);
    return 1;
}

/* lede.day_iso(n) -> "YYYY-MM-DD" (years 1..9999), or nil. */
static int l_day_iso(lua_State *L)
{
    lua_Integer n = luaL_checkinteger(L, 1);
    if (n < lede_ymd_days(1, 1, 1) || n > lede_ymd_days(9999, 12, 31)) {
        lua_pushnil(L);
        return 1;
    }
    lede_ymd d = lede_ymd_from_days((int64_t)n);
    char buf[16];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    lua_pushstring(L, buf);
    return 1;
}

/* lede.weekday("2024-03-05") -> 1 (Monday) .. 7 (Sunday), or nil. */
static int l_weekday(lua_State *L)
{
    lede_ymd d;
    if (check_day(L, &d))
        lua_pushinteger(L, lede_ymd_weekday(d.year, d.month, d.day));
    else
        lua_pushnil(L);
    return 1;
}

void lede_luadates_add(lua_State *L)
{
    static const luaL_Reg funcs[] = {{"dates", l_dates},       {"parse_date", l_parse_date},
                                     {"day_number", l_day_number}, {"day_iso", l_day_iso},
                                     {"weekday", l_weekday},   {NULL, NULL}};
    luaL_setfuncs(L, funcs, 0);
}
