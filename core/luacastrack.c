/* extractor:track(corpus, options): see luacas.h.  Reads what the tracker
 * (castrack.h) needs straight from the database — the articles' keys and
 * outlets, the figures' attrs — and hands its tolls and series to the
 * corpus pass's output, as corpus:annotate and corpus:row would. */
#define _POSIX_C_SOURCE 200809L
#include "luacas.h"

#include "castrack.h"
#include "jsonpick.h"
#include "jsonw.h"
#include "vm.h"

#include <lauxlib.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define TRACK_MT "lede.casualties.track"

static const char FIGURE_LAYER[] = "figure", TOLL_LAYER[] = "toll", SERIES_LAYER[] = "toll_series";

/* What a pass holds, freed by the GC even after a Lua error. */
typedef struct track_box {
    cas_tracker *t;
    sqlite3_stmt *st, *text; /* the rows being read; an article's text */
    int64_t *ids;            /* of the articles, ascending: the tracker's numbers */
    char **keys, **outlets;  /* until handed to the tracker */
    size_t n, cap;
    int64_t text_of; /* the article whose text `text` holds, -1 none */
    lede_jsonw b;
} track_box;

static void free_lists(track_box *x)
{
    for (size_t i = 0; i < x->n; i++) {
        free(x->keys ? x->keys[i] : NULL);
        free(x->outlets ? x->outlets[i] : NULL);
    }
    free(x->keys);
    free(x->outlets);
    x->keys = x->outlets = NULL;
}

static int track_gc(lua_State *L)
{
    track_box *x = lua_touserdata(L, 1);
    cas_tracker_free(x->t);
    sqlite3_finalize(x->st);
    sqlite3_finalize(x->text);
    free_lists(x);
    free(x->ids);
    free(x->b.p);
    memset(x, 0, sizeof *x);
    return 0;
}

static track_box *track_push(lua_State *L)
{
    track_box *x = lua_newuserdatauv(L, sizeof *x, 0);
    memset(x, 0, sizeof *x);
    x->text_of = -1;
    if (luaL_newmetatable(L, TRACK_MT)) {
        lua_pushcfunction(L, track_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return x;
}

static void check_alloc(lua_State *L, int ok)
{
    if (!ok)
        luaL_error(L, "not enough memory");
}

/* Prepares sql as x->st (finalizing the last). */
static sqlite3_stmt *prepare(lua_State *L, track_box *x, sqlite3 *db, const char *sql)
{
    sqlite3_finalize(x->st);
    x->st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &x->st, NULL) != SQLITE_OK)
        luaL_error(L, "casualties:track: %s", sqlite3_errmsg(db));
    return x->st;
}

static void check_done(lua_State *L, sqlite3 *db, int rc)
{
    if (rc != SQLITE_DONE)
        luaL_error(L, "casualties:track: %s", sqlite3_errmsg(db));
}

static char *column_copy(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    return s ? strndup(s, (size_t)sqlite3_column_bytes(st, col)) : NULL;
}

/* The index of article `id` at or after *at (ids and rows both ascend), else -1. */
static long article_index(const track_box *x, size_t *at, int64_t id)
{
    while (*at < x->n && x->ids[*at] < id)
        (*at)++;
    return *at < x->n && x->ids[*at] == id ? (long)*at : -1;
}

/* ---- the articles and their outlets ---- */

static void read_articles(lua_State *L, track_box *x, sqlite3 *db)
{
    sqlite3_stmt *st = prepare(L, x, db, "SELECT id, key, source FROM article ORDER BY id");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (x->n == x->cap) {
            size_t cap = x->cap ? x->cap * 2 : 1024;
            int64_t *ids = realloc(x->ids, cap * sizeof *ids);
            x->ids = ids ? ids : x->ids;
            char **keys = ids ? realloc(x->keys, cap * sizeof *keys) : NULL;
            x->keys = keys ? keys : x->keys;
            char **outlets = keys ? realloc(x->outlets, cap * sizeof *outlets) : NULL;
            x->outlets = outlets ? outlets : x->outlets;
            check_alloc(L, outlets != NULL);
            x->cap = cap;
        }
        x->ids[x->n] = sqlite3_column_int64(st, 0);
        x->keys[x->n] = column_copy(st, 1);
        x->outlets[x->n] = column_copy(st, 2); /* its source, even "" */
        x->n++;
        check_alloc(L, x->keys[x->n - 1] && (x->outlets[x->n - 1] || sqlite3_column_type(st, 2) == SQLITE_NULL));
    }
    check_done(L, db, rc);
}

/* The metadata plugin's outlet of the articles without a source: their
 * first meta span naming one.  Read only when some article needs it. */
static void read_meta_outlets(lua_State *L, track_box *x, sqlite3 *db)
{
    sqlite3_stmt *st = prepare(L, x, db,
                               "SELECT article_id, attrs FROM annotation WHERE layer = 'meta' "
                               "ORDER BY article_id, start, \"end\", id");
    static const char *const keys[] = {"outlet"};
    size_t at = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long a = article_index(x, &at, sqlite3_column_int64(st, 0));
        const char *attrs = (const char *)sqlite3_column_text(st, 1);
        if (a < 0 || x->outlets[a] || attrs == NULL)
            continue;
        const char *outlet;
        char *buf;
        int picked = lede_jsonpick_strings(&outlet, &buf, attrs, (size_t)sqlite3_column_bytes(st, 1), keys, 1);
        check_alloc(L, picked != -2);
        int named = picked == 0 && outlet && outlet[0];
        if (named)
            x->outlets[a] = strdup(outlet);
        free(buf); /* outlet pointed into it */
        check_alloc(L, !named || x->outlets[a]);
    }
    check_done(L, db, rc);
}

/* The outlet of every article: its source, else its meta outlet, else the
 * folder of its key (the whole key when it has none). */
static void add_articles(lua_State *L, track_box *x, sqlite3 *db)
{
    read_articles(L, x, db);
    size_t missing = 0;
    for (size_t i = 0; i < x->n; i++)
        missing += x->outlets[i] == NULL;
    if (missing)
        read_meta_outlets(L, x, db);
    for (size_t i = 0; i < x->n; i++) {
        if (x->outlets[i] == NULL) {
            const char *slash = strrchr(x->keys[i], '/');
            size_t n = slash && slash > x->keys[i] ? (size_t)(slash - x->keys[i]) : strlen(x->keys[i]);
            check_alloc(L, (x->outlets[i] = strndup(x->keys[i], n)) != NULL);
        }
        check_alloc(L, cas_tracker_article(x->t, x->keys[i], x->outlets[i]) == LEDE_OK);
    }
    free_lists(x);
}

/* ---- the figures ---- */

static void fail(lua_State *L, track_box *x, int rc)
{
    check_alloc(L, rc != LEDE_ENOMEM);
    luaL_error(L, "casualties:track: %s", cas_tracker_error(x->t));
}

static void add_figures(lua_State *L, track_box *x, sqlite3 *db)
{
    sqlite3_stmt *st = prepare(L, x, db,
                               "SELECT article_id, start, \"end\", attrs, id FROM annotation WHERE layer = ?1 "
                               "ORDER BY article_id, start, id"); /* the index's order: no sorting */
    sqlite3_bind_text(st, 1, FIGURE_LAYER, -1, SQLITE_STATIC);
    size_t at = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long a = article_index(x, &at, sqlite3_column_int64(st, 0));
        if (a < 0)
            continue; /* the spans of an article that is gone */
        const char *attrs = (const char *)sqlite3_column_text(st, 3);
        int added = cas_tracker_figure(x->t, (uint32_t)a, sqlite3_column_int64(st, 4),
                                       (uint32_t)sqlite3_column_int64(st, 1), (uint32_t)sqlite3_column_int64(st, 2),
                                       attrs, (size_t)sqlite3_column_bytes(st, 3));
        if (added != LEDE_OK)
            fail(L, x, added);
    }
    check_done(L, db, rc);
    sqlite3_finalize(x->st);
    x->st = NULL;
}

/* The tracker's text reader: one article's text at a time, kept while
 * the same article is asked for again. */
static int read_text(void *ud, uint32_t article, const char **text, size_t *len)
{
    track_box *x = ud;
    int64_t id = x->ids[article];
    if (x->text_of != id) {
        sqlite3_reset(x->text);
        sqlite3_bind_int64(x->text, 1, id);
        int rc = sqlite3_step(x->text);
        x->text_of = rc == SQLITE_ROW ? id : -1;
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return LEDE_EDB;
    }
    const char *s = x->text_of == id ? (const char *)sqlite3_column_blob(x->text, 0) : NULL;
    *text = s ? s : "";
    *len = s ? (size_t)sqlite3_column_bytes(x->text, 0) : 0;
    return LEDE_OK;
}

/* ---- the output ---- */

static size_t layer_index(lua_State *L, const lede_plugin *p, const char *layer, int rows)
{
    int li = lede_plugin_layer(p, layer);
    if (li < 0)
        luaL_error(L, "casualties:track: plugin '%s' does not declare layer '%s'", p->name, layer);
    if (p->layers[li].rows != rows)
        luaL_error(L, "casualties:track: layer '%s' must be declared %s", layer,
                   rows ? "with rows = true" : "without rows = true");
    return (size_t)li;
}

static void check_fields(lua_State *L, track_box *x, int rc, const char *layer)
{
    check_alloc(L, rc != LEDE_ENOMEM);
    if (rc != LEDE_OK)
        luaL_error(L, "casualties:track: layer '%s' %s (declare it in the plugin's layers)", layer,
                   cas_tracker_error(x->t));
}

/* Appends the attrs in x->b as one span (article_id 0: a row). */
static void push(lua_State *L, track_box *x, lede_spans *out, lede_span span)
{
    if (out->bytes > LEDE_SPANS_MAX_BYTES)
        luaL_error(L, "casualties:track: more than %d MiB of results", (int)(LEDE_SPANS_MAX_BYTES >> 20));
    span.attrs = lede_jsonw_dup(&x->b, &span.attrs_len);
    check_alloc(L, span.attrs != NULL);
    check_alloc(L, lede_spans_push(out, &span) == LEDE_OK); /* frees attrs on failure */
}

/* The series rows, then the tolls (as the Lua pass wrote them). */
static void write_results(lua_State *L, track_box *x, lede_vm *vm)
{
    const lede_plugin *p = lede_vm_plugin(vm);
    uint32_t pi = (uint32_t)lede_vm_plugin_index(vm);
    size_t toll = layer_index(L, p, TOLL_LAYER, 0), rows = layer_index(L, p, SERIES_LAYER, 1);
    check_fields(L, x, cas_tracker_toll_fields(x->t, p->layers[toll].fields, p->layers[toll].n_fields), TOLL_LAYER);
    check_fields(L, x, cas_tracker_row_fields(x->t, p->layers[rows].fields, p->layers[rows].n_fields),
                 SERIES_LAYER);
    lede_spans *out = lede_vm_output(vm);
    for (size_t s = 0; s < cas_tracker_n_series(x->t); s++) {
        check_alloc(L, cas_tracker_row_json(x->t, s, &x->b) == 0);
        push(L, x, out, (lede_span){0, pi, (uint32_t)rows, 0, 0, NULL, 0});
    }
    for (size_t k = 0; k < cas_tracker_n_tolls(x->t); k++) {
        uint32_t a, start, end;
        cas_tracker_toll_span(x->t, k, &a, &start, &end);
        check_alloc(L, cas_tracker_toll_json(x->t, k, &x->b) == 0);
        push(L, x, out, (lede_span){x->ids[a], pi, (uint32_t)toll, start, end, NULL, 0});
    }
}

int lede_luacas_track(lua_State *L)
{
    luaL_checkudata(L, 1, LEDE_LUACAS_MT);
    luaL_checkudata(L, 2, "lede.corpus");
    luaL_checktype(L, 3, LUA_TTABLE);
    lede_vm *vm = lede_vm_of(L);
    sqlite3 *db = vm ? lede_vm_corpus_db(vm) : NULL;
    if (db == NULL)
        return luaL_error(L, "casualties:track: call it from corpus()");
    if (lua_getfield(L, 3, "tolerance") != LUA_TNUMBER)
        return luaL_error(L, "casualties:track: options.tolerance must be a number");
    double tolerance = lua_tonumber(L, -1);
    lua_pop(L, 1);
    track_box *x = track_push(L);
    check_alloc(L, cas_tracker_new(&x->t, tolerance) == LEDE_OK);
    add_articles(L, x, db);
    add_figures(L, x, db);
    if (sqlite3_prepare_v2(db, "SELECT text FROM article WHERE id = ?1", -1, &x->text, NULL) != SQLITE_OK)
        return luaL_error(L, "casualties:track: %s", sqlite3_errmsg(db));
    int rc = cas_tracker_run(x->t, read_text, x);
    if (rc == LEDE_EDB)
        return luaL_error(L, "casualties:track: %s", sqlite3_errmsg(db));
    if (rc != LEDE_OK)
        fail(L, x, rc);
    sqlite3_finalize(x->text); /* no cursor left open while the results are stored */
    x->text = NULL;
    write_results(L, x, vm);
    return 0;
}
