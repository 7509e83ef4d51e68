/* The corpus object: see luacorpus.h.  Runs on the thread that owns the
 * database during the corpus pass, after every article pass of its phase. */
#include "luacorpus.h"

#include "luadoc.h"
#include "luajson.h"

#include <lauxlib.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS_MT "lede.corpus"
#define STMT_MT "lede.stmt"

typedef struct luacorpus {
    uint64_t gen;
} luacorpus;

static lede_vm *check_corpus(lua_State *L, int idx)
{
    luacorpus *c = luaL_checkudata(L, idx, CORPUS_MT);
    lede_vm *vm = lede_vm_of(L);
    if (vm->db == NULL || c->gen != vm->corpus_gen)
        luaL_error(L, "this corpus handle belongs to a corpus pass that is finished");
    return vm;
}

/* ---- statements owned by userdata (finalized by the GC or at the end) ---- */

static int stmt_gc(lua_State *L)
{
    sqlite3_stmt **st = lua_touserdata(L, 1);
    sqlite3_finalize(*st);
    *st = NULL;
    return 0;
}

static sqlite3_stmt **stmt_push(lua_State *L, sqlite3 *db, const char *sql)
{
    sqlite3_stmt **st = lua_newuserdatauv(L, sizeof *st, 0);
    *st = NULL;
    if (luaL_newmetatable(L, STMT_MT)) {
        lua_pushcfunction(L, stmt_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        luaL_error(L, "corpus: %s", sqlite3_errmsg(db));
    return st;
}

static void push_column(lua_State *L, sqlite3_stmt *st, int col)
{
    switch (sqlite3_column_type(st, col)) {
    case SQLITE_NULL: lua_pushnil(L); break;
    case SQLITE_INTEGER: lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(st, col)); break;
    case SQLITE_FLOAT: lua_pushnumber(L, sqlite3_column_double(st, col)); break;
    default:
        lua_pushlstring(L, (const char *)sqlite3_column_text(st, col), (size_t)sqlite3_column_bytes(st, col));
    }
}

/* Loads the article `key` into *a (cleared first).  0 if there is none. */
static int load_article(lua_State *L, lede_vm *vm, const char *key, lede_article *a)
{
    /* prepared once per pass: a corpus pass may open every article */
    if (vm->corpus_load == NULL &&
        sqlite3_prepare_v2(vm->db,
                           "SELECT id, key, source, url, title, published, language, text FROM article WHERE key = ?1",
                           -1, &vm->corpus_load, NULL) != SQLITE_OK)
        luaL_error(L, "corpus: %s", sqlite3_errmsg(vm->db));
    sqlite3_stmt *st = vm->corpus_load;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            luaL_error(L, "corpus: %s", sqlite3_errmsg(vm->db));
        return 0;
    }
    lede_article_clear(a);
    int copied = lede_article_from_row(a, st);
    sqlite3_reset(st); /* an open cursor would slow every write */
    if (copied != LEDE_OK) {
        lede_article_clear(a);
        luaL_error(L, "not enough memory");
    }
    return 1;
}

/* ---- articles ---- */

/* The step of an iterator over the statement in upvalue 1, of the corpus in
 * upvalue 2: the statement with a row, or NULL when it is done (finalized
 * then, so an abandoned loop holds no cursor).  Raises on an error, naming
 * `what`. */
static sqlite3_stmt *iterator_step(lua_State *L, const char *what)
{
    lede_vm *vm = check_corpus(L, lua_upvalueindex(2));
    sqlite3_stmt **st = lua_touserdata(L, lua_upvalueindex(1));
    if (*st == NULL)
        return NULL;
    int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW)
        return *st;
    sqlite3_finalize(*st);
    *st = NULL;
    if (rc != SQLITE_DONE)
        luaL_error(L, "%s: %s", what, sqlite3_errmsg(vm->db));
    return NULL;
}

static int articles_next(lua_State *L)
{
    sqlite3_stmt *st = iterator_step(L, "corpus:articles");
    if (st == NULL)
        return 0;
    static const char *const names[] = {"key", "source", "url", "title", "published", "language", "bytes"};
    lua_createtable(L, 0, 7);
    for (int i = 0; i < 7; i++) {
        push_column(L, st, i);
        lua_setfield(L, -2, names[i]);
    }
    return 1;
}

static int corpus_articles(lua_State *L)
{
    lede_vm *vm = check_corpus(L, 1);
    stmt_push(L, vm->db,
              "SELECT key, source, url, title, published, language, n_bytes FROM article ORDER BY id");
    lua_pushvalue(L, 1);
    lua_pushcclosure(L, articles_next, 2);
    return 1;
}

static int corpus_size(lua_State *L)
{
    lede_vm *vm = check_corpus(L, 1);
    sqlite3_stmt **st = stmt_push(L, vm->db, "SELECT count(*) FROM article");
    lua_pushinteger(L, sqlite3_step(*st) == SQLITE_ROW ? (lua_Integer)sqlite3_column_int64(*st, 0) : 0);
    return 1;
}

/* ---- spans across the corpus ---- */

/* Upvalues: 1 the span statement, 2 the corpus, 3 the text statement (nil
 * when the spans go without their text), 4 the id of the article whose text
 * is 5 (read once per article), 6 the number of fields of the first span. */
static void push_article_text(lua_State *L, sqlite3_int64 id)
{
    if (lua_tointeger(L, lua_upvalueindex(4)) == id && !lua_isnil(L, lua_upvalueindex(5))) {
        lua_pushvalue(L, lua_upvalueindex(5));
        return;
    }
    sqlite3_stmt **tst = lua_touserdata(L, lua_upvalueindex(3));
    sqlite3_reset(*tst);
    sqlite3_bind_int64(*tst, 1, id);
    if (sqlite3_step(*tst) == SQLITE_ROW)
        lua_pushlstring(L, (const char *)sqlite3_column_blob(*tst, 0), (size_t)sqlite3_column_bytes(*tst, 0));
    else
        lua_pushliteral(L, "");
    sqlite3_reset(*tst);
    lua_pushinteger(L, (lua_Integer)id);
    lua_replace(L, lua_upvalueindex(4));
    lua_pushvalue(L, -1);
    lua_replace(L, lua_upvalueindex(5));
}

static int spans_next(lua_State *L)
{
    sqlite3_stmt *st = iterator_step(L, "corpus:spans");
    if (st == NULL)
        return 0;
    /* the spans of a layer share their fields: a table sized like the first
     * span's is filled without growing (rehashing) on the way */
    lua_Integer size = lua_tointeger(L, lua_upvalueindex(6));
    lua_createtable(L, 0, size ? (int)size : 6);
    push_column(L, st, 1);
    lua_setfield(L, -2, "article");
    lua_Integer start = sqlite3_column_int64(st, 2), end = sqlite3_column_int64(st, 3);
    lua_pushinteger(L, start + 1);
    lua_setfield(L, -2, "start");
    lua_pushinteger(L, end);
    lua_setfield(L, -2, "stop");
    if (!lua_isnil(L, lua_upvalueindex(3))) {
        push_article_text(L, sqlite3_column_int64(st, 0));
        size_t len;
        const char *text = lua_tolstring(L, -1, &len);
        if (start >= 0 && end >= start && (size_t)end <= len) {
            lua_pushlstring(L, text + start, (size_t)(end - start));
            lua_setfield(L, -3, "text");
        }
        lua_pop(L, 1);
    }
    const char *attrs = (const char *)sqlite3_column_text(st, 4);
    if (attrs)
        lede_luajson_decode_into(L, attrs, (size_t)sqlite3_column_bytes(st, 4));
    if (size == 0) {
        lua_pushinteger(L, (lua_Integer)lede_luajson_count_keys(L, -1));
        lua_replace(L, lua_upvalueindex(6));
    }
    return 1;
}

/* corpus:spans(layer [, { text = false }]): spans without their text spare
 * reading each article's text and copying the bytes each span covers, for a
 * pass that needs only their fields. */
static int want_text(lua_State *L, int idx)
{
    if (lua_isnoneornil(L, idx))
        return 1;
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_getfield(L, idx, "text");
    int text = lua_isnil(L, -1) || lua_toboolean(L, -1);
    lua_pop(L, 1);
    return text;
}

static int corpus_spans(lua_State *L)
{
    lede_vm *vm = check_corpus(L, 1);
    const char *layer = luaL_checkstring(L, 2);
    int text = want_text(L, 3);
    sqlite3_stmt **st = stmt_push(L, vm->db,
                                  "SELECT an.article_id, ar.key, an.start, an.\"end\", an.attrs "
                                  "FROM annotation an JOIN article ar ON ar.id = an.article_id "
                                  "WHERE an.layer = ?1 ORDER BY an.article_id, an.start, an.\"end\", an.id");
    sqlite3_bind_text(*st, 1, layer, -1, SQLITE_TRANSIENT);
    lua_pushvalue(L, 1);
    if (text)
        stmt_push(L, vm->db, "SELECT text FROM article WHERE id = ?1");
    else
        lua_pushnil(L);
    lua_pushinteger(L, -1);
    lua_pushnil(L);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, spans_next, 6);
    return 1;
}

/* ---- spans across the corpus, as columns ---- */

/* The columns every span has, before its fields. */
static const lede_json_key span_columns[] = {{"article", 7}, {"start", 5}, {"stop", 4}};

static int same_key(const lede_json_key *a, const lede_json_key *b)
{
    return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

/* The names of the list at idx as keys (a userdata pushed; the strings
 * stay anchored by the list).  Raises on a name that is not a string, is
 * given twice, or is the name of a column every span has. */
static lede_json_key *column_keys(lua_State *L, int idx, size_t *n)
{
    luaL_checktype(L, idx, LUA_TTABLE);
    *n = (size_t)lua_rawlen(L, idx);
    lede_json_key *keys = lua_newuserdatauv(L, (*n ? *n : 1) * sizeof *keys, 0);
    for (size_t i = 0; i < *n; i++) {
        lua_rawgeti(L, idx, (lua_Integer)i + 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "corpus:columns: field %d is not a string", (int)i + 1);
        keys[i].s = lua_tolstring(L, -1, &keys[i].n);
        lua_pop(L, 1);
        for (size_t j = 0; j < i + 3; j++)
            if (same_key(j < 3 ? &span_columns[j] : &keys[j - 3], &keys[i]))
                luaL_error(L, "corpus:columns: field '%s' %s", keys[i].s,
                           j < 3 ? "is a column of every span" : "is given twice");
    }
    return keys;
}

/* The number of spans of a layer: columns are made that long at once. */
static int count_spans(lua_State *L, lede_vm *vm, const char *layer)
{
    sqlite3_stmt **st = stmt_push(L, vm->db, "SELECT count(*) FROM annotation WHERE layer = ?1");
    sqlite3_bind_text(*st, 1, layer, -1, SQLITE_TRANSIENT);
    int n = sqlite3_step(*st) == SQLITE_ROW ? sqlite3_column_int(*st, 0) : 0;
    lua_pop(L, 1);
    return n;
}

/* corpus:columns while it reads: the span rows (article_id, start, end,
 * attrs), the statement reading an article's key, the fields wanted, the
 * stack slots of the first column and of the key of the current article
 * (nil when it has none), the rows made so far. */
typedef struct column_reader {
    sqlite3_stmt *spans, *key;
    const lede_json_key *keys;
    size_t n;
    int col, key_slot;
    sqlite3_int64 article;
    lua_Integer rows;
} column_reader;

/* Puts the key of article `id` in its slot: read once per article, where a
 * join would read it once per span. */
static void column_article(lua_State *L, column_reader *c, sqlite3_int64 id)
{
    c->article = id;
    sqlite3_bind_int64(c->key, 1, id);
    if (sqlite3_step(c->key) == SQLITE_ROW)
        push_column(L, c->key, 0);
    else
        lua_pushnil(L); /* spans of an article that is gone, left out as a join would */
    sqlite3_reset(c->key);
    lua_replace(L, c->key_slot);
}

/* Appends the span row of c->spans to the columns. */
static void add_column_row(lua_State *L, column_reader *c)
{
    sqlite3_stmt *st = c->spans;
    if (sqlite3_column_int64(st, 0) != c->article)
        column_article(L, c, sqlite3_column_int64(st, 0));
    if (lua_isnil(L, c->key_slot))
        return;
    lua_Integer i = ++c->rows;
    lua_pushvalue(L, c->key_slot);
    lua_rawseti(L, c->col, i);
    lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(st, 1) + 1);
    lua_rawseti(L, c->col + 1, i);
    lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(st, 2));
    lua_rawseti(L, c->col + 2, i);
    const char *attrs = (const char *)sqlite3_column_text(st, 3);
    if (attrs)
        lede_luajson_decode_columns(L, attrs, (size_t)sqlite3_column_bytes(st, 3), c->keys, c->n, c->col + 3, i);
}

/* corpus:columns(layer, fields): the spans of corpus:spans(layer, { text =
 * false }) as one table per column, and their number.  A pass reading a
 * few fields of many spans makes no table per span, and decodes only the
 * fields it names. */
static int corpus_columns(lua_State *L)
{
    lede_vm *vm = check_corpus(L, 1);
    const char *layer = luaL_checkstring(L, 2);
    column_reader c = {0};
    c.keys = column_keys(L, 3, &c.n);
    int size = count_spans(L, vm, layer);
    c.spans = *stmt_push(L, vm->db,
                         "SELECT article_id, start, \"end\", attrs FROM annotation WHERE layer = ?1 "
                         "ORDER BY article_id, start, \"end\", id");
    sqlite3_bind_text(c.spans, 1, layer, -1, SQLITE_TRANSIENT);
    c.key = *stmt_push(L, vm->db, "SELECT key FROM article WHERE id = ?1");
    luaL_checkstack(L, (int)c.n + 8, "corpus:columns: too many fields");
    c.col = lua_gettop(L) + 1;
    for (size_t k = 0; k < c.n + 3; k++)
        lua_createtable(L, size, 0);
    lua_pushnil(L);
    c.key_slot = lua_gettop(L);
    c.article = -1;
    int rc;
    while ((rc = sqlite3_step(c.spans)) == SQLITE_ROW)
        add_column_row(L, &c);
    if (rc != SQLITE_DONE)
        return luaL_error(L, "corpus:columns: %s", sqlite3_errmsg(vm->db));
    lua_createtable(L, 0, (int)c.n + 3);
    for (size_t k = 0; k < c.n + 3; k++) {
        const lede_json_key *name = k < 3 ? &span_columns[k] : &c.keys[k - 3];
        lua_pushlstring(L, name->s, name->n);
        lua_pushvalue(L, c.col + (int)k);
        lua_rawset(L, -3);
    }
    lua_pushinteger(L, c.rows);
    return 2;
}

/* ---- docs and annotations ---- */

static int corpus_doc(lua_State *L)
{
    lede_vm *vm = check_corpus(L, 1);
    const char *key = luaL_checkstring(L, 2);
    if (vm->active)
        lede_vm_end_article(vm);
    if (!load_article(L, vm, key, &vm->corpus_doc))
        return luaL_error(L, "corpus:doc: no article '%s'", key);
    lede_vm_begin_article(vm, &vm->corpus_doc);
    lede_luadoc_push(L, vm);
    return 1;
}

static int corpus_annotate(lua_State *L)
{
    lede_vm *vm = check_corpus(L, 1);
    const char *key = luaL_checkstring(L, 2);
    lede_article *target = &vm->corpus_target;
    if (target->key == NULL || strcmp(target->key, key) != 0)
        if (!load_article(L, vm, key, target))
            return luaL_error(L, "corpus:annotate: no article '%s'", key);
    lede_luadoc_annotate(L, vm, target, 3, &vm->corpus_out);
    return 0;
}

/* ---- corpus rows: results that belong to no article ---- */

/* Rows travel with the pass's spans in vm->corpus_out, told apart by their
 * layer (declared with rows = true) and article_id 0; the runner stores
 * them in corpus_row. */
static int corpus_row(lua_State *L)
{
    lede_vm *vm = check_corpus(L, 1);
    const char *layer = luaL_checkstring(L, 2);
    const lede_plugin *p = vm->set->items[vm->plugin];
    int li = lede_plugin_layer(p, layer);
    if (li < 0)
        return luaL_error(L, "corpus:row: plugin '%s' does not declare layer '%s' (add it to its layers)", p->name,
                          layer);
    if (!p->layers[li].rows)
        return luaL_error(L, "corpus:row: layer '%s' holds spans: declare { fields = {...}, rows = true } "
                             "for a layer of rows",
                          layer);
    if (vm->corpus_out.bytes > LEDE_SPANS_MAX_BYTES)
        return luaL_error(L, "corpus:row: more than %d MiB of results", (int)(LEDE_SPANS_MAX_BYTES >> 20));
    lede_span row = {0, (uint32_t)vm->plugin, (uint32_t)li, 0, 0, NULL, 0};
    lede_luajson_encode_fields(L, 3, &p->layers[li], &row.attrs, &row.attrs_len);
    if (lede_spans_push(&vm->corpus_out, &row) != LEDE_OK)
        return luaL_error(L, "not enough memory");
    return 0;
}

static int rows_next(lua_State *L)
{
    sqlite3_stmt *st = iterator_step(L, "corpus:rows");
    if (st == NULL)
        return 0;
    lua_newtable(L);
    const char *attrs = (const char *)sqlite3_column_text(st, 0);
    if (attrs)
        lede_luajson_decode_into(L, attrs, (size_t)sqlite3_column_bytes(st, 0));
    return 1;
}

/* Rows stored by the last corpus pass of the plugin owning the layer. */
static int corpus_rows(lua_State *L)
{
    lede_vm *vm = check_corpus(L, 1);
    const char *layer = luaL_checkstring(L, 2);
    sqlite3_stmt **st = stmt_push(L, vm->db, "SELECT attrs FROM corpus_row WHERE layer = ?1 ORDER BY id");
    sqlite3_bind_text(*st, 1, layer, -1, SQLITE_TRANSIENT);
    lua_pushvalue(L, 1);
    lua_pushcclosure(L, rows_next, 2);
    return 1;
}

void lede_luacorpus_open(lua_State *L)
{
    static const luaL_Reg methods[] = {{"articles", corpus_articles}, {"spans", corpus_spans},
                                       {"columns", corpus_columns},   {"doc", corpus_doc},
                                       {"annotate", corpus_annotate},
                                       {"row", corpus_row},           {"rows", corpus_rows},
                                       {"size", corpus_size},         {NULL, NULL}};
    luaL_newmetatable(L, CORPUS_MT);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
}

void lede_luacorpus_push(lua_State *L, lede_vm *vm)
{
    luacorpus *c = lua_newuserdatauv(L, sizeof *c, 0);
    c->gen = vm->corpus_gen;
    luaL_setmetatable(L, CORPUS_MT);
}

void lede_luacorpus_close(lua_State *L, lede_vm *vm)
{
    vm->corpus_gen++;
    if (vm->active)
        lede_vm_end_article(vm);
    lede_article_clear(&vm->corpus_doc);
    lede_article_clear(&vm->corpus_target);
    sqlite3_finalize(vm->corpus_load);
    vm->corpus_load = NULL;
    lua_gc(L, LUA_GCCOLLECT); /* finalizes statements of abandoned iterators */
}
