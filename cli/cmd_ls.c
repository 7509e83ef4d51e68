/* lede ls */
#include "args.h"
#include "cli.h"
#include "engine.h"
#include "out.h"

#include <stdio.h>

const char cli_usage_ls[] =
    "usage: lede ls [--source S] [--limit N] [--format " CLI_FORMAT_NAMES "]\n"
    "\n"
    "Lists the articles in key order: key, source, published, title, bytes and\n"
    "sentences.\n"
    "\n"
    "options:\n"
    "  --source S        only articles from source (outlet) S, matched exactly\n"
    "  -n, --limit N     at most N articles\n"
    "  --format F        table (default; fitted to the terminal), json (one array),\n"
    "                    jsonl (one object per line) or csv (with a header line)\n"
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "examples:\n"
    "  lede ls --source 'Harbour Times' --limit 10\n"
    "  lede ls --format csv > articles.csv\n";

enum { OPT_SOURCE = 1, OPT_LIMIT, OPT_FORMAT };

static const cli_option options[] = {
    { "source", 0, 1, OPT_SOURCE },
    { "limit", 'n', 1, OPT_LIMIT },
    { "format", 0, 1, OPT_FORMAT },
    CLI_OPTIONS_END,
};

typedef struct ls_query {
    const char *source; /* NULL: every source */
    int64_t limit;      /* -1: no limit */
    cli_format format;
} ls_query;

static int parse_options(cli_args *args, ls_query *q)
{
    const char *value;
    int id;
    while ((id = cli_args_next(args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP)
            return args->exit_code;
        if (id == OPT_SOURCE)
            q->source = value;
        else if (id == OPT_LIMIT) {
            if (cli_args_count(&q->limit, args, "limit", value) != 0)
                return args->exit_code;
        } else if (id == OPT_FORMAT) {
            if (cli_args_format(&q->format, args, value) != 0)
                return args->exit_code;
        } else {
            cli_args_fail(args, "unexpected argument '%s'", value);
            return args->exit_code;
        }
    }
    return -1;
}

static int list(sqlite3 *db, const ls_query *q)
{
    static const char sql[] =
        "SELECT key, source, published, title, n_bytes AS bytes, n_sentences AS sentences "
        "FROM article WHERE ?1 IS NULL OR source = ?1 ORDER BY key LIMIT ?2";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return cli_sqlite_fail(db, "cannot list articles");
    sqlite3_bind_text(st, 1, q->source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, q->limit);
    return cli_print_rows(db, st, q->format, "cannot list articles");
}

int cli_run_ls(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    ls_query q = { NULL, -1, CLI_FORMAT_TABLE };
    cli_args_init(&args, ctx, argc, argv);
    int code = parse_options(&args, &q);
    if (code >= 0)
        return code;
    lede_engine *engine;
    code = cli_engine_open(&engine, ctx, LEDE_OPEN_READONLY);
    if (code != CLI_EXIT_OK)
        return code;
    code = list(engine->db, &q);
    lede_engine_close(engine);
    return cli_stdout_close(code);
}
