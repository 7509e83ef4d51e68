/* Plugin discovery, validation and ordering: see plugin.h. */
#define _XOPEN_SOURCE 700
#include "plugin.h"

#include "hash.h"
#include "lede.h"
#include "sandbox.h"
#include "vm.h"

#include <dirent.h>
#include <lauxlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PLUGIN_MAX_BYTES ((long)16 << 20)

static int fail(char *err, size_t cap, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int fail(char *err, size_t cap, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
    return code;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static char *dup_printf(const char *fmt, const char *a, const char *b)
{
    size_t n = strlen(fmt) + strlen(a) + strlen(b) + 1;
    char *d = malloc(n);
    if (d)
        snprintf(d, n, fmt, a, b);
    return d;
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- search path ---- */

/* The stock plugins folder: the source tree's when this build runs from it,
 * else the installed one; NULL when there is none. */
static const char *stock_dir(void)
{
    if (is_dir(LEDE_SOURCE_DIR "/plugins"))
        return LEDE_SOURCE_DIR "/plugins";
    if (is_dir(LEDE_SHARE_DIR "/plugins"))
        return LEDE_SHARE_DIR "/plugins";
    return NULL;
}

static int path_add(lede_plugin_path *path, const char *dir, size_t len)
{
    if (len == 0)
        return LEDE_OK;
    char **dirs = realloc(path->dirs, (path->n_dirs + 1) * sizeof *dirs);
    if (dirs == NULL)
        return LEDE_ENOMEM;
    path->dirs = dirs;
    while (len > 1 && dir[len - 1] == '/')
        len--;
    if ((dirs[path->n_dirs] = malloc(len + 1)) == NULL)
        return LEDE_ENOMEM;
    memcpy(dirs[path->n_dirs], dir, len);
    dirs[path->n_dirs++][len] = '\0';
    return LEDE_OK;
}

int lede_plugin_path_init(lede_plugin_path *path, const char *const *explicit_dirs, size_t n_explicit)
{
    memset(path, 0, sizeof *path);
    path->stock = -1;
    int rc = LEDE_OK;
    for (size_t i = 0; i < n_explicit && rc == LEDE_OK; i++)
        rc = path_add(path, explicit_dirs[i], strlen(explicit_dirs[i]));
    path->n_explicit = path->n_dirs;
    const char *env = getenv("LEDE_PLUGIN_PATH");
    while (env && *env && rc == LEDE_OK) {
        const char *colon = strchr(env, ':');
        size_t len = colon ? (size_t)(colon - env) : strlen(env);
        rc = path_add(path, env, len);
        env = colon ? colon + 1 : NULL;
    }
    const char *stock = stock_dir();
    if (stock && rc == LEDE_OK) {
        path->stock = (int)path->n_dirs;
        rc = path_add(path, stock, strlen(stock));
    }
    if (rc != LEDE_OK)
        lede_plugin_path_free(path);
    return rc;
}

void lede_plugin_path_free(lede_plugin_path *path)
{
    for (size_t i = 0; i < path->n_dirs; i++)
        free(path->dirs[i]);
    free(path->dirs);
    memset(path, 0, sizeof *path);
    path->stock = -1;
}

/* ---- reading one plugin ---- */

static void layers_free(lede_layer_def *layers, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(layers[i].name);
        for (size_t j = 0; j < layers[i].n_fields; j++)
            free(layers[i].fields[j]);
        free(layers[i].fields);
    }
    free(layers);
}

void lede_plugin_free(lede_plugin *p)
{
    if (p == NULL)
        return;
    free(p->name);
    free(p->version);
    free(p->description);
    free(p->path);
    free(p->dir);
    free(p->chunkname);
    free(p->source);
    for (size_t i = 0; i < p->n_requires; i++)
        free(p->requires[i]);
    free(p->requires);
    layers_free(p->layers, p->n_layers);
    for (size_t i = 0; i < p->n_options; i++) {
        free(p->options[i].name);
        free(p->options[i].value);
    }
    free(p->options);
    free(p->deps);
    free(p);
}

static int read_file(char **out, size_t *len, const char *file)
{
    FILE *f = fopen(file, "rb");
    if (f == NULL)
        return LEDE_ENOTFOUND;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *bigger = (long)cap > PLUGIN_MAX_BYTES ? NULL : realloc(buf, cap * 2);
            if (bigger == NULL)
                free(buf);
            buf = bigger;
            cap *= 2;
        }
    }
    int bad = buf == NULL || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return buf ? LEDE_EIO : LEDE_ENOMEM;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return LEDE_OK;
}

static int ident_ok(const char *s, int allow_dash)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return 0;
    for (const char *p = s + 1; *p; p++) {
        int c = (unsigned char)*p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              (allow_dash && c == '-')))
            return 0;
    }
    return 1;
}

static int in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

/* Names a layer may not take: they are tables of the schema (a layer gets a
 * view of its own name). */
static const char *const reserved_layers[] = {"article", "article_fts", "annotation", "run", "problem",
                                              "plugin_state", "corpus_row", NULL};
/* Names a field may not take: they are columns of every layer view and export. */
static const char *const reserved_fields[] = {"id", "article", "article_id", "layer", "start", "end",
                                              "stop", "text", "run_id", NULL};

/* Everything below reads the plugin table at stack index 1 of L. */
typedef struct reader {
    lua_State *L;
    lede_plugin *p;
    char *err;
    size_t cap;
} reader;

static int opt_string(reader *r, const char *key, char **out, const char *dflt)
{
    lua_getfield(r->L, 1, key);
    int t = lua_type(r->L, -1);
    if (t == LUA_TNIL && dflt) {
        *out = dup_str(dflt);
    } else if (t == LUA_TSTRING || (t == LUA_TNUMBER && dflt)) {
        *out = dup_str(lua_tostring(r->L, -1));
    } else {
        lua_pop(r->L, 1);
        return fail(r->err, r->cap, LEDE_EINVAL, "%s: field '%s' must be a string", r->p->path, key);
    }
    lua_pop(r->L, 1);
    return *out ? LEDE_OK : LEDE_ENOMEM;
}

static int read_requires(reader *r)
{
    lua_State *L = r->L;
    lua_getfield(L, 1, "requires");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return LEDE_OK;
    }
    if (!lua_istable(L, -1))
        return fail(r->err, r->cap, LEDE_EINVAL, "%s: 'requires' must be a list of plugin names", r->p->path);
    size_t n = (size_t)lua_rawlen(L, -1);
    if ((r->p->requires = calloc(n + 1, sizeof(char *))) == NULL)
        return LEDE_ENOMEM;
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        if (lua_type(L, -1) != LUA_TSTRING)
            return fail(r->err, r->cap, LEDE_EINVAL, "%s: requires[%zu] is not a plugin name", r->p->path, i);
        if ((r->p->requires[r->p->n_requires++] = dup_str(lua_tostring(L, -1))) == NULL)
            return LEDE_ENOMEM;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return LEDE_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Pushes the keys of the table on top, sorted, into a malloc'd array. */
static int sorted_keys(reader *r, const char *what, char ***out, size_t *n_out)
{
    lua_State *L = r->L;
    size_t n = 0, cap = 8;
    char **keys = malloc(cap * sizeof *keys);
    if (keys == NULL)
        return LEDE_ENOMEM;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING) {
            lua_pop(L, 1);
            for (size_t i = 0; i < n; i++)
                free(keys[i]);
            free(keys);
            return fail(r->err, r->cap, LEDE_EINVAL, "%s: every key of '%s' must be a name", r->p->path, what);
        }
        if (n == cap) {
            char **bigger = realloc(keys, (cap *= 2) * sizeof *keys);
            if (bigger == NULL) {
                for (size_t i = 0; i < n; i++)
                    free(keys[i]);
                free(keys);
                return LEDE_ENOMEM;
            }
            keys = bigger;
        }
        keys[n++] = dup_str(lua_tostring(L, -1));
    }
    qsort(keys, n, sizeof *keys, cmp_str);
    *out = keys;
    *n_out = n;
    return LEDE_OK;
}

static void free_keys(char **keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
}

/* One layer spec on top: a list of field names, or {fields = {...}} with
 * rows = true for a layer of corpus rows. */
static int read_layer_fields(reader *r, lede_layer_def *layer)
{
    lua_State *L = r->L;
    if (!lua_istable(L, -1))
        return fail(r->err, r->cap, LEDE_EINVAL, "%s: layer '%s' must be a list of field names", r->p->path,
                    layer->name);
    lua_getfield(L, -1, "rows");
    layer->rows = lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, -1, "fields");
    if (lua_isnil(L, -1))
        lua_pop(L, 1);
    else if (!lua_istable(L, -1))
        return fail(r->err, r->cap, LEDE_EINVAL, "%s: layer '%s': 'fields' must be a list", r->p->path,
                    layer->name);
    size_t n = (size_t)lua_rawlen(L, -1);
    if ((layer->fields = calloc(n + 1, sizeof(char *))) == NULL)
        return LEDE_ENOMEM;
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        const char *f = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
        if (!ident_ok(f, 0) || in_list(f, reserved_fields))
            return fail(r->err, r->cap, LEDE_EINVAL,
                        "%s: layer '%s': field %zu ('%s') must be a name other than id, article, "
                        "article_id, layer, start, end, stop, text, run_id",
                        r->p->path, layer->name, i, f);
        for (size_t j = 0; j < layer->n_fields; j++)
            if (strcmp(layer->fields[j], f) == 0)
                return fail(r->err, r->cap, LEDE_EINVAL, "%s: layer '%s': field '%s' declared twice",
                            r->p->path, layer->name, f);
        if ((layer->fields[layer->n_fields++] = dup_str(f)) == NULL)
            return LEDE_ENOMEM;
        lua_pop(L, 1);
    }
    return LEDE_OK; /* the caller restores the stack */
}

static int read_layers(reader *r)
{
    lua_State *L = r->L;
    lua_getfield(L, 1, "layers");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return LEDE_OK;
    }
    if (!lua_istable(L, -1))
        return fail(r->err, r->cap, LEDE_EINVAL, "%s: 'layers' must be a table: name = {fields}", r->p->path);
    char **names;
    size_t n;
    int rc = sorted_keys(r, "layers", &names, &n);
    if (rc != LEDE_OK)
        return rc;
    if ((r->p->layers = calloc(n + 1, sizeof *r->p->layers)) == NULL) {
        free_keys(names, n);
        return LEDE_ENOMEM;
    }
    for (size_t i = 0; i < n && rc == LEDE_OK; i++) {
        lede_layer_def *layer = &r->p->layers[r->p->n_layers++];
        layer->name = names[i];
        names[i] = NULL;
        if (!ident_ok(layer->name, 0) || in_list(layer->name, reserved_layers) ||
            strncmp(layer->name, "sqlite_", 7) == 0) {
            rc = fail(r->err, r->cap, LEDE_EINVAL,
                      "%s: layer name '%s' must be a name (letters, digits, _) other than a lede table",
                      r->p->path, layer->name);
            break;
        }
        int top = lua_gettop(L);
        lua_getfield(L, -1, layer->name);
        rc = read_layer_fields(r, layer);
        lua_settop(L, top);
    }
    free_keys(names, n);
    lua_pop(L, 1);
    return rc;
}

static int read_options(reader *r)
{
    lua_State *L = r->L;
    lua_getfield(L, 1, "options");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return LEDE_OK;
    }
    if (!lua_istable(L, -1))
        return fail(r->err, r->cap, LEDE_EINVAL, "%s: 'options' must be a table: name = default", r->p->path);
    char **names;
    size_t n;
    int rc = sorted_keys(r, "options", &names, &n);
    if (rc != LEDE_OK)
        return rc;
    if ((r->p->options = calloc(n + 1, sizeof *r->p->options)) == NULL) {
        free_keys(names, n);
        return LEDE_ENOMEM;
    }
    for (size_t i = 0; i < n && rc == LEDE_OK; i++) {
        lede_option_def *o = &r->p->options[r->p->n_options++];
        o->name = names[i];
        names[i] = NULL;
        lua_getfield(L, -1, o->name);
        switch (lua_type(L, -1)) {
        case LUA_TSTRING: o->type = LEDE_OPT_STRING; break;
        case LUA_TNUMBER: o->type = LEDE_OPT_NUMBER; break;
        case LUA_TBOOLEAN: o->type = LEDE_OPT_BOOLEAN; break;
        default:
            rc = fail(r->err, r->cap, LEDE_EINVAL,
                      "%s: option '%s' must default to a string, a number or a boolean", r->p->path, o->name);
        }
        if (rc == LEDE_OK) {
            const char *v = luaL_tolstring(L, -1, NULL);
            if ((o->value = dup_str(v)) == NULL)
                rc = LEDE_ENOMEM;
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    free_keys(names, n);
    lua_pop(L, 1);
    return rc;
}

static int read_function(reader *r, const char *key, int *has)
{
    lua_getfield(r->L, 1, key);
    int t = lua_type(r->L, -1);
    lua_pop(r->L, 1);
    if (t != LUA_TNIL && t != LUA_TFUNCTION)
        return fail(r->err, r->cap, LEDE_EINVAL, "%s: '%s' must be a function", r->p->path, key);
    *has = t == LUA_TFUNCTION;
    return LEDE_OK;
}

static int check_keys(reader *r)
{
    static const char *const known[] = {"name", "version", "description", "requires", "layers", "options",
                                        "setup", "article", "corpus", NULL};
    lua_State *L = r->L;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
        if (!in_list(k, known)) {
            lua_pop(L, 1);
            return fail(r->err, r->cap, LEDE_EINVAL,
                        "%s: unknown field '%s' in the plugin table (known: name, version, description, "
                        "requires, layers, options, setup, article, corpus)",
                        r->p->path, k);
        }
    }
    return LEDE_OK;
}

static int read_table(reader *r)
{
    lede_plugin *p = r->p;
    int rc, has = 0;
    if ((rc = check_keys(r)) != LEDE_OK)
        return rc;
    if ((rc = opt_string(r, "name", &p->name, NULL)) != LEDE_OK)
        return rc;
    if (!ident_ok(p->name, 1))
        return fail(r->err, r->cap, LEDE_EINVAL, "%s: plugin name '%s' must be letters, digits, _ or -",
                    p->path, p->name);
    if ((rc = opt_string(r, "version", &p->version, "0")) != LEDE_OK ||
        (rc = opt_string(r, "description", &p->description, "")) != LEDE_OK ||
        (rc = read_requires(r)) != LEDE_OK || (rc = read_layers(r)) != LEDE_OK ||
        (rc = read_options(r)) != LEDE_OK)
        return rc;
    if ((rc = read_function(r, "setup", &has)) != LEDE_OK)
        return rc;
    p->has_setup = has != 0;
    if ((rc = read_function(r, "article", &has)) != LEDE_OK)
        return rc;
    p->has_article = has != 0;
    if ((rc = read_function(r, "corpus", &has)) != LEDE_OK)
        return rc;
    p->has_corpus = has != 0;
    return LEDE_OK;
}

/* The folder a plugin's lib/ and data/ live in: the folder of the file. */
static char *dir_of(const char *file)
{
    const char *slash = strrchr(file, '/');
    if (slash == NULL)
        return dup_str(".");
    size_t n = slash == file ? 1 : (size_t)(slash - file);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, file, n);
        d[n] = '\0';
    }
    return d;
}

static int run_top_level(lede_plugin *p, const lede_plugin_path *path, char *err, size_t cap)
{
    lede_sandbox *sb;
    if (lede_sandbox_new(&sb, 0) != LEDE_OK)
        return LEDE_ENOMEM;
    int rc = lede_sandbox_add_plugin_dir(sb, p->dir);
    for (size_t i = 0; path && i < path->n_dirs && rc == LEDE_OK; i++)
        rc = lede_sandbox_add_plugin_dir(sb, path->dirs[i]);
    lua_State *L = lede_sandbox_state(sb);
    if (rc == LEDE_OK) { /* the lede module, for plugins using it at their top level */
        lua_pushcfunction(L, lede_vm_open_api);
        if (lua_pcall(L, 0, 0, 0) != LUA_OK)
            rc = LEDE_ENOMEM;
    }
    if (rc == LEDE_OK) {
        lua_pushcfunction(L, lede_sandbox_msgh);
        if (lede_sandbox_load(L, p->source, p->source_len, p->chunkname) != LUA_OK ||
            lua_pcall(L, 0, 1, 1) != LUA_OK) {
            rc = fail(err, cap, LEDE_EPLUGIN, "%s", lua_tostring(L, -1));
        } else if (!lua_istable(L, -1)) {
            rc = fail(err, cap, LEDE_EPLUGIN, "%s: the file must return a table (got %s)", p->path,
                      luaL_typename(L, -1));
        } else {
            lua_replace(L, 1);
            lua_settop(L, 1);
            reader r = {L, p, err, cap};
            rc = read_table(&r);
        }
    }
    lede_sandbox_free(sb);
    return rc;
}

/* ---- the files a plugin reads besides its own ---- */

enum { TREE_MAX_DEPTH = 16 };

/* Chains the bytes of `file` into *h, read in chunks (data files may be large). */
static int hash_file(uint64_t *h, const char *file)
{
    FILE *f = fopen(file, "rb");
    if (f == NULL)
        return LEDE_EIO;
    char buf[1 << 16];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        *h = lede_hash64(buf, got, *h);
    int bad = ferror(f);
    fclose(f);
    return bad ? LEDE_EIO : LEDE_OK;
}

static int skip_hidden(const struct dirent *e) { return e->d_name[0] != '.'; }

/* Chains into *h the names and contents of the files under dir, in name
 * order (a folder that does not exist adds nothing).  *bad names a file
 * that could not be read. */
static int hash_tree(uint64_t *h, const char *dir, int depth, char **bad)
{
    struct dirent **e;
    int n = depth > TREE_MAX_DEPTH ? -1 : scandir(dir, &e, skip_hidden, alphasort);
    if (n < 0)
        return LEDE_OK;
    int rc = LEDE_OK;
    for (int i = 0; i < n; i++) {
        char *child = rc == LEDE_OK ? dup_printf("%s/%s", dir, e[i]->d_name) : NULL;
        struct stat st;
        if (rc == LEDE_OK && child == NULL)
            rc = LEDE_ENOMEM;
        else if (child && stat(child, &st) == 0) {
            *h = lede_hash64(e[i]->d_name, strlen(e[i]->d_name) + 1, *h);
            if (S_ISDIR(st.st_mode))
                rc = hash_tree(h, child, depth + 1, bad);
            else if (S_ISREG(st.st_mode) && (rc = hash_file(h, child)) != LEDE_OK && *bad == NULL)
                *bad = dup_str(child);
        }
        free(child);
        free(e[i]);
    }
    free(e);
    return rc;
}

/* What the plugin's code may read besides its file: its folder's lib/
 * (require) and data/ (lede.data, lede.lexicon).  A change there changes
 * its results, so it is part of the state hash. */
static int hash_plugin_files(lede_plugin *p, char *err, size_t err_cap)
{
    uint64_t h = 0;
    char *bad = NULL;
    int rc = LEDE_OK;
    static const char *const folders[] = {"lib", "data"};
    for (size_t k = 0; k < 2 && rc == LEDE_OK; k++) {
        char *sub = dup_printf("%s/%s", p->dir, folders[k]);
        rc = sub ? hash_tree(&h, sub, 0, &bad) : LEDE_ENOMEM;
        free(sub);
    }
    if (rc == LEDE_EIO)
        rc = fail(err, err_cap, rc, "%s: cannot read %s", p->path, bad ? bad : "a file of the plugin's folder");
    free(bad);
    p->files_hash = h;
    return rc;
}

int lede_plugin_load(lede_plugin **out, const char *file, const lede_plugin_path *path, char *err,
                     size_t err_cap)
{
    *out = NULL;
    lede_plugin *p = calloc(1, sizeof *p);
    if (p == NULL)
        return LEDE_ENOMEM;
    int rc = read_file(&p->source, &p->source_len, file);
    if (rc != LEDE_OK) {
        lede_plugin_free(p);
        return fail(err, err_cap, rc, "%s: cannot read the plugin file", file);
    }
    p->path = dup_str(file);
    p->dir = dir_of(file);
    p->chunkname = dup_printf("%s%s", "@", file);
    if (p->path == NULL || p->dir == NULL || p->chunkname == NULL) {
        lede_plugin_free(p);
        return LEDE_ENOMEM;
    }
    rc = hash_plugin_files(p, err, err_cap);
    if (rc == LEDE_OK)
        rc = run_top_level(p, path, err, err_cap);
    if (rc != LEDE_OK) {
        lede_plugin_free(p);
        return rc;
    }
    *out = p;
    return LEDE_OK;
}

/* ---- sets ---- */

void lede_plugin_set_free(lede_plugin_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        lede_plugin_free(set->items[i]);
    free(set->items);
    memset(set, 0, sizeof *set);
}

static int set_find(const lede_plugin_set *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->items[i]->name, name) == 0)
            return (int)i;
    return -1;
}

static int set_push(lede_plugin_set *set, lede_plugin *p)
{
    lede_plugin **items = realloc(set->items, (set->n + 1) * sizeof *items);
    if (items == NULL) {
        lede_plugin_free(p);
        return LEDE_ENOMEM;
    }
    set->items = items;
    items[set->n++] = p;
    return LEDE_OK;
}

/* The file of plugin `name` in `dir`, malloc'd, or NULL. */
static char *file_in_dir(const char *dir, const char *name)
{
    char *f = dup_printf("%s/%s.lua", dir, name);
    if (f && is_file(f))
        return f;
    free(f);
    f = dup_printf("%s/%s/init.lua", dir, name);
    if (f && is_file(f))
        return f;
    free(f);
    return NULL;
}

static int looks_like_path(const char *s)
{
    size_t n = strlen(s);
    return strchr(s, '/') != NULL || (n > 4 && strcmp(s + n - 4, ".lua") == 0);
}

static int load_by_name(lede_plugin_set *set, const lede_plugin_path *path, const char *name,
                        const char *wanted_by, char *err, size_t cap)
{
    if (set_find(set, name) >= 0)
        return LEDE_OK;
    char *file = NULL;
    for (size_t i = 0; i < path->n_dirs && file == NULL; i++)
        file = file_in_dir(path->dirs[i], name);
    if (file == NULL) {
        size_t k = (size_t)snprintf(err, cap, "plugin '%s'%s%s%s not found (searched:", name,
                                    wanted_by ? ", required by " : "", wanted_by ? wanted_by : "", wanted_by ? "," : "");
        for (size_t i = 0; i < path->n_dirs && k < cap; i++)
            k += (size_t)snprintf(err + k, cap - k, " %s", path->dirs[i]);
        if (path->n_dirs == 0 && k < cap)
            k += (size_t)snprintf(err + k, cap - k, " no plugin folder; use --plugins DIR or LEDE_PLUGIN_PATH");
        if (k < cap)
            snprintf(err + k, cap - k, ")");
        return LEDE_ENOTFOUND;
    }
    lede_plugin *p;
    int rc = lede_plugin_load(&p, file, path, err, cap);
    free(file);
    if (rc != LEDE_OK)
        return rc;
    if (strcmp(p->name, name) != 0) {
        rc = fail(err, cap, LEDE_EINVAL, "%s: declares name '%s' but is found as '%s'", p->path, p->name, name);
        lede_plugin_free(p);
        return rc;
    }
    return set_push(set, p);
}

static int load_by_path(lede_plugin_set *set, const lede_plugin_path *path, const char *file, char *err,
                        size_t cap)
{
    lede_plugin *p;
    int rc = lede_plugin_load(&p, file, path, err, cap);
    if (rc != LEDE_OK)
        return rc;
    int other = set_find(set, p->name);
    if (other >= 0) {
        rc = strcmp(set->items[other]->path, p->path) == 0
                 ? LEDE_OK
                 : fail(err, cap, LEDE_EINVAL, "two plugins are named '%s': %s and %s", p->name,
                        set->items[other]->path, p->path);
        lede_plugin_free(p);
        return rc;
    }
    return set_push(set, p);
}

/* Appends the plugin names found in `dir` (NAME.lua files and NAME/init.lua
 * folders) to *names. */
static int list_dir(char ***names, size_t *n, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return LEDE_OK;
    struct dirent *e;
    int rc = LEDE_OK;
    while ((e = readdir(d)) != NULL && rc == LEDE_OK) {
        const char *s = e->d_name;
        size_t len = strlen(s);
        if (s[0] == '.' || s[0] == '_' || (len > 9 && strcmp(s + len - 9, "_test.lua") == 0)) /* lede test's */
            continue;
        char *name = NULL;
        if (len > 4 && strcmp(s + len - 4, ".lua") == 0) {
            if ((name = dup_str(s)) != NULL)
                name[len - 4] = '\0';
        } else if (strcmp(s, "lib") != 0 && strcmp(s, "data") != 0) {
            char *f = dup_printf("%s/%s/init.lua", dir, s);
            if (f && is_file(f))
                name = dup_str(s);
            free(f);
        }
        if (name == NULL)
            continue;
        char **bigger = realloc(*names, (*n + 1) * sizeof **names);
        if (bigger == NULL) {
            free(name);
            rc = LEDE_ENOMEM;
            break;
        }
        *names = bigger;
        (*names)[(*n)++] = name;
    }
    closedir(d);
    return rc;
}

static int default_names(char ***names, size_t *n, const lede_plugin_path *path)
{
    int rc = LEDE_OK;
    for (size_t i = 0; i < path->n_explicit && rc == LEDE_OK; i++)
        rc = list_dir(names, n, path->dirs[i]);
    if (path->stock >= 0 && rc == LEDE_OK)
        rc = list_dir(names, n, path->dirs[path->stock]);
    if (*n > 1)
        qsort(*names, *n, sizeof **names, cmp_str);
    return rc;
}

/* Depth-first topological order; `mark` 1 = on the current path, 2 = done. */
static int visit(const lede_plugin_set *set, size_t i, unsigned char *mark, size_t *order, size_t *n_order,
                 size_t *stack, size_t depth, char *err, size_t cap)
{
    if (mark[i] == 2)
        return LEDE_OK;
    stack[depth] = i;
    if (mark[i] == 1) {
        size_t from = 0;
        while (stack[from] != i)
            from++;
        size_t k = (size_t)snprintf(err, cap, "plugins require each other in a cycle:");
        for (size_t j = from; j <= depth && k < cap; j++)
            k += (size_t)snprintf(err + k, cap - k, "%s%s", j > from ? " -> " : " ", set->items[stack[j]]->name);
        return LEDE_EINVAL;
    }
    mark[i] = 1;
    lede_plugin *p = set->items[i];
    for (size_t r = 0; r < p->n_requires; r++) {
        int rc = visit(set, (size_t)set_find(set, p->requires[r]), mark, order, n_order, stack, depth + 1, err,
                       cap);
        if (rc != LEDE_OK)
            return rc;
    }
    mark[i] = 2;
    order[(*n_order)++] = i;
    return LEDE_OK;
}

static int topo_sort(lede_plugin_set *set, char *err, size_t cap)
{
    size_t n = set->n;
    unsigned char *mark = calloc(n + 1, 1);
    size_t *order = calloc(n + 1, sizeof *order), *stack = calloc(n + 1, sizeof *stack);
    lede_plugin **sorted = calloc(n + 1, sizeof *sorted);
    int rc = mark && order && stack && sorted ? LEDE_OK : LEDE_ENOMEM;
    size_t n_order = 0;
    for (size_t i = 0; i < n && rc == LEDE_OK; i++)
        rc = visit(set, i, mark, order, &n_order, stack, 0, err, cap);
    if (rc == LEDE_OK) {
        for (size_t i = 0; i < n; i++)
            sorted[i] = set->items[order[i]];
        free(set->items);
        set->items = sorted;
        sorted = NULL;
    }
    free(mark);
    free(order);
    free(stack);
    free(sorted);
    return rc;
}

static int apply_override(lede_plugin_set *set, const char *ov, char *err, size_t cap)
{
    const char *dot = strchr(ov, '.'), *eq = strchr(ov, '=');
    if (dot == NULL || eq == NULL || eq < dot)
        return fail(err, cap, LEDE_EINVAL, "option '%s' must look like plugin.option=value", ov);
    char name[128], opt[128];
    snprintf(name, sizeof name, "%.*s", (int)(dot - ov), ov);
    snprintf(opt, sizeof opt, "%.*s", (int)(eq - dot - 1), dot + 1);
    const char *value = eq + 1;
    int i = set_find(set, name);
    if (i < 0)
        return fail(err, cap, LEDE_ENOTFOUND, "option '%s': plugin '%s' is not part of this run", ov, name);
    lede_plugin *p = set->items[i];
    for (size_t k = 0; k < p->n_options; k++) {
        lede_option_def *o = &p->options[k];
        if (strcmp(o->name, opt) != 0)
            continue;
        char *end = NULL;
        if (o->type == LEDE_OPT_NUMBER && (strtod(value, &end), end == value || *end != '\0'))
            return fail(err, cap, LEDE_EINVAL, "option '%s': '%s' is not a number", ov, value);
        if (o->type == LEDE_OPT_BOOLEAN && strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
            return fail(err, cap, LEDE_EINVAL, "option '%s': give true or false", ov);
        char *v = dup_str(value);
        if (v == NULL)
            return LEDE_ENOMEM;
        free(o->value);
        o->value = v;
        return LEDE_OK;
    }
    return fail(err, cap, LEDE_ENOTFOUND, "option '%s': plugin '%s' has no option '%s'", ov, name, opt);
}

/* Dependencies, phases and state hashes, in set order (requirements first). */
static int finish_set(lede_plugin_set *set, char *err, size_t cap)
{
    set->n_phases = set->n ? 1 : 0;
    for (size_t i = 0; i < set->n; i++) {
        lede_plugin *p = set->items[i];
        if ((p->deps = calloc(p->n_requires + 1, sizeof *p->deps)) == NULL)
            return LEDE_ENOMEM;
        uint64_t h = lede_hash64(p->source, p->source_len, p->files_hash);
        h = lede_hash64(p->version, strlen(p->version) + 1, h);
        for (size_t k = 0; k < p->n_options; k++) {
            h = lede_hash64(p->options[k].name, strlen(p->options[k].name) + 1, h);
            h = lede_hash64(p->options[k].value, strlen(p->options[k].value) + 1, h);
        }
        p->phase = 0;
        for (size_t r = 0; r < p->n_requires; r++) {
            lede_plugin *d = set->items[set_find(set, p->requires[r])];
            p->deps[r] = (size_t)set_find(set, p->requires[r]);
            h = lede_hash64(d->state_hash, 16, h);
            int after = d->phase + (d->has_corpus ? 1 : 0);
            if (after > p->phase)
                p->phase = after;
        }
        lede_hash_hex(p->state_hash, h);
        if (p->phase + 1 > set->n_phases)
            set->n_phases = p->phase + 1;
        for (size_t l = 0; l < p->n_layers; l++) {
            for (size_t j = 0; j < i; j++) {
                lede_plugin *q = set->items[j];
                for (size_t m = 0; m < q->n_layers; m++)
                    if (strcmp(q->layers[m].name, p->layers[l].name) == 0)
                        return fail(err, cap, LEDE_EINVAL, "plugins '%s' and '%s' both write layer '%s'",
                                    q->name, p->name, p->layers[l].name);
            }
        }
    }
    return LEDE_OK;
}

int lede_plugin_set_resolve(lede_plugin_set *set, const lede_plugin_path *path, const char *const *names,
                            size_t n_names, const char *const *overrides, size_t n_overrides, char *err,
                            size_t err_cap)
{
    memset(set, 0, sizeof *set);
    char **dflt = NULL;
    size_t n_dflt = 0;
    int rc = LEDE_OK;
    if (n_names == 0) {
        rc = default_names(&dflt, &n_dflt, path);
        names = (const char *const *)dflt;
        n_names = n_dflt;
    }
    for (size_t i = 0; i < n_names && rc == LEDE_OK; i++)
        rc = looks_like_path(names[i]) ? load_by_path(set, path, names[i], err, err_cap)
                                       : load_by_name(set, path, names[i], NULL, err, err_cap);
    free_keys(dflt, n_dflt);
    /* The set grows while requirements are loaded: walk it by index. */
    for (size_t i = 0; i < set->n && rc == LEDE_OK; i++)
        for (size_t r = 0; r < set->items[i]->n_requires && rc == LEDE_OK; r++)
            rc = load_by_name(set, path, set->items[i]->requires[r], set->items[i]->name, err, err_cap);
    for (size_t i = 0; i < n_overrides && rc == LEDE_OK; i++)
        rc = apply_override(set, overrides[i], err, err_cap);
    if (rc == LEDE_OK)
        rc = topo_sort(set, err, err_cap);
    if (rc == LEDE_OK)
        rc = finish_set(set, err, err_cap);
    if (rc == LEDE_ENOMEM)
        fail(err, err_cap, rc, "out of memory while loading plugins");
    return rc;
}

int lede_plugin_set_list(lede_plugin_set *set, const lede_plugin_path *path,
                         void (*warn)(void *ud, const char *message), void *ud)
{
    memset(set, 0, sizeof *set);
    char **names = NULL, err[4096];
    size_t n = 0;
    int rc = LEDE_OK;
    for (size_t d = 0; d < path->n_dirs && rc == LEDE_OK; d++)
        rc = list_dir(&names, &n, path->dirs[d]);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && rc == LEDE_OK; i++) {
        if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
            continue;
        rc = load_by_name(set, path, names[i], NULL, err, sizeof err);
        if (rc != LEDE_OK && rc != LEDE_ENOMEM) {
            if (warn)
                warn(ud, err);
            rc = LEDE_OK;
        }
    }
    free_keys(names, n);
    return rc;
}

int lede_plugin_layer(const lede_plugin *p, const char *layer)
{
    for (size_t l = 0; l < p->n_layers; l++)
        if (strcmp(p->layers[l].name, layer) == 0)
            return (int)l;
    return -1;
}

int lede_plugin_set_layer_owner(const lede_plugin_set *set, const char *layer, size_t *layer_index)
{
    for (size_t i = 0; i < set->n; i++) {
        int l = lede_plugin_layer(set->items[i], layer);
        if (l >= 0) {
            if (layer_index)
                *layer_index = (size_t)l;
            return (int)i;
        }
    }
    return -1;
}
