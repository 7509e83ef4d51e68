/* SQLite store: connection set-up, migrations keyed on PRAGMA user_version,
 * and prepared statements cached per engine.  See store.h and docs/schema.md. */
#include "store.h"

#include "hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUSY_TIMEOUT_MS 5000
#define NOW_UTC "strftime('%Y-%m-%dT%H:%M:%SZ','now')"

/* Version 1: the whole schema of docs/schema.md.  External-content FTS5
 * (no second copy of the text).  Deletes and updates reach the index through
 * triggers; new rows are indexed by lede_store_article_put in one statement
 * per batch: FTS5 flushes its pending terms at every statement savepoint,
 * so an insert trigger would write one index segment per article and cost
 * about half the ingest time in merges. */
static const char schema_v1[] =
    "CREATE TABLE article (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  key TEXT NOT NULL UNIQUE,\n"
    "  source TEXT,\n"
    "  url TEXT,\n"
    "  title TEXT,\n"
    "  published TEXT,\n"
    "  language TEXT NOT NULL DEFAULT 'en',\n"
    "  text TEXT NOT NULL,\n"
    "  extra TEXT,\n"
    "  origin TEXT,\n"
    "  hash TEXT NOT NULL,\n"
    "  n_bytes INTEGER NOT NULL,\n"
    "  n_blocks INTEGER NOT NULL,\n"
    "  n_sentences INTEGER NOT NULL,\n"
    "  n_tokens INTEGER NOT NULL,\n"
    "  repairs INTEGER NOT NULL DEFAULT 0,\n"
    "  ingested_at TEXT NOT NULL);\n"
    "CREATE VIRTUAL TABLE article_fts USING fts5(\n"
    "  title, text, content='article', content_rowid='id',\n"
    "  tokenize='unicode61 remove_diacritics 2');\n"
    /* Merge index segments in eights, not fours: a quarter less ingest time
     * for slightly more segments to read until they merge. */
    "INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', 8);\n"
    "CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN\n"
    "  INSERT INTO article_fts(article_fts, rowid, title, text)\n"
    "    VALUES ('delete', old.id, old.title, old.text);\n"
    "END;\n"
    "CREATE TRIGGER article_fts_update AFTER UPDATE OF title, text ON article BEGIN\n"
    "  INSERT INTO article_fts(article_fts, rowid, title, text)\n"
    "    VALUES ('delete', old.id, old.title, old.text);\n"
    "  INSERT INTO article_fts(rowid, title, text) VALUES (new.id, new.title, new.text);\n"
    "END;\n"
    "CREATE TABLE run (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  started_at TEXT NOT NULL,\n"
    "  finished_at TEXT,\n"
    "  command TEXT NOT NULL,\n"
    "  status TEXT NOT NULL DEFAULT 'running',\n"
    "  lede_version TEXT NOT NULL,\n"
    "  options TEXT);\n"
    "CREATE TABLE annotation (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,\n"
    "  layer TEXT NOT NULL,\n"
    "  start INTEGER NOT NULL,\n"
    "  \"end\" INTEGER NOT NULL,\n"
    "  attrs TEXT,\n"
    "  run_id INTEGER REFERENCES run(id));\n"
    "CREATE INDEX annotation_by_layer ON annotation(layer, article_id, start);\n"
    "CREATE INDEX annotation_by_article ON annotation(article_id, layer, start);\n"
    "CREATE TABLE plugin_state (\n"
    "  article_id INTEGER NOT NULL REFERENCES article(id) ON DELETE CASCADE,\n"
    "  plugin TEXT NOT NULL,\n"
    "  version TEXT NOT NULL,\n"
    "  source_hash TEXT NOT NULL,\n"
    "  run_id INTEGER REFERENCES run(id),\n"
    "  PRIMARY KEY (article_id, plugin));\n"
    "CREATE TABLE problem (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  run_id INTEGER REFERENCES run(id),\n"
    "  plugin TEXT,\n"
    "  article_key TEXT,\n"
    "  location TEXT,\n"
    "  message TEXT NOT NULL,\n"
    "  traceback TEXT);\n";

/* Version 2: results of corpus passes that belong to no article (a toll
 * series, canonical speakers), one row per corpus:row() of a layer declared
 * with rows = true; a plugin's next corpus pass replaces its rows. */
static const char schema_v2[] =
    "CREATE TABLE corpus_row (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  run_id INTEGER NOT NULL REFERENCES run(id),\n"
    "  plugin TEXT NOT NULL,\n"
    "  layer TEXT NOT NULL,\n"
    "  attrs TEXT);\n"
    "CREATE INDEX corpus_row_by_layer ON corpus_row(layer, id);\n";

/* Migration step i brings a database from version i to version i + 1.
 * A future schema change appends a step; it never edits an old one. */
static const char *const migrations[LEDE_SCHEMA_VERSION] = {schema_v1, schema_v2};

enum stmt_id {
    ST_BEGIN,
    ST_COMMIT,
    ST_SAVEPOINT,
    ST_RELEASE,
    ST_ROLLBACK_TO,
    ST_ARTICLE_FIND,
    ST_ARTICLE_GET,
    ST_ARTICLE_DELETE,
    ST_ARTICLE_INSERT,
    ST_ARTICLE_MAX_ID,
    ST_INDEX_NEW,
    ST_RUN_BEGIN,
    ST_RUN_FINISH,
    ST_PROBLEM_ADD,
    ST_ANNOTATION_INSERT,
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_SAVEPOINT] = "SAVEPOINT lede_put",
    [ST_RELEASE] = "RELEASE lede_put",
    [ST_ROLLBACK_TO] = "ROLLBACK TO lede_put",
    [ST_ARTICLE_FIND] = "SELECT id, hash FROM article WHERE key = ?1",
    [ST_ARTICLE_GET] = "SELECT id, key, source, url, title, published, language, text, extra, origin,"
                       " ingested_at, hash, n_blocks, n_sentences, n_tokens, repairs"
                       " FROM article WHERE key = ?1",
    [ST_ARTICLE_DELETE] = "DELETE FROM article WHERE id = ?1",
    [ST_ARTICLE_INSERT] = "INSERT INTO article (key, source, url, title, published, language, text,"
                          " extra, origin, hash, n_bytes, n_blocks, n_sentences, n_tokens, repairs,"
                          " ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                          " ?13, ?14, ?15, " NOW_UTC ")",
    [ST_ARTICLE_MAX_ID] = "SELECT coalesce(max(id), 0) FROM article",
    [ST_INDEX_NEW] = "INSERT INTO article_fts (rowid, title, text)"
                     " SELECT id, title, text FROM article WHERE id > ?1",
    [ST_RUN_BEGIN] = "INSERT INTO run (started_at, command, status, lede_version, options)"
                     " VALUES (" NOW_UTC ", ?1, 'running', ?2, ?3)",
    [ST_RUN_FINISH] = "UPDATE run SET finished_at = " NOW_UTC ", status = ?2 WHERE id = ?1",
    [ST_PROBLEM_ADD] = "INSERT INTO problem (run_id, plugin, article_key, location, message, traceback)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_ANNOTATION_INSERT] = "INSERT INTO annotation (article_id, layer, start, \"end\", attrs, run_id)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
};

/* Which article rows are not in article_fts yet: those with an id above
 * indexed_max (ids grow: a new row takes the largest id plus one). */
typedef struct index_state {
    int known;              /* indexed_max is up to date */
    int64_t indexed_max;
    uint64_t pending;       /* rows inserted since the last flush */
} index_state;

struct lede_store {
    sqlite3_stmt *stmt[ST_COUNT];
    int batching;           /* between lede_store_begin and commit/rollback */
    index_state index;
};

/* Maps the connection's last SQLite error to a lede status and message. */
static int store_fail(lede_engine *engine, const char *what)
{
    int rc = sqlite3_errcode(engine->db) & 0xff;
    int code;
    switch (rc) {
    case SQLITE_NOMEM:
        code = LEDE_ENOMEM;
        break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        code = LEDE_ESCHEMA;
        break;
    case SQLITE_READONLY:
        code = LEDE_EREADONLY;
        break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
        code = LEDE_EIO;
        break;
    default:
        code = LEDE_EDB;
    }
    if (rc == SQLITE_NOTADB)
        return lede_engine_fail(engine, code, "%s: not a lede database (not an SQLite file)", engine->path);
    return lede_engine_fail(engine, code, "%s: %s: %s", engine->path, what, sqlite3_errmsg(engine->db));
}

static int store_exec(lede_engine *engine, const char *sql, const char *what)
{
    if (sqlite3_exec(engine->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(engine, what);
    return LEDE_OK;
}

/* *st receives the cached statement `id`, prepared on first use. */
static int store_stmt(sqlite3_stmt **st, lede_engine *engine, enum stmt_id id)
{
    sqlite3_stmt **slot = &engine->store->stmt[id];
    if (!*slot && sqlite3_prepare_v3(engine->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, slot,
                                     NULL) != SQLITE_OK) {
        *slot = NULL;
        return store_fail(engine, "cannot prepare a statement");
    }
    *st = *slot;
    return LEDE_OK;
}

/* Steps a statement that returns no rows, then resets it. */
static int stmt_run(lede_engine *engine, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    int status = rc == SQLITE_DONE ? LEDE_OK : store_fail(engine, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return status;
}

static int run_simple(lede_engine *engine, enum stmt_id id, const char *what)
{
    sqlite3_stmt *st = NULL;
    int status = store_stmt(&st, engine, id);
    return status == LEDE_OK ? stmt_run(engine, st, what) : status;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_id_or_null(sqlite3_stmt *st, int i, int64_t id)
{
    if (id > 0)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

/* ---- opening and migrating ---------------------------------------------- */

static int read_user_version(int *version, lede_engine *engine)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(engine->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        int status = store_fail(engine, "cannot read the schema version");
        sqlite3_finalize(st);
        return status;
    }
    *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return LEDE_OK;
}

static int refuse_newer(lede_engine *engine, int version)
{
    return lede_engine_fail(engine, LEDE_ESCHEMA,
                            "%s: database schema version %d is newer than this lede %s supports (%d);"
                            " use a newer lede",
                            engine->path, version, LEDE_VERSION_STRING, LEDE_SCHEMA_VERSION);
}

/* Applies migration step `step` (version step -> step + 1) in its own
 * transaction, unless another process got there first. */
static int migrate_step(lede_engine *engine, int step)
{
    int version = 0, status = store_exec(engine, "BEGIN IMMEDIATE", "cannot start migration");
    if (status != LEDE_OK)
        return status;
    status = read_user_version(&version, engine);
    if (status == LEDE_OK && version > LEDE_SCHEMA_VERSION)
        status = refuse_newer(engine, version);
    if (status == LEDE_OK && version == step) {
        char sql[64];
        if (sqlite3_exec(engine->db, migrations[step], NULL, NULL, NULL) != SQLITE_OK)
            status = lede_engine_fail(engine, LEDE_ESCHEMA,
                                      "%s: cannot migrate to schema version %d (not a lede database?): %s",
                                      engine->path, step + 1, sqlite3_errmsg(engine->db));
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", step + 1);
        if (status == LEDE_OK)
            status = store_exec(engine, sql, "cannot set the schema version");
    }
    if (status == LEDE_OK)
        return store_exec(engine, "COMMIT", "cannot commit migration");
    sqlite3_exec(engine->db, "ROLLBACK", NULL, NULL, NULL);
    return status;
}

static int store_migrate(lede_engine *engine)
{
    int version = 0;
    int status = read_user_version(&version, engine);
    if (status != LEDE_OK)
        return status;
    if (version > LEDE_SCHEMA_VERSION)
        return refuse_newer(engine, version);
    if (version < LEDE_SCHEMA_VERSION && (engine->flags & LEDE_OPEN_READONLY) &&
        strcmp(engine->path, ":memory:") != 0)
        return lede_engine_fail(engine, LEDE_ESCHEMA,
                                "%s: schema version %d needs migrating to %d; open it once without read-only",
                                engine->path, version, LEDE_SCHEMA_VERSION);
    for (int step = version; step < LEDE_SCHEMA_VERSION && status == LEDE_OK; step++)
        status = migrate_step(engine, step);
    return status;
}

static int store_configure(lede_engine *engine)
{
    int in_memory = strcmp(engine->path, ":memory:") == 0;
    int readonly = (engine->flags & LEDE_OPEN_READONLY) != 0;
    int status;

    sqlite3_busy_timeout(engine->db, BUSY_TIMEOUT_MS);
    status = store_exec(engine, "PRAGMA foreign_keys = ON", "cannot enable foreign keys");
    /* 16 KiB pages (a new file only; it must precede the header written
     * below): an article of a few KB then fits one page instead of a chain
     * of overflow pages, which made ingest of the bench corpus 28% faster. */
    if (status == LEDE_OK && !in_memory && !readonly)
        status = store_exec(engine, "PRAGMA page_size = 16384", "cannot set the page size");
    /* WAL: readers never block the writer, and a killed writer leaves the
     * last committed batch intact.  Setting it writes the file header. */
    if (status == LEDE_OK && !in_memory && !readonly)
        status = store_exec(engine, "PRAGMA journal_mode = WAL", "cannot switch to WAL");
    if (status == LEDE_OK)
        status = store_exec(engine, "PRAGMA synchronous = NORMAL", "cannot set synchronous");
    /* 8 MiB of page cache (SQLite's default is 2): a batch's index pages
     * stay in memory instead of spilling to the WAL and being read back. */
    if (status == LEDE_OK)
        status = store_exec(engine, "PRAGMA cache_size = -8192", "cannot set the cache size");
    return status;
}

int lede_store_open(lede_engine *engine)
{
    engine->store = calloc(1, sizeof *engine->store);
    if (!engine->store)
        return lede_engine_fail(engine, LEDE_ENOMEM, "%s: out of memory", engine->path);
    int status = store_configure(engine);
    if (status == LEDE_OK)
        status = store_migrate(engine);
    if (status == LEDE_OK && (engine->flags & LEDE_OPEN_READONLY))
        status = store_exec(engine, "PRAGMA query_only = ON", "cannot make the connection read-only");
    return status;
}

void lede_store_close(lede_engine *engine)
{
    if (!engine->store)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(engine->store->stmt[i]);
    free(engine->store);
    engine->store = NULL;
}

/* ---- transactions ------------------------------------------------------- */

static int index_flush(lede_engine *engine);

int lede_store_begin(lede_engine *engine)
{
    int status = run_simple(engine, ST_BEGIN, "cannot begin a transaction");
    if (status == LEDE_OK) {
        engine->store->batching = 1;
        engine->store->index = (index_state){0, 0, 0};
    }
    return status;
}

int lede_store_commit(lede_engine *engine)
{
    int status = index_flush(engine);
    if (status == LEDE_OK)
        status = run_simple(engine, ST_COMMIT, "cannot commit");
    if (status == LEDE_OK)
        engine->store->batching = 0;
    return status;
}

void lede_store_rollback(lede_engine *engine)
{
    if (!sqlite3_get_autocommit(engine->db))
        sqlite3_exec(engine->db, "ROLLBACK", NULL, NULL, NULL);
    engine->store->batching = 0;
    engine->store->index = (index_state){0, 0, 0};
}

/* ---- articles ----------------------------------------------------------- */

uint64_t lede_store_content_hash(const lede_article_meta *meta, const char *text, size_t len)
{
    const char *fields[] = {meta->source,    meta->url,
                            meta->title,     meta->published,
                            meta->language ? meta->language : "en", meta->extra_json};
    uint64_t h = 0;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        /* The seed tells the fields apart, and an absent field from an empty one. */
        uint64_t seed = h ^ (i + 1) ^ (fields[i] ? 0 : 0x100);
        h = lede_hash64(fields[i], fields[i] ? strlen(fields[i]) : 0, seed);
    }
    return lede_hash64(text, len, h);
}

int lede_store_article_find(int64_t *id, uint64_t *hash, lede_engine *engine, const char *key)
{
    sqlite3_stmt *st = NULL;
    int prepared = store_stmt(&st, engine, ST_ARTICLE_FIND);
    if (prepared != LEDE_OK)
        return prepared;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), status = LEDE_OK;
    if (rc == SQLITE_ROW) {
        uint64_t h = 0;
        if (id)
            *id = sqlite3_column_int64(st, 0);
        if (lede_hash_parse(&h, (const char *)sqlite3_column_text(st, 1)) != 0)
            h = 0; /* a hand-edited hash: never matches, so the article is replaced */
        if (hash)
            *hash = h;
    } else if (rc == SQLITE_DONE) {
        status = LEDE_ENOTFOUND;
    } else {
        status = store_fail(engine, "cannot look up an article");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return status;
}

static int article_insert(int64_t *id, lede_engine *engine, const lede_store_article *a)
{
    const lede_article_meta *m = a->meta;
    sqlite3_stmt *st = NULL;
    char hex[17];
    int prepared = store_stmt(&st, engine, ST_ARTICLE_INSERT);
    if (prepared != LEDE_OK)
        return prepared;
    lede_hash_hex(hex, a->hash);
    sqlite3_bind_text(st, 1, m->key, -1, SQLITE_STATIC);
    bind_text_or_null(st, 2, m->source);
    bind_text_or_null(st, 3, m->url);
    bind_text_or_null(st, 4, m->title);
    bind_text_or_null(st, 5, m->published);
    sqlite3_bind_text(st, 6, m->language ? m->language : "en", -1, SQLITE_STATIC);
    sqlite3_bind_text64(st, 7, a->text, a->len, SQLITE_STATIC, SQLITE_UTF8);
    bind_text_or_null(st, 8, m->extra_json);
    bind_text_or_null(st, 9, m->origin);
    sqlite3_bind_text(st, 10, hex, 16, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, (sqlite3_int64)a->len);
    sqlite3_bind_int64(st, 12, a->n_blocks);
    sqlite3_bind_int64(st, 13, a->n_sentences);
    sqlite3_bind_int64(st, 14, a->n_tokens);
    sqlite3_bind_int64(st, 15, (sqlite3_int64)a->repairs);
    int status = stmt_run(engine, st, "cannot insert an article");
    if (status == LEDE_OK && id)
        *id = sqlite3_last_insert_rowid(engine->db);
    return status;
}

static int article_delete(lede_engine *engine, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int prepared = store_stmt(&st, engine, ST_ARTICLE_DELETE);
    if (prepared != LEDE_OK)
        return prepared;
    sqlite3_bind_int64(st, 1, id);
    return stmt_run(engine, st, "cannot delete the replaced article");
}

/* Makes index.indexed_max known: every row present is indexed. */
static int index_learn(lede_engine *engine)
{
    index_state *ix = &engine->store->index;
    sqlite3_stmt *st = NULL;
    if (ix->known)
        return LEDE_OK;
    int status = store_stmt(&st, engine, ST_ARTICLE_MAX_ID);
    if (status != LEDE_OK)
        return status;
    if (sqlite3_step(st) == SQLITE_ROW) {
        ix->indexed_max = sqlite3_column_int64(st, 0);
        ix->known = 1;
    } else {
        status = store_fail(engine, "cannot read the largest article id");
    }
    sqlite3_reset(st);
    return status;
}

/* Indexes the rows inserted since the last flush, in one statement. */
static int index_flush(lede_engine *engine)
{
    index_state *ix = &engine->store->index;
    sqlite3_stmt *st = NULL;
    if (!ix->pending)
        return LEDE_OK;
    int status = store_stmt(&st, engine, ST_INDEX_NEW);
    if (status != LEDE_OK)
        return status;
    sqlite3_bind_int64(st, 1, ix->indexed_max);
    status = stmt_run(engine, st, "cannot update the full-text index");
    if (status == LEDE_OK)
        *ix = (index_state){0, 0, 0};
    return status;
}

static int article_put_steps(int64_t *id, lede_engine *engine, const lede_store_article *a)
{
    index_state *ix = &engine->store->index;
    int status = index_learn(engine);
    if (status == LEDE_OK && a->replace_id > 0) {
        /* The delete trigger removes index entries: the row must have them. */
        status = index_flush(engine);
        if (status == LEDE_OK)
            status = article_delete(engine, a->replace_id);
        ix->known = 0;
        if (status == LEDE_OK)
            status = index_learn(engine);
    }
    if (status == LEDE_OK)
        status = article_insert(id, engine, a);
    if (status == LEDE_OK)
        ix->pending++;
    if (status == LEDE_OK && !engine->store->batching)
        status = index_flush(engine);
    return status;
}

int lede_store_article_put(int64_t *id, lede_engine *engine, const lede_store_article *a)
{
    if (!a->meta || !a->meta->key)
        return lede_engine_fail(engine, LEDE_EINVAL, "%s: article without a key", engine->path);
    /* A savepoint makes delete + insert (+ index) one step whether or not the
     * caller holds a transaction; on failure the index state goes back too. */
    index_state saved = engine->store->index;
    int status = run_simple(engine, ST_SAVEPOINT, "cannot open a savepoint");
    if (status != LEDE_OK)
        return status;
    status = article_put_steps(id, engine, a);
    if (status != LEDE_OK) {
        run_simple(engine, ST_ROLLBACK_TO, "cannot roll back to the savepoint");
        engine->store->index = saved;
    }
    int released = run_simple(engine, ST_RELEASE, "cannot release the savepoint");
    return status != LEDE_OK ? status : released;
}

/* Copies column i into *dst (NULL for SQL NULL); -1 when out of memory. */
static int column_dup(char **dst, size_t *len, sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    size_t n = (size_t)sqlite3_column_bytes(st, i);
    *dst = NULL;
    if (len)
        *len = n;
    if (!s)
        return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : -1;
    *dst = malloc(n + 1);
    if (!*dst)
        return -1;
    memcpy(*dst, s, n);
    (*dst)[n] = '\0';
    return 0;
}

static int row_fill(lede_article_row *row, sqlite3_stmt *st)
{
    char **strings[] = {&row->key,  &row->source, &row->url,   &row->title,      &row->published,
                        &row->language, &row->text, &row->extra, &row->origin, &row->ingested_at};
    int bad = 0;
    row->id = sqlite3_column_int64(st, 0);
    for (int i = 0; i < 10; i++)
        bad |= column_dup(strings[i], i == 6 ? &row->text_len : NULL, st, i + 1);
    if (lede_hash_parse(&row->hash, (const char *)sqlite3_column_text(st, 11)) != 0)
        row->hash = 0;
    row->n_blocks = sqlite3_column_int64(st, 12);
    row->n_sentences = sqlite3_column_int64(st, 13);
    row->n_tokens = sqlite3_column_int64(st, 14);
    row->repairs = sqlite3_column_int64(st, 15);
    return bad ? LEDE_ENOMEM : LEDE_OK;
}

int lede_store_article_get(lede_article_row *row, lede_engine *engine, const char *key)
{
    memset(row, 0, sizeof *row);
    sqlite3_stmt *st = NULL;
    int prepared = store_stmt(&st, engine, ST_ARTICLE_GET);
    if (prepared != LEDE_OK)
        return prepared;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), status;
    if (rc == SQLITE_ROW) {
        status = row_fill(row, st);
        if (status != LEDE_OK)
            lede_engine_fail(engine, status, "%s: out of memory reading article \"%s\"", engine->path, key);
    } else if (rc == SQLITE_DONE) {
        status = lede_engine_fail(engine, LEDE_ENOTFOUND, "%s: no article \"%s\"", engine->path, key);
    } else {
        status = store_fail(engine, "cannot read an article");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return status;
}

void lede_store_article_clear(lede_article_row *row)
{
    if (!row)
        return;
    free(row->key);
    free(row->source);
    free(row->url);
    free(row->title);
    free(row->published);
    free(row->language);
    free(row->text);
    free(row->extra);
    free(row->origin);
    free(row->ingested_at);
    memset(row, 0, sizeof *row);
}

/* ---- runs, problems, annotations ---------------------------------------- */

int lede_store_run_begin(int64_t *run_id, lede_engine *engine, const char *command,
                         const char *options_json)
{
    sqlite3_stmt *st = NULL;
    int prepared = store_stmt(&st, engine, ST_RUN_BEGIN);
    if (prepared != LEDE_OK)
        return prepared;
    sqlite3_bind_text(st, 1, command, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, LEDE_VERSION_STRING, -1, SQLITE_STATIC);
    bind_text_or_null(st, 3, options_json);
    int status = stmt_run(engine, st, "cannot record the run");
    if (status == LEDE_OK)
        *run_id = sqlite3_last_insert_rowid(engine->db);
    return status;
}

int lede_store_run_finish(lede_engine *engine, int64_t run_id, const char *status_text)
{
    sqlite3_stmt *st = NULL;
    int prepared = store_stmt(&st, engine, ST_RUN_FINISH);
    if (prepared != LEDE_OK)
        return prepared;
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_text(st, 2, status_text, -1, SQLITE_STATIC);
    return stmt_run(engine, st, "cannot finish the run");
}

int lede_store_problem_add(lede_engine *engine, const lede_store_problem *p)
{
    sqlite3_stmt *st = NULL;
    int prepared = store_stmt(&st, engine, ST_PROBLEM_ADD);
    if (prepared != LEDE_OK)
        return prepared;
    bind_id_or_null(st, 1, p->run_id);
    bind_text_or_null(st, 2, p->plugin);
    bind_text_or_null(st, 3, p->article_key);
    bind_text_or_null(st, 4, p->location);
    sqlite3_bind_text(st, 5, p->message ? p->message : "unknown problem", -1, SQLITE_STATIC);
    bind_text_or_null(st, 6, p->traceback);
    return stmt_run(engine, st, "cannot record a problem");
}

int lede_store_annotation_insert(lede_engine *engine, int64_t article_id, const char *layer,
                                 uint32_t start, uint32_t end, const char *attrs_json,
                                 int64_t run_id)
{
    sqlite3_stmt *st = NULL;
    int prepared = store_stmt(&st, engine, ST_ANNOTATION_INSERT);
    if (prepared != LEDE_OK)
        return prepared;
    sqlite3_bind_int64(st, 1, article_id);
    sqlite3_bind_text(st, 2, layer, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, start);
    sqlite3_bind_int64(st, 4, end);
    bind_text_or_null(st, 5, attrs_json);
    bind_id_or_null(st, 6, run_id);
    return stmt_run(engine, st, "cannot insert an annotation");
}
