/* The doc object: article fields, blocks, sentences and tokens handed to Lua
 * in bulk (one C loop per column, never one Lua call per token), spans of
 * other layers, and annotate().  Offsets are Lua-style: 1-based, inclusive,
 * so doc.text:sub(s.start, s.stop) is the covered text and string.find
 * results can be annotated as they are. */
#include "luadoc.h"

#include "luajson.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#define DOC_MT "lede.doc"
#define SPANS_MT "lede.spans"

/* Share of a sentence's bytes that boilerplate spans must cover for the
 * sentence to leave the content view: more than half. */
#define CONTENT_COVER_NUM 1
#define CONTENT_COVER_DEN 2

typedef struct luadoc {
    uint64_t gen;
} luadoc;

/* Cache slots in the doc's user value table. */
enum { SLOT_TEXT = 1, SLOT_TOKENS, SLOT_SENT_ALL, SLOT_SENT_CONTENT, SLOT_BLOCK_ALL, SLOT_BLOCK_CONTENT };

static lede_vm *check_live(lua_State *L, int idx)
{
    luadoc *d = luaL_checkudata(L, idx, DOC_MT);
    lede_vm *vm = lede_vm_of(L);
    if (vm == NULL || !vm->active || d->gen != vm->gen)
        luaL_error(L, "this doc belongs to an article that is finished: keep values from it, not the doc");
    return vm;
}

lede_doc *lede_luadoc_check(lua_State *L, int idx)
{
    return lede_vm_doc(L, check_live(L, idx));
}

/* ---- boxed span lists (freed by the GC even after a Lua error) ---- */

static int spans_gc(lua_State *L)
{
    lede_spans_free(lua_touserdata(L, 1));
    return 0;
}

static lede_spans *spans_box(lua_State *L)
{
    lede_spans *s = lua_newuserdatauv(L, sizeof *s, 0);
    memset(s, 0, sizeof *s);
    if (luaL_newmetatable(L, SPANS_MT)) {
        lua_pushcfunction(L, spans_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return s;
}

static int span_cmp(const void *a, const void *b)
{
    const lede_span *x = *(const lede_span *const *)a, *y = *(const lede_span *const *)b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return (x > y) - (x < y); /* stable: order of writing */
}

/* Pushes a userdata holding pointers to the spans of `layer`, sorted, and
 * returns them; *n receives the count.  The spans themselves live in the
 * VM's output (written in this pass) or in a box pushed below the array. */
static const lede_span **layer_spans(lua_State *L, lede_vm *vm, const char *layer, size_t *n)
{
    size_t li = 0;
    int owner = lede_plugin_set_layer_owner(vm->set, layer, &li);
    const lede_spans *src;
    if (owner >= 0 && vm->done[owner]) {
        src = &vm->out[owner];
        lua_pushnil(L); /* keeps the stack shape of the stored case */
    } else {
        lede_spans *box = spans_box(L);
        if (vm->reader.read && vm->reader.read(vm->reader.ud, vm->art->id, layer, box) != LEDE_OK)
            luaL_error(L, "cannot read the stored spans of layer '%s'", layer);
        src = box;
        owner = -1;
    }
    const lede_span **v = lua_newuserdatauv(L, (src->n + 1) * sizeof *v, 0);
    size_t k = 0;
    for (size_t i = 0; i < src->n; i++)
        if (owner < 0 || src->v[i].layer == li)
            v[k++] = &src->v[i];
    qsort(v, k, sizeof *v, span_cmp);
    *n = k;
    return v;
}

void lede_luadoc_push_spans(lua_State *L, lede_vm *vm, const char *layer)
{
    size_t n;
    const lede_span **v = layer_spans(L, vm, layer, &n);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_createtable(L, 0, 4);
        lua_pushinteger(L, (lua_Integer)v[i]->start + 1);
        lua_setfield(L, -2, "start");
        lua_pushinteger(L, (lua_Integer)v[i]->end);
        lua_setfield(L, -2, "stop");
        if (v[i]->attrs)
            lede_luajson_decode_into(L, v[i]->attrs, v[i]->attrs_len);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_replace(L, -3);
    lua_pop(L, 1);
}

const lede_span *lede_luadoc_first_span(lua_State *L, lede_vm *vm, const char *layer)
{
    size_t n;
    const lede_span **v = layer_spans(L, vm, layer, &n);
    const lede_span *first = n ? v[0] : NULL;
    lua_pop(L, 1); /* the sorted array; what it points into stays */
    return first;
}

/* ---- content view ---- */

/* Marks in keep[] (one per unit) the units [start, end) not mostly covered by
 * the spans of the boilerplate layer.  Units and spans are sorted by start;
 * spans are merged first so overlapping spans are not counted twice. */
static void mark_content(const lede_span **sp, size_t n_sp, const uint32_t *starts, const uint32_t *ends,
                         size_t n_units, size_t stride, unsigned char *keep)
{
    size_t m = 0; /* merged intervals, written over the starts of sp's items */
    uint32_t *ms = malloc((n_sp + 1) * 2 * sizeof *ms);
    if (ms == NULL) {
        memset(keep, 1, n_units);
        return;
    }
    for (size_t i = 0; i < n_sp; i++) {
        if (m && sp[i]->start <= ms[2 * m - 1]) {
            if (sp[i]->end > ms[2 * m - 1])
                ms[2 * m - 1] = sp[i]->end;
        } else {
            ms[2 * m] = sp[i]->start;
            ms[2 * m + 1] = sp[i]->end;
            m++;
        }
    }
    size_t j = 0;
    for (size_t u = 0; u < n_units; u++) {
        uint32_t s = *(const uint32_t *)((const char *)starts + u * stride);
        uint32_t e = *(const uint32_t *)((const char *)ends + u * stride);
        while (j < m && ms[2 * j + 1] <= s)
            j++;
        uint64_t covered = 0;
        for (size_t k = j; k < m && ms[2 * k] < e; k++) {
            uint32_t a = ms[2 * k] > s ? ms[2 * k] : s, b = ms[2 * k + 1] < e ? ms[2 * k + 1] : e;
            covered += b - a;
        }
        keep[u] = !(e > s && covered * CONTENT_COVER_DEN > (uint64_t)(e - s) * CONTENT_COVER_NUM);
    }
    free(ms);
}

/* Pushes a keep[] array (userdata) for the units, or nil when every unit is
 * content (no boilerplate layer, or the current plugin writes it). */
static const unsigned char *content_mask(lua_State *L, lede_vm *vm, const void *units, size_t n_units,
                                         size_t stride)
{
    int owner = lede_plugin_set_layer_owner(vm->set, "boilerplate", NULL);
    if (owner >= 0 && owner == vm->plugin) {
        lua_pushnil(L);
        return NULL;
    }
    size_t n_sp;
    const lede_span **sp = layer_spans(L, vm, "boilerplate", &n_sp);
    unsigned char *keep = lua_newuserdatauv(L, n_units + 1, 0);
    const uint32_t *starts = units, *ends = starts + 1; /* every unit struct starts with start, end */
    mark_content(sp, n_sp, starts, ends, n_units, stride, keep);
    lua_replace(L, -3);
    lua_pop(L, 1);
    return keep;
}

void lede_luadoc_content_masks(lua_State *L, lede_vm *vm, const lede_doc *doc, const unsigned char **sentences,
                               const unsigned char **blocks)
{
    *sentences = *blocks = NULL;
    int owner = lede_plugin_set_layer_owner(vm->set, "boilerplate", NULL);
    if (owner >= 0 && owner == vm->plugin) {
        lua_pushnil(L);
        return;
    }
    size_t n_sp, n_sent, n_blocks;
    const lede_span **sp = layer_spans(L, vm, "boilerplate", &n_sp);
    const lede_sentence *s = lede_doc_sentences(doc, &n_sent);
    const lede_block *b = lede_doc_blocks(doc, &n_blocks);
    unsigned char *keep = lua_newuserdatauv(L, n_sent + n_blocks + 1, 0);
    if (n_sent)
        mark_content(sp, n_sp, &s->start, &s->end, n_sent, sizeof *s, keep);
    if (n_blocks)
        mark_content(sp, n_sp, &b->start, &b->end, n_blocks, sizeof *b, keep + n_sent);
    lua_replace(L, -3);
    lua_pop(L, 1);
    *sentences = keep;
    *blocks = keep + n_sent;
}

/* ---- fields ---- */

static void push_opt_string(lua_State *L, const char *s)
{
    if (s)
        lua_pushstring(L, s);
    else
        lua_pushnil(L);
}

/* The doc's cache table, made on first use: most plugins skip most
 * articles without asking anything costly of their doc. */
static void push_cache(lua_State *L, int idx)
{
    if (lua_getiuservalue(L, idx, 1) != LUA_TNIL)
        return;
    lua_pop(L, 1);
    idx = lua_absindex(L, idx);
    lua_createtable(L, 6, 0);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, idx, 1);
}

static void push_text(lua_State *L, lede_vm *vm, int doc_idx)
{
    push_cache(L, doc_idx);
    if (lua_rawgeti(L, -1, SLOT_TEXT) == LUA_TNIL) {
        lua_pop(L, 1);
        const char *text = lede_vm_text(L, vm, vm->art);
        lua_pushlstring(L, text, vm->art->len);
        lua_pushvalue(L, -1);
        lua_rawseti(L, -3, SLOT_TEXT);
    }
    lua_remove(L, -2);
}

static int doc_index(lua_State *L)
{
    lede_vm *vm = check_live(L, 1);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
        return 1; /* a method */
    const char *k = luaL_checkstring(L, 2);
    const lede_article *a = vm->art;
    if (strcmp(k, "text") == 0)
        push_text(L, vm, 1);
    else if (strcmp(k, "key") == 0)
        push_opt_string(L, a->key);
    else if (strcmp(k, "title") == 0)
        push_opt_string(L, a->title);
    else if (strcmp(k, "source") == 0)
        push_opt_string(L, a->source);
    else if (strcmp(k, "url") == 0)
        push_opt_string(L, a->url);
    else if (strcmp(k, "published") == 0)
        push_opt_string(L, a->published);
    else if (strcmp(k, "language") == 0)
        push_opt_string(L, a->language ? a->language : "en");
    else
        return luaL_error(L, "doc has no field '%s' (key, title, source, url, published, language, text; "
                             "methods tokens, sentences, blocks, spans, annotate)",
                          k);
    return 1;
}

/* ---- tokens: a table of columns built on first access ---- */

static int tokens_column(lua_State *L)
{
    /* upvalue 1: the doc; arg 1: the tokens table; arg 2: column name */
    lua_pushvalue(L, lua_upvalueindex(1));
    lede_doc *doc = lede_luadoc_check(L, -1);
    const char *k = luaL_checkstring(L, 2);
    size_t n, n_sent;
    const lede_token *t = lede_doc_tokens(doc, &n);
    const char *text = lede_doc_text(doc, NULL);
    const char *folds = lede_doc_folds(doc, NULL);
    lua_createtable(L, (int)n, 0);
    int col = lua_gettop(L);
    if (strcmp(k, "text") == 0) {
        for (size_t i = 0; i < n; i++) {
            lua_pushlstring(L, text + t[i].start, t[i].end - t[i].start);
            lua_rawseti(L, col, (lua_Integer)i + 1);
        }
    } else if (strcmp(k, "fold") == 0) {
        for (size_t i = 0; i < n; i++) {
            lua_pushlstring(L, folds + t[i].fold, t[i].fold_len);
            lua_rawseti(L, col, (lua_Integer)i + 1);
        }
    } else if (strcmp(k, "kind") == 0) {
        int base = lua_gettop(L);
        luaL_checkstack(L, LEDE_TOK_KIND_COUNT + 2, "token kinds");
        for (int kind = 0; kind < LEDE_TOK_KIND_COUNT; kind++)
            lua_pushstring(L, lede_token_kind_name(kind));
        for (size_t i = 0; i < n; i++) {
            lua_pushvalue(L, base + 1 + (t[i].kind < LEDE_TOK_KIND_COUNT ? t[i].kind : 0));
            lua_rawseti(L, col, (lua_Integer)i + 1);
        }
        lua_settop(L, col);
    } else if (strcmp(k, "start") == 0 || strcmp(k, "stop") == 0 || strcmp(k, "flags") == 0) {
        int which = k[0] == 'f' ? 2 : k[2] == 'a' ? 0 : 1;
        for (size_t i = 0; i < n; i++) {
            lua_Integer v = which == 0 ? (lua_Integer)t[i].start + 1 : which == 1 ? (lua_Integer)t[i].end
                                                                               : (lua_Integer)t[i].flags;
            lua_pushinteger(L, v);
            lua_rawseti(L, col, (lua_Integer)i + 1);
        }
    } else if (strcmp(k, "sentence") == 0) {
        const lede_sentence *s = lede_doc_sentences(doc, &n_sent);
        for (size_t si = 0; si < n_sent; si++)
            for (uint32_t i = s[si].first_token; i < s[si].first_token + s[si].n_tokens && i < n; i++) {
                lua_pushinteger(L, (lua_Integer)si + 1);
                lua_rawseti(L, col, (lua_Integer)i + 1);
            }
    } else {
        return luaL_error(L, "tokens has no column '%s' (n, text, fold, kind, start, stop, flags, sentence)", k);
    }
    lua_pushvalue(L, 2);
    lua_pushvalue(L, col);
    lua_rawset(L, 1);
    return 1;
}

static int doc_tokens(lua_State *L)
{
    lede_doc *doc = lede_luadoc_check(L, 1);
    push_cache(L, 1);
    if (lua_rawgeti(L, -1, SLOT_TOKENS) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    size_t n;
    lede_doc_tokens(doc, &n);
    lua_createtable(L, 0, 9);
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, -2, "n");
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 1);
    lua_pushcclosure(L, tokens_column, 1);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, SLOT_TOKENS);
    return 1;
}

/* ---- sentences and blocks ---- */

static int want_all(lua_State *L, int idx)
{
    if (lua_isnoneornil(L, idx))
        return 0;
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_getfield(L, idx, "all");
    int all = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return all;
}

static void set_int(lua_State *L, const char *k, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

/* What doc:sentences() and doc:blocks() share: a list per doc and view,
 * built once and cached. */
typedef struct item_list {
    const char *text;
    const unsigned char *keep; /* per item: in the view; NULL: all are */
    int cache, slot;
} item_list;

/* Returns 1 with the cached list pushed; else 0 with a new, empty list
 * pushed, to be filled and then kept with list_keep. */
static int list_begin(lua_State *L, item_list *li, int slot_all, int slot_content, const void *items, size_t n,
                      size_t size)
{
    lede_doc *doc = lede_luadoc_check(L, 1);
    int all = want_all(L, 2);
    push_cache(L, 1);
    li->cache = lua_gettop(L);
    li->slot = all ? slot_all : slot_content;
    if (lua_rawgeti(L, li->cache, li->slot) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    li->text = lede_doc_text(doc, NULL);
    li->keep = all ? (lua_pushnil(L), NULL) : content_mask(L, lede_vm_of(L), items, n, size);
    lua_createtable(L, (int)n, 0);
    return 0;
}

static int list_keep(lua_State *L, const item_list *li)
{
    lua_pushvalue(L, -1);
    lua_rawseti(L, li->cache, li->slot);
    return 1;
}

static int doc_sentences(lua_State *L)
{
    size_t n;
    const lede_sentence *s = lede_doc_sentences(lede_luadoc_check(L, 1), &n);
    item_list li;
    if (list_begin(L, &li, SLOT_SENT_ALL, SLOT_SENT_CONTENT, s, n, sizeof *s))
        return 1;
    lua_Integer k = 0;
    for (size_t i = 0; i < n; i++) {
        if (li.keep && !li.keep[i])
            continue;
        lua_createtable(L, 0, 7);
        set_int(L, "i", (lua_Integer)i + 1);
        set_int(L, "start", (lua_Integer)s[i].start + 1);
        set_int(L, "stop", (lua_Integer)s[i].end);
        set_int(L, "first", (lua_Integer)s[i].first_token + 1);
        set_int(L, "last", (lua_Integer)s[i].first_token + (lua_Integer)s[i].n_tokens);
        set_int(L, "block", (lua_Integer)s[i].block + 1);
        lua_pushlstring(L, li.text + s[i].start, s[i].end - s[i].start);
        lua_setfield(L, -2, "text");
        lua_rawseti(L, -2, ++k);
    }
    return list_keep(L, &li);
}

static int doc_blocks(lua_State *L)
{
    size_t n;
    const lede_block *b = lede_doc_blocks(lede_luadoc_check(L, 1), &n);
    item_list li;
    if (list_begin(L, &li, SLOT_BLOCK_ALL, SLOT_BLOCK_CONTENT, b, n, sizeof *b))
        return 1;
    lua_Integer k = 0;
    for (size_t i = 0; i < n; i++) {
        if (li.keep && !li.keep[i])
            continue;
        lua_createtable(L, 0, 7);
        set_int(L, "i", (lua_Integer)i + 1);
        set_int(L, "start", (lua_Integer)b[i].start + 1);
        set_int(L, "stop", (lua_Integer)b[i].end);
        set_int(L, "first", (lua_Integer)b[i].first_sentence + 1);
        set_int(L, "last", (lua_Integer)b[i].first_sentence + (lua_Integer)b[i].n_sentences);
        lua_pushstring(L, lede_block_kind_name((int)b[i].kind));
        lua_setfield(L, -2, "kind");
        lua_pushlstring(L, li.text + b[i].start, b[i].end - b[i].start);
        lua_setfield(L, -2, "text");
        lua_rawseti(L, -2, ++k);
    }
    return list_keep(L, &li);
}

static int doc_spans(lua_State *L)
{
    lede_vm *vm = check_live(L, 1);
    lede_luadoc_push_spans(L, vm, luaL_checkstring(L, 2));
    return 1;
}

/* ---- annotate ---- */

static int is_continuation(const lede_article *art, lua_Integer byte)
{
    return byte >= 0 && (size_t)byte < art->len && ((unsigned char)art->text[byte] & 0xC0) == 0x80;
}

void lede_luadoc_annotate(lua_State *L, lede_vm *vm, lede_article *art, int layer_arg, lede_spans *out)
{
    const char *layer = luaL_checkstring(L, layer_arg);
    lua_Integer start = luaL_checkinteger(L, layer_arg + 1), stop = luaL_checkinteger(L, layer_arg + 2);
    if (vm->plugin < 0)
        luaL_error(L, "annotate: no plugin call in progress");
    const lede_plugin *p = vm->set->items[vm->plugin];
    int li = lede_plugin_layer(p, layer);
    if (li < 0)
        luaL_error(L, "annotate: plugin '%s' does not declare layer '%s' (add it to its layers)", p->name, layer);
    if (p->layers[li].rows)
        luaL_error(L, "annotate: layer '%s' holds corpus rows: write them with corpus:row", layer);
    lede_vm_text(L, vm, art); /* the bounds below are the text's */
    if (start < 1 || stop < start - 1 || (size_t)stop > art->len)
        luaL_error(L, "annotate: span %d..%d is outside the text of '%s' (1..%d)", (int)start, (int)stop,
                   art->key, (int)art->len);
    if (is_continuation(art, start - 1) || is_continuation(art, stop))
        luaL_error(L, "annotate: span %d..%d of '%s' cuts a UTF-8 character", (int)start, (int)stop, art->key);
    if (out->bytes > LEDE_SPANS_MAX_BYTES)
        luaL_error(L, "annotate: more than %d MiB of spans on '%s'", (int)(LEDE_SPANS_MAX_BYTES >> 20), art->key);
    lede_span span = {art->id, (uint32_t)vm->plugin, (uint32_t)li, (uint32_t)(start - 1), (uint32_t)stop, NULL,
                      0};
    lede_luajson_encode_fields(L, layer_arg + 3, &p->layers[li], &span.attrs, &span.attrs_len);
    if (lede_spans_push(out, &span) != LEDE_OK)
        luaL_error(L, "not enough memory");
}

static int doc_annotate(lua_State *L)
{
    lede_vm *vm = check_live(L, 1);
    lede_spans *out = vm->db ? &vm->corpus_out : &vm->out[vm->plugin];
    lede_luadoc_annotate(L, vm, vm->art, 2, out);
    return 0;
}

static int doc_tostring(lua_State *L)
{
    lede_vm *vm = lede_vm_of(L);
    luadoc *d = luaL_checkudata(L, 1, DOC_MT);
    if (vm->active && d->gen == vm->gen)
        lua_pushfstring(L, "doc(%s)", vm->art->key);
    else
        lua_pushliteral(L, "doc(finished)");
    return 1;
}

void lede_luadoc_open(lua_State *L)
{
    static const luaL_Reg methods[] = {{"tokens", doc_tokens},   {"sentences", doc_sentences},
                                       {"blocks", doc_blocks},   {"spans", doc_spans},
                                       {"annotate", doc_annotate}, {NULL, NULL}};
    luaL_newmetatable(L, DOC_MT);
    luaL_newlib(L, methods);
    lua_pushcclosure(L, doc_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, doc_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
}

void lede_luadoc_push(lua_State *L, lede_vm *vm)
{
    luadoc *d = lua_newuserdatauv(L, sizeof *d, 1); /* user value: the cache (push_cache) */
    d->gen = vm->gen;
    luaL_setmetatable(L, DOC_MT);
}
