/* lede speakers */
#include "args.h"
#include "cli.h"
#include "engine.h"
#include "out.h"

#include <stdio.h>
#include <string.h>

const char cli_usage_speakers[] =
    "usage: lede speakers [--type T] [--min N] [--limit N] [--format " CLI_FORMAT_NAMES "]\n"
    "\n"
    "Lists the canonical speakers of the corpus, most quoted first: the name, its\n"
    "type, the number of quotes and of articles, every spelling met (accents,\n"
    "transliterations: Sergei and Sergey, Mohammed and Muhammad) and the roles\n"
    "given to the speaker.  Written by the corpus pass of the stock plugin\n"
    "`quotes` (lede run quotes).\n"
    "\n"
    "options:\n"
    "  --type T          person, organisation or unnamed\n"
    "  --min N           only speakers with at least N quotes\n"
    "  -n, --limit N     at most N speakers\n"
    "  --format F        table (default; fitted to the terminal), json (one array),\n"
    "                    jsonl (one object per line) or csv (with a header line)\n"
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "examples:\n"
    "  lede speakers --type person --limit 20\n"
    "  lede speakers --format csv > speakers.csv\n";

enum { OPT_TYPE = 1, OPT_MIN, OPT_LIMIT, OPT_FORMAT };

static const cli_option options[] = {
    {"type", 0, 1, OPT_TYPE},       {"min", 0, 1, OPT_MIN}, {"limit", 'n', 1, OPT_LIMIT},
    {"format", 0, 1, OPT_FORMAT},   CLI_OPTIONS_END,
};

typedef struct speakers_query {
    const char *type; /* NULL: any */
    int64_t min, limit;
    cli_format format;
} speakers_query;

static int parse_options(cli_args *args, speakers_query *q)
{
    const char *value;
    int id;
    while ((id = cli_args_next(args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP)
            return args->exit_code;
        if (id == OPT_TYPE) {
            if (strcmp(value, "person") != 0 && strcmp(value, "organisation") != 0 && strcmp(value, "unnamed") != 0) {
                cli_args_fail(args, "--type wants person, organisation or unnamed, not '%s'", value);
                return args->exit_code;
            }
            q->type = value;
        } else if (id == OPT_MIN || id == OPT_LIMIT) {
            if (cli_args_count(id == OPT_MIN ? &q->min : &q->limit, args, id == OPT_MIN ? "min" : "limit", value) != 0)
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

static const char sql[] =
    "SELECT attrs->>'$.canonical' AS speaker, attrs->>'$.speaker_type' AS type, "
    "       attrs->>'$.quotes' AS quotes, attrs->>'$.articles' AS articles, "
    "       (SELECT group_concat(value, '; ') FROM json_each(attrs, '$.variants')) AS variants, "
    "       (SELECT group_concat(value, '; ') FROM json_each(attrs, '$.roles')) AS roles "
    "FROM corpus_row WHERE layer = 'speaker' AND (?1 IS NULL OR attrs->>'$.speaker_type' = ?1) "
    "  AND attrs->>'$.quotes' >= ?2 "
    "ORDER BY attrs->>'$.quotes' DESC, speaker LIMIT ?3";

static int list(sqlite3 *db, const speakers_query *q, int quiet)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return cli_sqlite_fail(db, "cannot list speakers");
    sqlite3_bind_text(st, 1, q->type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, q->min);
    sqlite3_bind_int64(st, 3, q->limit);
    int code = cli_print_rows(db, st, q->format, "cannot list speakers");
    if (code == CLI_EXIT_OK && !quiet &&
        sqlite3_prepare_v2(db, "SELECT 1 FROM corpus_row WHERE layer = 'speaker' LIMIT 1", -1, &st, NULL) ==
            SQLITE_OK) {
        if (sqlite3_step(st) != SQLITE_ROW)
            cli_warning("no speakers: run 'lede run quotes' first");
        sqlite3_finalize(st);
    }
    return code;
}

int cli_run_speakers(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    speakers_query q = {NULL, 0, -1, CLI_FORMAT_TABLE};
    cli_args_init(&args, ctx, argc, argv);
    int code = parse_options(&args, &q);
    if (code >= 0)
        return code;
    lede_engine *engine;
    code = cli_engine_open(&engine, ctx, LEDE_OPEN_READONLY);
    if (code != CLI_EXIT_OK)
        return code;
    code = list(engine->db, &q, ctx->quiet);
    lede_engine_close(engine);
    return cli_stdout_close(code);
}
