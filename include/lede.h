/*
 * lede.h — public API of lede, a scriptable analysis engine for news articles.
 *
 * Conventions (after SQLite, Lua and libgit2):
 *  - Opaque handles; functions are named lede_<noun>_<verb>.
 *  - Out-parameters come first; functions return LEDE_OK (0) or a negative
 *    lede_status.  lede_errmsg(engine) names the file, line or article at fault.
 *  - Every prototype states who owns what it returns.
 *  - Thread rule: one engine is used by one thread at a time; distinct engines
 *    (and distinct tokenizers and docs) are independent.  No global mutable state.
 *  - All text is UTF-8; every offset is a byte offset into an article's NFC text.
 */
#ifndef LEDE_H
#define LEDE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LEDE_VERSION_MAJOR 0
#define LEDE_VERSION_MINOR 1
#define LEDE_VERSION_PATCH 0
#define LEDE_VERSION_STRING "0.1.0"
#define LEDE_VERSION_NUMBER (LEDE_VERSION_MAJOR * 10000 + LEDE_VERSION_MINOR * 100 + LEDE_VERSION_PATCH)

/* Status codes: 0 is success, errors are negative. */
typedef enum lede_status {
    LEDE_OK = 0,
    LEDE_ENOMEM = -1,    /* out of memory */
    LEDE_EIO = -2,       /* file or stream could not be read or written */
    LEDE_EINVAL = -3,    /* bad argument or option */
    LEDE_EUTF8 = -4,     /* invalid UTF-8 (only with strict input) */
    LEDE_EPARSE = -5,    /* malformed input (JSON, HTML, ...) */
    LEDE_EDB = -6,       /* SQLite error */
    LEDE_ENOTFOUND = -7, /* no such article, layer, plugin or file */
    LEDE_ESCHEMA = -8,   /* database schema newer than this lede, or corrupt */
    LEDE_EREJECTED = -9, /* some input was rejected (batch went on) */
    LEDE_EPLUGIN = -10,  /* a plugin failed */
    LEDE_ELIMIT = -11,   /* a size, memory or time limit was hit */
    LEDE_ECANCEL = -12,  /* cancelled by a progress callback */
    LEDE_EREADONLY = -13 /* write attempted through a read-only path */
} lede_status;

/* Static English description of a status code.  Never NULL; not owned by caller. */
const char *lede_errstr(int code);

/* Run-time version string, e.g. "0.1.0".  Static; not owned by caller. */
const char *lede_version(void);

/* ------------------------------------------------------------------------
 * Text analysis: blocks, sentences, tokens.  No database needed.
 * ------------------------------------------------------------------------ */

typedef enum lede_token_kind {
    LEDE_TOK_WORD = 0,
    LEDE_TOK_NUMBER,       /* 400,000  1.2  70 000  25th  19:58  5%  */
    LEDE_TOK_PUNCT,        /* . , ; : ! ? ( ) [ ] … */
    LEDE_TOK_OPEN_QUOTE,   /* “ ‘ « „ ‚ and straight quotes classified as opening */
    LEDE_TOK_CLOSE_QUOTE,  /* ” ’ » and straight quotes classified as closing */
    LEDE_TOK_AMBIG_QUOTE,  /* a straight quote that context cannot classify */
    LEDE_TOK_DASH,         /* — – and "--" */
    LEDE_TOK_SYMBOL,       /* $ € % & + = / © and other symbols */
    LEDE_TOK_URL,
    LEDE_TOK_EMAIL,
    LEDE_TOK_HASHTAG,
    LEDE_TOK_MENTION,
    LEDE_TOK_KIND_COUNT
} lede_token_kind;

/* Token flags (bit set). */
enum {
    LEDE_TF_CAPITALISED = 1u << 0,  /* first letter upper or title case */
    LEDE_TF_ALL_CAPS = 1u << 1,     /* two or more letters, none lower case */
    LEDE_TF_SENT_START = 1u << 2,   /* first token of its sentence */
    LEDE_TF_ABBREV = 1u << 3,       /* abbreviation or initial keeping its period: U.S. Gen. J. */
    LEDE_TF_SPACE_BEFORE = 1u << 4, /* white space (or start of text) precedes it */
    LEDE_TF_HAS_DIGIT = 1u << 5,
    LEDE_TF_HYPHENATED = 1u << 6,   /* five-year-old, U.S.-Russian, al-Assad */
    LEDE_TF_POSSESSIVE = 1u << 7,   /* ends in 's or ’s (kept inside the word token) */
    LEDE_TF_ELISION = 1u << 8,      /* don't, it’s, l'armée */
    LEDE_TF_ORDINAL = 1u << 9,      /* 25th 1st 3rd */
    LEDE_TF_BLOCK_START = 1u << 10, /* first token of its block */
    LEDE_TF_NON_ASCII = 1u << 11    /* contains bytes >= 0x80 */
};

/* One token.  start/end are byte offsets into the doc's text; fold/fold_len
 * locate its case-folded form in lede_doc_folds(). */
typedef struct lede_token {
    uint32_t start, end;
    uint32_t fold;
    uint16_t fold_len;
    uint16_t flags;
    uint8_t kind;         /* lede_token_kind */
    uint8_t reserved[3];
} lede_token;

typedef struct lede_sentence {
    uint32_t start, end;  /* bytes, trimmed of surrounding white space */
    uint32_t block;       /* index of its block */
    uint32_t first_token; /* index of its first token */
    uint32_t n_tokens;
} lede_sentence;

typedef enum lede_block_kind {
    LEDE_BLOCK_PARAGRAPH = 0, /* ends in sentence punctuation or is long prose */
    LEDE_BLOCK_LINE,          /* short line without final punctuation: headline, menu item, caption */
    LEDE_BLOCK_LIST_ITEM,     /* starts with a bullet or "1." style marker */
    LEDE_BLOCK_KIND_COUNT
} lede_block_kind;

/* A block is one non-empty line of the text (scraped pages put one
 * paragraph per line), trimmed of surrounding white space. */
typedef struct lede_block {
    uint32_t start, end;
    uint32_t kind;        /* lede_block_kind */
    uint32_t first_sentence;
    uint32_t n_sentences;
} lede_block;

/* Names used in output and SQL: "word", "number", ..., "paragraph", "line". */
const char *lede_token_kind_name(int kind);
const char *lede_block_kind_name(int kind);

/* A tokenizer holds a language's abbreviation list and other read-only data.
 * It may be shared by docs but, like everything here, by one thread at a time. */
typedef struct lede_tokenizer lede_tokenizer;

/* Creates a tokenizer for `lang` (ISO 639-1, e.g. "en"; NULL means "en";
 * unknown languages fall back to "en").  *out is owned by the caller and
 * released with lede_tokenizer_free. */
int lede_tokenizer_new(lede_tokenizer **out, const char *lang);
void lede_tokenizer_free(lede_tokenizer *tk);

/* The analysed form of one text. */
typedef struct lede_doc lede_doc;

/* Analyses `len` bytes of `text`: invalid UTF-8 is replaced by U+FFFD, the text
 * is normalised to NFC, then split into blocks, sentences and tokens.  The doc
 * keeps its own copy of the (normalised) text; *out is owned by the caller and
 * released with lede_doc_free.  `tk` must outlive nothing: the doc does not
 * refer to it after this call returns. */
int lede_doc_analyze(lede_doc **out, lede_tokenizer *tk, const char *text, size_t len);
void lede_doc_free(lede_doc *doc);

/* Accessors.  Returned pointers are owned by the doc and valid until
 * lede_doc_free.  Any `n`/`len` out-parameter may be NULL. */
const char *lede_doc_text(const lede_doc *doc, size_t *len);
const lede_block *lede_doc_blocks(const lede_doc *doc, size_t *n);
const lede_sentence *lede_doc_sentences(const lede_doc *doc, size_t *n);
const lede_token *lede_doc_tokens(const lede_doc *doc, size_t *n);
const char *lede_doc_folds(const lede_doc *doc, size_t *len);
/* Number of invalid UTF-8 sequences replaced while analysing. */
size_t lede_doc_repairs(const lede_doc *doc);

/* ------------------------------------------------------------------------
 * Engine: a database of articles and their annotations.
 * ------------------------------------------------------------------------ */

typedef struct lede_engine lede_engine;

enum {
    LEDE_OPEN_READONLY = 1u << 0, /* never write; fail if the file is missing */
    LEDE_OPEN_NOCREATE = 1u << 1  /* fail if the file is missing */
};

/* Opens (creating and migrating as needed) the database at `path`; NULL or
 * ":memory:" gives an in-memory database.  *out is owned by the caller and
 * released with lede_engine_close, even when an error is returned (so that
 * lede_errmsg can explain it); *out is NULL only on LEDE_ENOMEM. */
int lede_engine_open(lede_engine **out, const char *path, unsigned flags);
/* Closes the database and frees the engine.  NULL is allowed. */
void lede_engine_close(lede_engine *engine);

/* Message describing the last error on this engine, naming the file, line or
 * article at fault.  Owned by the engine; valid until its next call. */
const char *lede_errmsg(const lede_engine *engine);

/* Metadata of one article.  Every string is borrowed (the caller keeps
 * ownership); NULL means unknown.  `extra_json` is a JSON object of further
 * fields, kept as given. */
typedef struct lede_article_meta {
    const char *key;       /* required: unique name of the article */
    const char *source;    /* outlet */
    const char *url;
    const char *title;
    const char *published; /* ISO 8601 date or date-time as given */
    const char *language;  /* ISO 639-1; NULL means "en" */
    const char *extra_json;
    const char *origin;    /* where it came from, e.g. "dir/a.txt" or "feed.jsonl:12" */
} lede_article_meta;

/* What happened to one ingested article. */
typedef enum lede_ingest_outcome {
    LEDE_INGEST_ADDED = 0,
    LEDE_INGEST_REPLACED,  /* same key, new content: stale annotations dropped */
    LEDE_INGEST_UNCHANGED, /* same key, same content: skipped */
    LEDE_INGEST_REJECTED   /* not stored (see lede_errmsg) */
} lede_ingest_outcome;

/* Severity of a diagnostic reported during ingest. */
enum { LEDE_DIAG_WARNING = 1, LEDE_DIAG_ERROR = 2 };

/* Receives diagnostics: `where` is "file", "file:line" or "file@byte";
 * both strings are valid only during the call. */
typedef void (*lede_diag_fn)(void *ud, int severity, const char *where, const char *message);

/* Called now and then with work done and total (total 0 if unknown).
 * Returning non-zero cancels the job (LEDE_ECANCEL). */
typedef int (*lede_progress_fn)(void *ud, uint64_t done, uint64_t total);

typedef struct lede_ingest_opts {
    int version;            /* LEDE_INGEST_OPTS_VERSION */
    int strict;             /* reject invalid UTF-8 instead of repairing it */
    unsigned batch;         /* articles per transaction; 0 means the default */
    lede_diag_fn diag;      /* may be NULL */
    lede_progress_fn progress; /* may be NULL */
    void *ud;               /* passed to diag and progress */
} lede_ingest_opts;

#define LEDE_INGEST_OPTS_VERSION 1
#define LEDE_INGEST_OPTS_INIT { LEDE_INGEST_OPTS_VERSION, 0, 0, NULL, NULL, NULL }

typedef struct lede_ingest_stats {
    uint64_t added, replaced, unchanged, rejected;
    uint64_t repaired;      /* articles whose invalid UTF-8 was repaired */
    uint64_t bytes;         /* bytes of text stored */
} lede_ingest_stats;

/* Ingests one article from a buffer.  Strings and text are borrowed.
 * `*outcome` (may be NULL) says what happened. */
int lede_ingest_buffer(lede_ingest_outcome *outcome, lede_engine *engine,
                       const lede_article_meta *meta, const char *text, size_t len,
                       const lede_ingest_opts *opts);

/* Ingests a file or a directory (recursively, in sorted order).  Files ending
 * in .jsonl or .ndjson are JSON Lines, one article per line; other files are
 * plain text keyed by their path relative to `path` (the base name for a single
 * file).  "-" reads standard input (JSON Lines if it starts with '{', else one
 * plain-text article keyed "stdin").  Bad files and lines are reported through
 * opts->diag and counted as rejected; the batch goes on.  Returns LEDE_OK, or
 * LEDE_EREJECTED when anything was rejected, or another error that stopped the
 * job.  `stats` (may be NULL) is filled in either case. */
int lede_ingest_path(lede_ingest_stats *stats, lede_engine *engine, const char *path,
                     const lede_ingest_opts *opts);

/* ------------------------------------------------------------------------
 * Running plugins over the articles of an engine.
 * ------------------------------------------------------------------------ */

/* Limits of one plugin state (zeros: the defaults). */
typedef struct lede_limits {
    size_t memory;     /* bytes per Lua state */
    uint64_t budget;   /* instructions per call */
    uint64_t per_byte; /* extra instructions per byte of article text */
} lede_limits;

typedef struct lede_run_opts {
    int version;                    /* LEDE_RUN_OPTS_VERSION */
    unsigned jobs;                  /* worker threads; 0: the number of cores */
    int force;                      /* recompute results that are current */
    int fail_fast;                  /* stop at the first plugin error */
    lede_limits limits;
    const char *const *plugin_dirs; /* folders searched before LEDE_PLUGIN_PATH and the stock plugins */
    size_t n_plugin_dirs;
    const char *const *options;     /* "plugin.option=value" overrides */
    size_t n_options;
    lede_progress_fn progress;      /* may be NULL; called on the calling thread; non-zero cancels */
    void *ud;                       /* passed to progress */
} lede_run_opts;

#define LEDE_RUN_OPTS_VERSION 1
#define LEDE_RUN_OPTS_INIT { LEDE_RUN_OPTS_VERSION, 0, 0, 0, { 0, 0, 0 }, NULL, 0, NULL, 0, NULL, NULL }

typedef struct lede_run_stats {
    int64_t run_id;
    size_t plugins;     /* plugins in the run, requirements included */
    uint64_t articles;  /* articles opened by at least one plugin */
    uint64_t computed;  /* (article, plugin) pairs run */
    uint64_t current;   /* (article, plugin) pairs skipped as current */
    uint64_t errors;    /* failed (article, plugin) pairs and corpus passes */
    uint64_t spans;     /* spans written */
    uint64_t corpus_passes;
} lede_run_stats;

/* Runs the plugins `plugins` (names or .lua paths; n == 0: every stock
 * plugin and those of opts->plugin_dirs) and what they require over every
 * article of `engine`, incrementally.  Plugin failures do not stop the run:
 * they are stored in the problem table and LEDE_EPLUGIN is returned.
 * A progress callback returning non-zero stops the run with LEDE_ECANCEL
 * (committed results stay).  opts may be NULL (defaults); a version other
 * than LEDE_RUN_OPTS_VERSION is LEDE_EINVAL.  Strings are borrowed; `out`
 * (may be NULL) is filled in every case. */
int lede_engine_run(lede_run_stats *out, lede_engine *engine, const char *const *plugins, size_t n,
                    const lede_run_opts *opts);

/* ------------------------------------------------------------------------
 * Read-only SQL over an engine (schema: docs/schema.md).
 * ------------------------------------------------------------------------ */

typedef struct lede_query lede_query;

/* Returned by lede_query_step when a row is ready (LEDE_OK means done). */
#define LEDE_ROW 1

/* Column types, as SQLite stores them. */
typedef enum lede_column_type {
    LEDE_COL_INTEGER = 1,
    LEDE_COL_FLOAT = 2,
    LEDE_COL_TEXT = 3,
    LEDE_COL_BLOB = 4,
    LEDE_COL_NULL = 5
} lede_column_type;

/* Prepares one read-only SQL statement.  Statements that could write
 * (INSERT, PRAGMA with a value, ATTACH, BEGIN, ...) or several statements
 * give LEDE_EREADONLY / LEDE_EINVAL with lede_errmsg set.  `sql` is borrowed.
 * *out is owned by the caller (lede_query_finalize) and must be finalized
 * before lede_engine_close; *out is NULL on error. */
int lede_query_prepare(lede_query **out, lede_engine *engine, const char *sql);
/* Binds parameter `i` (1-based) before the first step or after a reset.
 * Strings are copied. */
int lede_query_bind_int64(lede_query *q, int i, int64_t v);
int lede_query_bind_text(lede_query *q, int i, const char *s, size_t len);
/* LEDE_ROW when a row is ready, LEDE_OK when done, or an error (lede_errmsg). */
int lede_query_step(lede_query *q);
/* Rewinds to before the first row, keeping the bindings. */
int lede_query_reset(lede_query *q);
int lede_query_column_count(const lede_query *q);
/* Column name; owned by the query, valid until lede_query_finalize. */
const char *lede_query_column_name(const lede_query *q, int col);
/* Accessors of the current row.  Returned text is owned by the query and
 * valid until the next step, reset or finalize; NULL for an SQL NULL.
 * `len` may be NULL. */
int lede_query_column_type(lede_query *q, int col);
int64_t lede_query_column_int64(lede_query *q, int col);
double lede_query_column_double(lede_query *q, int col);
const char *lede_query_column_text(lede_query *q, int col, size_t *len);
/* Frees the query.  NULL is allowed. */
void lede_query_finalize(lede_query *q);

/* The spans of `layer`, as a query over columns
 *   0 article (key), 1 start, 2 end, 3 text (the span's text), 4 attrs (JSON)
 * ordered by article then start; `article_key` NULL means every article.
 * Strings are borrowed (copied into the query); *out as for lede_query_prepare. */
int lede_spans_query(lede_query **out, lede_engine *engine, const char *layer, const char *article_key);

/* Receives output bytes; returns non-zero to stop (the caller gets LEDE_EIO). */
typedef int (*lede_write_fn)(void *ud, const char *data, size_t len);

/* Writes every span of `layer` as JSON Lines, one object per span:
 * {"article": key, "layer": layer, "start": s, "end": e, "text": ..., <attrs fields>}.
 * *n_spans (may be NULL) receives the count written.  `layer` is borrowed. */
int lede_export(uint64_t *n_spans, lede_engine *engine, const char *layer, lede_write_fn write, void *ud);

/* ------------------------------------------------------------------------
 * In-memory analysis: plugins over one text, no database.
 * ------------------------------------------------------------------------ */

/* Holds loaded plugins (one Lua state) to analyse many texts cheaply. */
typedef struct lede_analyzer lede_analyzer;

/* Loads `plugins` (as for lede_engine_run; n == 0: the stock set) and
 * their requirements.  Plugins with a corpus() pass run only their
 * article() part here.  opts may be NULL; its jobs, force and progress are
 * ignored.  *out is owned by the caller (lede_analyzer_free), and is set
 * even on error (so lede_analyzer_errmsg can explain) unless LEDE_ENOMEM. */
int lede_analyzer_new(lede_analyzer **out, const char *const *plugins, size_t n, const lede_run_opts *opts);
void lede_analyzer_free(lede_analyzer *a);
/* Message of the analyzer's last error; owned by it, valid until its next call. */
const char *lede_analyzer_errmsg(const lede_analyzer *a);

/* The spans found in one text. */
typedef struct lede_result lede_result;

/* One span of a result.  Strings are owned by the result. */
typedef struct lede_result_span {
    const char *layer;
    const char *plugin;
    uint32_t start, end; /* bytes of lede_result_text */
    const char *attrs;   /* JSON object, or NULL */
} lede_result_span;

/* Cleans `len` bytes of `text` as ingest does (invalid UTF-8 repaired,
 * NFC) and runs the analyzer's plugins on it.  `meta` (may be NULL; key
 * defaults to "text") is borrowed for the call.  *out is owned by the
 * caller (lede_result_free) and is set whenever the text could be analysed:
 * a failing plugin gives LEDE_EPLUGIN (or LEDE_ELIMIT) with its message in
 * lede_analyzer_errmsg, and the spans of the other plugins. */
int lede_analyze_text(lede_result **out, lede_analyzer *a, const char *text, size_t len,
                      const lede_article_meta *meta);
/* The cleaned text the spans point into; owned by the result. */
const char *lede_result_text(const lede_result *r, size_t *len);
/* Spans ordered by layer (in plugin order), then start. */
size_t lede_result_span_count(const lede_result *r);
/* Copies span `i` into *out (its strings stay owned by r); LEDE_EINVAL if out of range. */
int lede_result_span_get(lede_result_span *out, const lede_result *r, size_t i);
void lede_result_free(lede_result *r);

#ifdef __cplusplus
}
#endif

#endif /* LEDE_H */
