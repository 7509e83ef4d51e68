/* The SQLite store behind an engine: schema and migrations, cached prepared
 * statements, and the row-level operations that ingest, the CLI and the
 * plugin runtime share.  Internal (not part of lede.h); the schema itself is
 * documented in docs/schema.md.
 *
 * Every function takes the engine, runs on its connection (so on the
 * engine's thread), returns LEDE_OK or a negative lede_status and, on error,
 * leaves a message naming the database file in lede_errmsg(engine).
 * Writes are cheap inside lede_store_begin/commit; outside a transaction
 * each call commits on its own. */
#ifndef LEDE_STORE_H
#define LEDE_STORE_H

#include "engine.h"

#include <stdint.h>

/* The schema version this lede writes (PRAGMA user_version). */
#define LEDE_SCHEMA_VERSION 2

typedef struct lede_store lede_store;

/* Sets the connection up (busy timeout, foreign keys, WAL for files,
 * synchronous=NORMAL) and migrates the schema to LEDE_SCHEMA_VERSION, one
 * transaction per step.  A file whose version is newer than this lede is
 * refused with LEDE_ESCHEMA; so is a file that is not an SQLite database,
 * and, read-only, one that would need migrating.  Creates engine->store
 * (released by lede_store_close).  Called by lede_engine_open. */
int lede_store_open(lede_engine *engine);
/* Finalizes the cached statements and frees engine->store.  NULL store allowed. */
void lede_store_close(lede_engine *engine);

/* Batched writes: BEGIN IMMEDIATE (so a second writer waits for the busy
 * timeout instead of failing mid-batch) ... COMMIT.  Commit first indexes
 * the batch's new articles for full-text search, in the same transaction.
 * Transactions do not nest; rollback never fails and is a no-op outside a
 * transaction. */
int lede_store_begin(lede_engine *engine);
int lede_store_commit(lede_engine *engine);
void lede_store_rollback(lede_engine *engine);

/* Ingest identity of an article: a 64-bit hash of its text (as given, before
 * cleaning) and metadata (source, url, title, published, language with NULL
 * read as "en", extra_json).  The key is the identity itself and the origin
 * is provenance, so neither is hashed. */
uint64_t lede_store_content_hash(const lede_article_meta *meta, const char *text, size_t len);

/* Finds the article named `key`: *id and *hash (either may be NULL) receive
 * its row id and content hash.  LEDE_ENOTFOUND (without a message) when
 * there is none. */
int lede_store_article_find(int64_t *id, uint64_t *hash, lede_engine *engine, const char *key);

/* An article ready to be stored.  Everything is borrowed. */
typedef struct lede_store_article {
    const lede_article_meta *meta; /* meta->key required */
    const char *text;              /* NFC UTF-8, `len` bytes */
    size_t len;
    uint64_t hash;                 /* lede_store_content_hash of the input */
    uint32_t n_blocks, n_sentences, n_tokens;
    uint64_t repairs;              /* invalid UTF-8 sequences replaced */
    int64_t replace_id;            /* row to replace (from _find), 0 for a new key */
} lede_store_article;

/* Stores `a` atomically: deletes row a->replace_id when non-zero (its
 * annotations, plugin state and index entries go with it through ON DELETE
 * CASCADE and the FTS triggers) and inserts the new row.  *id (may be NULL)
 * receives the new row id.  The row reaches article_fts at once outside a
 * transaction, else at lede_store_commit (one statement per batch, which
 * is much faster).  Article rows must be inserted through this function
 * only: nothing else indexes them. */
int lede_store_article_put(int64_t *id, lede_engine *engine, const lede_store_article *a);

/* One article row as read back.  Every pointer is owned by the row (NULL
 * for an SQL NULL) and released by lede_store_article_clear. */
typedef struct lede_article_row {
    int64_t id;
    char *key, *source, *url, *title, *published, *language;
    char *text;                    /* NUL-terminated, text_len bytes */
    size_t text_len;
    char *extra, *origin, *ingested_at;
    uint64_t hash;
    int64_t n_blocks, n_sentences, n_tokens, repairs;
} lede_article_row;

/* Reads the article named `key` into *row (zeroed first; owned by the
 * caller, release with lede_store_article_clear even on error).
 * LEDE_ENOTFOUND with a message naming the key when there is none. */
int lede_store_article_get(lede_article_row *row, lede_engine *engine, const char *key);
/* Frees what *row owns and zeroes it.  NULL allowed. */
void lede_store_article_clear(lede_article_row *row);

/* Starts a run row ("ingest", "run", ...; options_json may be NULL) with
 * status "running" and *run_id its id.  A run killed before
 * lede_store_run_finish keeps finished_at NULL. */
int lede_store_run_begin(int64_t *run_id, lede_engine *engine, const char *command,
                         const char *options_json);
/* Ends run `run_id` with `status`: "ok", "errors", "failed" or "cancelled". */
int lede_store_run_finish(lede_engine *engine, int64_t run_id, const char *status);

/* A problem met during a run; NULL fields are stored as NULL. */
typedef struct lede_store_problem {
    int64_t run_id;          /* 0: not tied to a run */
    const char *plugin;      /* NULL for ingest problems */
    const char *article_key;
    const char *location;    /* "file:line", "file@byte", "plugin.lua:12" */
    const char *message;     /* required */
    const char *traceback;
} lede_store_problem;

int lede_store_problem_add(lede_engine *engine, const lede_store_problem *problem);

/* Inserts one span of layer `layer` over bytes [start, end) of article
 * `article_id`; attrs_json (may be NULL) is a JSON object, run_id 0 means
 * none.  Statement is cached: call it many times inside one
 * lede_store_begin/commit to write a batch. */
int lede_store_annotation_insert(lede_engine *engine, int64_t article_id, const char *layer,
                                 uint32_t start, uint32_t end, const char *attrs_json,
                                 int64_t run_id);

#endif
