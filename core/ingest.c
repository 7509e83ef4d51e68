/* Ingest: files, directories, JSON Lines and standard input into the store.
 *
 * lede_ingest_path runs a small pipeline.  A reader thread lists nothing and
 * writes nothing: it reads inputs, parses JSON Lines, hashes, cleans and
 * analyses each article into an item; the calling thread takes items in
 * order, skips unchanged ones and writes the rest in batched transactions.
 * Items are bounded in number and bytes, so memory is bounded by the batch
 * in flight, not the corpus.  Before analysing, the reader asks its own
 * read-only connection whether the article is unchanged (file databases
 * only), so a re-run costs little more than reading; the writer's own check
 * stays authoritative.  See ingest.h for the decisions taken. */
#define _POSIX_C_SOURCE 200809L

#include "ingest.h"

#include "doc.h"
#include "engine.h"
#include "grow.h"
#include "hash.h"
#include "jsonrec.h"
#include "store.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define QUEUE_MAX_ITEMS 64
#define QUEUE_MAX_BYTES ((size_t)32 << 20)
#define READ_CHUNK ((size_t)1 << 20)
#define MESSAGE_MAX 512
#define WHERE_MAX 4352

/* ---- small helpers ------------------------------------------------------ */

/* Offset of the first invalid UTF-8 sequence of s[0, n), or n. */
static size_t utf8_check(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        uint64_t word;
        if (i + 8 <= n && (memcpy(&word, s + i, 8), (word & 0x8080808080808080ull) == 0)) {
            i += 8;
            continue;
        }
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned lo = 0x80, hi = 0xBF; /* range of the second byte */
        if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            lo = c == 0xE0 ? 0xA0 : 0x80; /* no overlong forms */
            hi = c == 0xED ? 0x9F : 0xBF; /* no surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF; /* nothing above U+10FFFF */
        } else
            return i;
        if (n - i <= need || s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        i += need + 1;
    }
    return n;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f' && s[i] != '\v')
            return 0;
    return 1;
}

/* A UTF-8 byte order mark, which some editors put at the start of a file. */
static int has_bom(const char *s, size_t n)
{
    return n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* "a" + "/" + "b" without doubling a trailing slash of `a`.  malloc'd. */
static char *path_join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    int slash = na > 0 && a[na - 1] != '/';
    char *p = malloc(na + slash + nb + 1);
    if (p) {
        memcpy(p, a, na);
        if (slash)
            p[na] = '/';
        memcpy(p + na + slash, b, nb + 1);
    }
    return p;
}

/* ---- items: one article (or one rejected input) on its way to the store -- */

enum item_kind { ITEM_ARTICLE, ITEM_REJECT };

typedef struct item {
    struct item *next;
    enum item_kind kind;
    int status;             /* why rejected: LEDE_EINVAL, LEDE_EUTF8, LEDE_ELIMIT, ... */
    int hashed;             /* `hash` is valid: an unchanged article is never rejected */
    lede_article_meta meta;
    const char *where;      /* "file" or "file:line" */
    const char *file;       /* for "file@byte" */
    uint64_t line;          /* JSON Lines line number, 0 otherwise */
    char *strings;          /* owns meta, where and file once adopted */
    const char *raw;        /* input text as given */
    size_t raw_len;
    uint64_t raw_base;      /* input offset of raw[0] (a byte order mark skipped) */
    int raw_owned;
    uint64_t hash;
    int known_unchanged;    /* the reader's pre-check found the same hash */
    lede_doc *doc;          /* analysis; owns the clean text */
    uint64_t repairs;       /* invalid UTF-8 sequences replaced */
    uint64_t bad_offset;    /* input byte of the first one */
    uint64_t done;          /* input bytes consumed once this item is stored */
    size_t weight;          /* bytes held, for the queue bound */
    char message[MESSAGE_MAX];
} item;

static item *item_new(void)
{
    return calloc(1, sizeof(item));
}

static void item_drop_raw(item *it)
{
    if (it->raw_owned)
        free((char *)it->raw);
    it->raw = NULL;
    it->raw_len = 0;
    it->raw_owned = 0;
}

static void item_free(item *it)
{
    if (!it)
        return;
    lede_doc_free(it->doc);
    item_drop_raw(it);
    free(it->strings);
    free(it);
}

static void item_reject(item *it, int status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void item_reject(item *it, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->message, sizeof it->message, fmt, ap);
    va_end(ap);
    it->kind = ITEM_REJECT;
    it->status = status;
    lede_doc_free(it->doc);
    it->doc = NULL;
    item_drop_raw(it);
}

/* Copies the borrowed meta strings, where and file into one block the item
 * owns.  Returns LEDE_OK or LEDE_ENOMEM. */
static int item_adopt_strings(item *it)
{
    const char **fields[] = {&it->meta.key,       &it->meta.source,     &it->meta.url,
                             &it->meta.title,     &it->meta.published,  &it->meta.language,
                             &it->meta.extra_json, &it->meta.origin,    &it->where,
                             &it->file};
    size_t n = sizeof fields / sizeof *fields, total = 1;
    for (size_t i = 0; i < n; i++)
        total += *fields[i] ? strlen(*fields[i]) + 1 : 0;
    char *p = it->strings = malloc(total);
    if (!p)
        return LEDE_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!*fields[i])
            continue;
        size_t len = strlen(*fields[i]) + 1;
        memcpy(p, *fields[i], len);
        *fields[i] = p;
        p += len;
    }
    return LEDE_OK;
}

/* Cheap checks, then the content hash: all that is needed to skip an
 * unchanged article. */
static void item_check(item *it)
{
    if (it->raw_len > LEDE_INGEST_MAX_BYTES)
        item_reject(it, LEDE_ELIMIT, "text of %zu MiB is over the %zu MiB limit", it->raw_len >> 20,
                    LEDE_INGEST_MAX_BYTES >> 20);
    else if (it->raw_len == 0)
        item_reject(it, LEDE_EINVAL, "empty: no text");
    else if (is_blank(it->raw, it->raw_len))
        item_reject(it, LEDE_EINVAL, "no text, only white space");
    else if (memchr(it->raw, 0, it->raw_len) || lede_text_is_binary(it->raw, it->raw_len))
        item_reject(it, LEDE_EINVAL, "binary data (NUL or control bytes), not text");
    else {
        it->hash = lede_store_content_hash(&it->meta, it->raw, it->raw_len);
        it->hashed = 1;
    }
}

/* Cleans (UTF-8 repair, NFC) and analyses the text.  Returns LEDE_OK, the
 * item possibly rejected, or LEDE_ENOMEM. */
static int item_analyze(item *it, lede_tokenizer *tk, int strict)
{
    char *clean = NULL;
    size_t clean_len = 0, repairs = 0, first_bad = 0;
    int status = lede_text_clean(&clean, &clean_len, &repairs, &first_bad, it->raw, it->raw_len);
    if (status != LEDE_OK)
        return status;
    if (repairs && strict) {
        free(clean);
        item_reject(it, LEDE_EUTF8, "invalid UTF-8 at byte %llu (strict: not repaired)",
                    (unsigned long long)(it->raw_base + first_bad));
        return LEDE_OK;
    }
    if (repairs) {
        it->repairs += repairs;
        it->bad_offset = it->raw_base + first_bad;
    }
    status = lede_doc_analyze_owned(&it->doc, tk, clean, clean_len);
    if (status == LEDE_ENOMEM)
        return status;
    if (status != LEDE_OK)
        item_reject(it, status, "cannot analyse the text: %s", lede_errstr(status));
    else
        item_drop_raw(it);
    return LEDE_OK;
}

/* ---- the writing side (calling thread) ------------------------------------ */

typedef struct job {
    lede_engine *engine;
    lede_ingest_opts opts;
    lede_ingest_stats stats;
    int64_t run_id;         /* 0: no run row (lede_ingest_buffer) */
    uint64_t total;         /* input bytes, 0 when unknown */
    char first_reject[MESSAGE_MAX];
} job;

static int job_init(job *j, lede_engine *engine, const lede_ingest_opts *opts)
{
    static const lede_ingest_opts defaults = LEDE_INGEST_OPTS_INIT;
    memset(j, 0, sizeof *j);
    j->engine = engine;
    if (opts && opts->version != LEDE_INGEST_OPTS_VERSION)
        return lede_engine_fail(engine, LEDE_EINVAL, "ingest options version %d, expected %d", opts->version,
                                LEDE_INGEST_OPTS_VERSION);
    j->opts = opts ? *opts : defaults;
    if (j->opts.batch == 0)
        j->opts.batch = LEDE_INGEST_DEFAULT_BATCH;
    if (engine->flags & LEDE_OPEN_READONLY)
        return lede_engine_fail(engine, LEDE_EREADONLY, "%s: cannot ingest: database opened read-only",
                                engine->path);
    return LEDE_OK;
}

static void job_diag(job *j, int severity, const char *where, const char *message)
{
    if (j->opts.diag)
        j->opts.diag(j->opts.ud, severity, where, message);
}

/* A rejected input: reported, counted and, within a run, recorded. */
static int job_problem(job *j, const char *key, const char *where, const char *message)
{
    j->stats.rejected++;
    job_diag(j, LEDE_DIAG_ERROR, where, message);
    if (!j->first_reject[0])
        /* both cut so that the pair always fits (a long `where` is a path) */
        snprintf(j->first_reject, sizeof j->first_reject, "%.*s: %.*s", 200, where, MESSAGE_MAX - 203, message);
    if (!j->run_id)
        return LEDE_OK;
    lede_store_problem p = {j->run_id, NULL, key, where, message, NULL};
    return lede_store_problem_add(j->engine, &p);
}

static void job_warn_repairs(job *j, const item *it)
{
    char where[WHERE_MAX], message[MESSAGE_MAX];
    snprintf(where, sizeof where, "%s@%llu", it->file, (unsigned long long)it->bad_offset);
    if (it->line)
        snprintf(message, sizeof message, "line %llu: %llu invalid UTF-8 sequence(s) replaced by U+FFFD",
                 (unsigned long long)it->line, (unsigned long long)it->repairs);
    else
        snprintf(message, sizeof message, "%llu invalid UTF-8 sequence(s) replaced by U+FFFD",
                 (unsigned long long)it->repairs);
    job_diag(j, LEDE_DIAG_WARNING, where, message);
}

static int item_put(job *j, item *it, int64_t replace_id)
{
    size_t n_blocks = 0, n_sentences = 0, n_tokens = 0, len = 0;
    const char *text = lede_doc_text(it->doc, &len);
    lede_doc_blocks(it->doc, &n_blocks);
    lede_doc_sentences(it->doc, &n_sentences);
    lede_doc_tokens(it->doc, &n_tokens);
    lede_store_article a = {&it->meta, text, len, it->hash, (uint32_t)n_blocks, (uint32_t)n_sentences,
                            (uint32_t)n_tokens, it->repairs, replace_id};
    int status = lede_store_article_put(NULL, j->engine, &a);
    if (status != LEDE_OK)
        return status;
    j->stats.bytes += len;
    if (it->repairs) {
        j->stats.repaired++;
        job_warn_repairs(j, it);
    }
    return LEDE_OK;
}

/* Stores one item: the unchanged check first, analysis if the reader did
 * not do it, then insert or replace.  Returns LEDE_OK (whatever the
 * outcome) or the error that must stop the job. */
static int item_store(lede_ingest_outcome *outcome, job *j, item *it)
{
    int64_t id = 0;
    uint64_t old = 0;
    int status = LEDE_ENOTFOUND;

    *outcome = LEDE_INGEST_REJECTED;
    if (it->hashed) {
        status = lede_store_article_find(&id, &old, j->engine, it->meta.key);
        if (status != LEDE_OK && status != LEDE_ENOTFOUND)
            return status;
        if (status == LEDE_OK && old == it->hash) {
            j->stats.unchanged++;
            *outcome = LEDE_INGEST_UNCHANGED;
            return LEDE_OK;
        }
    }
    if (it->kind == ITEM_ARTICLE && !it->doc) {
        lede_tokenizer *tk = NULL;
        status = lede_engine_tokenizer(&tk, j->engine, it->meta.language);
        if (status == LEDE_OK)
            status = item_analyze(it, tk, j->opts.strict);
        if (status != LEDE_OK)
            return status;
    }
    if (it->kind == ITEM_REJECT)
        return job_problem(j, it->meta.key, it->where, it->message);
    status = item_put(j, it, id);
    if (status != LEDE_OK)
        return status;
    *outcome = id ? LEDE_INGEST_REPLACED : LEDE_INGEST_ADDED;
    if (id)
        j->stats.replaced++;
    else
        j->stats.added++;
    return LEDE_OK;
}

/* ---- lede_ingest_buffer --------------------------------------------------- */

/* Checks the caller's metadata: a key, valid UTF-8, extra_json an object. */
static int buffer_check_meta(item *it, const lede_article_meta *m)
{
    const char *names[] = {"key", "source", "url", "title", "published", "language", "extra_json", "origin"};
    const char *values[] = {m->key, m->source, m->url, m->title, m->published, m->language, m->extra_json,
                            m->origin};
    if (!m->key || !m->key[0]) {
        item_reject(it, LEDE_EINVAL, "article without a key");
        return -1;
    }
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        if (values[i] && utf8_check(values[i], strlen(values[i])) != strlen(values[i])) {
            item_reject(it, LEDE_EINVAL, "%s is not valid UTF-8", names[i]);
            return -1;
        }
    }
    if (m->extra_json) {
        json_t *extra = json_loads(m->extra_json, 0, NULL);
        int ok = json_is_object(extra);
        json_decref(extra);
        if (!ok) {
            item_reject(it, LEDE_EINVAL, "extra_json is not a JSON object");
            return -1;
        }
    }
    return 0;
}

int lede_ingest_buffer(lede_ingest_outcome *outcome, lede_engine *engine, const lede_article_meta *meta,
                       const char *text, size_t len, const lede_ingest_opts *opts)
{
    lede_ingest_outcome ignored;
    job j;
    item it;

    outcome = outcome ? outcome : &ignored;
    *outcome = LEDE_INGEST_REJECTED;
    int status = job_init(&j, engine, opts);
    if (status != LEDE_OK)
        return status;
    if (!meta || (!text && len))
        return lede_engine_fail(engine, LEDE_EINVAL, "lede_ingest_buffer: %s is NULL", meta ? "text" : "meta");
    memset(&it, 0, sizeof it);
    it.meta = *meta;
    if (it.meta.language && !it.meta.language[0])
        it.meta.language = NULL;
    it.where = it.file = meta->origin ? meta->origin : meta->key ? meta->key : "buffer";
    it.raw = text;
    it.raw_len = len;
    if (buffer_check_meta(&it, meta) == 0)
        item_check(&it);
    status = item_store(outcome, &j, &it);
    lede_doc_free(it.doc);
    if (status == LEDE_OK && *outcome == LEDE_INGEST_REJECTED)
        status = lede_engine_fail(engine, it.status, "%s: %s", it.where, it.message);
    return status;
}

/* ---- reading input ---------------------------------------------------------- */

typedef struct reader {
    int fd;
    char *buf;
    size_t cap, beg, end;   /* unread input is buf[beg, end) */
    uint64_t offset;        /* input offset of buf[beg] */
    int eof;
} reader;

static int reader_init(reader *r, int fd, size_t cap)
{
    memset(r, 0, sizeof *r);
    r->fd = fd;
    r->cap = cap;
    r->buf = malloc(cap);
    return r->buf ? LEDE_OK : LEDE_ENOMEM;
}

/* Reads more input after buf[end], first moving unread bytes to the front
 * or growing the buffer when it is full.  Sets errno on LEDE_EIO. */
static int reader_fill(reader *r)
{
    if (r->end == r->cap && r->beg > 0) {
        memmove(r->buf, r->buf + r->beg, r->end - r->beg);
        r->end -= r->beg;
        r->beg = 0;
    }
    if (r->end == r->cap) {
        size_t cap = r->cap < READ_CHUNK ? READ_CHUNK : r->cap * 2;
        char *buf = realloc(r->buf, cap);
        if (!buf)
            return LEDE_ENOMEM;
        r->buf = buf;
        r->cap = cap;
    }
    ssize_t n;
    do
        n = read(r->fd, r->buf + r->end, r->cap - r->end);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return LEDE_EIO;
    if (n == 0)
        r->eof = 1;
    r->end += (size_t)n;
    return LEDE_OK;
}

static void reader_consume(reader *r, size_t n)
{
    r->beg += n;
    r->offset += n;
}

/* Discards input up to and including the next newline. */
static int reader_skip_line(reader *r)
{
    for (;;) {
        char *nl = memchr(r->buf + r->beg, '\n', r->end - r->beg);
        if (nl) {
            reader_consume(r, (size_t)(nl - (r->buf + r->beg)) + 1);
            return LEDE_ELIMIT;
        }
        reader_consume(r, r->end - r->beg);
        if (r->eof)
            return LEDE_ELIMIT;
        int status = reader_fill(r);
        if (status != LEDE_OK)
            return status;
    }
}

/* Next line, without its "\n" or "\r\n", valid until the next call.
 * Returns 1 and the line, 0 at the end of input, LEDE_ELIMIT after
 * skipping a line over LEDE_INGEST_MAX_BYTES, or LEDE_EIO / LEDE_ENOMEM. */
static int reader_line(reader *r, const char **line, size_t *len, uint64_t *offset)
{
    size_t scanned = 0; /* unread bytes known to hold no newline */
    for (;;) {
        char *start = r->buf + r->beg;
        size_t avail = r->end - r->beg;
        char *nl = avail > scanned ? memchr(start + scanned, '\n', avail - scanned) : NULL;
        if (nl || (r->eof && avail)) {
            size_t n = nl ? (size_t)(nl - start) : avail;
            *line = start;
            *offset = r->offset;
            reader_consume(r, nl ? n + 1 : n);
            *len = n && start[n - 1] == '\r' ? n - 1 : n;
            return 1;
        }
        if (r->eof)
            return 0;
        scanned = avail;
        if (avail > LEDE_INGEST_MAX_BYTES)
            return reader_skip_line(r);
        int status = reader_fill(r);
        if (status != LEDE_OK)
            return status;
    }
}

/* Reads to the end of input.  The unread bytes stay in buf[beg, end). */
static int reader_read_all(reader *r)
{
    while (!r->eof) {
        if (r->end - r->beg > LEDE_INGEST_MAX_BYTES)
            return LEDE_ELIMIT;
        int status = reader_fill(r);
        if (status != LEDE_OK)
            return status;
    }
    return r->end - r->beg > LEDE_INGEST_MAX_BYTES ? LEDE_ELIMIT : LEDE_OK;
}

/* ---- the queue between reader and writer ----------------------------------- */

typedef struct queue {
    pthread_mutex_t mutex;
    pthread_cond_t changed;
    item *head, *tail;
    size_t count, bytes;
    int finished;           /* the reader is done */
    int stopped;            /* the writer gave up: the reader must stop */
} queue;

static int queue_init(queue *q)
{
    memset(q, 0, sizeof *q);
    if (pthread_mutex_init(&q->mutex, NULL) != 0)
        return LEDE_ENOMEM;
    if (pthread_cond_init(&q->changed, NULL) != 0) {
        pthread_mutex_destroy(&q->mutex);
        return LEDE_ENOMEM;
    }
    return LEDE_OK;
}

static void queue_destroy(queue *q)
{
    while (q->head) {
        item *it = q->head;
        q->head = it->next;
        item_free(it);
    }
    pthread_cond_destroy(&q->changed);
    pthread_mutex_destroy(&q->mutex);
}

/* Hands `it` to the writer, waiting while the queue is full.  Returns -1
 * (and frees the item) when the writer has stopped. */
static int queue_push(queue *q, item *it)
{
    size_t text_len = 0;
    if (it->doc)
        lede_doc_text(it->doc, &text_len);
    it->weight = it->raw_len + text_len;
    pthread_mutex_lock(&q->mutex);
    while (!q->stopped && q->count > 0 && (q->count >= QUEUE_MAX_ITEMS || q->bytes >= QUEUE_MAX_BYTES))
        pthread_cond_wait(&q->changed, &q->mutex);
    int stopped = q->stopped;
    if (!stopped) {
        if (q->tail)
            q->tail->next = it;
        else
            q->head = it;
        q->tail = it;
        q->count++;
        q->bytes += it->weight;
        pthread_cond_broadcast(&q->changed);
    }
    pthread_mutex_unlock(&q->mutex);
    if (stopped)
        item_free(it);
    return stopped ? -1 : 0;
}

/* The next item, or NULL once the reader is done and the queue empty. */
static item *queue_pop(queue *q)
{
    pthread_mutex_lock(&q->mutex);
    while (!q->head && !q->finished)
        pthread_cond_wait(&q->changed, &q->mutex);
    item *it = q->head;
    if (it) {
        q->head = it->next;
        if (!q->head)
            q->tail = NULL;
        q->count--;
        q->bytes -= it->weight;
        pthread_cond_broadcast(&q->changed);
    }
    pthread_mutex_unlock(&q->mutex);
    return it;
}

static void queue_set(queue *q, int *flag)
{
    pthread_mutex_lock(&q->mutex);
    *flag = 1;
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->mutex);
}

/* ---- the reading side (reader thread) --------------------------------------- */

typedef struct source {
    char *path;             /* as opened */
    char *key;              /* relative path or base name */
    uint64_t size;
} source;

typedef struct feed {
    queue q;
    const source *src;
    size_t n_src;
    int from_stdin;
    int strict;
    char *peek_path;        /* database file for the pre-check; NULL in memory */
    sqlite3 *peek_db;
    sqlite3_stmt *peek;
    lede_tokenizer *tk;
    char *tk_lang;
    uint64_t base;          /* input bytes of the files before the current one */
    int status;             /* error that stopped the reader */
    char message[MESSAGE_MAX];
} feed;

static int feed_fail(feed *f, int status, const char *what)
{
    f->status = status;
    snprintf(f->message, sizeof f->message, "%.400s: %s", what, lede_errstr(status));
    return -1;
}

static void feed_peek_open(feed *f)
{
    if (!f->peek_path)
        return;
    if (sqlite3_open_v2(f->peek_path, &f->peek_db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(f->peek_db, "SELECT hash FROM article WHERE key = ?1", -1, &f->peek, NULL) != SQLITE_OK) {
        sqlite3_finalize(f->peek);
        sqlite3_close(f->peek_db);
        f->peek = NULL;
        f->peek_db = NULL;
    }
}

/* Whether the database already holds this key with this hash.  A failed
 * look-up answers no: the writer checks again anyway. */
static int feed_peek(feed *f, const item *it)
{
    uint64_t h = 0;
    int same = 0;
    if (!f->peek)
        return 0;
    sqlite3_bind_text(f->peek, 1, it->meta.key, -1, SQLITE_STATIC);
    if (sqlite3_step(f->peek) == SQLITE_ROW &&
        lede_hash_parse(&h, (const char *)sqlite3_column_text(f->peek, 0)) == 0)
        same = h == it->hash;
    sqlite3_reset(f->peek);
    sqlite3_clear_bindings(f->peek);
    return same;
}

static int feed_tokenizer(lede_tokenizer **out, feed *f, const char *lang)
{
    lang = lang ? lang : "en";
    if (!f->tk || strcmp(f->tk_lang, lang) != 0) {
        lede_tokenizer *tk = NULL;
        char *copy = strdup(lang);
        int status = copy ? lede_tokenizer_new(&tk, lang) : LEDE_ENOMEM;
        if (status != LEDE_OK) {
            free(copy);
            return status;
        }
        lede_tokenizer_free(f->tk);
        free(f->tk_lang);
        f->tk = tk;
        f->tk_lang = copy;
    }
    *out = f->tk;
    return LEDE_OK;
}

/* Checks, pre-checks and analyses an item, then queues it.  -1: stop. */
static int feed_emit(feed *f, item *it)
{
    if (it->kind == ITEM_ARTICLE)
        item_check(it);
    if (it->kind == ITEM_ARTICLE && !(it->known_unchanged = feed_peek(f, it))) {
        lede_tokenizer *tk = NULL;
        int status = feed_tokenizer(&tk, f, it->meta.language);
        if (status == LEDE_OK)
            status = item_analyze(it, tk, f->strict);
        if (status != LEDE_OK) {
            item_free(it);
            return feed_fail(f, status, "cannot analyse an article");
        }
    }
    return queue_push(&f->q, it);
}

/* Queues a rejected whole input (unreadable, too large, ...). */
static int feed_reject_input(feed *f, const char *path, const char *key, uint64_t done, int status,
                             const char *message)
{
    item *it = item_new();
    if (!it)
        return feed_fail(f, LEDE_ENOMEM, path);
    it->meta.key = key;
    it->where = it->file = path;
    it->done = done;
    item_reject(it, status, "%s", message);
    if (item_adopt_strings(it) != LEDE_OK) {
        item_free(it);
        return feed_fail(f, LEDE_ENOMEM, path);
    }
    return queue_push(&f->q, it);
}

static int feed_plain(feed *f, reader *r, const char *path, const char *key, uint64_t done)
{
    int status = reader_read_all(r);
    if (status == LEDE_ELIMIT)
        return feed_reject_input(f, path, key, done, status,
                                 "plain-text input over the 512 MiB limit (split it or use JSON Lines)");
    if (status != LEDE_OK) {
        char message[MESSAGE_MAX];
        snprintf(message, sizeof message, "cannot read: %s", status == LEDE_EIO ? strerror(errno) : lede_errstr(status));
        return feed_reject_input(f, path, key, done, status, message);
    }
    item *it = item_new();
    if (!it)
        return feed_fail(f, LEDE_ENOMEM, path);
    /* Nothing was consumed: the text is buf[0, end), minus a byte order mark. */
    size_t bom = has_bom(r->buf, r->end) ? 3 : 0;
    if (bom)
        memmove(r->buf, r->buf + bom, r->end - bom);
    it->meta.key = key;
    it->meta.origin = it->where = it->file = path;
    it->done = done;
    it->raw = r->buf;
    it->raw_len = r->end - bom;
    it->raw_base = bom;
    it->raw_owned = 1;
    r->buf = NULL;
    if (utf8_check(key, strlen(key)) != strlen(key))
        item_reject(it, LEDE_EINVAL, "file name is not valid UTF-8");
    if (item_adopt_strings(it) != LEDE_OK) {
        item_free(it);
        return feed_fail(f, LEDE_ENOMEM, path);
    }
    return feed_emit(f, it);
}

/* ---- JSON Lines ------------------------------------------------------------- */

enum { F_KEY, F_SOURCE, F_URL, F_TITLE, F_PUBLISHED, F_TEXT, F_LANGUAGE, F_COUNT };

static const struct {
    const char *name, *alias;
    int numbers_ok;
} field_spec[F_COUNT] = {
    [F_KEY] = {"key", "id", 1},
    [F_SOURCE] = {"source", NULL, 0},
    [F_URL] = {"url", NULL, 0},
    [F_TITLE] = {"title", NULL, 0},
    [F_PUBLISHED] = {"published", "date", 1},
    [F_TEXT] = {"text", "body", 0},
    [F_LANGUAGE] = {"language", "lang", 0},
};

/* What one record yields before the item copies it. */
typedef struct record {
    const char *value[F_COUNT];
    size_t member[F_COUNT]; /* 1 + the member each value came from; 0: none */
    size_t text_len;
    char *extra;            /* compact JSON of the other members */
} record;

static int is_field_name(const char *k)
{
    for (int f = 0; f < F_COUNT; f++)
        if (strcmp(k, field_spec[f].name) == 0 || (field_spec[f].alias && strcmp(k, field_spec[f].alias) == 0))
            return 1;
    return 0;
}

static const lede_jmember *find_member(const lede_jmember *m, size_t n, const char *name, size_t *at)
{
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(m[i].key, name) == 0) {
            *at = i;
            return &m[i];
        }
    return NULL;
}

/* Reads field f from member `name`: 1 found, 0 absent (or null), -1 wrong
 * type. */
static int record_field(record *rec, const lede_jmember *m, size_t n, int f, const char *name)
{
    size_t at;
    const lede_jmember *v = find_member(m, n, name, &at);
    if (!v || v->kind == LEDE_JV_NULL)
        return 0;
    int number = v->kind == LEDE_JV_INTEGER || v->kind == LEDE_JV_REAL;
    if (v->kind != LEDE_JV_STRING && !(number && field_spec[f].numbers_ok))
        return -1;
    rec->value[f] = v->text;
    if (f == F_TEXT)
        rec->text_len = v->len;
    rec->member[f] = at + 1;
    return 1;
}

/* Every member not read as a field (unknown fields, unused aliases), as a
 * compact JSON object in member order; NULL when there is none. */
static int record_extra(record *rec, const lede_jrecord *jr)
{
    size_t n;
    const lede_jmember *m = lede_jrecord_members(jr, &n);
    unsigned char *keep = malloc(n + 1);
    if (!keep)
        return LEDE_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int used = 0;
        for (int f = 0; f < F_COUNT && !used; f++)
            used = rec->member[f] == i + 1;
        keep[i] = !(used || (m[i].kind == LEDE_JV_NULL && is_field_name(m[i].key)));
    }
    int status = lede_jrecord_subset(&rec->extra, jr, keep);
    free(keep);
    return status;
}

/* Fills the item from a parsed record; rejects it when the record lacks a
 * key or text.  Returns LEDE_OK or LEDE_ENOMEM. */
static int record_to_item(item *it, record *rec, const lede_jrecord *jr)
{
    size_t n;
    const lede_jmember *m = lede_jrecord_members(jr, &n);
    for (int f = 0; f < F_COUNT; f++) {
        const char *name = field_spec[f].name;
        int found = record_field(rec, m, n, f, name);
        if (found == 0)
            found = record_field(rec, m, n, f, name = field_spec[f].alias);
        if (found < 0) {
            item_reject(it, LEDE_EPARSE, "field \"%s\" must be a string%s", name,
                        field_spec[f].numbers_ok ? " or a number" : "");
            return LEDE_OK;
        }
    }
    if (!rec->value[F_KEY] || !rec->value[F_KEY][0]) {
        item_reject(it, LEDE_EINVAL, "no \"key\" or \"id\" (each JSON Lines record needs a unique key)");
        return LEDE_OK;
    }
    it->meta.key = rec->value[F_KEY];
    if (!rec->value[F_TEXT]) {
        item_reject(it, LEDE_EINVAL, "no \"text\" or \"body\"");
        return LEDE_OK;
    }
    int status = record_extra(rec, jr);
    if (status != LEDE_OK)
        return status;
    it->meta.source = rec->value[F_SOURCE];
    it->meta.url = rec->value[F_URL];
    it->meta.title = rec->value[F_TITLE];
    it->meta.published = rec->value[F_PUBLISHED];
    it->meta.language = rec->value[F_LANGUAGE] && rec->value[F_LANGUAGE][0] ? rec->value[F_LANGUAGE] : NULL;
    it->meta.extra_json = rec->extra;
    char *text = malloc(rec->text_len + 1);
    if (!text)
        return LEDE_ENOMEM;
    memcpy(text, rec->value[F_TEXT], rec->text_len + 1);
    it->raw = text;
    it->raw_len = rec->text_len;
    it->raw_owned = 1;
    return LEDE_OK;
}

/* Parses one line into the item.  Invalid UTF-8 is repaired in the line
 * itself (JSON parsers refuse it), or rejects the line when strict. */
static int line_to_item(item *it, const feed *f, const char *line, size_t len, uint64_t offset)
{
    char *fixed = NULL;
    size_t bad = utf8_check(line, len);
    if (bad < len) {
        if (f->strict) {
            item_reject(it, LEDE_EUTF8, "invalid UTF-8 at byte %llu (strict: not repaired)",
                        (unsigned long long)(offset + bad));
            return LEDE_OK;
        }
        size_t fixed_len = 0, repairs = 0, first_bad = 0;
        int status = lede_text_clean(&fixed, &fixed_len, &repairs, &first_bad, line, len);
        if (status != LEDE_OK)
            return status;
        it->repairs = repairs;
        it->bad_offset = offset + bad;
        line = fixed;
        len = fixed_len;
    }
    lede_jrecord *jr = NULL;
    char err[MESSAGE_MAX];
    record rec;
    memset(&rec, 0, sizeof rec);
    int status = lede_jrecord_parse(&jr, line, len, err, sizeof err);
    if (status == LEDE_EPARSE) {
        item_reject(it, LEDE_EPARSE, "%s", err);
        status = LEDE_OK;
    } else if (status == LEDE_OK) {
        status = record_to_item(it, &rec, jr);
    }
    if (status == LEDE_OK)
        status = item_adopt_strings(it);
    free(rec.extra);
    lede_jrecord_free(jr);
    free(fixed);
    return status;
}

static int feed_jsonl(feed *f, reader *r, const char *path)
{
    char where[WHERE_MAX];
    uint64_t lineno = 0;
    for (;;) {
        const char *line = NULL;
        size_t len = 0;
        uint64_t offset = r->offset;
        int got = reader_line(r, &line, &len, &offset);
        if (got == 0)
            return 0;
        lineno++;
        snprintf(where, sizeof where, "%s:%llu", path, (unsigned long long)lineno);
        if (got == LEDE_ELIMIT) {
            if (feed_reject_input(f, where, NULL, f->base + r->offset, got, "line over the 512 MiB limit") != 0)
                return -1;
            continue;
        }
        if (got < 0) {
            char message[MESSAGE_MAX];
            snprintf(message, sizeof message, "cannot read: %s", got == LEDE_EIO ? strerror(errno) : lede_errstr(got));
            return feed_reject_input(f, where, NULL, f->base + r->offset, got, message);
        }
        if (lineno == 1 && has_bom(line, len)) {
            line += 3;
            len -= 3;
            offset += 3;
        }
        if (is_blank(line, len))
            continue;
        item *it = item_new();
        if (!it)
            return feed_fail(f, LEDE_ENOMEM, where);
        it->meta.origin = it->where = where;
        it->file = path;
        it->line = lineno;
        it->done = f->base + r->offset;
        if (line_to_item(it, f, line, len, offset) != LEDE_OK) {
            item_free(it);
            return feed_fail(f, LEDE_ENOMEM, where);
        }
        if (feed_emit(f, it) != 0)
            return -1;
    }
}

/* ---- files and standard input ------------------------------------------------ */

static int feed_file(feed *f, const source *s)
{
    uint64_t done = f->base + s->size;
    int fd = open(s->path, O_RDONLY);
    if (fd < 0) {
        char message[MESSAGE_MAX];
        snprintf(message, sizeof message, "cannot open: %s", strerror(errno));
        return feed_reject_input(f, s->path, s->key, done, LEDE_EIO, message);
    }
    int jsonl = has_suffix(s->path, ".jsonl") || has_suffix(s->path, ".ndjson");
    /* A plain file is read whole, in one go when it does not grow meanwhile. */
    size_t cap = !jsonl || s->size < READ_CHUNK ? (size_t)s->size + 1 : READ_CHUNK;
    reader r;
    int result;
    if (s->size == 0)
        result = feed_reject_input(f, s->path, s->key, done, LEDE_EINVAL, "empty file");
    else if (!jsonl && s->size > LEDE_INGEST_MAX_BYTES)
        result = feed_reject_input(f, s->path, s->key, done, LEDE_ELIMIT,
                                   "plain-text file over the 512 MiB limit (split it or use JSON Lines)");
    else if (reader_init(&r, fd, cap) != LEDE_OK)
        result = feed_fail(f, LEDE_ENOMEM, s->path);
    else {
        result = jsonl ? feed_jsonl(f, &r, s->path) : feed_plain(f, &r, s->path, s->key, done);
        free(r.buf);
    }
    close(fd);
    return result;
}

/* Standard input is JSON Lines when its first non-blank byte is '{'. */
static int feed_stdin(feed *f)
{
    reader r;
    if (reader_init(&r, STDIN_FILENO, READ_CHUNK) != LEDE_OK)
        return feed_fail(f, LEDE_ENOMEM, "stdin");
    size_t i = 0;
    int status = LEDE_OK;
    for (;;) {
        if (i == 0 && has_bom(r.buf, r.end))
            i = 3;
        while (i < r.end && is_blank(r.buf + i, 1))
            i++;
        /* A flood of white space ends up as one over-long plain text. */
        if (i < r.end || r.eof || r.end > LEDE_INGEST_MAX_BYTES || (status = reader_fill(&r)) != LEDE_OK)
            break;
    }
    int result;
    if (status != LEDE_OK)
        result = feed_reject_input(f, "stdin", "stdin", 0, status, "cannot read standard input");
    else if (i < r.end && r.buf[i] == '{')
        result = feed_jsonl(f, &r, "stdin");
    else
        result = feed_plain(f, &r, "stdin", "stdin", 0);
    free(r.buf);
    return result;
}

static void *feed_main(void *arg)
{
    feed *f = arg;
    feed_peek_open(f);
    if (f->from_stdin)
        feed_stdin(f);
    for (size_t i = 0; i < f->n_src; i++) {
        if (feed_file(f, &f->src[i]) != 0)
            break;
        f->base += f->src[i].size;
    }
    sqlite3_finalize(f->peek);
    sqlite3_close(f->peek_db);
    lede_tokenizer_free(f->tk);
    free(f->tk_lang);
    queue_set(&f->q, &f->q.finished);
    return NULL;
}

/* ---- listing a directory ------------------------------------------------------ */

typedef struct source_list {
    source *v;
    size_t n, cap;
    uint64_t total;
} source_list;

static void source_list_free(source_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].key);
    }
    free(l->v);
}

/* Adds a file; takes ownership of path and key, even on error. */
static int source_list_add(source_list *l, char *path, char *key, uint64_t size)
{
    if (!path || !key || lede_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != LEDE_OK) {
        free(path);
        free(key);
        return LEDE_ENOMEM;
    }
    l->v[l->n++] = (source){path, key, size};
    l->total += size;
    return LEDE_OK;
}

static int source_cmp(const void *a, const void *b)
{
    return strcmp(((const source *)a)->key, ((const source *)b)->key);
}

static int list_dir(job *j, source_list *l, const char *dir, const char *rel);

/* Inside a folder only article formats are taken (plain text with a .txt or
 * .text ending or none, JSON Lines), so that a corpus can keep its README,
 * gold files and notes beside the articles.  A file named on its own is
 * always taken. */
static int is_article_file(const char *name)
{
    const char *dot = strrchr(name, '.');
    return !dot || has_suffix(name, ".txt") || has_suffix(name, ".text") || has_suffix(name, ".jsonl") ||
           has_suffix(name, ".ndjson");
}

/* One directory entry: an article file is added, a directory walked; other
 * files, hidden names, links to directories and special files are skipped. */
static int list_entry(job *j, source_list *l, const char *dir, const char *rel, const char *name)
{
    char *path = path_join(dir, name);
    char *key = rel ? path_join(rel, name) : strdup(name);
    struct stat st, lst;
    int status = LEDE_OK;
    if (!path || !key)
        status = LEDE_ENOMEM;
    else if (lstat(path, &lst) != 0 || stat(path, &st) != 0) {
        char message[MESSAGE_MAX];
        snprintf(message, sizeof message, "cannot read: %s", strerror(errno));
        status = job_problem(j, key, path, message);
    } else if (S_ISDIR(st.st_mode)) {
        if (S_ISLNK(lst.st_mode))
            job_diag(j, LEDE_DIAG_WARNING, path, "link to a directory not followed");
        else
            status = list_dir(j, l, path, key);
    } else if (S_ISREG(st.st_mode)) {
        if (is_article_file(name)) {
            status = source_list_add(l, path, key, (uint64_t)st.st_size);
            path = key = NULL;
        }
    } else {
        job_diag(j, LEDE_DIAG_WARNING, path, "not a regular file: skipped");
    }
    free(path);
    free(key);
    return status;
}

static int list_dir(job *j, source_list *l, const char *dir, const char *rel)
{
    DIR *d = opendir(dir);
    if (!d) {
        char message[MESSAGE_MAX];
        snprintf(message, sizeof message, "cannot read directory: %s", strerror(errno));
        return job_problem(j, NULL, dir, message);
    }
    int status = LEDE_OK;
    struct dirent *e;
    while (status == LEDE_OK && (e = readdir(d)))
        if (e->d_name[0] != '.')
            status = list_entry(j, l, dir, rel, e->d_name);
    closedir(d);
    return status;
}

/* The files under `path` (or `path` itself), sorted by key in byte order. */
static int list_sources(job *j, source_list *l, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return lede_engine_fail(j->engine, errno == ENOENT ? LEDE_ENOTFOUND : LEDE_EIO, "%s: %s", path,
                                strerror(errno));
    int status;
    if (S_ISDIR(st.st_mode))
        status = list_dir(j, l, path, NULL);
    else if (S_ISREG(st.st_mode)) {
        const char *base = strrchr(path, '/');
        status = source_list_add(l, strdup(path), strdup(base ? base + 1 : path), (uint64_t)st.st_size);
    } else
        return lede_engine_fail(j->engine, LEDE_EINVAL, "%s: not a file or directory", path);
    if (status == LEDE_ENOMEM)
        return lede_engine_fail(j->engine, status, "%s: out of memory listing files", path);
    qsort(l->v, l->n, sizeof *l->v, source_cmp);
    return status;
}

/* ---- the pipeline ------------------------------------------------------------- */

/* Commits the batch, reports progress and, unless `last`, opens the next. */
static int job_checkpoint(job *j, uint64_t done, int last)
{
    int status = lede_store_commit(j->engine);
    if (status != LEDE_OK)
        return status;
    if (j->opts.progress && j->opts.progress(j->opts.ud, done, j->total) != 0)
        return lede_engine_fail(j->engine, LEDE_ECANCEL, "ingest cancelled");
    return last ? LEDE_OK : lede_store_begin(j->engine);
}

static int job_consume(job *j, feed *f)
{
    unsigned in_batch = 0;
    uint64_t done = 0;
    int status = lede_store_begin(j->engine);
    item *it;
    while (status == LEDE_OK && (it = queue_pop(&f->q))) {
        lede_ingest_outcome outcome;
        status = item_store(&outcome, j, it);
        done = it->done > done ? it->done : done;
        item_free(it);
        if (status == LEDE_OK && ++in_batch >= j->opts.batch) {
            status = job_checkpoint(j, done, 0);
            in_batch = 0;
        }
    }
    if (status == LEDE_OK)
        status = job_checkpoint(j, j->total ? j->total : done, 1);
    else if (status != LEDE_ECANCEL)
        lede_store_rollback(j->engine);
    return status;
}

static int job_pipeline(job *j, const source_list *l, int from_stdin)
{
    feed f;
    memset(&f, 0, sizeof f);
    if (queue_init(&f.q) != LEDE_OK)
        return lede_engine_fail(j->engine, LEDE_ENOMEM, "out of memory starting ingest");
    f.src = l->v;
    f.n_src = l->n;
    f.from_stdin = from_stdin;
    f.strict = j->opts.strict;
    const char *db_file = sqlite3_db_filename(j->engine->db, "main");
    f.peek_path = db_file && db_file[0] ? strdup(db_file) : NULL;

    pthread_t reader_thread;
    int status;
    if (pthread_create(&reader_thread, NULL, feed_main, &f) != 0) {
        status = lede_engine_fail(j->engine, LEDE_ENOMEM, "cannot start the reader thread");
    } else {
        status = job_consume(j, &f);
        if (status != LEDE_OK)
            queue_set(&f.q, &f.q.stopped);
        pthread_join(reader_thread, NULL);
        if (status == LEDE_OK && f.status != LEDE_OK)
            status = lede_engine_fail(j->engine, f.status, "%s", f.message);
    }
    queue_destroy(&f.q);
    free(f.peek_path);
    return status;
}

static char *run_options(const char *path, const lede_ingest_opts *opts)
{
    json_t *o = json_pack("{s:s, s:b, s:I}", "path", path, "strict", opts->strict, "batch",
                          (json_int_t)opts->batch);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s;
}

static const char *run_status(int status, const job *j)
{
    if (status == LEDE_ECANCEL)
        return "cancelled";
    if (status != LEDE_OK)
        return "failed";
    return j->stats.rejected ? "errors" : "ok";
}

/* Closes the run row; the job's own error, if any, keeps its message. */
static int job_finish_run(job *j, int status)
{
    char saved[LEDE_ERRMSG_MAX];
    memcpy(saved, j->engine->errmsg, sizeof saved);
    int finished = lede_store_run_finish(j->engine, j->run_id, run_status(status, j));
    if (status == LEDE_OK)
        return finished;
    memcpy(j->engine->errmsg, saved, sizeof saved);
    return status;
}

int lede_ingest_path(lede_ingest_stats *stats, lede_engine *engine, const char *path,
                     const lede_ingest_opts *opts)
{
    job j;
    source_list l = {0};
    int status = job_init(&j, engine, opts);
    if (status == LEDE_OK && !path)
        status = lede_engine_fail(engine, LEDE_EINVAL, "lede_ingest_path: path is NULL");
    if (status == LEDE_OK) {
        char *options = run_options(path, &j.opts);
        status = lede_store_run_begin(&j.run_id, engine, "ingest", options);
        free(options);
    }
    if (status == LEDE_OK) {
        int from_stdin = strcmp(path, "-") == 0;
        if (!from_stdin)
            status = list_sources(&j, &l, path);
        j.total = l.total;
        if (status == LEDE_OK)
            status = job_pipeline(&j, &l, from_stdin);
        status = job_finish_run(&j, status);
    }
    source_list_free(&l);
    if (stats)
        *stats = j.stats;
    if (status == LEDE_OK && j.stats.rejected)
        status = lede_engine_fail(engine, LEDE_EREJECTED, "%llu input(s) rejected; first: %s",
                                  (unsigned long long)j.stats.rejected, j.first_reject);
    return status;
}
