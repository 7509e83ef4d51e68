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
    char *key;
    int dropped; /* cancelled before it ran: nothing to write */
    size_t n;
    outcome *items;
} result;

/* One article to run; it carries its result, allocated by the feeder, so a
 * worker always has one to hand back. */
typedef struct work {
    lede_article art;
    unsigned char *need; /* per plugin of the set: run it on this article */
    result *res;
} work;

/* Articles travel in batches: one thread hand-off per batch, not per
 * article, keeps wake-ups out of the profile. */
#define BATCH_ARTICLES 32
#define BATCH_BYTES ((size_t)1 << 20)

typedef struct batch {
    uint64_t seq;
    size_t n, bytes;
    work *items[BATCH_ARTICLES];
} batch;

typedef struct run {
    lede_engine *engine;
    sqlite3 *db;
    const lede_run_opts *opts;
    lede_plugin_set set;
    lede_plugin_path path;
    int64_t run_id;
    pthread_mutex_t db_lock;
    sqlite3_stmt *read_spans; /* shared by workers, under db_lock */
    /* A WAL file is also opened read-only for the reads of an article pass
     * (the feeder's articles, the workers' stored spans), so that they never
     * wait for the writer, which holds db_lock over a whole batch. */
    sqlite3 *reader_db;          /* NULL: reads share db under db_lock */
    pthread_mutex_t reader_lock;
    sqlite3_stmt *reader_spans;  /* read_spans on reader_db */
    int apart;                   /* reads go to reader_db: set while an article pass runs */
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
    lede_vm **vms;      /* one per worker, kept across phases; vms[0] also runs corpus passes */
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

static int db_fail(run *r, const char *what)
{
    char msg[ERR_CAP];
    snprintf(msg, sizeof msg, "%s: %s: %s", r->engine->path ? r->engine->path : ":memory:", what,
             sqlite3_errmsg(r->db));
    set_fatal(r, LEDE_EDB, msg);
    return LEDE_EDB;
}

static int exec_sql(run *r, const char *sql)
{
    return sqlite3_exec(r->db, sql, NULL, NULL, NULL) == SQLITE_OK ? LEDE_OK : db_fail(r, sql);
}

/* ---- the connection reads go through ---- */

/* The spans of one layer of an article, for read_stored, on either connection. */
static const char READ_SPANS_SQL[] = "SELECT start, \"end\", attrs FROM annotation WHERE article_id = ?1 "
                                     "AND layer = ?2 ORDER BY start, \"end\", id";

static sqlite3 *read_db(run *r) { return r->apart ? r->reader_db : r->db; }
static pthread_mutex_t *read_lock(run *r) { return r->apart ? &r->reader_lock : &r->db_lock; }

static int is_wal(sqlite3 *db)
{
    sqlite3_stmt *st;
    int wal = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        wal = sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
    sqlite3_finalize(st);
    return wal;
}

/* Opens reader_db when the database is a WAL file (in memory, or with a
 * rollback journal, reads stay on the engine's connection). */
static void reader_open(run *r)
{
    const char *file = sqlite3_db_filename(r->db, "main");
    if (file == NULL || *file == '\0' || !is_wal(r->db))
        return;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, READ_SPANS_SQL, -1, &r->reader_spans, NULL) != SQLITE_OK) {
        sqlite3_close(db); /* reads then simply share the engine's connection */
        return;
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite3_exec(db, "PRAGMA mmap_size = 1073741824", NULL, NULL, NULL);
    r->reader_db = db;
}

static void reader_close(run *r)
{
    sqlite3_finalize(r->reader_spans);
    sqlite3_close(r->reader_db);
}

/* ---- stored spans, read by workers (and by the corpus VM) ---- */

static int read_stored(void *ud, int64_t article_id, const char *layer, lede_spans *out)
{
    run *r = ud;
    int rc = LEDE_OK;
    pthread_mutex_t *lock = read_lock(r);
    pthread_mutex_lock(lock);
    sqlite3_stmt *st = r->apart ? r->reader_spans : r->read_spans;
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
    pthread_mutex_unlock(lock);
    return rc;
}

/* ---- workers ---- */

typedef struct worker {
    run *r;
    lede_vm *vm;
    pthread_t thread;
} worker;

static int new_vm(run *r, lede_vm **vm)
{
    char err[ERR_CAP];
    lede_span_reader reader = {read_stored, r};
    int rc = lede_vm_new(vm, &r->set, &r->path, &r->opts->limits, reader, err, sizeof err);
    if (rc != LEDE_OK)
        set_fatal(r, rc, err);
    return rc;
}

static void result_free(result *res)
{
    if (res == NULL)
        return;
    for (size_t i = 0; i < res->n; i++) {
        lede_spans_free(&res->items[i].spans);
        lede_failure_clear(&res->items[i].fail);
    }
    free(res->items);
    free(res->key);
    free(res);
}

static void work_free(work *w)
{
    lede_article_clear(&w->art);
    free(w->need);
    result_free(w->res);
    free(w);
}

static work *work_new(size_t n_plugins)
{
    work *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->need = malloc(n_plugins + 1);
    w->res = calloc(1, sizeof *w->res);
    if (w->need == NULL || w->res == NULL || (w->res->items = calloc(n_plugins + 1, sizeof(outcome))) == NULL) {
        work_free(w);
        return NULL;
    }
    return w;
}

/* Runs the phase's plugins that `w` needs into w->res, which then owns
 * their spans and the article's key. */
static void process(worker *wk, work *w)
{
    run *r = wk->r;
    result *res = w->res;
    res->article_id = w->art.id;
    res->key = w->art.key;
    w->art.key = NULL;
    if (r->cancel || wk->vm == NULL) {
        res->dropped = 1;
        return;
    }
    lede_article art = w->art; /* borrowed by the VM for the article */
    art.key = res->key;
    lede_vm_begin_article(wk->vm, &art);
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
        new_vm(r, &wk->vm);
    }
}

static void batch_free(batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        work_free(b->items[i]);
    free(b);
}

static void *worker_main(void *arg)
{
    worker *wk = arg;
    run *r = wk->r;
    batch *b;
    while ((b = queue_pop(&r->work_q)) != NULL) {
        for (size_t i = 0; i < b->n; i++) {
            process(wk, b->items[i]);
            lede_article_clear(&b->items[i]->art); /* the writer needs only the result */
        }
        queue_push(&r->result_q, b);
    }
    return NULL;
}

/* ---- the writer ---- */

typedef struct writer {
    run *r;
    pthread_t thread;
    sqlite3_stmt *del_layer, *put_state, *del_state;
    size_t in_batch;
    int in_txn;
} writer;

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
    sqlite3_bind_int64(wr->put_state, 1, res->article_id);
    sqlite3_bind_text(wr->put_state, 2, p->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(wr->put_state, 3, p->version, -1, SQLITE_STATIC);
    sqlite3_bind_text(wr->put_state, 4, p->state_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(wr->put_state, 5, r->run_id);
    int rc = sqlite3_step(wr->put_state);
    sqlite3_reset(wr->put_state);
    return rc == SQLITE_DONE ? LEDE_OK : db_fail(r, "cannot record plugin state");
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
    if (rc == LEDE_OK && res->n && r->opts->fail_fast) {
        for (size_t i = 0; i < res->n; i++)
            if (res->items[i].status != LEDE_OK)
                r->cancel = 1;
    }
    if (rc == LEDE_OK && ++wr->in_batch >= WRITE_BATCH) {
        rc = lede_store_commit(r->engine) == LEDE_OK ? LEDE_OK : db_fail(r, "cannot commit");
        wr->in_txn = 0;
        wr->in_batch = 0;
    }
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
                if (write_result(wr, cur->items[i]->res) != LEDE_OK)
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
        if (ok && lede_store_commit(r->engine) != LEDE_OK)
            db_fail(r, "cannot commit");
        else if (!ok)
            lede_store_rollback(r->engine);
    }
    pthread_mutex_unlock(&r->db_lock);
    return NULL;
}

/* ---- the feeder: which articles need which plugins ---- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Ids of the articles whose state for plugin p is current, sorted. */
static int current_ids(run *r, const lede_plugin *p, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
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
    size_t cap = 0;
    int rc = LEDE_OK;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            int64_t *bigger = realloc(*ids, (cap = cap ? cap * 2 : 256) * sizeof **ids);
            if (bigger == NULL) {
                rc = LEDE_ENOMEM;
                break;
            }
            *ids = bigger;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (*n > 1)
        qsort(*ids, *n, sizeof **ids, cmp_i64);
    return rc;
}

/* Moves the cursor `st` (articles in id order) on to article `id` and reads
 * it.  *row is the cursor's last step.  Returns LEDE_OK, LEDE_ENOTFOUND
 * (deleted meanwhile), LEDE_ENOMEM or LEDE_EDB.  Called with the read lock
 * held. */
static int fetch_article(sqlite3_stmt *st, int *row, int64_t id, lede_article *a)
{
    while (*row == SQLITE_ROW && sqlite3_column_int64(st, 0) < id)
        *row = sqlite3_step(st);
    if (*row != SQLITE_ROW)
        return *row == SQLITE_DONE ? LEDE_ENOTFOUND : LEDE_EDB;
    if (sqlite3_column_int64(st, 0) != id)
        return LEDE_ENOTFOUND;
    return lede_article_from_row(a, st);
}

typedef struct phase_plan {
    int64_t *ids; /* every article, in id order */
    size_t n_ids;
    int64_t **current; /* per plugin: sorted ids whose results are current */
    size_t *n_current;
} phase_plan;

static void plan_free(phase_plan *pl, size_t n_plugins)
{
    for (size_t p = 0; pl->current && p < n_plugins; p++)
        free(pl->current[p]);
    free(pl->current);
    free(pl->n_current);
    free(pl->ids);
}

static int plan_phase(run *r, phase_plan *pl)
{
    memset(pl, 0, sizeof *pl);
    size_t n = r->set.n;
    pl->current = calloc(n + 1, sizeof *pl->current);
    pl->n_current = calloc(n + 1, sizeof *pl->n_current);
    if (pl->current == NULL || pl->n_current == NULL)
        return LEDE_ENOMEM;
    int rc = LEDE_OK;
    for (size_t p = 0; p < n && rc == LEDE_OK; p++)
        if (r->set.items[p]->phase == r->phase && r->set.items[p]->has_article)
            rc = current_ids(r, r->set.items[p], &pl->current[p], &pl->n_current[p]);
    sqlite3_stmt *st;
    if (rc != LEDE_OK)
        return rc;
    /* The ids from the index on key, sorted here: in the table itself each
     * row fills about a page, and reading them all cost more than a no-op
     * plugin's whole pass. */
    if (sqlite3_prepare_v2(r->db, "SELECT id FROM article INDEXED BY sqlite_autoindex_article_1", -1, &st, NULL) !=
        SQLITE_OK)
        return db_fail(r, "cannot list articles");
    size_t cap = 0;
    while (rc == LEDE_OK && sqlite3_step(st) == SQLITE_ROW) {
        if (pl->n_ids == cap) {
            int64_t *bigger = realloc(pl->ids, (cap = cap ? cap * 2 : 1024) * sizeof *bigger);
            if (bigger == NULL) {
                rc = LEDE_ENOMEM;
                break;
            }
            pl->ids = bigger;
        }
        pl->ids[pl->n_ids++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (pl->n_ids > 1)
        qsort(pl->ids, pl->n_ids, sizeof *pl->ids, cmp_i64);
    return rc;
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
        if (pl->n_current[p] && bsearch(&id, pl->current[p], pl->n_current[p], sizeof id, cmp_i64)) {
            r->stats.current++;
            continue;
        }
        need[p] = 1;
        k++;
    }
    return k;
}

/* Reads the next batch of articles needing work, from pl->ids[*next] on,
 * under one hold of the read lock, with one cursor walking the articles in
 * id order (a lookup per article cost more than the articles' rows).  *out
 * is NULL when there are none left. */
static int fill_batch(run *r, const phase_plan *pl, size_t *next, sqlite3_stmt *st, unsigned char *need,
                      batch **out)
{
    batch *b = calloc(1, sizeof *b);
    *out = NULL;
    if (b == NULL)
        return LEDE_ENOMEM;
    int rc = LEDE_OK, row = SQLITE_DONE, started = 0;
    pthread_mutex_lock(read_lock(r));
    for (; *next < pl->n_ids && b->n < BATCH_ARTICLES && b->bytes < BATCH_BYTES && rc == LEDE_OK; ++*next) {
        if (needs(r, pl, pl->ids[*next], need) == 0)
            continue;
        work *w = work_new(r->set.n);
        if (w == NULL) {
            rc = LEDE_ENOMEM;
            break;
        }
        memcpy(w->need, need, r->set.n);
        if (!started) { /* the cursor starts at the batch's first article */
            sqlite3_bind_int64(st, 1, pl->ids[*next]);
            row = sqlite3_step(st);
            started = 1;
        }
        rc = fetch_article(st, &row, pl->ids[*next], &w->art);
        if (rc == LEDE_OK) {
            b->items[b->n++] = w;
            b->bytes += w->art.len;
        } else {
            work_free(w);
            if (rc == LEDE_ENOTFOUND) /* deleted meanwhile */
                rc = LEDE_OK;
        }
    }
    sqlite3_reset(st); /* ends the read: the writer's checkpoints may go on */
    pthread_mutex_unlock(read_lock(r));
    if (rc != LEDE_OK || b->n == 0) {
        batch_free(b);
        return rc;
    }
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
    sqlite3_stmt *st;
    pthread_mutex_lock(read_lock(r));
    int prepared = sqlite3_prepare_v2(read_db(r),
                                      "SELECT id, key, source, url, title, published, language, text FROM article "
                                      "WHERE id >= ?1 ORDER BY id",
                                      -1, &st, NULL);
    pthread_mutex_unlock(read_lock(r));
    if (prepared != SQLITE_OK)
        return db_fail(r, "cannot read articles");
    unsigned char *need = malloc(r->set.n + 1);
    int rc = need ? LEDE_OK : LEDE_ENOMEM;
    size_t next = 0;
    for (uint64_t seq = 0; rc == LEDE_OK && !r->cancel; seq++) {
        batch *b;
        rc = fill_batch(r, pl, &next, st, need, &b);
        if (b == NULL)
            break;
        send_batch(r, b, seq);
        if (r->opts->progress && r->opts->progress(r->opts->ud, next, pl->n_ids))
            set_fatal(r, LEDE_ECANCEL, "cancelled");
    }
    free(need);
    pthread_mutex_lock(read_lock(r));
    if (rc == LEDE_EDB) {
        char msg[ERR_CAP];
        snprintf(msg, sizeof msg, "%s: cannot read articles: %s", r->engine->path ? r->engine->path : ":memory:",
                 sqlite3_errmsg(read_db(r)));
        set_fatal(r, rc, msg);
    }
    sqlite3_finalize(st);
    pthread_mutex_unlock(read_lock(r));
    if (rc == LEDE_ENOMEM)
        set_fatal(r, rc, "out of memory while reading articles");
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
    if (sqlite3_prepare_v2(r->db, "DELETE FROM annotation WHERE article_id = ?1 AND layer = ?2", -1, &wr->del_layer,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(r->db,
                           "INSERT OR REPLACE INTO plugin_state (article_id, plugin, version, source_hash, run_id) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)",
                           -1, &wr->put_state, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(r->db, "DELETE FROM plugin_state WHERE article_id = ?1 AND plugin = ?2", -1,
                           &wr->del_state, NULL) != SQLITE_OK)
        return db_fail(r, "cannot prepare the writer");
    return LEDE_OK;
}

static void writer_finalize(writer *wr)
{
    sqlite3_finalize(wr->del_layer);
    sqlite3_finalize(wr->put_state);
    sqlite3_finalize(wr->del_state);
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
    writer wr = {.r = r};
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
        if (r->vms[i] == NULL)
            rc = new_vm(r, &r->vms[i]);
        workers[i].vm = r->vms[i];
    }
    r->written = 0;
    r->window = 2 * (size_t)jobs + 4; /* batches */
    r->apart = r->reader_db != NULL;  /* before the threads start: they see it set */
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
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        art_digest *v = realloc(d->v, cap * sizeof *v);
        if (v == NULL)
            return LEDE_ENOMEM;
        d->v = v;
        d->cap = cap;
    }
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
    for (size_t i = 0; rc == LEDE_OK && i < vm->corpus_out.n; i++) {
        const lede_span *s = &vm->corpus_out.v[i];
        const lede_layer_def *layer = &pg->layers[s->layer];
        if (!layer->rows) {
            rc = lede_store_annotation_insert(r->engine, s->article_id, layer->name, s->start, s->end, s->attrs, cid);
            ++*n_spans;
            continue;
        }
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
        if (*vm == NULL && new_vm(r, vm) != LEDE_OK)
            return r->fatal_code;
        lede_failure fail = {0};
        int status = lede_vm_run_corpus(*vm, p, r->db, &fail);
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
    /* Articles are read once each, in order: mapped pages spare a copy and a
     * system call per page. */
    sqlite3_exec(r->db, "PRAGMA mmap_size = 1073741824", NULL, NULL, NULL);
    r->computed = calloc(r->set.n + 1, sizeof *r->computed);
    r->vms = calloc(o->jobs, sizeof *r->vms);
    if (r->computed == NULL || r->vms == NULL)
        return lede_engine_fail(r->engine, LEDE_ENOMEM, "out of memory");
    if (sqlite3_prepare_v2(r->db, READ_SPANS_SQL, -1, &r->read_spans, NULL) != SQLITE_OK)
        return lede_engine_fail(r->engine, LEDE_EDB, "%s", sqlite3_errmsg(r->db));
    reader_open(r);
    /* The first VM proves every plugin loads and sets up before anything is written. */
    lede_span_reader reader = {read_stored, r};
    rc = lede_vm_new(&r->vms[0], &r->set, &r->path, &o->limits, reader, err, sizeof err);
    if (rc != LEDE_OK)
        return lede_engine_fail(r->engine, rc, "%s", err);
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

/* Articles opened by at least one plugin in this run: an article meets one
 * result per phase, so the writer cannot count them as they pass. */
static uint64_t count_opened_articles(run *r)
{
    sqlite3_stmt *st = NULL;
    uint64_t n = 0;
    if (sqlite3_prepare_v2(r->db,
                           /* not a scan of article, whose rows are large */
                           "SELECT count(*) FROM (SELECT article_id FROM plugin_state WHERE run_id = ?1 UNION "
                           "SELECT a.id FROM problem p JOIN article a ON a.key = p.article_key "
                           "WHERE p.run_id = ?1 AND p.plugin IS NOT NULL)",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, r->run_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = (uint64_t)sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
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
    pthread_mutex_init(&r->reader_lock, NULL);
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
    sqlite3_finalize(r->read_spans);
    reader_close(r);
    lede_plugin_set_free(&r->set);
    lede_plugin_path_free(&r->path);
    free(r->computed);
    pthread_mutex_destroy(&r->db_lock);
    pthread_mutex_destroy(&r->reader_lock);
    pthread_mutex_destroy(&r->state_lock);
    pthread_cond_destroy(&r->written_cond);
    free(r);
    return rc;
}
