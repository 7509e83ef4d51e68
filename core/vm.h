/* A plugin VM: one sandboxed Lua state with every plugin of a set loaded and
 * set up, calling their article() and corpus() functions.  One VM per
 * thread; the Lua-facing modules (luadoc.c, lualede.c, luacorpus.c) read the
 * state of the call in progress from it. */
#ifndef LEDE_VM_H
#define LEDE_VM_H

#include "lede.h"
#include "plugin.h"
#include "sandbox.h"

#include <stdint.h>

struct sqlite3;
struct sqlite3_stmt;

/* An article handed to plugins.  Every string is owned by the struct
 * (lede_article_clear frees them), unless its maker keeps them elsewhere
 * (run.c: in one block per batch); text is NUL-terminated NFC UTF-8.
 * The text may be left to read on first use (lede_text_reader): it is
 * NULL until then, and len is the length the article was stored with,
 * which the instruction budget is scaled by. */
typedef struct lede_article {
    int64_t id;
    char *key, *source, *url, *title, *published, *language;
    char *text;
    size_t len;
} lede_article;

void lede_article_clear(lede_article *a);

/* Fills *a (which must be empty) from the current row of `st`, whose
 * columns are id, key, source, url, title, published, language, text.
 * Returns LEDE_OK or LEDE_ENOMEM (then *a holds what was copied). */
int lede_article_from_row(lede_article *a, struct sqlite3_stmt *st);

/* Sets a->text and a->len from column `col` of the current row of `st`.
 * Returns LEDE_OK or LEDE_ENOMEM. */
int lede_article_text_from_row(lede_article *a, struct sqlite3_stmt *st, int col);

/* One span written by a plugin: bytes [start, end) of an article's text. */
typedef struct lede_span {
    int64_t article_id;
    uint32_t plugin, layer; /* indexes into the set and the plugin's layers */
    uint32_t start, end;
    char *attrs; /* JSON object, malloc'd */
    size_t attrs_len;
} lede_span;

typedef struct lede_spans {
    lede_span *v;
    size_t n, cap;
    size_t bytes; /* memory the spans hold, against LEDE_SPANS_MAX_BYTES */
} lede_spans;

/* What one plugin may write on one article (or in one corpus pass): spans
 * live in C memory, outside the Lua memory cap. */
#define LEDE_SPANS_MAX_BYTES ((size_t)256 << 20)

/* Appends a span; takes ownership of attrs even on failure. */
int lede_spans_push(lede_spans *s, const lede_span *span);
void lede_spans_clear(lede_spans *s); /* frees the attrs, keeps the array */
void lede_spans_free(lede_spans *s);

/* Reads the stored spans of `layer` on an article (layers not computed in
 * the current pass), ordered by start; plugin/layer of the spans are unset. */
typedef struct lede_span_reader {
    int (*read)(void *ud, int64_t article_id, const char *layer, lede_spans *out);
    void *ud;
} lede_span_reader;

/* Reads the text of an article handed over without it (sets text and
 * len).  Returns LEDE_OK, LEDE_ENOTFOUND (deleted meanwhile), LEDE_ENOMEM
 * or LEDE_EDB. */
typedef struct lede_text_reader {
    int (*read)(void *ud, lede_article *a);
    void *ud;
} lede_text_reader;

/* Per-state limits; public as lede_limits (lede.h). */
typedef lede_limits lede_vm_limits;

/* Why a call failed, for the problem table.  Strings malloc'd (or NULL). */
typedef struct lede_failure {
    int status; /* LEDE_EPLUGIN (an error) or LEDE_ELIMIT (budget or memory) */
    char *message, *location, *traceback;
} lede_failure;

void lede_failure_clear(lede_failure *f);

typedef struct lede_vm lede_vm;

struct lede_vm {
    lede_sandbox *sb;
    lua_State *L;
    const lede_plugin_set *set;
    lede_vm_limits limits;
    lede_span_reader reader;
    lede_text_reader text_reader; /* set by the caller when articles come without their text */
    int *article_ref, *corpus_ref, *ctx_ref; /* per plugin, LUA_NOREF when absent */
    int seed_ref;                            /* math.randomseed */
    /* The call in progress: */
    int plugin;          /* index in set, -1 outside calls */
    uint64_t gen;        /* bumped when an article ends: older doc handles refuse use */
    int active;          /* an article is open */
    lede_article *art;   /* borrowed while open */
    lede_doc *doc;       /* analysed on first use */
    lede_spans *out;     /* per plugin: spans written on the open article */
    unsigned char *done; /* per plugin: ran on the open article in this pass */
    struct sqlite3 *db;  /* set during corpus passes only */
    lede_spans corpus_out; /* spans written by the corpus pass in progress */
    uint64_t corpus_gen;   /* bumped when a corpus pass ends */
    lede_article corpus_doc, corpus_target; /* opened by corpus:doc(), last corpus:annotate() target */
    struct sqlite3_stmt *corpus_load; /* reads an article by key for corpus:doc() and corpus:annotate() */
    /* Tokenizers by language, created on first use. */
    lede_tokenizer *tk[8];
    char tk_lang[8][8];
};

/* Creates a VM running every plugin of `set` (borrowed: must outlive the VM):
 * loads them, builds their ctx, runs their setup().  Plugin errors are
 * reported in err with file:line.  *out is owned by the caller. */
int lede_vm_new(lede_vm **out, const lede_plugin_set *set, const lede_plugin_path *path,
                const lede_vm_limits *limits, lede_span_reader reader, char *err, size_t err_cap);
void lede_vm_free(lede_vm *vm);

/* Opens `art` (borrowed until lede_vm_end_article) for the plugins. */
void lede_vm_begin_article(lede_vm *vm, lede_article *art);
/* Runs plugin `p`'s article() on the open article.  Returns LEDE_OK, or an
 * error with *fail filled (its spans are then dropped).  Spans land in
 * vm->out[p]. */
int lede_vm_run_article(lede_vm *vm, size_t p, lede_failure *fail);
/* Closes the article: handles to it refuse use from now on. */
void lede_vm_end_article(lede_vm *vm);

/* Runs plugin `p`'s corpus() with the database `db` (used by this thread
 * only for the duration), with a budget scaled by `bytes`, the length of
 * the corpus's texts.  Spans land in vm->corpus_out. */
int lede_vm_run_corpus(lede_vm *vm, size_t p, struct sqlite3 *db, uint64_t bytes, lede_failure *fail);

/* True when a limit left the state too full to go on: make a new VM. */
int lede_vm_exhausted(const lede_vm *vm);

/* A lua_CFunction registering the lede module (global `lede` and
 * require("lede")) and the doc and corpus metatables in a sandbox. */
int lede_vm_open_api(lua_State *L);

/* The VM running in L; NULL in a bare sandbox (reading a plugin's table). */
lede_vm *lede_vm_of(lua_State *L);

/* The analysed open article (analysing it on first use); raises a Lua error
 * if the article is closed or cannot be analysed. */
lede_doc *lede_vm_doc(lua_State *L, lede_vm *vm);

/* The text of `a` (the open article, or one a corpus pass opened), read
 * through vm->text_reader first if need be; raises a Lua error if it
 * cannot be read. */
const char *lede_vm_text(lua_State *L, lede_vm *vm, lede_article *a);

/* The tokenizer for `lang` (NULL: "en"), owned by the VM; NULL on failure. */
lede_tokenizer *lede_vm_tokenizer(lede_vm *vm, const char *lang);

/* ---- the call in progress, for the Lua-facing modules ---- */

/* The plugin whose function is running and its index in the set; NULL and
 * -1 outside calls. */
const lede_plugin *lede_vm_plugin(const lede_vm *vm);
int lede_vm_plugin_index(const lede_vm *vm);

/* The open article, or NULL when none is open. */
const lede_article *lede_vm_article(const lede_vm *vm);

/* The database of the corpus pass in progress, else NULL. */
struct sqlite3 *lede_vm_corpus_db(const lede_vm *vm);

/* Where the running plugin's spans go: the corpus pass's list during one,
 * else the plugin's list on the open article; NULL outside calls. */
lede_spans *lede_vm_output(lede_vm *vm);

/* The spans of `layer` written on the open article earlier in this pass:
 * the whole output of the plugin owning the layer (its other layers too:
 * keep the spans whose layer is *li), or NULL when that plugin has not run
 * on the article yet (or no plugin of the set owns the layer). */
const lede_spans *lede_vm_pass_spans(const lede_vm *vm, const char *layer, size_t *li);

/* Reads the stored spans of `layer` on the open article into *out, ordered
 * by start (their plugin and layer unset); reads nothing when no article is
 * open or the VM has no span reader.  Returns LEDE_OK or the reader's error. */
int lede_vm_stored_spans(lede_vm *vm, const char *layer, lede_spans *out);

#endif
