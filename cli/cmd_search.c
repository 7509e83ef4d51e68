/* lede search QUERY */
#include "args.h"
#include "cli.h"
#include "engine.h"
#include "out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cli_usage_search[] =
    "usage: lede search [--limit N] [--format " CLI_FORMAT_NAMES "] QUERY...\n"
    "\n"
    "Full-text search over titles and texts, best matches first.  Prints key,\n"
    "source, published, title, a snippet with the matches highlighted (bold on a\n"
    "terminal, [in brackets] elsewhere) and the BM25 score (higher is better).\n"
    "Several QUERY arguments are joined with spaces.\n"
    "\n"
    "QUERY is an SQLite FTS5 query: words must all occur (ceasefire talks), OR\n"
    "and NOT combine, \"a phrase\" in double quotes, pref* matches a prefix,\n"
    "title:word searches one column, NEAR(a b, 5) finds words close together.\n"
    "Case and diacritics are ignored.  Put words holding punctuation in double\n"
    "quotes (\"U.S.\").  A malformed query is a usage error (exit status 2).\n"
    "\n"
    "options:\n"
    "  -n, --limit N   at most N results (default 20)\n"
    "  --format F      table (default), json, jsonl or csv\n"
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "examples:\n"
    "  lede search ceasefire\n"
    "  lede search '\"peace talks\" NOT postponed' --limit 5\n"
    "  lede search 'title:flood*' --format jsonl\n";

enum { OPT_LIMIT = 1, OPT_FORMAT };

static const cli_option options[] = {
    { "limit", 'n', 1, OPT_LIMIT },
    { "format", 0, 1, OPT_FORMAT },
    CLI_OPTIONS_END,
};

/* The inner query lets FTS5 rank and limit before the join.  A snippet is
 * shown on one line: the line breaks between blocks become spaces. */
static const char search_sql[] =
    "SELECT a.key, a.source, a.published, a.title, "
    "       replace(replace(m.snippet, char(10), ' '), char(13), ' ') AS snippet, round(-m.score, 3) "
    "FROM (SELECT rowid, snippet(article_fts, -1, char(2), char(3), '\xe2\x80\xa6', 12) AS snippet, "
    "             bm25(article_fts) AS score "
    "      FROM article_fts WHERE article_fts MATCH ?1 ORDER BY rank LIMIT ?2) AS m "
    "JOIN article AS a ON a.id = m.rowid ORDER BY m.score, a.key";

typedef struct search_req {
    char *query; /* owned */
    int64_t limit;
    cli_format format;
} search_req;

static int parse_options(cli_args *args, search_req *req)
{
    const char *value;
    int id;
    while ((id = cli_args_next(args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP)
            return args->exit_code;
        if (id == OPT_LIMIT) {
            if (cli_args_count(&req->limit, args, "limit", value) != 0)
                return args->exit_code;
        } else if (id == OPT_FORMAT && cli_args_format(&req->format, args, value) != 0) {
            return args->exit_code;
        }
    }
    if (args->npositional == 0) {
        cli_args_fail(args, "no QUERY given");
        return args->exit_code;
    }
    req->query = cli_join_args(args->argv + 1, args->npositional);
    return req->query ? -1 : CLI_EXIT_IO;
}

/* A failed step: the query's fault (exit 2) unless the database failed. */
static int query_failed(sqlite3 *db, const char *query)
{
    if (sqlite3_errcode(db) != SQLITE_ERROR)
        return cli_sqlite_fail(db, "search failed");
    cli_error("bad search query '%s': %s (put words holding punctuation in double quotes; "
              "see 'lede search --help')",
              query, sqlite3_errmsg(db));
    return CLI_EXIT_USAGE;
}

static int write_results(cli_out *o, sqlite3_stmt *st, sqlite3 *db, const char *query)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < 4; i++)
            cli_out_column(o, st, i);
        cli_out_marked(o, (const char *)sqlite3_column_text(st, 4), (size_t)sqlite3_column_bytes(st, 4));
        cli_out_column(o, st, 5);
        if (cli_out_row(o) != 0)
            return cli_output_failed();
    }
    if (rc != SQLITE_DONE)
        return query_failed(db, query);
    return cli_out_finish(o) == 0 ? CLI_EXIT_OK : cli_output_failed();
}

static int search(sqlite3 *db, const search_req *req)
{
    static const char *const columns[] = { "key", "source", "published", "title", "snippet", "score" };
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, search_sql, -1, &st, NULL) != SQLITE_OK)
        return cli_sqlite_fail(db, "cannot search");
    sqlite3_bind_text(st, 1, req->query, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, req->limit);
    cli_out *o;
    int code = cli_out_new(&o, stdout, req->format, 6, columns) == 0 ? write_results(o, st, db, req->query)
                                                                    : cli_output_failed();
    cli_out_free(o);
    sqlite3_finalize(st);
    return code;
}

int cli_run_search(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    search_req req = { NULL, 20, CLI_FORMAT_TABLE };
    cli_args_init(&args, ctx, argc, argv);
    int code = parse_options(&args, &req);
    if (code < 0) {
        lede_engine *engine;
        code = cli_engine_open(&engine, ctx, LEDE_OPEN_READONLY);
        if (code == CLI_EXIT_OK) {
            code = search(engine->db, &req);
            lede_engine_close(engine);
        }
        code = cli_stdout_close(code);
    }
    free(req.query);
    return code;
}
