/* lede quotes */
#include "args.h"
#include "cli.h"
#include "engine.h"
#include "out.h"

#include <stdio.h>
#include <string.h>

const char cli_usage_quotes[] =
    "usage: lede quotes [--speaker NAME] [--article KEY] [--kind K] [--limit N]\n"
    "                   [--format " CLI_FORMAT_NAMES "]\n"
    "\n"
    "Lists the quotes found by the stock plugin `quotes` (run it first: lede run\n"
    "quotes), in article and text order: article, kind, speaker, speaker type, cue\n"
    "and the quoted or reported words.\n"
    "\n"
    "options:\n"
    "  --speaker NAME    only quotes of this speaker: the name as reported, its\n"
    "                    surname, or any spelling of a canonical speaker of\n"
    "                    'lede speakers' (case does not matter for ASCII letters)\n"
    "  --article KEY     only quotes of this article\n"
    "  --kind K          direct, partial or indirect\n"
    "  -n, --limit N     at most N quotes\n"
    "  --format F        table (default; fitted to the terminal), json (one array),\n"
    "                    jsonl (one object per line) or csv (with a header line)\n"
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "examples:\n"
    "  lede quotes --speaker 'Sergei Lavrov' --kind direct\n"
    "  lede quotes --article feed-0001 --format jsonl\n";

enum { OPT_SPEAKER = 1, OPT_ARTICLE, OPT_KIND, OPT_LIMIT, OPT_FORMAT };

static const cli_option options[] = {
    {"speaker", 0, 1, OPT_SPEAKER}, {"article", 0, 1, OPT_ARTICLE}, {"kind", 0, 1, OPT_KIND},
    {"limit", 'n', 1, OPT_LIMIT},   {"format", 0, 1, OPT_FORMAT},   CLI_OPTIONS_END,
};

typedef struct quotes_query {
    const char *speaker, *article, *kind; /* NULL: any */
    int64_t limit;                        /* -1: no limit */
    cli_format format;
} quotes_query;

static int parse_options(cli_args *args, quotes_query *q)
{
    const char *value;
    int id;
    while ((id = cli_args_next(args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP)
            return args->exit_code;
        if (id == OPT_SPEAKER) {
            q->speaker = value;
        } else if (id == OPT_ARTICLE) {
            q->article = value;
        } else if (id == OPT_KIND) {
            if (strcmp(value, "direct") != 0 && strcmp(value, "partial") != 0 && strcmp(value, "indirect") != 0) {
                cli_args_fail(args, "--kind wants direct, partial or indirect, not '%s'", value);
                return args->exit_code;
            }
            q->kind = value;
        } else if (id == OPT_LIMIT) {
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

/* A speaker matches NAME as written, by surname, or as a spelling of a
 * canonical speaker (layer `speaker` of the corpus pass). */
static const char sql[] =
    "WITH q AS (SELECT an.article_id, an.start, an.\"end\", an.attrs, an.attrs->>'$.speaker' AS speaker "
    "           FROM annotation an WHERE an.layer = 'quote'), "
    "names AS (SELECT lower(v.value) AS name FROM corpus_row s, json_each(s.attrs, '$.variants') v "
    "          WHERE s.layer = 'speaker' AND (lower(s.attrs->>'$.canonical') = lower(?1) OR EXISTS "
    "            (SELECT 1 FROM json_each(s.attrs, '$.variants') w WHERE lower(w.value) = lower(?1)))) "
    "SELECT ar.key AS article, q.attrs->>'$.kind' AS kind, q.speaker AS speaker, "
    "       q.attrs->>'$.speaker_type' AS speaker_type, q.attrs->>'$.cue' AS cue, "
    "       CAST(substr(CAST(ar.text AS BLOB), q.start + 1, q.\"end\" - q.start) AS TEXT) AS text "
    "FROM q JOIN article ar ON ar.id = q.article_id "
    "WHERE (?2 IS NULL OR ar.key = ?2) AND (?3 IS NULL OR q.attrs->>'$.kind' = ?3) "
    "  AND (?1 IS NULL OR lower(q.speaker) = lower(?1) "
    "       OR substr(lower(q.speaker), -length(?1) - 1) = ' ' || lower(?1) "
    "       OR lower(q.speaker) IN (SELECT name FROM names)) "
    "ORDER BY ar.key, q.start, q.\"end\" LIMIT ?4";

static int list(sqlite3 *db, const quotes_query *q)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return cli_sqlite_fail(db, "cannot list quotes");
    sqlite3_bind_text(st, 1, q->speaker, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, q->article, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, q->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, q->limit);
    return cli_print_rows(db, st, q->format, "cannot list quotes");
}

int cli_run_quotes(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    quotes_query q = {NULL, NULL, NULL, -1, CLI_FORMAT_TABLE};
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
