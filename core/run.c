/* The plugin runner: see run.h.
 *
 * Threads of one phase's article pass:
 *   feeder (the caller) reads articles that need work, in id order, and
 *     queues them with a sequence number;
 *   workers (--jobs) each own a VM: they analyse the article on demand, run
 *     the phase's plugins on it and queue the result;
 *   the writer puts results back in sequence order and writes them in
 *     batched transactions, so the database ends up identical whatever the
 *     number of workers.
 * The engine's connection is opened without SQLite's mutex (one thread per
 * engine), so every use of it during the pass holds run->db_lock. */
#define _POSIX_C_SOURCE 200809L
#include "run.h"

#include "engine.h"
#include "grow.h"
#include "hash.h"
#include "plugin.h"
#include "store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WRITE_BATCH 256             /* articles per transaction */
#define WORKER_STACK ((size_t)16 << 20)
#define ERR_CAP 4096

/* ---- a bounded blocking queue ---- */

typedef struct queue {
    void **v;
    size_t cap, head, n;
    int closed;
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
} queue;

static int queue_init(queue *q, size_t cap)
{
    memset(q, 0, sizeof *q);
    if ((q->v = calloc(cap, sizeof *q->v)) == NULL)
        return LEDE_ENOMEM;
    q->cap = cap;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    pthread_cond_init(&q->not_full, NULL);
    return LEDE_OK;
}

static void queue_destroy(queue *q)
{
    free(q->v);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->not_empty);
    pthread_cond_destroy(&q->not_full);
}

static void queue_push(queue *q, void *item)
{
    pthread_mutex_lock(&q->mu);
    while (q->n == q->cap)
        pthread_cond_wait(&q->not_full, &q->mu);
    q->v[(q->head + q->n++) % q->cap] = item;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
}

/* The next item, or NULL once the queue is closed and empty. */
static void *queue_pop(queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->n == 0 && !q->closed)
        pthread_cond_wait(&q->not_empty, &q->mu);
    void *item = NULL;
    if (q->n) {
        item = q->v[q->head];
        q->head = (q->head + 1) % q->cap;
        q->n--;
        pthread_cond_signal(&q->not_full);
    }
    pthread_mutex_unlock(&q->mu);
    return item;
}

static void queue_close(queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
}

/* ---- run state ---- */

typedef struct outcome {
    size_t plugin;
    int status;
    lede_spans spans;
    lede_failure fail;
} outcome;

typedef struct result {
    int64_t article_id;
    const char *key; /* in the batch's strings */
    int dropped;     /* cancelled before it ran, or deleted meanwhile: nothing to write */
    size_t n;
    outcome *items;  /* in the batch's outcomes */
} result;

/* One article to run: the feeder hands out its id (art.id) and which
 * plugins need it; the worker reads the article itself.  Its strings live
 * in the batch's `strings` (key NULL: deleted meanwhile), its text, read
 * on first use, is its own. */
typedef struct work {
    lede_article art;
    unsigned char *need; /* per plugin of the set: run it on this article */
    result res;
} work;

/* Articles travel in batches: one thread hand-off per batch, not per
 * article, keeps wake-ups out of the profile; and a batch holds its
 * articles' data in a few blocks, not a few per article. */
#define BATCH_ARTICLES 32

typedef struct batch {
    uint64_t seq;
    size_t n, n_plugins;
    work items[BATCH_ARTICLES];
    unsigned char *needs; /* n_plugins per item */
    outcome *outcomes;    /* n_plugins per item */
    char *strings;        /* the items' article strings */
    size_t strings_len, strings_cap;
} batch;

/* A growing array of article ids. */
typedef struct id_vec {
    int64_t *v;
    size_t n, cap;
} id_vec;

static int ids_push(id_vec *ids, int64_t id)
{
    if (lede_grow((void **)&ids->v, &ids->cap, ids->n + 1, sizeof *ids->v) != LEDE_OK)
        return LEDE_ENOMEM;
    ids->v[ids->n++] = id;
    return LEDE_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Statements reading articles and stored spans on one connection. */
typedef struct source {
    sqlite3 *db;
    sqlite3_stmt *articles; /* ARTICLES_SQL */
    sqlite3_stmt *text;     /* TEXT_SQL */
    sqlite3_stmt *spans;    /* READ_SPANS_SQL */
} source;

struct run;

/* What a worker's VM reads through: on a WAL file, a read-only connection
 * of the worker's own during article passes, so that workers read their
 * articles in parallel and never wait for the writer (which holds db_lock
 * over a whole batch) nor for each other. */
typedef struct reader {
    struct run *r;
    source own; /* own.db NULL: reads share the engine's connection */
} reader;

typedef struct run {
    lede_engine *engine;
    sqlite3 *db;
    const lede_run_opts *opts;
    lede_plugin_set set;
    lede_plugin_path path;
    int64_t run_id;
    pthread_mutex_t db_lock;
    source shared;    /* on db, under db_lock */
    reader *readers;  /* one per worker; readers[0] also serves corpus passes */
    int apart;        /* readers use their own connection: set while an article pass runs */
    queue work_q, result_q;
    int phase;
    atomic_int cancel;   /* set by any thread; a late look only costs work */
    pthread_mutex_t state_lock;
    pthread_cond_t written_cond;
    uint64_t written;    /* results written, in sequence: the feeder stays within `window` of it */
    size_t window;
    char fatal[ERR_CAP]; /* first error that stops the run, under state_lock */
    int fatal_code;
    uint64_t *computed; /* per plugin: articles computed in this run (writer only) */
    /* Articles given results in this run, in the order written (writer
     * only): an article meets one result per phase. */
    id_vec opened;
    lede_vm **vms;      /* one per worker, kept across phases; vms[0] also runs corpus passes */
    uint64_t corpus_bytes; /* see corpus_bytes() */
    int corpus_bytes_known;
    lede_run_stats stats; /* each counter is written by one thread (feeder or writer) */
} run;

static void set_fatal(run *r, int code, const char *msg)
{
    pthread_mutex_lock(&r->state_lock);
    if (r->fatal_code == 0) {
        r->fatal_code = code;
        snprintf(r->fatal, sizeof r->fatal, "%s", msg);
    }
    r->cancel = 1;
    pthread_cond_broadcast(&r->written_cond); /* a feeder waiting for the writer gives up */
    pthread_mutex_unlock(&r->state_lock);
}

static int fail_on(run *r, sqlite3 *db, const char *what)
{
    char msg[ERR_CAP];
    snprintf(msg, sizeof msg, "%s: %s: %s", r->engine->path ? r->engine->path : ":memory:", what,
             sqlite3_errmsg(db));
    set_fatal(r, LEDE_EDB, msg);
    return LEDE_EDB;
}

static int db_fail(run *r, const char *what)
{
    return fail_on(r, r->db, what);
}

static int exec_sql(run *r, const char *sql)
{
    return sqlite3_exec(r->db, sql, NULL, NULL, NULL) == SQLITE_OK ? LEDE_OK : db_fail(r, sql);
}

static int append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 512;
        while (c < *len + n + 1)
            c *= 2;
        char *b = realloc(*buf, c);
        if (b == NULL)
            return LEDE_ENOMEM;
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
    return LEDE_OK;
}

/* ---- the connections reads go through ---- */

/* Articles in id order from ?1 on: a batch's articles are read by one
 * cursor walking them (a lookup per article cost more than their rows).
 * Their texts are read when a plugin first needs one (TEXT_SQL): a plugin
 * that reads only metadata or stored spans never pays for copying them. */
static const char ARTICLES_SQL[] = "SELECT id, key, source, url, title, published, language, n_bytes FROM article "
                                   "WHERE id >= ?1 ORDER BY id";
static const char TEXT_SQL[] = "SELECT text FROM article WHERE id = ?1";
/* The spans of one layer of an article, for read_stored: by start, and by
 * id where starts tie, the order of the annotation_by_article index (no
 * sort per article; readers that want end before id sort again). */
static const char READ_SPANS_SQL[] = "SELECT start, \"end\", attrs FROM annotation WHERE article_id = ?1 "
                                     "AND layer = ?2 ORDER BY start";

static int source_prepare(source *s, sqlite3 *db)
{
    s->db = db;
    return sqlite3_prepare_v2(db, ARTICLES_SQL, -1, &s->articles, NULL) == SQLITE_OK &&
                   sqlite3_prepare_v2(db, TEXT_SQL, -1, &s->text, NULL) == SQLITE_OK &&
                   sqlite3_prepare_v2(db, READ_SPANS_SQL, -1, &s->spans, NULL) == SQLITE_OK
               ? LEDE_OK
               : LEDE_EDB;
}

static void source_finalize(source *s)
{
    sqlite3_finalize(s->articles);
    sqlite3_finalize(s->text);
    sqlite3_finalize(s->spans);
    memset(s, 0, sizeof *s);
}

static int is_wal(sqlite3 *db)
{
    sqlite3_stmt *st;
    int wal = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        wal = sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
    sqlite3_finalize(st);
    return wal;
}

/* Opens a reader's own connection to the WAL file `file`; on failure its
 * reads simply share the engine's connection. */
static void reader_open(reader *rd, const char *file)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        source_prepare(&rd->own, db) != LEDE_OK) {
        source_finalize(&rd->own);
        sqlite3_close(db);
        return;
    }
    sqlite3_busy_timeout(db, 10000);
}

static void reader_close(reader *rd)
{
    sqlite3 *db = rd->own.db;
    source_finalize(&rd->own);
    sqlite3_close(db);
}

/* Opens the readers' own connections when the database is a WAL file (in
 * memory, or with a rollback journal, reads stay on the engine's
 * connection). */
static void readers_open(run *r)
{
    const char *file = sqlite3_db_filename(r->db, "main");
    if (file == NULL || *file == '\0' || !is_wal(r->db))
        return;
    for (unsigned i = 0; i < r->opts->jobs; i++)
        reader_open(&r->readers[i], file);
}

/* The source `rd` reads through now, and the lock to hold for it (NULL:
 * the connection is the reader's alone). */
static source *reader_source(reader *rd, pthread_mutex_t **lock)
{
    run *r = rd->r;
    if (r->apart && rd->own.db) {
        *lock = NULL;
        return &rd->own;
    }
    *lock = &r->db_lock;
    return &r->shared;
}

static void lock_opt(pthread_mutex_t *lock)
{
    if (lock)
        pthread_mutex_lock(lock);
}

static void unlock_opt(pthread_mutex_t *lock)
{
    if (lock)
        pthread_mutex_unlock(lock);
}

/* ---- texts and stored spans, read by workers (and by the corpus VM) ---- */

/* The text of an article the worker read without it (lede_text_reader). */
static int read_text(void *ud, lede_article *a)
{
    reader *rd = ud;
    pthread_mutex_t *lock;
    source *src = reader_source(rd, &lock);
    lock_opt(lock);
    sqlite3_stmt *st = src->text;
    sqlite3_bind_int64(st, 1, a->id);
    int step = sqlite3_step(st);
    int rc = step == SQLITE_ROW    ? lede_article_text_from_row(a, st, 0)
             : step == SQLITE_DONE ? LEDE_ENOTFOUND
                                   : fail_on(rd->r, src->db, "cannot read an article's text");
    sqlite3_reset(st); /* ends the read */
    unlock_opt(lock);
    return rc;
}

static int read_stored(void *ud, int64_t article_id, const char *layer, lede_spans *out)
{
    pthread_mutex_t *lock;
    source *src = reader_source(ud, &lock);
    int rc = LEDE_OK;
    lock_opt(lock);
    sqlite3_stmt *st = src->spans;
    sqlite3_bind_int64(st, 1, article_id);
    sqlite3_bind_text(st, 2, layer, -1, SQLITE_STATIC);
    int step;
    while (rc == LEDE_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        lede_span s = {article_id, 0, 0, (uint32_t)sqlite3_column_int64(st, 0),
                       (uint32_t)sqlite3_column_int64(st, 1), NULL, 0};
        const char *attrs = (const char *)sqlite3_column_text(st, 2);
        if (attrs) {
            s.attrs_len = (size_t)sqlite3_column_bytes(st, 2);
            if ((s.attrs = malloc(s.attrs_len + 1)) == NULL) {
                rc = LEDE_ENOMEM;
                break;
            }
            memcpy(s.attrs, attrs, s.attrs_len + 1);
        }
        rc = lede_spans_push(out, &s);
    }
    if (rc == LEDE_OK && step != SQLITE_DONE)
        rc = LEDE_EDB;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    unlock_opt(lock);
    return rc;
}

/* ---- workers ---- */

typedef struct worker {
    run *r;
    reader *rd;
    lede_vm *vm;
    pthread_t thread;
} worker;

static int new_vm(run *r, reader *rd, lede_vm **vm)
{
    char err[ERR_CAP];
    lede_span_reader stored = {read_stored, rd};
    int rc = lede_vm_new(vm, &r->set, &r->path, &r->opts->limits, stored, err, sizeof err);
    if (rc != LEDE_OK)
        set_fatal(r, rc, err);
    else
        (*vm)->text_reader = (lede_text_reader){read_text, rd};
    return rc;
}

static batch *batch_new(size_t n_plugins)
{
    batch *b = calloc(1, sizeof *b);
    if (b == NULL)
        return NULL;
    b->n_plugins = n_plugins;
    b->needs = malloc(BATCH_ARTICLES * n_plugins + 1);
    b->outcomes = calloc(BATCH_ARTICLES * n_plugins + 1, sizeof *b->outcomes);
    if (b->needs == NULL || b->outcomes == NULL) {
        free(b->needs);
        free(b->outcomes);
        free(b);
        return NULL;
    }
    for (size_t i = 0; i < BATCH_ARTICLES; i++) {
        b->items[i].need = b->needs + i * n_plugins;
        b->items[i].res.items = b->outcomes + i * n_plugins;
    }
    return b;
}

static void batch_free(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        result *res = &b->items[i].res;
        for (size_t k = 0; k < res->n; k++) {
            lede_spans_free(&res->items[k].spans);
            lede_failure_clear(&res->items[k].fail);
        }
        free(b->items[i].art.text);
    }
    free(b->needs);
    free(b->outcomes);
    free(b->strings);
    free(b);
}

/* Runs the phase's plugins that `w` needs into w->res, which then owns
 * their spans. */
static void process(worker *wk, work *w)
{
    run *r = wk->r;
    result *res = &w->res;
    res->article_id = w->art.id;
    res->key = w->art.key;
    if (r->cancel || wk->vm == NULL || res->key == NULL) {
        res->dropped = 1;
        return;
    }
    lede_vm_begin_article(wk->vm, &w->art); /* borrowed by the VM for the article */
    for (size_t p = 0; p < r->set.n; p++) {
        if (!w->need[p])
            continue;
        outcome *o = &res->items[res->n++];
        o->plugin = p;
        o->status = lede_vm_run_article(wk->vm, p, &o->fail);
        if (o->status != LEDE_OK && r->opts->fail_fast)
            r->cancel = 1;
    }
    for (size_t i = 0; i < res->n; i++) { /* later plugins have read them: now the writer's */
        outcome *o = &res->items[i];
        o->spans = wk->vm->out[o->plugin];
        memset(&wk->vm->out[o->plugin], 0, sizeof o->spans);
    }
    lede_vm_end_article(wk->vm);
    if (lede_vm_exhausted(wk->vm)) { /* a limit left the state full: start afresh */
        lede_vm_free(wk->vm);
        wk->vm = NULL;
        new_vm(r, wk->rd, &wk->vm);
    }
}

/* Copies n bytes and a NUL to the batch's strings; *at receives where. */
static int keep_string(batch *b, const void *s, size_t n, size_t *at)
{
    if (b->strings_len + n + 1 > b->strings_cap) {
        size_t cap = b->strings_cap ? b->strings_cap : 4096;
        while (cap < b->strings_len + n + 1)
            cap *= 2;
        char *bigger = realloc(b->strings, cap);
        if (bigger == NULL)
            return LEDE_ENOMEM;
        b->strings = bigger;
        b->strings_cap = cap;
    }
    *at = b->strings_len;
    if (n)
        memcpy(b->strings + *at, s, n);
    b->strings[*at + n] = '\0';
    b->strings_len += n + 1;
    return LEDE_OK;
}

/* The article strings ARTICLES_SQL reads, in its column order from 1. */
#define N_FIELDS 6
#define NO_FIELD SIZE_MAX /* an SQL NULL */

static char **article_field(lede_article *a, int f)
{
    char **fields[N_FIELDS] = {&a->key, &a->source, &a->url, &a->title, &a->published, &a->language};
    return fields[f];
}

/* Copies the strings of the cursor's row to the batch's strings; at[]
 * receives where (NO_FIELD for NULL), and *len the text's length. */
static int keep_row(batch *b, sqlite3_stmt *st, size_t at[N_FIELDS], size_t *len)
{
    int rc = LEDE_OK;
    for (int f = 0; f < N_FIELDS && rc == LEDE_OK; f++) {
        at[f] = NO_FIELD;
        if (sqlite3_column_type(st, f + 1) != SQLITE_NULL) {
            const void *s = sqlite3_column_blob(st, f + 1); /* as text, SQLite would copy it first */
            rc = keep_string(b, s, (size_t)sqlite3_column_bytes(st, f + 1), &at[f]);
        }
    }
    *len = (size_t)sqlite3_column_int64(st, N_FIELDS + 1);
    return rc;
}

/* Moves the cursor `st` (articles in id order) on to article `id`, whose
 * strings it copies.  *row is the cursor's last step.  Returns LEDE_OK,
 * LEDE_ENOTFOUND (deleted meanwhile: at[] all NO_FIELD), LEDE_ENOMEM or
 * LEDE_EDB. */
static int fetch_article(batch *b, sqlite3_stmt *st, int *row, int64_t id, size_t at[N_FIELDS], size_t *len)
{
    for (int f = 0; f < N_FIELDS; f++)
        at[f] = NO_FIELD;
    while (*row == SQLITE_ROW && sqlite3_column_int64(st, 0) < id)
        *row = sqlite3_step(st);
    if (*row != SQLITE_ROW)
        return *row == SQLITE_DONE ? LEDE_ENOTFOUND : LEDE_EDB;
    if (sqlite3_column_int64(st, 0) != id)
        return LEDE_ENOTFOUND;
    return keep_row(b, st, at, len);
}

/* Reads the articles of `b`, without their texts, with one cursor.  An
 * article deleted meanwhile is left without a key.  The read ends before
 * the articles are run, so that no snapshot is held for long (the writer's
 * checkpoints wait for none). */
static void load_articles(worker *wk, batch *b)
{
    pthread_mutex_t *lock;
    source *src = reader_source(wk->rd, &lock);
    sqlite3_stmt *st = src->articles;
    size_t at[BATCH_ARTICLES][N_FIELDS];
    int rc = LEDE_OK;
    lock_opt(lock);
    sqlite3_bind_int64(st, 1, b->items[0].art.id);
    int row = sqlite3_step(st);
    for (size_t i = 0; i < b->n && rc == LEDE_OK; i++) {
        rc = fetch_article(b, st, &row, b->items[i].art.id, at[i], &b->items[i].art.len);
        if (rc == LEDE_ENOTFOUND)
            rc = LEDE_OK;
    }
    if (rc == LEDE_EDB)
        fail_on(wk->r, src->db, "cannot read articles");
    else if (rc == LEDE_ENOMEM)
        set_fatal(wk->r, rc, "out of memory while reading articles");
    sqlite3_reset(st);
    unlock_opt(lock);
    for (size_t i = 0; i < b->n && rc == LEDE_OK; i++) /* the strings have stopped moving */
        for (int f = 0; f < N_FIELDS; f++)
            *article_field(&b->items[i].art, f) = at[i][f] == NO_FIELD ? NULL : b->strings + at[i][f];
}

static void *worker_main(void *arg)
{
    worker *wk = arg;
    run *r = wk->r;
    batch *b;
    while ((b = queue_pop(&r->work_q)) != NULL) {
        if (!r->cancel)
            load_articles(wk, b);
        for (size_t i = 0; i < b->n; i++) {
            process(wk, &b->items[i]);
            free(b->items[i].art.text); /* the writer needs only the result */
            b->items[i].art.text = NULL;
        }
        queue_push(&r->result_q, b);
    }
    return NULL;
}

/* ---- the writer ---- */

/* A JSON array of article ids, growing. */
typedef struct id_list {
    char *json;
    size_t len, cap;
} id_list;

typedef struct writer {
    run *r;
    pthread_t thread;
    sqlite3_stmt *del_layer, *put_states, *del_state;
    /* Per plugin: the articles it ran on without error in the open
     * transaction, whose plugin_state rows are written by one statement
     * at commit (a statement per row cost more than the rows). */
    id_list *ok;
    size_t committed; /* r->opened up to here is committed */
    size_t in_batch;
    int in_txn;
} writer;

/* Appends ",id" ("[id" first), with digits written by hand: snprintf
 * cost as much as the row the id becomes. */
static int id_list_add(id_list *l, int64_t id)
{
    char num[24], *d = num + sizeof num;
    uint64_t u = id < 0 ? 0 - (uint64_t)id : (uint64_t)id;
    *--d = '\0';
    do
        *--d = (char)('0' + u % 10);
    while (u /= 10);
    if (id < 0)
        *--d = '-';
    *--d = l->len ? ',' : '[';
    return append(&l->json, &l->len, &l->cap, d);
}

static int write_outcome(writer *wr, const result *res, const outcome *o)
{
    run *r = wr->r;
    const lede_plugin *p = r->set.items[o->plugin];
    for (size_t l = 0; l < p->n_layers; l++) {
        sqlite3_bind_int64(wr->del_layer, 1, res->article_id);
        sqlite3_bind_text(wr->del_layer, 2, p->layers[l].name, -1, SQLITE_STATIC);
        int rc = sqlite3_step(wr->del_layer);
        sqlite3_reset(wr->del_layer);
        if (rc != SQLITE_DONE)
            return db_fail(r, "cannot drop stale spans");
    }
    r->computed[o->plugin]++;
    r->stats.computed++;
    if (o->status != LEDE_OK) {
        r->stats.errors++;
        sqlite3_bind_int64(wr->del_state, 1, res->article_id);
        sqlite3_bind_text(wr->del_state, 2, p->name, -1, SQLITE_STATIC);
        int rc = sqlite3_step(wr->del_state);
        sqlite3_reset(wr->del_state);
        if (rc != SQLITE_DONE)
            return db_fail(r, "cannot clear plugin state");
        lede_store_problem pr = {r->run_id,           p->name,           res->key,
                                 o->fail.location,    o->fail.message ? o->fail.message : "failed",
                                 o->fail.traceback};
        if (lede_store_problem_add(r->engine, &pr) != LEDE_OK)
            return db_fail(r, "cannot record a problem");
        return LEDE_OK;
    }
    for (size_t i = 0; i < o->spans.n; i++) {
        const lede_span *s = &o->spans.v[i];
        if (lede_store_annotation_insert(r->engine, res->article_id, p->layers[s->layer].name, s->start, s->end,
                                         s->attrs, r->run_id) != LEDE_OK)
            return db_fail(r, "cannot store a span");
    }
    r->stats.spans += o->spans.n;
    if (id_list_add(&wr->ok[o->plugin], res->article_id) != LEDE_OK) {
        set_fatal(r, LEDE_ENOMEM, "out of memory in the writer");
        return LEDE_ENOMEM;
    }
    return LEDE_OK;
}

/* Writes the plugin_state rows of the open transaction, plugin by plugin
 * in the order the articles were written. */
static int put_states(writer *wr)
{
    run *r = wr->r;
    int rc = LEDE_OK;
    for (size_t p = 0; p < r->set.n && rc == LEDE_OK; p++) {
        id_list *l = &wr->ok[p];
        if (l->len == 0)
            continue;
        const lede_plugin *pg = r->set.items[p];
        if (append(&l->json, &l->len, &l->cap, "]") != LEDE_OK) {
            set_fatal(r, LEDE_ENOMEM, "out of memory in the writer");
            return LEDE_ENOMEM;
        }
        sqlite3_bind_text(wr->put_states, 1, l->json, (int)l->len, SQLITE_STATIC);
        sqlite3_bind_text(wr->put_states, 2, pg->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(wr->put_states, 3, pg->version, -1, SQLITE_STATIC);
        sqlite3_bind_text(wr->put_states, 4, pg->state_hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(wr->put_states, 5, r->run_id);
        rc = sqlite3_step(wr->put_states) == SQLITE_DONE ? LEDE_OK : db_fail(r, "cannot record plugin state");
        sqlite3_reset(wr->put_states);
        l->len = 0;
    }
    return rc;
}

static void writer_rollback(writer *wr)
{
    lede_store_rollback(wr->r->engine);
    wr->r->opened.n = wr->committed;
}

/* Commits the open transaction, with its plugin_state rows (or rolls it
 * back if that fails). */
static int writer_commit(writer *wr)
{
    run *r = wr->r;
    int rc = put_states(wr);
    if (rc == LEDE_OK && lede_store_commit(r->engine) != LEDE_OK)
        rc = db_fail(r, "cannot commit");
    if (rc == LEDE_OK)
        wr->committed = r->opened.n;
    else
        writer_rollback(wr);
    wr->in_txn = 0;
    wr->in_batch = 0;
    return rc;
}

/* Called with db_lock held. */
static int write_result(writer *wr, const result *res)
{
    run *r = wr->r;
    if (res->dropped || res->n == 0)
        return LEDE_OK;
    int rc = LEDE_OK;
    if (!wr->in_txn) {
        rc = lede_store_begin(r->engine) == LEDE_OK ? LEDE_OK : db_fail(r, "cannot begin a transaction");
        wr->in_txn = rc == LEDE_OK;
    }
    for (size_t i = 0; i < res->n && rc == LEDE_OK; i++)
        rc = write_outcome(wr, res, &res->items[i]);
    if (rc == LEDE_OK && ids_push(&r->opened, res->article_id) != LEDE_OK) {
        set_fatal(r, LEDE_ENOMEM, "out of memory in the writer");
        rc = LEDE_ENOMEM;
    }
    if (rc == LEDE_OK && res->n && r->opts->fail_fast) {
        for (size_t i = 0; i < res->n; i++)
            if (res->items[i].status != LEDE_OK)
                r->cancel = 1;
    }
    if (rc == LEDE_OK && ++wr->in_batch >= WRITE_BATCH)
        rc = writer_commit(wr);
    return rc;
}

static void *writer_main(void *arg)
{
    writer *wr = arg;
    run *r = wr->r;
    /* Results arrive in any order, but the feeder never gets more than
     * `window` ahead of the last one written. */
    size_t window = r->window;
    batch **pending = calloc(window, sizeof *pending);
    uint64_t next = 0;
    int ok = pending != NULL;
    if (!ok)
        set_fatal(r, LEDE_ENOMEM, "out of memory in the writer");
    batch *b;
    while ((b = queue_pop(&r->result_q)) != NULL) {
        if (!ok) {
            batch_free(b);
            continue;
        }
        pending[b->seq % window] = b;
        while (pending[next % window] && pending[next % window]->seq == next) {
            batch *cur = pending[next % window];
            pending[next % window] = NULL;
            pthread_mutex_lock(&r->db_lock);
            for (size_t i = 0; i < cur->n && ok; i++)
                if (write_result(wr, &cur->items[i].res) != LEDE_OK)
                    ok = 0;
            pthread_mutex_unlock(&r->db_lock);
            batch_free(cur);
            next++;
        }
        pthread_mutex_lock(&r->state_lock);
        r->written = next;
        pthread_cond_broadcast(&r->written_cond);
        pthread_mutex_unlock(&r->state_lock);
    }
    for (size_t i = 0; pending && i < window; i++)
        if (pending[i])
            batch_free(pending[i]);
    free(pending);
    pthread_mutex_lock(&r->db_lock);
    if (wr->in_txn) {
        if (ok)
            writer_commit(wr);
        else
            writer_rollback(wr);
    }
    pthread_mutex_unlock(&r->db_lock);
    return NULL;
}

/* ---- the feeder: which articles need which plugins ---- */

/* Steps `st` to its end, collecting its first column into *out, sorted.
 * Finalizes st. */
static int ids_from(sqlite3_stmt *st, id_vec *out)
{
    int rc = LEDE_OK, step = SQLITE_DONE;
    while (rc == LEDE_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = ids_push(out, sqlite3_column_int64(st, 0));
    if (rc == LEDE_OK && step != SQLITE_DONE)
        rc = LEDE_EDB;
    sqlite3_finalize(st);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_i64);
    return rc;
}

/* Ids of the articles whose state for plugin p is current, sorted. */
static int current_ids(run *r, const lede_plugin *p, id_vec *ids)
{
    if (r->opts->force)
        return LEDE_OK;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT article_id FROM plugin_state WHERE plugin = ?1 AND version = ?2 "
                           "AND source_hash = ?3",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(r, "cannot read plugin state");
    sqlite3_bind_text(st, 1, p->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p->version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, p->state_hash, -1, SQLITE_STATIC);
    int rc = ids_from(st, ids);
    return rc == LEDE_EDB ? db_fail(r, "cannot read plugin state") : rc;
}

typedef struct phase_plan {
    id_vec ids;      /* every article, in id order */
    id_vec *current; /* per plugin: sorted ids whose results are current */
} phase_plan;

static void plan_free(phase_plan *pl, size_t n_plugins)
{
    for (size_t p = 0; pl->current && p < n_plugins; p++)
        free(pl->current[p].v);
    free(pl->current);
    free(pl->ids.v);
}

static int plan_phase(run *r, phase_plan *pl)
{
    memset(pl, 0, sizeof *pl);
    size_t n = r->set.n;
    if ((pl->current = calloc(n + 1, sizeof *pl->current)) == NULL)
        return LEDE_ENOMEM;
    int rc = LEDE_OK;
    for (size_t p = 0; p < n && rc == LEDE_OK; p++)
        if (r->set.items[p]->phase == r->phase && r->set.items[p]->has_article)
            rc = current_ids(r, r->set.items[p], &pl->current[p]);
    sqlite3_stmt *st;
    if (rc != LEDE_OK)
        return rc;
    /* The ids from the index on key, sorted here: in the table itself each
     * row fills about a page, and reading them all cost more than a no-op
     * plugin's whole pass. */
    if (sqlite3_prepare_v2(r->db, "SELECT id FROM article INDEXED BY sqlite_autoindex_article_1", -1, &st, NULL) !=
        SQLITE_OK)
        return db_fail(r, "cannot list articles");
    rc = ids_from(st, &pl->ids);
    return rc == LEDE_EDB ? db_fail(r, "cannot list articles") : rc;
}

/* Fills need[] for article `id`; returns how many plugins need it. */
static size_t needs(run *r, const phase_plan *pl, int64_t id, unsigned char *need)
{
    size_t k = 0;
    for (size_t p = 0; p < r->set.n; p++) {
        const lede_plugin *pg = r->set.items[p];
        need[p] = 0;
        if (pg->phase != r->phase || !pg->has_article)
            continue;
        if (pl->current[p].n && bsearch(&id, pl->current[p].v, pl->current[p].n, sizeof id, cmp_i64)) {
            r->stats.current++;
            continue;
        }
        need[p] = 1;
        k++;
    }
    return k;
}

/* The next batch of articles needing work, from pl->ids.v[*next] on: their
 * ids and needs (workers read the articles).  *out is NULL when there are
 * none left. */
static int fill_batch(run *r, const phase_plan *pl, size_t *next, batch **out)
{
    batch *b = batch_new(r->set.n);
    *out = NULL;
    if (b == NULL)
        return LEDE_ENOMEM;
    for (; *next < pl->ids.n && b->n < BATCH_ARTICLES; ++*next) {
        work *w = &b->items[b->n];
        if (needs(r, pl, pl->ids.v[*next], w->need) == 0)
            continue;
        w->art.id = pl->ids.v[*next];
        b->n++;
    }
    if (b->n == 0)
        batch_free(b);
    else
        *out = b;
    return LEDE_OK;
}

/* Hands a batch to the workers, keeping within the writer's window. */
static void send_batch(run *r, batch *b, uint64_t seq)
{
    pthread_mutex_lock(&r->state_lock);
    while (seq >= r->written + r->window && !r->cancel)
        pthread_cond_wait(&r->written_cond, &r->state_lock);
    pthread_mutex_unlock(&r->state_lock);
    b->seq = seq;
    queue_push(&r->work_q, b);
}

static int feed(run *r, const phase_plan *pl)
{
    int rc = LEDE_OK;
    size_t next = 0;
    for (uint64_t seq = 0; rc == LEDE_OK && !r->cancel; seq++) {
        batch *b;
        rc = fill_batch(r, pl, &next, &b);
        if (b == NULL)
            break;
        send_batch(r, b, seq);
        if (r->opts->progress && r->opts->progress(r->opts->ud, next, pl->ids.n))
            set_fatal(r, LEDE_ECANCEL, "cancelled");
    }
    if (rc == LEDE_ENOMEM)
        set_fatal(r, rc, "out of memory while planning batches");
    return rc;
}

static int phase_has_articles(const run *r)
{
    for (size_t p = 0; p < r->set.n; p++)
        if (r->set.items[p]->phase == r->phase && r->set.items[p]->has_article)
            return 1;
    return 0;
}

static int writer_prepare(writer *wr)
{
    run *r = wr->r;
    if ((wr->ok = calloc(r->set.n + 1, sizeof *wr->ok)) == NULL) {
        set_fatal(r, LEDE_ENOMEM, "out of memory in the writer");
        return LEDE_ENOMEM;
    }
    if (sqlite3_prepare_v2(r->db, "DELETE FROM annotation WHERE article_id = ?1 AND layer = ?2", -1, &wr->del_layer,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(r->db,
                           "INSERT OR REPLACE INTO plugin_state (article_id, plugin, version, source_hash, run_id) "
                           "SELECT value, ?2, ?3, ?4, ?5 FROM json_each(?1)",
                           -1, &wr->put_states, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(r->db, "DELETE FROM plugin_state WHERE article_id = ?1 AND plugin = ?2", -1,
                           &wr->del_state, NULL) != SQLITE_OK)
        return db_fail(r, "cannot prepare the writer");
    return LEDE_OK;
}

static void writer_finalize(writer *wr)
{
    sqlite3_finalize(wr->del_layer);
    sqlite3_finalize(wr->put_states);
    sqlite3_finalize(wr->del_state);
    for (size_t p = 0; wr->ok && p < wr->r->set.n; p++)
        free(wr->ok[p].json);
    free(wr->ok);
}

/* Starts the writer and the workers; returns how many workers started, or
 * -1 when not even the writer did. */
static int start_threads(run *r, writer *wr, worker *workers, unsigned jobs)
{
    if (pthread_create(&wr->thread, NULL, writer_main, wr) != 0)
        return -1;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WORKER_STACK); /* room for Lua's C recursion limit */
    unsigned started = 0;
    while (started < jobs && pthread_create(&workers[started].thread, &attr, worker_main, &workers[started]) == 0)
        started++;
    pthread_attr_destroy(&attr);
    return (int)started;
}

/* Lets queued work finish, then stops the threads. */
static void join_threads(run *r, writer *wr, worker *workers, int started)
{
    queue_close(&r->work_q);
    for (int i = 0; i < started; i++)
        pthread_join(workers[i].thread, NULL);
    queue_close(&r->result_q);
    pthread_join(wr->thread, NULL);
}

static void queues_destroy(run *r)
{
    if (r->work_q.v)
        queue_destroy(&r->work_q);
    if (r->result_q.v)
        queue_destroy(&r->result_q);
    memset(&r->work_q, 0, sizeof r->work_q);
    memset(&r->result_q, 0, sizeof r->result_q);
}

static int article_pass(run *r)
{
    if (!phase_has_articles(r))
        return LEDE_OK;
    phase_plan plan;
    unsigned jobs = r->opts->jobs;
    worker *workers = calloc(jobs, sizeof *workers);
    writer wr = {.r = r, .committed = r->opened.n};
    int planned = workers != NULL;
    int rc = planned ? plan_phase(r, &plan) : LEDE_ENOMEM;
    if (rc == LEDE_OK && (queue_init(&r->work_q, 2 * jobs + 2) != LEDE_OK ||
                          queue_init(&r->result_q, 2 * jobs + 2) != LEDE_OK))
        rc = LEDE_ENOMEM;
    if (rc == LEDE_ENOMEM)
        set_fatal(r, rc, "out of memory while planning the run");
    if (rc == LEDE_OK)
        rc = writer_prepare(&wr);
    for (unsigned i = 0; i < jobs && rc == LEDE_OK; i++) {
        workers[i].r = r;
        workers[i].rd = &r->readers[i];
        if (r->vms[i] == NULL)
            rc = new_vm(r, &r->readers[i], &r->vms[i]);
        workers[i].vm = r->vms[i];
    }
    r->written = 0;
    r->window = 2 * (size_t)jobs + 4; /* batches */
    r->apart = 1; /* before the threads start: they see it set */
    int started = rc == LEDE_OK ? start_threads(r, &wr, workers, jobs) : -1;
    if (rc == LEDE_OK && started < (int)jobs)
        set_fatal(r, rc = LEDE_ENOMEM, "cannot start threads");
    if (rc == LEDE_OK)
        feed(r, &plan);
    if (started >= 0)
        join_threads(r, &wr, workers, started);
    r->apart = 0;
    for (unsigned i = 0; workers && i < jobs; i++)
        if (workers[i].r)
            r->vms[i] = workers[i].vm; /* replaced if a limit exhausted it */
    free(workers);
    writer_finalize(&wr);
    queues_destroy(r);
    if (planned)
        plan_free(&plan, r->set.n);
    return r->fatal_code ? r->fatal_code : rc;
}

/* ---- corpus passes ---- */

/* The JSON kept in run.options of a corpus pass: what makes it current. */
static int corpus_identity(run *r, const lede_plugin *p, char *buf, size_t cap)
{
    sqlite3_stmt *st;
    int64_t count = 0, max_id = 0;
    if (sqlite3_prepare_v2(r->db, "SELECT count(*), coalesce(max(id), 0) FROM article", -1, &st, NULL) != SQLITE_OK)
        return db_fail(r, "cannot count articles");
    if (sqlite3_step(st) == SQLITE_ROW) {
        count = sqlite3_column_int64(st, 0);
        max_id = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    snprintf(buf, cap, "{\"plugin\":\"%s\",\"version\":\"%s\",\"source_hash\":\"%s\",\"articles\":%lld,"
                       "\"max_article\":%lld}",
             p->name, p->version, p->state_hash, (long long)count, (long long)max_id);
    return LEDE_OK;
}

static int corpus_current(run *r, const char *identity)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT 1 FROM run WHERE command = 'corpus' AND status = 'ok' AND options = ?1 "
                           "AND id = (SELECT max(id) FROM run WHERE command = 'corpus' "
                           "AND json_extract(options, '$.plugin') = json_extract(?1, '$.plugin'))",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, identity, -1, SQLITE_STATIC);
    int current = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return current;
}

/* Did anything p depends on (itself included) change in this run? */
static int inputs_changed(const run *r, size_t p, const unsigned char *corpus_ran)
{
    if (r->computed[p] || corpus_ran[p])
        return 1;
    const lede_plugin *pg = r->set.items[p];
    for (size_t d = 0; d < pg->n_requires; d++)
        if (inputs_changed(r, pg->deps[d], corpus_ran))
            return 1;
    return 0;
}

/* ---- what a corpus pass changed ---- */

/* A span's identity, summed per article: two passes that wrote the same
 * spans on an article give the same sum, in any order. */
typedef struct art_digest {
    int64_t article_id;
    uint64_t h;
} art_digest;

typedef struct digests {
    art_digest *v;
    size_t n, cap;
} digests;

static int digest_add(digests *d, int64_t article_id, const char *layer, uint32_t start, uint32_t end,
                      const char *attrs, size_t attrs_len)
{
    if (lede_grow((void **)&d->v, &d->cap, d->n + 1, sizeof *d->v) != LEDE_OK)
        return LEDE_ENOMEM;
    uint32_t pos[2] = {start, end};
    uint64_t h = lede_hash64(layer, strlen(layer) + 1, 0);
    h = lede_hash64(pos, sizeof pos, h);
    d->v[d->n++] = (art_digest){article_id, lede_hash64(attrs, attrs ? attrs_len : 0, h)};
    return LEDE_OK;
}

static int cmp_digest(const void *a, const void *b)
{
    const art_digest *x = a, *y = b;
    return (x->article_id > y->article_id) - (x->article_id < y->article_id);
}

/* Sorts by article and folds each article's spans into one entry. */
static void digest_fold(digests *d)
{
    if (d->n > 1)
        qsort(d->v, d->n, sizeof *d->v, cmp_digest);
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (k && d->v[k - 1].article_id == d->v[i].article_id)
            d->v[k - 1].h += d->v[i].h;
        else
            d->v[k++] = d->v[i];
    }
    d->n = k;
}

static int old_corpus_digests(run *r, const lede_plugin *pg, digests *d)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT article_id, layer, start, \"end\", attrs FROM annotation WHERE run_id IN "
                           "(SELECT id FROM run WHERE command = 'corpus' AND json_extract(options, '$.plugin') = ?1)",
                           -1, &st, NULL) != SQLITE_OK)
        return LEDE_EDB;
    sqlite3_bind_text(st, 1, pg->name, -1, SQLITE_STATIC);
    int rc = LEDE_OK;
    while (rc == LEDE_OK && sqlite3_step(st) == SQLITE_ROW)
        rc = digest_add(d, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                        (uint32_t)sqlite3_column_int64(st, 2), (uint32_t)sqlite3_column_int64(st, 3),
                        (const char *)sqlite3_column_text(st, 4), (size_t)sqlite3_column_bytes(st, 4));
    sqlite3_finalize(st);
    return rc;
}

static int depends_on(const lede_plugin_set *set, size_t d, size_t p)
{
    const lede_plugin *pg = set->items[d];
    for (size_t i = 0; i < pg->n_requires; i++)
        if (pg->deps[i] == p || depends_on(set, pg->deps[i], p))
            return 1;
    return 0;
}

/* Drops the plugin state of the plugins depending on p on every article
 * whose corpus-pass spans changed, so that their article passes (in later
 * phases of this run or later runs) see the new spans. */
static int invalidate_dependents(run *r, size_t p, digests *old, digests *fresh)
{
    digest_fold(old);
    digest_fold(fresh);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(r->db, "DELETE FROM plugin_state WHERE article_id = ?1 AND plugin = ?2", -1, &st,
                           NULL) != SQLITE_OK)
        return LEDE_EDB;
    int rc = LEDE_OK;
    for (size_t i = 0, j = 0; (i < old->n || j < fresh->n) && rc == LEDE_OK;) {
        int64_t a = i < old->n ? old->v[i].article_id : INT64_MAX;
        int64_t b = j < fresh->n ? fresh->v[j].article_id : INT64_MAX;
        int64_t id = a < b ? a : b;
        int changed = a != b || old->v[i].h != fresh->v[j].h;
        i += a == id;
        j += b == id;
        for (size_t d = 0; changed && d < r->set.n && rc == LEDE_OK; d++) {
            if (!depends_on(&r->set, d, p))
                continue;
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_text(st, 2, r->set.items[d]->name, -1, SQLITE_STATIC);
            rc = sqlite3_step(st) == SQLITE_DONE ? LEDE_OK : LEDE_EDB;
            sqlite3_reset(st);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static int corpus_changes(run *r, size_t p, const lede_vm *vm)
{
    const lede_plugin *pg = r->set.items[p];
    digests old = {0}, fresh = {0};
    int rc = old_corpus_digests(r, pg, &old);
    for (size_t i = 0; rc == LEDE_OK && i < vm->corpus_out.n; i++) {
        const lede_span *s = &vm->corpus_out.v[i];
        if (!pg->layers[s->layer].rows) /* article passes read spans only */
            rc = digest_add(&fresh, s->article_id, pg->layers[s->layer].name, s->start, s->end, s->attrs,
                            s->attrs_len);
    }
    if (rc == LEDE_OK)
        rc = invalidate_dependents(r, p, &old, &fresh);
    free(old.v);
    free(fresh.v);
    return rc;
}

/* Where a corpus pass's span is written: by article, layer, start and end,
 * then in the order written. */
typedef struct span_slot {
    int64_t article_id;
    uint32_t layer, start, end;
    size_t at; /* index in corpus_out */
} span_slot;

static int span_slot_cmp(const void *x, const void *y)
{
    const span_slot *a = x, *b = y;
    if (a->article_id != b->article_id)
        return a->article_id < b->article_id ? -1 : 1;
    if (a->layer != b->layer)
        return a->layer < b->layer ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return (a->at > b->at) - (a->at < b->at);
}

/* The spans of out (not rows) in the order they are inserted: the
 * annotation indexes' order, so that a large pass (a series pass writes its
 * spans series by series, across all articles) touches each index page
 * once instead of at random.  Every query orders by article, start, end,
 * then id, and spans tied on all of those keep the order they were written
 * in: what they read is unchanged.  *out is malloc'd (NULL when *n is 0). */
static int corpus_span_order(span_slot **order, size_t *n, const lede_plugin *pg, const lede_spans *out)
{
    *order = NULL;
    *n = 0;
    span_slot *v = malloc((out->n ? out->n : 1) * sizeof *v);
    if (v == NULL)
        return LEDE_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < out->n; i++) {
        const lede_span *s = &out->v[i];
        if (!pg->layers[s->layer].rows)
            v[k++] = (span_slot){s->article_id, s->layer, s->start, s->end, i};
    }
    qsort(v, k, sizeof *v, span_slot_cmp);
    *order = v;
    *n = k;
    return LEDE_OK;
}

/* Replaces the results of p's previous corpus pass (spans of its layers
 * written by a corpus pass, and rows of its rows layers) with vm's. */
static int replace_corpus_results(run *r, size_t p, int64_t cid, const lede_vm *vm, uint64_t *n_spans)
{
    const lede_plugin *pg = r->set.items[p];
    sqlite3_stmt *del = NULL, *del_rows = NULL, *put_row = NULL;
    int rc = sqlite3_prepare_v2(r->db,
                                "DELETE FROM annotation WHERE layer = ?1 AND run_id IN (SELECT id FROM run WHERE "
                                "command = 'corpus' AND json_extract(options, '$.plugin') = ?2)",
                                -1, &del, NULL) == SQLITE_OK &&
                     sqlite3_prepare_v2(r->db, "DELETE FROM corpus_row WHERE layer = ?1", -1, &del_rows, NULL) ==
                         SQLITE_OK &&
                     sqlite3_prepare_v2(r->db,
                                        "INSERT INTO corpus_row (run_id, plugin, layer, attrs) VALUES (?1, ?2, ?3, ?4)",
                                        -1, &put_row, NULL) == SQLITE_OK
                 ? LEDE_OK
                 : LEDE_EDB;
    for (size_t l = 0; rc == LEDE_OK && l < pg->n_layers; l++) {
        sqlite3_stmt *st = pg->layers[l].rows ? del_rows : del;
        sqlite3_bind_text(st, 1, pg->layers[l].name, -1, SQLITE_STATIC);
        if (st == del)
            sqlite3_bind_text(st, 2, pg->name, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? LEDE_OK : LEDE_EDB;
        sqlite3_reset(st);
    }
    span_slot *order = NULL;
    size_t n_order = 0;
    if (rc == LEDE_OK)
        rc = corpus_span_order(&order, &n_order, pg, &vm->corpus_out);
    for (size_t k = 0; rc == LEDE_OK && k < n_order; k++) {
        const lede_span *s = &vm->corpus_out.v[order[k].at];
        rc = lede_store_annotation_insert(r->engine, s->article_id, pg->layers[s->layer].name, s->start, s->end,
                                          s->attrs, cid);
        ++*n_spans;
    }
    free(order);
    for (size_t i = 0; rc == LEDE_OK && i < vm->corpus_out.n; i++) {
        const lede_span *s = &vm->corpus_out.v[i];
        const lede_layer_def *layer = &pg->layers[s->layer];
        if (!layer->rows)
            continue;
        sqlite3_bind_int64(put_row, 1, cid);
        sqlite3_bind_text(put_row, 2, pg->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(put_row, 3, layer->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(put_row, 4, s->attrs, s->attrs ? (int)s->attrs_len : 0, SQLITE_STATIC);
        rc = sqlite3_step(put_row) == SQLITE_DONE ? LEDE_OK : LEDE_EDB;
        sqlite3_reset(put_row);
    }
    sqlite3_finalize(del);
    sqlite3_finalize(del_rows);
    sqlite3_finalize(put_row);
    return rc;
}

static int write_corpus(run *r, size_t p, const char *identity, const lede_vm *vm, int status,
                        const lede_failure *fail)
{
    const lede_plugin *pg = r->set.items[p];
    int64_t cid;
    uint64_t n_spans = 0;
    if (lede_store_begin(r->engine) != LEDE_OK)
        return db_fail(r, "cannot begin a transaction");
    int rc = lede_store_run_begin(&cid, r->engine, "corpus", identity);
    if (rc == LEDE_OK && status == LEDE_OK)
        rc = corpus_changes(r, p, vm);
    if (rc == LEDE_OK && status == LEDE_OK)
        rc = replace_corpus_results(r, p, cid, vm, &n_spans);
    if (rc == LEDE_OK && status != LEDE_OK) {
        lede_store_problem pr = {r->run_id, pg->name, NULL, fail->location,
                                 fail->message ? fail->message : "failed", fail->traceback};
        rc = lede_store_problem_add(r->engine, &pr);
    }
    if (rc == LEDE_OK)
        rc = lede_store_run_finish(r->engine, cid, status == LEDE_OK ? "ok" : "errors");
    if (rc == LEDE_OK)
        rc = lede_store_commit(r->engine);
    if (rc != LEDE_OK) {
        lede_store_rollback(r->engine);
        return db_fail(r, "cannot store the corpus pass");
    }
    r->stats.spans += n_spans;
    return LEDE_OK;
}

/* The length of the corpus's texts, which corpus passes' budgets are
 * scaled by: read once per run, as it takes a read of every article. */
static uint64_t corpus_bytes(run *r)
{
    if (r->corpus_bytes_known)
        return r->corpus_bytes;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(r->db, "SELECT total(n_bytes) FROM article", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        r->corpus_bytes = (uint64_t)sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    r->corpus_bytes_known = 1;
    return r->corpus_bytes;
}

static int corpus_passes(run *r, lede_vm **vm, unsigned char *corpus_ran)
{
    for (size_t p = 0; p < r->set.n && !r->cancel; p++) {
        const lede_plugin *pg = r->set.items[p];
        if (pg->phase != r->phase || !pg->has_corpus)
            continue;
        char identity[1024];
        if (corpus_identity(r, pg, identity, sizeof identity) != LEDE_OK)
            return LEDE_EDB;
        if (!r->opts->force && !inputs_changed(r, p, corpus_ran) && corpus_current(r, identity))
            continue;
        if (*vm == NULL && new_vm(r, &r->readers[0], vm) != LEDE_OK)
            return r->fatal_code;
        lede_failure fail = {0};
        int status = lede_vm_run_corpus(*vm, p, r->db, corpus_bytes(r), &fail);
        int rc = write_corpus(r, p, identity, *vm, status, &fail);
        lede_failure_clear(&fail);
        lede_spans_clear(&(*vm)->corpus_out);
        corpus_ran[p] = 1;
        r->stats.corpus_passes++;
        if (status != LEDE_OK) {
            r->stats.errors++;
            if (r->opts->fail_fast)
                r->cancel = 1;
        }
        if (rc != LEDE_OK)
            return rc;
    }
    return LEDE_OK;
}

/* ---- views ---- */

/* The view of a layer of rows: id, its fields, run_id. */
static int rows_view_sql(char **sql, size_t *len, size_t *cap, const lede_layer_def *layer)
{
    char part[512];
    snprintf(part, sizeof part, "DROP VIEW IF EXISTS \"%s\"; CREATE VIEW \"%s\" AS SELECT id", layer->name,
             layer->name);
    int rc = append(sql, len, cap, part);
    for (size_t f = 0; f < layer->n_fields && rc == LEDE_OK; f++) {
        snprintf(part, sizeof part, ", json_extract(attrs, '$.%s') AS \"%s\"", layer->fields[f], layer->fields[f]);
        rc = append(sql, len, cap, part);
    }
    snprintf(part, sizeof part, ", run_id FROM corpus_row WHERE layer = '%s'", layer->name);
    return rc == LEDE_OK ? append(sql, len, cap, part) : rc;
}

/* Layer and field names are validated identifiers (plugin.c), so they can
 * be spliced into SQL. */
static int create_view(run *r, const lede_layer_def *layer)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(r->db, "SELECT type FROM sqlite_master WHERE name = ?1 COLLATE NOCASE", -1, &st,
                           NULL) != SQLITE_OK)
        return db_fail(r, "cannot read the schema");
    sqlite3_bind_text(st, 1, layer->name, -1, SQLITE_STATIC);
    int clash = sqlite3_step(st) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), "view") != 0;
    sqlite3_finalize(st);
    if (clash) {
        char msg[256];
        snprintf(msg, sizeof msg, "layer '%s' cannot get its SQL view: a table or index has that name",
                 layer->name);
        set_fatal(r, LEDE_EINVAL, msg);
        return LEDE_EINVAL;
    }
    char *sql = NULL, part[512];
    size_t len = 0, cap = 0;
    if (layer->rows) {
        int rc = rows_view_sql(&sql, &len, &cap, layer);
        if (rc == LEDE_OK)
            rc = exec_sql(r, sql);
        free(sql);
        return rc;
    }
    snprintf(part, sizeof part,
             "DROP VIEW IF EXISTS \"%s\"; CREATE VIEW \"%s\" AS SELECT an.id AS id, an.article_id AS article_id, "
             "ar.key AS article, an.start AS start, an.\"end\" AS \"end\", "
             "CAST(substr(CAST(ar.text AS BLOB), an.start + 1, an.\"end\" - an.start) AS TEXT) AS text",
             layer->name, layer->name);
    int rc = append(&sql, &len, &cap, part);
    for (size_t f = 0; f < layer->n_fields && rc == LEDE_OK; f++) {
        snprintf(part, sizeof part, ", json_extract(an.attrs, '$.%s') AS \"%s\"", layer->fields[f],
                 layer->fields[f]);
        rc = append(&sql, &len, &cap, part);
    }
    snprintf(part, sizeof part,
             ", an.run_id AS run_id FROM annotation an JOIN article ar ON ar.id = an.article_id "
             "WHERE an.layer = '%s'",
             layer->name);
    if (rc == LEDE_OK)
        rc = append(&sql, &len, &cap, part);
    if (rc == LEDE_OK)
        rc = exec_sql(r, sql);
    free(sql);
    return rc;
}

static int create_views(run *r)
{
    int rc = lede_store_begin(r->engine) == LEDE_OK ? LEDE_OK : db_fail(r, "cannot begin a transaction");
    for (size_t p = 0; p < r->set.n && rc == LEDE_OK; p++)
        for (size_t l = 0; l < r->set.items[p]->n_layers && rc == LEDE_OK; l++)
            rc = create_view(r, &r->set.items[p]->layers[l]);
    if (rc == LEDE_OK)
        rc = lede_store_commit(r->engine) == LEDE_OK ? LEDE_OK : db_fail(r, "cannot commit the views");
    else
        lede_store_rollback(r->engine);
    return rc;
}

/* ---- the run ---- */

static void options_json(const run *r, char *buf, size_t cap)
{
    size_t k = (size_t)snprintf(buf, cap, "{\"jobs\":%u,\"force\":%s,\"plugins\":[", r->opts->jobs,
                                r->opts->force ? "true" : "false");
    for (size_t p = 0; p < r->set.n && k < cap; p++)
        k += (size_t)snprintf(buf + k, cap - k, "%s\"%s\"", p ? "," : "", r->set.items[p]->name);
    if (k < cap)
        snprintf(buf + k, cap - k, "]}");
}

static int prepare(run *r, const char *const *names, size_t n_names)
{
    char err[ERR_CAP];
    const lede_run_opts *o = r->opts;
    int rc = lede_plugin_path_init(&r->path, o->plugin_dirs, o->n_plugin_dirs);
    if (rc != LEDE_OK)
        return lede_engine_fail(r->engine, rc, "out of memory");
    rc = lede_plugin_set_resolve(&r->set, &r->path, names, n_names, o->options, o->n_options, err, sizeof err);
    if (rc != LEDE_OK)
        return lede_engine_fail(r->engine, rc, "%s", err);
    if (r->set.n == 0)
        return lede_engine_fail(r->engine, LEDE_ENOTFOUND,
                                "no plugins to run: name one, or give a folder of plugins with --plugins DIR");
    r->computed = calloc(r->set.n + 1, sizeof *r->computed);
    r->vms = calloc(o->jobs, sizeof *r->vms);
    r->readers = calloc(o->jobs, sizeof *r->readers);
    if (r->computed == NULL || r->vms == NULL || r->readers == NULL)
        return lede_engine_fail(r->engine, LEDE_ENOMEM, "out of memory");
    for (unsigned i = 0; i < o->jobs; i++)
        r->readers[i].r = r;
    if (source_prepare(&r->shared, r->db) != LEDE_OK)
        return lede_engine_fail(r->engine, LEDE_EDB, "%s", sqlite3_errmsg(r->db));
    readers_open(r);
    /* The first VM proves every plugin loads and sets up before anything is written. */
    lede_span_reader stored = {read_stored, &r->readers[0]};
    rc = lede_vm_new(&r->vms[0], &r->set, &r->path, &o->limits, stored, err, sizeof err);
    if (rc != LEDE_OK)
        return lede_engine_fail(r->engine, rc, "%s", err);
    r->vms[0]->text_reader = (lede_text_reader){read_text, &r->readers[0]};
    return LEDE_OK;
}

static int run_phases(run *r)
{
    unsigned char *corpus_ran = calloc(r->set.n + 1, 1);
    int rc = corpus_ran ? create_views(r) : LEDE_ENOMEM;
    for (r->phase = 0; r->phase < r->set.n_phases && rc == LEDE_OK && !r->cancel; r->phase++) {
        rc = article_pass(r);
        if (rc == LEDE_OK && !r->cancel)
            rc = corpus_passes(r, &r->vms[0], corpus_ran);
    }
    free(corpus_ran);
    return rc;
}

static int foreign_keys_on(sqlite3 *db)
{
    sqlite3_stmt *st;
    int on = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        on = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return on;
}

static unsigned default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 256 ? (unsigned)n : 1;
}

/* Articles opened by at least one plugin in this run. */
static uint64_t count_opened_articles(run *r)
{
    id_vec *ids = &r->opened;
    if (ids->n > 1)
        qsort(ids->v, ids->n, sizeof *ids->v, cmp_i64);
    uint64_t n = 0;
    for (size_t i = 0; i < ids->n; i++)
        n += i == 0 || ids->v[i] != ids->v[i - 1];
    return n;
}

int lede_run(lede_run_stats *stats, lede_engine *engine, const char *const *names, size_t n_names,
             const lede_run_opts *opts)
{
    lede_run_opts o = opts ? *opts : (lede_run_opts){0};
    if (o.jobs == 0)
        o.jobs = default_jobs();
    run *r = calloc(1, sizeof *r);
    if (r == NULL)
        return lede_engine_fail(engine, LEDE_ENOMEM, "out of memory");
    r->engine = engine;
    r->db = engine->db;
    r->opts = &o;
    r->path.stock = -1;
    pthread_mutex_init(&r->db_lock, NULL);
    pthread_mutex_init(&r->state_lock, NULL);
    pthread_cond_init(&r->written_cond, NULL);
    int rc = prepare(r, names, n_names);
    if (rc == LEDE_OK) {
        char options[4096];
        options_json(r, options, sizeof options);
        rc = lede_store_run_begin(&r->run_id, engine, "run", options);
    }
    /* Every row the run writes names an article it has just read and its
     * own run, and it deletes nothing that others refer to: checking each
     * insert's foreign keys only cost a read of the article's page (a
     * quarter of a no-op pass).  Back on when the run ends. */
    int foreign_keys = rc == LEDE_OK && foreign_keys_on(r->db);
    if (foreign_keys)
        sqlite3_exec(r->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
    if (rc == LEDE_OK) {
        rc = run_phases(r);
        if (r->fatal_code)
            rc = r->fatal_code;
        r->stats.articles = count_opened_articles(r);
        const char *status = rc == LEDE_ECANCEL ? "cancelled"
                             : rc != LEDE_OK     ? "failed"
                             : r->stats.errors   ? "errors"
                                                 : "ok";
        lede_store_run_finish(engine, r->run_id, status);
        if (rc != LEDE_OK)
            lede_engine_fail(engine, rc, "%s", r->fatal[0] ? r->fatal : "the run failed");
        else if (r->stats.errors)
            rc = lede_engine_fail(engine, LEDE_EPLUGIN, "%llu plugin error(s): see the problem table, run %lld",
                                  (unsigned long long)r->stats.errors, (long long)r->run_id);
    }
    if (foreign_keys)
        sqlite3_exec(r->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    r->stats.run_id = r->run_id;
    r->stats.plugins = r->set.n;
    if (stats)
        *stats = r->stats;
    for (size_t i = 0; r->vms && i < o.jobs; i++)
        lede_vm_free(r->vms[i]);
    free(r->vms);
    source_finalize(&r->shared);
    for (size_t i = 0; r->readers && i < o.jobs; i++)
        reader_close(&r->readers[i]);
    free(r->readers);
    lede_plugin_set_free(&r->set);
    lede_plugin_path_free(&r->path);
    free(r->computed);
    free(r->opened.v);
    pthread_mutex_destroy(&r->db_lock);
    pthread_mutex_destroy(&r->state_lock);
    pthread_cond_destroy(&r->written_cond);
    free(r);
    return rc;
}
