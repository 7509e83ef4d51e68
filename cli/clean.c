/* Articles without their boilerplate: see clean.h. */
#include "clean.h"

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Merged byte intervals [start, end) of the spans to leave out. */
typedef struct intervals {
    int64_t *v; /* start, end pairs */
    size_t n, cap;
} intervals;

static int push_interval(intervals *iv, int64_t start, int64_t end)
{
    if (iv->n > 0 && start <= iv->v[2 * iv->n - 1]) { /* spans come sorted by start */
        if (end > iv->v[2 * iv->n - 1])
            iv->v[2 * iv->n - 1] = end;
        return 0;
    }
    if (iv->n == iv->cap) {
        size_t cap = iv->cap ? iv->cap * 2 : 32;
        int64_t *v = realloc(iv->v, cap * 2 * sizeof *v);
        if (v == NULL)
            return -1;
        iv->v = v;
        iv->cap = cap;
    }
    iv->v[2 * iv->n] = start;
    iv->v[2 * iv->n + 1] = end;
    iv->n++;
    return 0;
}

/* The spans of the article's boilerplate layer (and caption layer unless
 * `captions`), merged. */
static int read_spans(intervals *iv, sqlite3 *db, int64_t article_id, int captions)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT start, \"end\" FROM annotation WHERE article_id = ?1 "
                           "AND (layer = 'boilerplate' OR (layer = 'caption' AND ?2 = 0)) ORDER BY start",
                           -1, &st, NULL) != SQLITE_OK)
        return cli_sqlite_fail(db, "cannot read the boilerplate spans");
    sqlite3_bind_int64(st, 1, article_id);
    sqlite3_bind_int(st, 2, captions);
    int rc, code = CLI_EXIT_OK;
    while (code == CLI_EXIT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        if (push_interval(iv, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1)) != 0)
            code = CLI_EXIT_IO;
    if (code == CLI_EXIT_OK && rc != SQLITE_DONE)
        code = cli_sqlite_fail(db, "cannot read the boilerplate spans");
    sqlite3_finalize(st);
    if (code == CLI_EXIT_IO)
        cli_error("out of memory");
    return code;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Appends the kept lines of text to out (NUL-terminated, malloc'd): a line
 * goes when the intervals cover at least half of its non-space bytes;
 * kept lines are trimmed; a blank line stands where blank or dropped lines
 * were. */
static int keep_lines(char **out, size_t *out_len, const char *text, size_t len, const intervals *iv)
{
    char *buf = malloc(len + 2);
    if (buf == NULL)
        return -1;
    size_t n = 0, k = 0;
    int gap = 0;
    for (size_t pos = 0; pos <= len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len, a = pos, b = end, solid = 0, covered = 0;
        while (a < b && is_space(text[a]))
            a++;
        while (b > a && is_space(text[b - 1]))
            b--;
        while (k < iv->n && iv->v[2 * k + 1] <= (int64_t)a)
            k++;
        for (size_t i = a; i < b; i++) {
            if (is_space(text[i]))
                continue;
            solid++;
            for (size_t j = k; j < iv->n && iv->v[2 * j] <= (int64_t)i; j++)
                if ((int64_t)i < iv->v[2 * j + 1]) {
                    covered++;
                    break;
                }
        }
        if (solid == 0 || 2 * covered >= solid) {
            gap = 1;
        } else {
            if (n > 0)
                buf[n++] = '\n';
            if (n > 0 && gap)
                buf[n++] = '\n';
            memcpy(buf + n, text + a, b - a);
            n += b - a;
            gap = 0;
        }
        pos = end + 1;
    }
    if (n > 0)
        buf[n++] = '\n';
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    return 0;
}

/* CLI_EXIT_OK when some plugin declared the boilerplate layer (its view
 * exists) or wrote spans of it; else a message and CLI_EXIT_NOTFOUND. */
static int check_layer(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'boilerplate') "
                           "OR EXISTS (SELECT 1 FROM annotation WHERE layer = 'boilerplate')",
                           -1, &st, NULL) != SQLITE_OK)
        return cli_sqlite_fail(db, "cannot look for the boilerplate layer");
    int found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (!found) {
        cli_error("no boilerplate layer in %s: run 'lede run boilerplate' first", sqlite3_db_filename(db, "main"));
        return CLI_EXIT_NOTFOUND;
    }
    return CLI_EXIT_OK;
}

/* The clean text of the article on the current row of `st` (id, key,
 * title, text). */
static int clean_row(char **out, size_t *out_len, sqlite3 *db, sqlite3_stmt *st, int captions)
{
    intervals iv = {NULL, 0, 0};
    int code = read_spans(&iv, db, sqlite3_column_int64(st, 0), captions);
    if (code == CLI_EXIT_OK &&
        keep_lines(out, out_len, (const char *)sqlite3_column_text(st, 3), (size_t)sqlite3_column_bytes(st, 3), &iv) != 0) {
        cli_error("out of memory");
        code = CLI_EXIT_IO;
    }
    free(iv.v);
    return code;
}

static sqlite3_stmt *articles(sqlite3 *db, const char *key)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id, key, title, text FROM article WHERE ?1 IS NULL OR key = ?1 ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK) {
        cli_sqlite_fail(db, "cannot read articles");
        return NULL;
    }
    if (key)
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    return st;
}

int cli_clean_show(sqlite3 *db, const char *key, int captions)
{
    int code = check_layer(db);
    if (code != CLI_EXIT_OK)
        return code;
    sqlite3_stmt *st = articles(db, key);
    if (st == NULL)
        return CLI_EXIT_DB;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        cli_error("no article with key '%s' (see 'lede ls')", key);
        code = CLI_EXIT_NOTFOUND;
    } else if (rc != SQLITE_ROW) {
        code = cli_sqlite_fail(db, "cannot read articles");
    } else {
        char *clean;
        size_t n;
        code = clean_row(&clean, &n, db, st, captions);
        if (code == CLI_EXIT_OK) {
            fwrite(clean, 1, n, stdout);
            free(clean);
        }
    }
    sqlite3_finalize(st);
    return code;
}

int cli_clean_export(sqlite3 *db, cli_format format, const char *key, int captions)
{
    static const char *const cols[] = {"article", "title", "text"};
    int code = check_layer(db);
    if (code != CLI_EXIT_OK)
        return code;
    sqlite3_stmt *st = articles(db, key);
    if (st == NULL)
        return CLI_EXIT_DB;
    cli_out *out;
    if (cli_out_new(&out, stdout, format, 3, cols) != 0) {
        sqlite3_finalize(st);
        return cli_output_failed();
    }
    int rc, rows = 0;
    while (code == CLI_EXIT_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char *clean;
        size_t n;
        code = clean_row(&clean, &n, db, st, captions);
        if (code != CLI_EXIT_OK)
            break;
        cli_out_column(out, st, 1);
        cli_out_column(out, st, 2);
        cli_out_text(out, clean, n);
        free(clean);
        if (cli_out_row(out) != 0)
            code = cli_output_failed();
        rows++;
    }
    if (code == CLI_EXIT_OK && rc != SQLITE_DONE)
        code = cli_sqlite_fail(db, "cannot read articles");
    if (code == CLI_EXIT_OK && cli_out_finish(out) != 0)
        code = cli_output_failed();
    if (code == CLI_EXIT_OK && key && rows == 0) {
        cli_error("no article with key '%s' (see 'lede ls')", key);
        code = CLI_EXIT_NOTFOUND;
    }
    cli_out_free(out);
    sqlite3_finalize(st);
    return code;
}
