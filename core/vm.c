/* Plugin VMs: see vm.h. */
#include "vm.h"

#include "doc.h"
#include "grow.h"
#include "hash.h"
#include "luacorpus.h"
#include "luadoc.h"
#include "lualede.h"

#include <lauxlib.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A state holding more than this share of its cap after a collection is
 * replaced rather than reused. */
#define EXHAUSTED_NUM 3
#define EXHAUSTED_DEN 4

void lede_article_clear(lede_article *a)
{
    free(a->key);
    free(a->source);
    free(a->url);
    free(a->title);
    free(a->published);
    free(a->language);
    free(a->text);
    memset(a, 0, sizeof *a);
}

/* A copy of a column's text, NUL-terminated; NULL for SQL NULL.  The
 * text is read as a blob: as text, SQLite would first copy it to add a
 * terminator of its own. */
static char *col_dup(sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return NULL;
    const void *s = sqlite3_column_blob(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    char *d = malloc(n + 1);
    if (d) {
        if (n)
            memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int lede_article_text_from_row(lede_article *a, sqlite3_stmt *st, int col)
{
    a->text = col_dup(st, col);
    a->len = (size_t)sqlite3_column_bytes(st, col);
    return a->text ? LEDE_OK : LEDE_ENOMEM;
}

int lede_article_from_row(lede_article *a, sqlite3_stmt *st)
{
    a->id = sqlite3_column_int64(st, 0);
    a->key = col_dup(st, 1);
    a->source = col_dup(st, 2);
    a->url = col_dup(st, 3);
    a->title = col_dup(st, 4);
    a->published = col_dup(st, 5);
    a->language = col_dup(st, 6);
    return a->key ? lede_article_text_from_row(a, st, 7) : LEDE_ENOMEM;
}

const char *lede_vm_text(lua_State *L, lede_vm *vm, lede_article *a)
{
    if (a->text)
        return a->text;
    int rc = vm->text_reader.read ? vm->text_reader.read(vm->text_reader.ud, a) : LEDE_EINVAL;
    if (rc == LEDE_ENOTFOUND)
        luaL_error(L, "article '%s' was deleted during the run", a->key);
    else if (rc == LEDE_ENOMEM)
        luaL_error(L, "not enough memory to read '%s'", a->key);
    else if (rc != LEDE_OK)
        luaL_error(L, "cannot read the text of '%s'", a->key);
    return a->text;
}

int lede_spans_push(lede_spans *s, const lede_span *span)
{
    if (lede_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v) != LEDE_OK) {
        free(span->attrs);
        return LEDE_ENOMEM;
    }
    s->v[s->n++] = *span;
    s->bytes += sizeof *span + span->attrs_len;
    return LEDE_OK;
}

void lede_spans_clear(lede_spans *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].attrs);
    s->n = 0;
    s->bytes = 0;
}

void lede_spans_free(lede_spans *s)
{
    lede_spans_clear(s);
    free(s->v);
    memset(s, 0, sizeof *s);
}

void lede_failure_clear(lede_failure *f)
{
    free(f->message);
    free(f->location);
    free(f->traceback);
    memset(f, 0, sizeof *f);
}

lede_vm *lede_vm_of(lua_State *L)
{
    return *(lede_vm **)lua_getextraspace(L);
}

lede_tokenizer *lede_vm_tokenizer(lede_vm *vm, const char *lang)
{
    char want[8];
    snprintf(want, sizeof want, "%s", lang && *lang ? lang : "en");
    size_t n = sizeof vm->tk / sizeof *vm->tk, i;
    for (i = 0; i < n && vm->tk[i]; i++)
        if (strcmp(vm->tk_lang[i], want) == 0)
            return vm->tk[i];
    if (i == n) /* many languages in one run: reuse the last slot */
        lede_tokenizer_free(vm->tk[--i]);
    vm->tk[i] = NULL;
    if (lede_tokenizer_new(&vm->tk[i], want) != LEDE_OK)
        return NULL;
    memcpy(vm->tk_lang[i], want, sizeof want);
    return vm->tk[i];
}

lede_doc *lede_vm_doc(lua_State *L, lede_vm *vm)
{
    if (!vm->active)
        luaL_error(L, "no article is open");
    if (vm->doc)
        return vm->doc;
    const char *text = lede_vm_text(L, vm, vm->art);
    lede_tokenizer *tk = lede_vm_tokenizer(vm, vm->art->language);
    char *copy = tk ? malloc(vm->art->len + 1) : NULL;
    if (copy == NULL)
        luaL_error(L, "not enough memory to analyse '%s'", vm->art->key);
    memcpy(copy, text, vm->art->len + 1);
    if (lede_doc_analyze_owned(&vm->doc, tk, copy, vm->art->len) != LEDE_OK)
        luaL_error(L, "cannot analyse '%s'", vm->art->key);
    return vm->doc;
}

/* ---- the call in progress ---- */

const lede_plugin *lede_vm_plugin(const lede_vm *vm)
{
    return vm->plugin >= 0 ? vm->set->items[vm->plugin] : NULL;
}

int lede_vm_plugin_index(const lede_vm *vm)
{
    return vm->plugin;
}

const lede_article *lede_vm_article(const lede_vm *vm)
{
    return vm->active ? vm->art : NULL;
}

sqlite3 *lede_vm_corpus_db(const lede_vm *vm)
{
    return vm->db;
}

lede_spans *lede_vm_output(lede_vm *vm)
{
    if (vm->db)
        return &vm->corpus_out;
    return vm->plugin >= 0 ? &vm->out[vm->plugin] : NULL;
}

const lede_spans *lede_vm_pass_spans(const lede_vm *vm, const char *layer, size_t *li)
{
    *li = 0;
    int owner = lede_plugin_set_layer_owner(vm->set, layer, li);
    return owner >= 0 && vm->active && vm->done[owner] ? &vm->out[owner] : NULL;
}

int lede_vm_stored_spans(lede_vm *vm, const char *layer, lede_spans *out)
{
    if (vm->reader.read == NULL || !vm->active)
        return LEDE_OK;
    return vm->reader.read(vm->reader.ud, vm->art->id, layer, out);
}

/* ---- failures ---- */

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Splits "file:line: message\nstack traceback:\n..." into its parts. */
static void fill_failure(lede_failure *f, int status, const char *full)
{
    const char *tb = strstr(full, "\nstack traceback:\n");
    size_t msg_len = tb ? (size_t)(tb - full) : strlen(full);
    const char *msg = full;
    /* "path:123: " at the start is where the error was raised. */
    const char *colon = memchr(full, ':', msg_len);
    while (colon) {
        const char *d = colon + 1;
        while (d < full + msg_len && *d >= '0' && *d <= '9')
            d++;
        if (d > colon + 1 && d < full + msg_len && *d == ':') {
            f->location = dup_n(full, (size_t)(d - full));
            msg = d + 1 + (d[1] == ' ');
            break;
        }
        colon = memchr(colon + 1, ':', msg_len - (size_t)(colon + 1 - full));
    }
    f->status = status;
    f->message = dup_n(msg, msg_len - (size_t)(msg - full));
    f->traceback = tb ? dup_n(tb + 1, strlen(tb + 1)) : NULL;
}

/* Calls the function below `nargs` arguments on top of the stack in
 * protected mode under the armed budget.  On failure fills *fail. */
static int protected_call(lede_vm *vm, int nargs, lede_failure *fail)
{
    lua_State *L = vm->L;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, lede_sandbox_msgh);
    lua_insert(L, base);
    int rc = lua_pcall(L, nargs, 0, base);
    if (rc == LUA_OK) {
        lua_settop(L, base - 1);
        return LEDE_OK;
    }
    lede_sandbox_trip trip = lede_sandbox_tripped(vm->sb);
    const char *msg = lua_tostring(L, -1);
    if (rc == LUA_ERRMEM) {
        char buf[96];
        snprintf(buf, sizeof buf, "memory limit of %zu MiB exceeded", lede_sandbox_memory_limit(vm->sb) >> 20);
        fill_failure(fail, LEDE_ELIMIT, trip == LEDE_TRIP_MEMORY ? buf : "out of memory");
    } else {
        fill_failure(fail, trip == LEDE_TRIP_BUDGET ? LEDE_ELIMIT : LEDE_EPLUGIN, msg ? msg : "(error)");
        if (trip == LEDE_TRIP_BUDGET) { /* whatever the plugin turned the error into */
            char buf[96];
            snprintf(buf, sizeof buf, "instruction budget of %llu exhausted",
                     (unsigned long long)lede_sandbox_budget(vm->sb));
            free(fail->message);
            fail->message = dup_n(buf, strlen(buf));
        }
    }
    lua_settop(L, base - 1);
    lua_gc(L, LUA_GCCOLLECT);
    return fail->status;
}

int lede_vm_exhausted(const lede_vm *vm)
{
    return lede_sandbox_memory_used(vm->sb) / EXHAUSTED_NUM * EXHAUSTED_DEN >
           lede_sandbox_memory_limit(vm->sb);
}

/* ---- creation ---- */

static void push_ctx(lua_State *L, const lede_plugin *p)
{
    lua_createtable(L, 0, 5);
    lua_pushstring(L, p->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, p->version);
    lua_setfield(L, -2, "version");
    lua_pushstring(L, p->dir);
    lua_setfield(L, -2, "dir");
    lua_createtable(L, 0, (int)p->n_options);
    for (size_t i = 0; i < p->n_options; i++) {
        const lede_option_def *o = &p->options[i];
        if (o->type == LEDE_OPT_BOOLEAN)
            lua_pushboolean(L, strcmp(o->value, "true") == 0);
        else if (o->type != LEDE_OPT_NUMBER || lua_stringtonumber(L, o->value) == 0)
            lua_pushstring(L, o->value);
        lua_setfield(L, -2, o->name);
    }
    lua_setfield(L, -2, "options");
}

static int function_ref(lua_State *L, const char *name)
{
    lua_getfield(L, -1, name);
    if (!lua_isfunction(L, -1)) {
        lua_pop(L, 1);
        return LUA_NOREF;
    }
    return luaL_ref(L, LUA_REGISTRYINDEX);
}

static int vm_fail(lede_vm *vm, lede_failure *f, const char *what, char *err, size_t cap)
{
    snprintf(err, cap, "plugin '%s' failed in %s: %s%s%s%s%s", vm->set->items[vm->plugin]->name, what,
             f->location ? f->location : "", f->location ? ": " : "", f->message ? f->message : "",
             f->traceback ? "\n" : "", f->traceback ? f->traceback : "");
    int rc = f->status;
    lede_failure_clear(f);
    return rc;
}

/* Runs the plugin file and keeps references to its functions and ctx. */
static int load_plugin(lede_vm *vm, size_t i, char *err, size_t cap)
{
    lua_State *L = vm->L;
    const lede_plugin *p = vm->set->items[i];
    lede_failure f = {0};
    vm->plugin = (int)i;
    lede_sandbox_arm(vm->sb, vm->limits.budget);
    lua_pushcfunction(L, lede_sandbox_msgh);
    if (lede_sandbox_load(L, p->source, p->source_len, p->chunkname) != LUA_OK) {
        snprintf(err, cap, "%s", lua_tostring(L, -1));
        lua_settop(L, 0);
        return LEDE_EPLUGIN;
    }
    if (lua_pcall(L, 0, 1, 1) != LUA_OK || !lua_istable(L, -1)) {
        fill_failure(&f, LEDE_EPLUGIN, lua_isstring(L, -1) ? lua_tostring(L, -1) : "did not return a table");
        lua_settop(L, 0);
        return vm_fail(vm, &f, "loading", err, cap);
    }
    vm->article_ref[i] = function_ref(L, "article");
    vm->corpus_ref[i] = function_ref(L, "corpus");
    int setup = function_ref(L, "setup");
    push_ctx(L, p);
    vm->ctx_ref[i] = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_settop(L, 0);
    if (setup == LUA_NOREF)
        return LEDE_OK;
    lede_sandbox_arm(vm->sb, vm->limits.budget * 10); /* loading lexicons and tables */
    lua_rawgeti(L, LUA_REGISTRYINDEX, setup);
    lua_rawgeti(L, LUA_REGISTRYINDEX, vm->ctx_ref[i]);
    luaL_unref(L, LUA_REGISTRYINDEX, setup);
    if (protected_call(vm, 1, &f) != LEDE_OK)
        return vm_fail(vm, &f, "setup", err, cap);
    return LEDE_OK;
}

int lede_vm_open_api(lua_State *L)
{
    lede_luadoc_open(L);
    lede_luacorpus_open(L);
    lede_lualede_push(L);
    lua_pushvalue(L, -1);
    lua_setglobal(L, "lede");
    lede_sandbox_preload(L, "lede");
    return 0;
}

int lede_vm_new(lede_vm **out, const lede_plugin_set *set, const lede_plugin_path *path,
                const lede_vm_limits *limits, lede_span_reader reader, char *err, size_t err_cap)
{
    *out = NULL;
    lede_vm *vm = calloc(1, sizeof *vm);
    size_t n = set->n;
    if (vm == NULL)
        return LEDE_ENOMEM;
    vm->set = set;
    vm->reader = reader;
    vm->plugin = -1;
    vm->limits.memory = limits && limits->memory ? limits->memory : LEDE_SANDBOX_MEMORY_DEFAULT;
    vm->limits.budget = limits && limits->budget ? limits->budget : LEDE_SANDBOX_BUDGET_DEFAULT;
    vm->limits.per_byte = limits && limits->per_byte ? limits->per_byte : LEDE_SANDBOX_BUDGET_PER_BYTE;
    vm->article_ref = malloc((n + 1) * sizeof(int));
    vm->corpus_ref = malloc((n + 1) * sizeof(int));
    vm->ctx_ref = malloc((n + 1) * sizeof(int));
    vm->out = calloc(n + 1, sizeof *vm->out);
    vm->done = calloc(n + 1, 1);
    int rc = vm->article_ref && vm->corpus_ref && vm->ctx_ref && vm->out && vm->done ? LEDE_OK : LEDE_ENOMEM;
    if (rc == LEDE_OK)
        rc = lede_sandbox_new(&vm->sb, vm->limits.memory);
    for (size_t d = 0; rc == LEDE_OK && path && d < path->n_dirs; d++)
        rc = lede_sandbox_add_plugin_dir(vm->sb, path->dirs[d]);
    for (size_t i = 0; rc == LEDE_OK && i < n; i++)
        rc = lede_sandbox_add_plugin_dir(vm->sb, set->items[i]->dir);
    if (rc != LEDE_OK) {
        lede_vm_free(vm);
        snprintf(err, err_cap, "out of memory while creating a plugin VM");
        return rc;
    }
    vm->L = lede_sandbox_state(vm->sb);
    *(lede_vm **)lua_getextraspace(vm->L) = vm;
    lua_pushcfunction(vm->L, lede_vm_open_api);
    if (lua_pcall(vm->L, 0, 0, 0) != LUA_OK) {
        lede_vm_free(vm);
        snprintf(err, err_cap, "out of memory while creating a plugin VM");
        return LEDE_ENOMEM;
    }
    lua_getglobal(vm->L, "math");
    lua_getfield(vm->L, -1, "randomseed");
    vm->seed_ref = luaL_ref(vm->L, LUA_REGISTRYINDEX);
    lua_pop(vm->L, 1);
    for (size_t i = 0; i < n; i++)
        vm->article_ref[i] = vm->corpus_ref[i] = vm->ctx_ref[i] = LUA_NOREF;
    for (size_t i = 0; rc == LEDE_OK && i < n; i++)
        rc = load_plugin(vm, i, err, err_cap);
    vm->plugin = -1;
    if (rc != LEDE_OK) {
        lede_vm_free(vm);
        return rc;
    }
    *out = vm;
    return LEDE_OK;
}

void lede_vm_free(lede_vm *vm)
{
    if (vm == NULL)
        return;
    lede_sandbox_free(vm->sb); /* first: finalizers may still refer to the VM */
    lede_doc_free(vm->doc);
    for (size_t i = 0; vm->out && i < vm->set->n; i++)
        lede_spans_free(&vm->out[i]);
    lede_spans_free(&vm->corpus_out);
    for (size_t i = 0; i < sizeof vm->tk / sizeof *vm->tk; i++)
        lede_tokenizer_free(vm->tk[i]);
    free(vm->article_ref);
    free(vm->corpus_ref);
    free(vm->ctx_ref);
    free(vm->out);
    free(vm->done);
    free(vm);
}

/* ---- calls ---- */

void lede_vm_begin_article(lede_vm *vm, lede_article *art)
{
    vm->art = art;
    vm->active = 1;
    memset(vm->done, 0, vm->set->n);
}

void lede_vm_end_article(lede_vm *vm)
{
    vm->gen++;
    vm->active = 0;
    vm->art = NULL;
    lede_doc_free(vm->doc);
    vm->doc = NULL;
    for (size_t i = 0; i < vm->set->n; i++)
        lede_spans_clear(&vm->out[i]);
}

/* Seeds math.random from the article and plugin, so results do not depend
 * on which worker ran what before. */
static void reseed(lede_vm *vm, const char *key, const char *plugin)
{
    uint64_t h = lede_hash64(key, strlen(key), 0);
    h = lede_hash64(plugin, strlen(plugin), h);
    lua_rawgeti(vm->L, LUA_REGISTRYINDEX, vm->seed_ref);
    lua_pushinteger(vm->L, (lua_Integer)(h >> 1));
    lua_pcall(vm->L, 1, 0, 0);
}

int lede_vm_run_article(lede_vm *vm, size_t p, lede_failure *fail)
{
    vm->done[p] = 1;
    if (vm->article_ref[p] == LUA_NOREF)
        return LEDE_OK;
    lua_State *L = vm->L;
    vm->plugin = (int)p;
    reseed(vm, vm->art->key, vm->set->items[p]->name);
    lede_sandbox_arm(vm->sb, vm->limits.budget + vm->limits.per_byte * vm->art->len);
    lua_rawgeti(L, LUA_REGISTRYINDEX, vm->article_ref[p]);
    lede_luadoc_push(L, vm);
    lua_rawgeti(L, LUA_REGISTRYINDEX, vm->ctx_ref[p]);
    int rc = protected_call(vm, 2, fail);
    if (rc != LEDE_OK)
        lede_spans_clear(&vm->out[p]);
    vm->plugin = -1;
    return rc;
}

int lede_vm_run_corpus(lede_vm *vm, size_t p, sqlite3 *db, uint64_t bytes, lede_failure *fail)
{
    if (vm->corpus_ref[p] == LUA_NOREF)
        return LEDE_OK;
    lua_State *L = vm->L;
    vm->db = db;
    vm->plugin = (int)p;
    reseed(vm, "", vm->set->items[p]->name);
    lede_sandbox_arm(vm->sb, vm->limits.budget + vm->limits.per_byte * bytes);
    lua_rawgeti(L, LUA_REGISTRYINDEX, vm->corpus_ref[p]);
    lede_luacorpus_push(L, vm);
    lua_rawgeti(L, LUA_REGISTRYINDEX, vm->ctx_ref[p]);
    int rc = protected_call(vm, 2, fail);
    lede_luacorpus_close(L, vm);
    if (rc != LEDE_OK)
        lede_spans_clear(&vm->corpus_out);
    vm->plugin = -1;
    vm->db = NULL;
    return rc;
}
