/* Public read-only SQL (lede_query_*), spans of a layer and export: thin
 * wrappers over the engine's SQLite connection.  Read-only is enforced
 * twice: an authorizer refuses statements SQLite still calls read-only
 * (BEGIN, ATTACH, PRAGMA x = y, SAVEPOINT) while preparing, and
 * sqlite3_stmt_readonly refuses everything that writes. */
#include "engine.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct lede_query {
    lede_engine *engine;
    sqlite3_stmt *st;
};

static int deny_side_effects(void *ud, int action, const char *a1, const char *a2, const char *db,
                             const char *trigger)
{
    (void)ud, (void)a1, (void)db, (void)trigger;
    switch (action) {
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
        return SQLITE_DENY;
    case SQLITE_PRAGMA:
        return a2 ? SQLITE_DENY : SQLITE_OK; /* "PRAGMA x = y" sets something */
    default:
        return SQLITE_OK;
    }
}

static int only_blanks(const char *s)
{
    for (; *s; s++)
        if (!strchr(" \t\r\n;", *s))
            return 0;
    return 1;
}

int lede_query_prepare(lede_query **out, lede_engine *engine, const char *sql)
{
    *out = NULL;
    if (engine == NULL || sql == NULL)
        return engine ? lede_engine_fail(engine, LEDE_EINVAL, "query: no SQL given") : LEDE_EINVAL;
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    sqlite3_set_authorizer(engine->db, deny_side_effects, NULL);
    int rc = sqlite3_prepare_v2(engine->db, sql, -1, &st, &tail);
    sqlite3_set_authorizer(engine->db, NULL, NULL);
    if (rc == SQLITE_AUTH)
        return lede_engine_fail(engine, LEDE_EREADONLY, "query: only read-only statements are allowed: %s",
                                sqlite3_errmsg(engine->db));
    if (rc != SQLITE_OK)
        return lede_engine_fail(engine, rc == SQLITE_NOMEM ? LEDE_ENOMEM : LEDE_EINVAL, "query: %s",
                                sqlite3_errmsg(engine->db));
    int code = LEDE_OK;
    if (st == NULL)
        code = lede_engine_fail(engine, LEDE_EINVAL, "query: empty SQL");
    else if (!only_blanks(tail))
        code = lede_engine_fail(engine, LEDE_EINVAL, "query: one statement only; extra text at '%.40s'", tail);
    else if (!sqlite3_stmt_readonly(st))
        code = lede_engine_fail(engine, LEDE_EREADONLY, "query: statement would write: %.80s", sql);
    lede_query *q = code == LEDE_OK ? malloc(sizeof *q) : NULL;
    if (code == LEDE_OK && q == NULL)
        code = lede_engine_fail(engine, LEDE_ENOMEM, "query: out of memory");
    if (code != LEDE_OK) {
        sqlite3_finalize(st);
        return code;
    }
    q->engine = engine;
    q->st = st;
    *out = q;
    return LEDE_OK;
}

static int bind_result(lede_query *q, int rc, int i)
{
    if (rc == SQLITE_OK)
        return LEDE_OK;
    return lede_engine_fail(q->engine, rc == SQLITE_RANGE ? LEDE_EINVAL : LEDE_EDB, "query: cannot bind parameter %d: %s",
                            i, sqlite3_errmsg(q->engine->db));
}

int lede_query_bind_int64(lede_query *q, int i, int64_t v)
{
    return bind_result(q, sqlite3_bind_int64(q->st, i, v), i);
}

int lede_query_bind_text(lede_query *q, int i, const char *s, size_t len)
{
    int rc = s ? sqlite3_bind_text64(q->st, i, s, len, SQLITE_TRANSIENT, SQLITE_UTF8) : sqlite3_bind_null(q->st, i);
    return bind_result(q, rc, i);
}

int lede_query_step(lede_query *q)
{
    int rc = sqlite3_step(q->st);
    if (rc == SQLITE_ROW)
        return LEDE_ROW;
    if (rc == SQLITE_DONE)
        return LEDE_OK;
    return lede_engine_fail(q->engine, rc == SQLITE_NOMEM ? LEDE_ENOMEM : LEDE_EDB, "query: %s",
                            sqlite3_errmsg(q->engine->db));
}

int lede_query_reset(lede_query *q)
{
    sqlite3_reset(q->st); /* its code repeats the last step's error, already reported */
    return LEDE_OK;
}

int lede_query_column_count(const lede_query *q)
{
    return sqlite3_column_count(q->st);
}

const char *lede_query_column_name(const lede_query *q, int col)
{
    return sqlite3_column_name(q->st, col);
}

int lede_query_column_type(lede_query *q, int col)
{
    return sqlite3_column_type(q->st, col); /* lede_column_type mirrors SQLite's codes */
}

int64_t lede_query_column_int64(lede_query *q, int col)
{
    return sqlite3_column_int64(q->st, col);
}

double lede_query_column_double(lede_query *q, int col)
{
    return sqlite3_column_double(q->st, col);
}

const char *lede_query_column_text(lede_query *q, int col, size_t *len)
{
    const char *s = (const char *)sqlite3_column_text(q->st, col);
    if (len)
        *len = s ? (size_t)sqlite3_column_bytes(q->st, col) : 0;
    return s;
}

void lede_query_finalize(lede_query *q)
{
    if (q == NULL)
        return;
    sqlite3_finalize(q->st);
    free(q);
}

/* Offsets are bytes, so the span's text is cut from the text as a blob. */
static const char spans_sql[] =
    "SELECT a.key AS article, n.start AS start, n.\"end\" AS \"end\","
    " CAST(substr(CAST(a.text AS BLOB), n.start + 1, n.\"end\" - n.start) AS TEXT) AS text, n.attrs AS attrs"
    " FROM annotation n JOIN article a ON a.id = n.article_id"
    " WHERE n.layer = ?1 AND (?2 IS NULL OR a.key = ?2)"
    " ORDER BY n.article_id, n.start, n.\"end\", n.id";

int lede_spans_query(lede_query **out, lede_engine *engine, const char *layer, const char *article_key)
{
    *out = NULL;
    if (layer == NULL)
        return lede_engine_fail(engine, LEDE_EINVAL, "spans: no layer given");
    int rc = lede_query_prepare(out, engine, spans_sql);
    if (rc == LEDE_OK)
        rc = lede_query_bind_text(*out, 1, layer, strlen(layer));
    if (rc == LEDE_OK && article_key)
        rc = lede_query_bind_text(*out, 2, article_key, strlen(article_key));
    if (rc != LEDE_OK) {
        lede_query_finalize(*out);
        *out = NULL;
    }
    return rc;
}

/* One export line: the span's place and text, then its attrs' fields. */
static char *span_line(lede_query *q, const char *layer)
{
    json_t *rec = json_object();
    json_object_set_new(rec, "article", json_string(lede_query_column_text(q, 0, NULL)));
    json_object_set_new(rec, "layer", json_string(layer));
    json_object_set_new(rec, "start", json_integer(lede_query_column_int64(q, 1)));
    json_object_set_new(rec, "end", json_integer(lede_query_column_int64(q, 2)));
    size_t len;
    const char *text = lede_query_column_text(q, 3, &len);
    json_object_set_new(rec, "text", text ? json_stringn(text, len) : json_null());
    const char *attrs = lede_query_column_text(q, 4, NULL);
    json_t *fields = attrs ? json_loads(attrs, 0, NULL) : NULL;
    if (json_is_object(fields))
        json_object_update_missing(rec, fields);
    json_decref(fields);
    char *line = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(rec);
    return line;
}

int lede_export(uint64_t *n_spans, lede_engine *engine, const char *layer, lede_write_fn write, void *ud)
{
    if (n_spans)
        *n_spans = 0;
    if (write == NULL)
        return lede_engine_fail(engine, LEDE_EINVAL, "export: no write function given");
    lede_query *q;
    int rc = lede_spans_query(&q, engine, layer, NULL);
    while (rc == LEDE_OK && (rc = lede_query_step(q)) == LEDE_ROW) {
        char *line = span_line(q, layer);
        if (line == NULL) {
            rc = lede_engine_fail(engine, LEDE_ENOMEM, "export: out of memory");
            break;
        }
        size_t len = strlen(line);
        line[len] = '\n'; /* the NUL goes: the length is known */
        int stop = write(ud, line, len + 1);
        free(line);
        if (stop) {
            rc = lede_engine_fail(engine, LEDE_EIO, "export: writing layer '%s' failed", layer);
            break;
        }
        if (n_spans)
            (*n_spans)++;
        rc = LEDE_OK;
    }
    lede_query_finalize(q);
    return rc;
}
