/* Lua binding of the casualties extractor: see luacas.h. */
#include "luacas.h"

#include "casualty.h"
#include "jsonpick.h"
#include "jsonw.h"
#include "luadoc.h"
#include "vm.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXTRACTOR_MT "lede.casualties"
#define RUN_MT "lede.casualties.run"

/* The word lists, and the memory of the article being read (one article
 * at a time: a Lua state runs on one thread). */
typedef struct extractor_ud {
    cas_lex *lex;
    cas_arena *arena;
} extractor_ud;

static int extractor_gc(lua_State *L)
{
    extractor_ud *u = luaL_checkudata(L, 1, EXTRACTOR_MT);
    cas_lex_free(u->lex);
    cas_arena_free(u->arena);
    u->lex = NULL;
    u->arena = NULL;
    return 0;
}

static extractor_ud *check_extractor(lua_State *L, int idx)
{
    extractor_ud *u = luaL_checkudata(L, idx, EXTRACTOR_MT);
    if (u->lex == NULL)
        luaL_error(L, "casualties extractor already released");
    return u;
}

/* ---- one article ---- */

/* What an article's run holds, freed by the GC even after a Lua error
 * (the arena is the extractor's: reset at the next article). */
typedef struct run_box {
    cas_figures figures;
    cas_span *sentences, *blocks;
    const lede_sentence **sent;
} run_box;

static int run_gc(lua_State *L)
{
    run_box *r = lua_touserdata(L, 1);
    free(r->figures.v);
    free(r->sentences);
    free(r->blocks);
    free(r->sent);
    memset(r, 0, sizeof *r);
    return 0;
}

static run_box *run_push(lua_State *L)
{
    run_box *r = lua_newuserdatauv(L, sizeof *r, 0);
    memset(r, 0, sizeof *r);
    if (luaL_newmetatable(L, RUN_MT)) {
        lua_pushcfunction(L, run_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return r;
}

static void check_alloc(lua_State *L, const void *p)
{
    if (p == NULL)
        luaL_error(L, "not enough memory");
}

/* The kept units (sentences or blocks: structs starting with start and
 * end; keep NULL: all) as 1-based spans. */
static cas_span *content_spans(const void *units, size_t n, size_t stride, const unsigned char *keep, size_t *n_out)
{
    cas_span *out = malloc((n ? n : 1) * sizeof *out);
    size_t k = 0;
    for (size_t i = 0; out && i < n; i++) {
        const uint32_t *u = (const uint32_t *)((const char *)units + i * stride);
        if (!keep || keep[i])
            out[k++] = (cas_span){u[0] + 1, u[1]};
    }
    *n_out = k;
    return out;
}

/* The doc's sentences behind the content sentences (their tokens place the cue words). */
static const lede_sentence **content_sentences(const lede_sentence *s, size_t n, const unsigned char *keep)
{
    const lede_sentence **out = malloc((n ? n : 1) * sizeof *out);
    size_t k = 0;
    for (size_t i = 0; out && i < n; i++)
        if (!keep || keep[i])
            out[k++] = &s[i];
    return out;
}

/* The meta record, read in a protected call: an error there (a broken
 * span) is reported, not thrown through C frames. */
typedef struct meta_ud {
    lua_State *L;
    lede_vm *vm;
    cas_art *art;
    char err[200];
} meta_ud;

static int read_meta(lua_State *L)
{
    meta_ud *m = lua_touserdata(L, 1);
    cas_meta *out = lua_touserdata(L, 2);
    const lede_span *s = lede_luadoc_first_span(L, m->vm, "meta");
    lua_pushboolean(L, s != NULL);
    if (s == NULL || s->attrs == NULL)
        return 1;
    static const char *const keys[] = {"dateline", "published", "event_date"};
    const char *v[3];
    char *buf;
    int rc = lede_jsonpick_strings(v, &buf, s->attrs, s->attrs_len, keys, 3);
    if (rc == -2)
        return luaL_error(L, "not enough memory");
    if (rc < 0)
        return luaL_error(L, "its attributes are not a JSON object");
    const char **fields[3] = {&out->dateline, &out->published, &out->event_date};
    int copied = 1;
    for (int k = 0; k < 3; k++)
        if (v[k] && (*fields[k] = cas_strndup(m->art, v[k], strlen(v[k]))) == NULL)
            copied = 0;
    free(buf);
    if (!copied)
        return luaL_error(L, "not enough memory");
    return 1;
}

static int fetch_meta(void *ud, cas_meta *out)
{
    meta_ud *m = ud;
    lua_State *L = m->L;
    memset(out, 0, sizeof *out);
    lua_pushcfunction(L, read_meta);
    lua_pushlightuserdata(L, m);
    lua_pushlightuserdata(L, out);
    if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
        snprintf(m->err, sizeof m->err, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : "error");
        lua_pop(L, 1);
        return LEDE_EINVAL;
    }
    int found = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return found;
}

/* The number conventions of the article: options.language, else its
 * language (guessed when it was ingested as English), and
 * options.decimal_comma ("true", "false" or "auto"). */
static lede_num_opts number_options(lua_State *L, int options, const lede_article *art, const char *text,
                                    size_t len)
{
    lede_num_opts o = LEDE_NUM_OPTS_INIT;
    const char *lang = NULL;
    if (lua_getfield(L, options, "language") == LUA_TSTRING && lua_rawlen(L, -1) > 0)
        lang = lua_tostring(L, -1); /* stays alive: the options table holds it */
    lua_pop(L, 1);
    o.language = lang ? lang : art->language ? art->language : "en";
    if (lang == NULL && strcmp(o.language, "en") == 0)
        o.language = cas_guess_language(text, len);
    int t = lua_getfield(L, options, "decimal_comma");
    if ((t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "true") == 0) || (t == LUA_TBOOLEAN && lua_toboolean(L, -1)))
        o.decimal_comma = 1;
    else if ((t == LUA_TSTRING && strcmp(lua_tostring(L, -1), "false") == 0) ||
             (t == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
        o.decimal_comma = 0;
    lua_pop(L, 1);
    return o;
}

/* The fields of the figure layer this code can fill. */
typedef enum field_id {
    F_COUNT, F_LOW, F_HIGH, F_VAGUE, F_QUALIFIER, F_CATEGORY, F_VICTIMS, F_WHERE, F_SCOPE, F_AS_OF, F_RULE,
    F_CONFIDENCE, F_REPEAT, F_SUBSET, F_UNKNOWN
} field_id;

static const char *const FIELD_NAMES[F_UNKNOWN] = {"count", "low", "high", "vague", "qualifier", "category",
                                                  "victims", "where", "scope", "as_of", "rule", "confidence",
                                                  "repeat", "subset"};

static field_id field_of(const char *name)
{
    int f = 0;
    while (f < F_UNKNOWN && strcmp(FIELD_NAMES[f], name) != 0)
        f++;
    return (field_id)f;
}

/* A confidence of two decimals ("0.85"), as "%.14g" writes it; others by snprintf. */
static int write_confidence(lede_jsonw *b, double v)
{
    int h = (int)(v * 100 + 0.5);
    if (h < 1 || h > 99 || (double)h / 100 != v)
        return lede_jsonw_double(b, v);
    char num[4] = {'0', '.', (char)('0' + h / 10), (char)('0' + h % 10)};
    return lede_jsonw_raw(b, num, h % 10 ? 4 : 3);
}

/* One field of the figure layer (null for a field this code does not know). */
static int write_field(lede_jsonw *b, field_id id, const cas_figure *f)
{
    const lede_quantity *q = f->q;
    int counted = !(q->flags & (LEDE_NUM_RANGE | LEDE_NUM_VAGUE));
    switch (id) {
    case F_COUNT: return counted ? lede_jsonw_int(b, q->value) : lede_jsonw_raw(b, "null", 4);
    case F_LOW: return counted ? lede_jsonw_raw(b, "null", 4) : lede_jsonw_int(b, q->low);
    case F_HIGH: return counted ? lede_jsonw_raw(b, "null", 4) : lede_jsonw_int(b, q->high);
    case F_VAGUE: return lede_jsonw_string(b, q->vague ? lede_num_vague_name(q->vague) : NULL);
    case F_QUALIFIER: return lede_jsonw_string(b, f->qualifier);
    case F_CATEGORY: return lede_jsonw_string(b, f->category);
    case F_VICTIMS: return lede_jsonw_string(b, f->victims);
    case F_WHERE: return lede_jsonw_string(b, f->where);
    case F_SCOPE: return lede_jsonw_string(b, f->scope);
    case F_AS_OF: return lede_jsonw_string(b, f->as_of);
    case F_RULE: return lede_jsonw_string(b, f->rule);
    case F_CONFIDENCE: return write_confidence(b, f->confidence);
    case F_REPEAT: return lede_jsonw_bool(b, f->repeat);
    case F_SUBSET: return lede_jsonw_bool(b, f->subset);
    case F_UNKNOWN: break;
    }
    return lede_jsonw_raw(b, "null", 4);
}

/* The figure layer's fields as the attrs write them: each one's id, and
 * its key ("count":, with the comma before all but the first) at
 * keys.p[at[i], at[i + 1]). */
typedef struct layout {
    field_id *ids;
    size_t *at;
    lede_jsonw keys;
} layout;

static void layout_free(layout *lo)
{
    free(lo->ids);
    free(lo->at);
    free(lo->keys.p);
}

static int layout_init(layout *lo, const lede_layer_def *def)
{
    *lo = (layout){malloc((def->n_fields + 1) * sizeof *lo->ids), malloc((def->n_fields + 1) * sizeof *lo->at),
                   {NULL, 0, 0}};
    int bad = lo->ids == NULL || lo->at == NULL;
    for (size_t i = 0; i < def->n_fields && !bad; i++) {
        lo->ids[i] = field_of(def->fields[i]);
        lo->at[i] = lo->keys.n;
        bad = (i && lede_jsonw_raw(&lo->keys, ",", 1)) || lede_jsonw_string(&lo->keys, def->fields[i]) ||
              lede_jsonw_raw(&lo->keys, ":", 1);
    }
    if (!bad)
        lo->at[def->n_fields] = lo->keys.n;
    return bad ? LEDE_ENOMEM : LEDE_OK;
}

/* The attrs of f: every declared field, in order (malloc'd, NUL-terminated). */
static char *figure_attrs(lede_jsonw *b, const lede_layer_def *def, const layout *lo, const cas_figure *f,
                          size_t *len)
{
    b->n = 0;
    int bad = lede_jsonw_raw(b, "{", 1);
    for (size_t i = 0; i < def->n_fields && !bad; i++)
        bad = lede_jsonw_raw(b, lo->keys.p + lo->at[i], lo->at[i + 1] - lo->at[i]) || write_field(b, lo->ids[i], f);
    return bad || lede_jsonw_raw(b, "}", 1) ? NULL : lede_jsonw_dup(b, len);
}

static void write_spans(lua_State *L, lede_vm *vm, size_t li, run_box *r)
{
    const lede_plugin *p = lede_vm_plugin(vm);
    const lede_layer_def *def = &p->layers[li];
    const lede_article *art = lede_vm_article(vm);
    lede_spans *out = lede_vm_output(vm);
    uint32_t pi = (uint32_t)lede_vm_plugin_index(vm);
    layout lo;
    lede_jsonw b = {NULL, 0, 0};
    int bad = layout_init(&lo, def) != LEDE_OK;
    for (size_t i = 0; i < r->figures.n && !bad; i++) {
        const cas_figure *f = &r->figures.v[i];
        lede_span span = {art->id, pi, (uint32_t)li, f->start - 1, f->stop, NULL, 0};
        span.attrs = figure_attrs(&b, def, &lo, f, &span.attrs_len);
        bad = span.attrs == NULL || lede_spans_push(out, &span) != LEDE_OK; /* push frees attrs on failure */
    }
    free(b.p);
    layout_free(&lo);
    if (bad)
        luaL_error(L, "not enough memory");
}

static size_t check_layer(lua_State *L, const lede_plugin *p, const char *layer)
{
    int li = lede_plugin_layer(p, layer);
    if (li < 0)
        luaL_error(L, "casualties:annotate: plugin '%s' does not declare layer '%s'", p->name, layer);
    return (size_t)li;
}

/* extractor:annotate(doc, layer, options): writes one span of `layer` per
 * casualty figure of the doc's content; options as the plugin's
 * (language, decimal_comma).  Returns the number of figures. */
static int extractor_annotate(lua_State *L)
{
    extractor_ud *u = check_extractor(L, 1);
    lede_doc *doc = lede_luadoc_check(L, 2);
    const char *layer = luaL_checkstring(L, 3);
    luaL_checktype(L, 4, LUA_TTABLE);
    lede_vm *vm = lede_vm_of(L);
    const lede_plugin *p = vm ? lede_vm_plugin(vm) : NULL;
    const lede_article *art = vm ? lede_vm_article(vm) : NULL;
    if (p == NULL || art == NULL)
        return luaL_error(L, "casualties:annotate: call it from article()");
    size_t li = check_layer(L, p, layer);
    run_box *r = run_push(L);
    cas_arena_reset(u->arena);
    cas_art a = {.lex = u->lex, .doc = doc, .published = art->published, .meta = fetch_meta, .arena = u->arena};
    a.text = lede_doc_text(doc, &a.len);
    size_t n_sent, n_blocks;
    const lede_sentence *sent = lede_doc_sentences(doc, &n_sent);
    const lede_block *blocks = lede_doc_blocks(doc, &n_blocks);
    const unsigned char *keep_sent, *keep_blocks;
    lede_luadoc_content_masks(L, vm, doc, &keep_sent, &keep_blocks);
    r->sentences = content_spans(sent, n_sent, sizeof *sent, keep_sent, &a.n_sentences);
    r->blocks = content_spans(blocks, n_blocks, sizeof *blocks, keep_blocks, &a.n_blocks);
    r->sent = content_sentences(sent, n_sent, keep_sent);
    check_alloc(L, r->sentences && r->blocks && r->sent ? "" : NULL);
    if (a.n_sentences == 0) {
        lua_pushinteger(L, 0);
        return 1;
    }
    a.sentences = r->sentences;
    a.blocks = r->blocks;
    meta_ud m = {L, vm, &a, ""};
    a.meta_ud = &m;
    lede_num_opts o = number_options(L, 4, art, a.text, a.len);
    int rc = cas_article(&r->figures, &a, r->sent, &o);
    if (rc == LEDE_EINVAL)
        return luaL_error(L, "casualties: reading the meta layer of '%s': %s", art->key, m.err);
    check_alloc(L, rc == LEDE_OK ? "" : NULL);
    write_spans(L, vm, li, r);
    lua_pushinteger(L, (lua_Integer)r->figures.n);
    return 1;
}

/* ---- building it ---- */

static const char *file_field(lua_State *L, int idx, const char *name)
{
    if (lua_getfield(L, idx, name) != LUA_TSTRING)
        luaL_error(L, "lede.casualties: field '%s' must be the text of the list", name);
    const char *s = lua_tostring(L, -1);
    lua_pop(L, 1); /* the string stays alive: the table holds it */
    return s;
}

int lede_luacas_new(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lede_vm *vm = lede_vm_of(L);
    if (vm == NULL)
        return luaL_error(L, "lede.casualties: build it in setup(), not at the top of the plugin file");
    lede_tokenizer *tk = lede_vm_tokenizer(vm, NULL);
    check_alloc(L, tk);
    cas_lex_files files = {file_field(L, 1, "cues"), file_field(L, 1, "victims"), file_field(L, 1, "words"),
                           file_field(L, 1, "places"), file_field(L, 1, "gazetteer")};
    extractor_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    u->lex = NULL;
    u->arena = NULL;
    if (luaL_newmetatable(L, EXTRACTOR_MT)) {
        static const luaL_Reg methods[] = {
            {"annotate", extractor_annotate}, {"track", lede_luacas_track}, {NULL, NULL}};
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, extractor_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    char err[256] = "";
    int rc = cas_arena_new(&u->arena);
    if (rc == LEDE_OK)
        rc = cas_lex_new(&u->lex, tk, &files, err, sizeof err);
    if (rc != LEDE_OK)
        return luaL_error(L, "lede.casualties: %s", rc == LEDE_ENOMEM ? "not enough memory" : err);
    return 1;
}
