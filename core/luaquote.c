/* Lua binding of the quote extractor: see luaquote.h. */
#include "luaquote.h"

#include "jsonw.h"
#include "luadoc.h"
#include "quote.h"
#include "quotespk.h"
#include "vm.h"

#include <lauxlib.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define QUOTER_MT "lede.quoter"
#define RESULT_MT "lede.quoter.result"

typedef struct quoter_ud {
    lede_quoter *q;
} quoter_ud;

static int quoter_gc(lua_State *L)
{
    quoter_ud *u = luaL_checkudata(L, 1, QUOTER_MT);
    lede_quoter_free(u->q);
    u->q = NULL;
    return 0;
}

static lede_quoter *check_quoter(lua_State *L, int idx)
{
    quoter_ud *u = luaL_checkudata(L, idx, QUOTER_MT);
    if (u->q == NULL)
        luaL_error(L, "quoter already released");
    return u->q;
}

/* A result owned by a userdata, so that a Lua error while annotating frees it. */
static int result_gc(lua_State *L)
{
    lede_quote_result **r = lua_touserdata(L, 1);
    lede_quote_result_free(*r);
    *r = NULL;
    return 0;
}

static lede_quote_result **result_box(lua_State *L)
{
    lede_quote_result **r = lua_newuserdatauv(L, sizeof *r, 0);
    *r = NULL;
    if (luaL_newmetatable(L, RESULT_MT)) {
        lua_pushcfunction(L, result_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return r;
}

static int cmp_range(const void *x, const void *y)
{
    const uint32_t *a = x, *b = y;
    return (a[0] > b[0]) - (a[0] < b[0]);
}

/* The spans of `layer` on the open article as sorted byte ranges [start,
 * end): written earlier in this pass by the plugin owning the layer, else
 * as stored.  *box owns what is read from the database. */
static uint32_t *layer_ranges(lua_State *L, lede_vm *vm, const char *layer, lede_spans *box, size_t *n)
{
    *n = 0;
    size_t li = 0;
    const lede_spans *src = lede_vm_pass_spans(vm, layer, &li);
    if (src == NULL) {
        src = box;
        if (lede_vm_stored_spans(vm, layer, box) != LEDE_OK)
            luaL_error(L, "cannot read the stored spans of layer '%s'", layer);
    }
    uint32_t *v = lua_newuserdatauv(L, (src->n + 1) * 2 * sizeof *v, 0);
    for (size_t i = 0; i < src->n; i++) {
        if (src == box || src->v[i].layer == li) {
            v[2 * *n] = src->v[i].start;
            v[2 * *n + 1] = src->v[i].end;
            (*n)++;
        }
    }
    if (*n > 1)
        qsort(v, *n, 2 * sizeof *v, cmp_range);
    return v;
}

/* Frees the spans read from the database even after a Lua error. */
static int spans_gc(lua_State *L)
{
    lede_spans_free(lua_touserdata(L, 1));
    return 0;
}

static lede_spans *spans_box(lua_State *L)
{
    lede_spans *s = lua_newuserdatauv(L, sizeof *s, 0);
    memset(s, 0, sizeof *s);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, spans_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    return s;
}

/* ---- the attrs JSON of a quote span, written directly (one span per
 * quote: building a Lua table for each would cost as much as finding it) ---- */

/* A confidence in [0, 1] with two decimals. */
static int jb_confidence(lede_jsonw *b, double v)
{
    int h = (int)(v * 100 + 0.5);
    if (h >= 100)
        return lede_jsonw_raw(b, "1", 1);
    char num[8] = {'0', '.', (char)('0' + (h < 0 ? 0 : h / 10)), (char)('0' + (h < 0 ? 0 : h % 10))};
    return lede_jsonw_raw(b, num, 4);
}

static int jb_field(lede_jsonw *b, const char *field, const lede_quote *q)
{
    if (strcmp(field, "speaker") == 0)
        return lede_jsonw_string(b, q->speaker);
    if (strcmp(field, "speaker_as_written") == 0)
        return lede_jsonw_string(b, q->written);
    if (strcmp(field, "role") == 0)
        return lede_jsonw_string(b, q->role);
    if (strcmp(field, "speaker_type") == 0)
        return lede_jsonw_string(b, lede_speaker_type_name(q->type));
    if (strcmp(field, "cue") == 0)
        return lede_jsonw_string(b, q->cue);
    if (strcmp(field, "kind") == 0)
        return lede_jsonw_string(b, lede_quote_kind_name(q->kind));
    if (strcmp(field, "confidence") == 0)
        return jb_confidence(b, q->confidence);
    if (strcmp(field, "rule") == 0)
        return lede_jsonw_string(b, q->rule);
    return lede_jsonw_raw(b, "null", 4);
}

/* The attrs of q for layer def: every declared field in declaration order. */
static char *quote_attrs(const lede_layer_def *def, const lede_quote *q, size_t *len)
{
    lede_jsonw b = {NULL, 0, 0};
    int bad = lede_jsonw_raw(&b, "{", 1);
    for (size_t f = 0; f < def->n_fields && !bad; f++) {
        bad = (f && lede_jsonw_raw(&b, ",", 1)) || lede_jsonw_string(&b, def->fields[f]) || lede_jsonw_raw(&b, ":", 1) ||
              jb_field(&b, def->fields[f], q);
    }
    if (bad || lede_jsonw_raw(&b, "}", 2)) {
        free(b.p);
        return NULL;
    }
    b.p[b.n - 1] = '\0';
    *len = b.n - 1;
    return b.p;
}

/* quoter:annotate(doc, layer [, skip_layer]): writes one span of `layer`
 * (declared by the calling plugin) per quote of the doc, leaving out blocks
 * mostly covered by spans of `skip_layer` ("boilerplate").  Returns the
 * number of spans written. */
static int quoter_annotate(lua_State *L)
{
    const lede_quoter *q = check_quoter(L, 1);
    lede_doc *doc = lede_luadoc_check(L, 2);
    const char *layer = luaL_checkstring(L, 3);
    lede_vm *vm = lede_vm_of(L);
    const lede_plugin *p = vm ? lede_vm_plugin(vm) : NULL;
    const lede_article *art = vm ? lede_vm_article(vm) : NULL;
    if (p == NULL || art == NULL)
        return luaL_error(L, "quoter:annotate: call it from article()");
    int li = lede_plugin_layer(p, layer);
    if (li < 0)
        return luaL_error(L, "quoter:annotate: plugin '%s' does not declare layer '%s'", p->name, layer);
    size_t n_skip = 0;
    const uint32_t *skip = NULL;
    if (!lua_isnoneornil(L, 4)) {
        const char *skip_layer = luaL_checkstring(L, 4);
        skip = layer_ranges(L, vm, skip_layer, spans_box(L), &n_skip);
    }
    lede_quote_result **box = result_box(L);
    if (lede_quoter_run(box, q, doc, skip, n_skip) != LEDE_OK)
        return luaL_error(L, "not enough memory");
    size_t n;
    const lede_quote *items = lede_quote_result_items(*box, &n);
    lede_spans *out = lede_vm_output(vm);
    uint32_t pi = (uint32_t)lede_vm_plugin_index(vm);
    for (size_t i = 0; i < n; i++) {
        lede_span span = {art->id, pi, (uint32_t)li, items[i].start, items[i].end, NULL, 0};
        span.attrs = quote_attrs(&p->layers[li], &items[i], &span.attrs_len);
        if (span.attrs == NULL || lede_spans_push(out, &span) != LEDE_OK)
            return luaL_error(L, "not enough memory");
    }
    lua_pushinteger(L, (lua_Integer)n);
    return 1;
}

/* ---- speakers across the corpus ---- */

static void push_speaker(lua_State *L, const lede_quote_speaker *r)
{
    lua_createtable(L, 0, 5);
    lua_pushstring(L, r->name);
    lua_setfield(L, -2, "name");
    if (r->type) {
        lua_pushstring(L, r->type);
        lua_setfield(L, -2, "type");
    }
    lua_pushinteger(L, (lua_Integer)r->quotes);
    lua_setfield(L, -2, "quotes");
    lua_pushinteger(L, (lua_Integer)r->articles);
    lua_setfield(L, -2, "articles");
    lua_createtable(L, (int)r->n_roles, 0);
    for (size_t i = 0; i < r->n_roles; i++) {
        lua_pushstring(L, r->roles[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "roles");
}

/* Frees the records even after a Lua error. */
typedef struct speakers_box {
    lede_quote_speaker *v;
    size_t n;
} speakers_box;

static int speakers_gc(lua_State *L)
{
    speakers_box *b = lua_touserdata(L, 1);
    lede_quote_speakers_free(b->v, b->n);
    memset(b, 0, sizeof *b);
    return 0;
}

/* quoter:speakers(corpus, layer): the speakers of `layer` across the
 * corpus, one table per (name, type): name, type, quotes, articles, roles
 * (list of distinct roles).  Only during a corpus pass. */
static int quoter_speakers(lua_State *L)
{
    check_quoter(L, 1);
    luaL_checkudata(L, 2, "lede.corpus");
    const char *layer = luaL_checkstring(L, 3);
    lede_vm *vm = lede_vm_of(L);
    sqlite3 *db = vm ? lede_vm_corpus_db(vm) : NULL;
    if (db == NULL)
        return luaL_error(L, "quoter:speakers: call it from corpus()");
    speakers_box *box = lua_newuserdatauv(L, sizeof *box, 0);
    memset(box, 0, sizeof *box);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, speakers_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    int rc = lede_quote_speakers(&box->v, &box->n, db, layer);
    if (rc == LEDE_ENOMEM)
        return luaL_error(L, "not enough memory");
    if (rc != LEDE_OK)
        return luaL_error(L, "quoter:speakers: %s", sqlite3_errmsg(db));
    lua_createtable(L, (int)box->n, 0);
    for (size_t i = 0; i < box->n; i++) {
        push_speaker(L, &box->v[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int quoter_lemmas(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)lede_quoter_cue_lemmas(check_quoter(L, 1)));
    return 1;
}

static const char *list_field(lua_State *L, int idx, const char *name)
{
    lua_getfield(L, idx, name);
    const char *s = lua_isnil(L, -1) ? NULL : luaL_checkstring(L, -1);
    lua_pop(L, 1); /* the string stays alive: the table holds it */
    return s;
}

int lede_luaquote_new(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lede_vm *vm = lede_vm_of(L);
    if (vm == NULL)
        return luaL_error(L, "lede.quoter: build it in setup(), not at the top of the plugin file");
    lede_tokenizer *tk = lede_vm_tokenizer(vm, NULL);
    if (tk == NULL)
        return luaL_error(L, "not enough memory");
    lede_quoter_lists lists = {list_field(L, 1, "cues"),   list_field(L, 1, "roles"),
                               list_field(L, 1, "titles"), list_field(L, 1, "organisations"),
                               list_field(L, 1, "groups"), list_field(L, 1, "function_words"),
                               list_field(L, 1, "acronyms")};
    quoter_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    u->q = NULL;
    if (luaL_newmetatable(L, QUOTER_MT)) {
        static const luaL_Reg methods[] = {
            {"annotate", quoter_annotate}, {"speakers", quoter_speakers}, {"lemmas", quoter_lemmas}, {NULL, NULL}};
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, quoter_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    if (lede_quoter_new(&u->q, tk, &lists) != LEDE_OK)
        return luaL_error(L, "not enough memory for the quoter");
    return 1;
}
