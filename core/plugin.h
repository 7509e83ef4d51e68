/* Plugins: finding them, reading what they declare, ordering them by
 * `requires`.  A plugin is a Lua file returning a table (docs/plugins.md):
 * either DIR/NAME.lua or DIR/NAME/init.lua (a folder with its own lib/ and
 * data/). */
#ifndef LEDE_PLUGIN_H
#define LEDE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

typedef struct lede_layer_def {
    char *name;
    char **fields; /* declared field names, in declaration order */
    size_t n_fields;
    int rows; /* corpus-level rows (corpus:row), not spans of articles */
} lede_layer_def;

typedef enum lede_option_type { LEDE_OPT_STRING, LEDE_OPT_NUMBER, LEDE_OPT_BOOLEAN } lede_option_type;

typedef struct lede_option_def {
    char *name;
    lede_option_type type;
    char *value; /* current value as text: "3", "true", "en" (default or override) */
} lede_option_def;

typedef struct lede_plugin {
    char *name, *version, *description;
    char *path;  /* the Lua file */
    char *dir;   /* the folder whose lib/ and data/ belong to the plugin */
    char *chunkname; /* "@path" as shown in tracebacks */
    char *source;
    size_t source_len;
    uint64_t files_hash; /* names and contents of the files under dir's lib/ and data/ */
    char **requires;
    size_t n_requires;
    lede_layer_def *layers;
    size_t n_layers;
    lede_option_def *options;
    size_t n_options;
    unsigned has_setup : 1, has_article : 1, has_corpus : 1;
    /* Filled in by lede_plugin_set_resolve: */
    char state_hash[17]; /* source, files, options and requirements' hashes: results are current when equal */
    int phase;           /* article passes of phase k see corpus passes of phases < k */
    size_t *deps;        /* indexes of required plugins in the set */
} lede_plugin;

/* Where plugins are looked for, in order: explicit folders, then
 * LEDE_PLUGIN_PATH (colon-separated), then the stock folder. */
typedef struct lede_plugin_path {
    char **dirs;
    size_t n_dirs;
    size_t n_explicit; /* dirs[0..n_explicit) came from --plugins */
    int stock;         /* index of the stock folder in dirs, or -1 */
} lede_plugin_path;

/* Builds the search path from `explicit_dirs` (may be NULL), the environment
 * and the stock folder (the source tree's plugins/ when present, else the
 * installed share/lede/plugins).  Free with lede_plugin_path_free. */
int lede_plugin_path_init(lede_plugin_path *path, const char *const *explicit_dirs, size_t n_explicit);
void lede_plugin_path_free(lede_plugin_path *path);

/* Reads and validates the plugin file at `file`, running its top level in a
 * throw-away sandbox that can require from `path`'s folders.  *out is owned
 * by the caller (lede_plugin_free).  On failure writes a message naming the
 * file and line into err. */
int lede_plugin_load(lede_plugin **out, const char *file, const lede_plugin_path *path, char *err,
                     size_t err_cap);
void lede_plugin_free(lede_plugin *p);

/* An ordered set of plugins: every plugin comes after those it requires. */
typedef struct lede_plugin_set {
    lede_plugin **items;
    size_t n;
    int n_phases;
} lede_plugin_set;

/* Resolves `names` (plugin names, or paths of .lua files) and everything
 * they require into *set, ordered; with n_names == 0 takes every plugin of
 * the stock folder and of the explicit folders.  A missing plugin, a cycle
 * or two plugins writing the same layer is an error naming them.
 * `overrides` are "plugin.option=value" strings.  Free with
 * lede_plugin_set_free (also after an error). */
int lede_plugin_set_resolve(lede_plugin_set *set, const lede_plugin_path *path, const char *const *names,
                            size_t n_names, const char *const *overrides, size_t n_overrides, char *err,
                            size_t err_cap);
void lede_plugin_set_free(lede_plugin_set *set);

/* Every plugin found in the search path (first of each name wins), sorted by
 * name, without resolving requirements.  A plugin that cannot be loaded is
 * reported through `warn` (may be NULL) and left out. */
int lede_plugin_set_list(lede_plugin_set *set, const lede_plugin_path *path,
                         void (*warn)(void *ud, const char *message), void *ud);

/* Index of `layer` among p's layers, or -1 when p does not declare it. */
int lede_plugin_layer(const lede_plugin *p, const char *layer);

/* Index of the plugin declaring `layer` in the set, or -1. */
int lede_plugin_set_layer_owner(const lede_plugin_set *set, const char *layer, size_t *layer_index);

#endif
