/* lede stats */
#include "args.h"
#include "cli.h"
#include "engine.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char cli_usage_stats[] =
    "usage: lede stats [--format table|json]\n"
    "\n"
    "Summarises the database: articles and their size in bytes, blocks, sentences\n"
    "and tokens; articles per source; annotations per layer; corpus rows per\n"
    "layer; runs by status; the last run; problems recorded.\n"
    "\n"
    "options:\n"
    "  --format F   table (default): a readable summary; json: one object\n"
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "example:\n"
    "  lede --db news.db stats\n";

enum { OPT_FORMAT = 1 };

static const cli_option options[] = {
    { "format", 0, 1, OPT_FORMAT },
    CLI_OPTIONS_END,
};

/* At most this many sources are listed by the readable summary. */
#define SOURCES_SHOWN 20

static json_t *column_value(sqlite3_stmt *st, int col)
{
    switch (sqlite3_column_type(st, col)) {
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, col));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, col));
    case SQLITE_TEXT:
        return json_stringn((const char *)sqlite3_column_text(st, col), (size_t)sqlite3_column_bytes(st, col));
    default:
        return json_null();
    }
}

/* The rows of `sql` as an array of objects keyed by column name, or NULL
 * after an error (reported through *code). */
static json_t *query_rows(sqlite3 *db, const char *sql, int *code)
{
    sqlite3_stmt *st;
    if (*code != CLI_EXIT_OK) /* one message is enough */
        return NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        *code = cli_sqlite_fail(db, "cannot read statistics");
        return NULL;
    }
    json_t *rows = json_array();
    int rc;
    while (rows && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *row = json_object();
        for (int i = 0; row && i < sqlite3_column_count(st); i++)
            json_object_set_new(row, sqlite3_column_name(st, i), column_value(st, i));
        json_array_append_new(rows, row);
    }
    if (!rows || rc != SQLITE_DONE) {
        *code = rows ? cli_sqlite_fail(db, "cannot read statistics") : cli_output_failed();
        json_decref(rows);
        rows = NULL;
    }
    sqlite3_finalize(st);
    return rows;
}

/* Adds the first row of `sql` under `key` (null when there is none). */
static void add_first_row(json_t *stats, const char *key, sqlite3 *db, const char *sql, int *code)
{
    json_t *rows = query_rows(db, sql, code);
    json_t *row = json_array_get(rows, 0);
    json_object_set(stats, key, row ? row : json_null());
    json_decref(rows);
}

static json_t *collect(sqlite3 *db, const char *path, int *code)
{
    json_t *stats = json_object();
    json_object_set_new(stats, "database", json_string(path));
    add_first_row(stats, "schema", db, "PRAGMA user_version", code);
    add_first_row(stats, "articles", db,
                  "SELECT count(*) AS articles, coalesce(sum(n_bytes), 0) AS bytes, "
                  "coalesce(sum(n_blocks), 0) AS blocks, coalesce(sum(n_sentences), 0) AS sentences, "
                  "coalesce(sum(n_tokens), 0) AS tokens, count(*) FILTER (WHERE repairs > 0) AS repaired "
                  "FROM article",
                  code);
    json_object_set_new(stats, "sources",
                        query_rows(db,
                                   "SELECT source, count(*) AS articles, sum(n_bytes) AS bytes FROM article "
                                   "GROUP BY source ORDER BY count(*) DESC, source",
                                   code));
    json_object_set_new(stats, "layers",
                        query_rows(db,
                                   "SELECT layer, count(*) AS annotations, count(DISTINCT article_id) AS "
                                   "articles FROM annotation GROUP BY layer ORDER BY layer",
                                   code));
    json_object_set_new(stats, "row_layers",
                        query_rows(db,
                                   "SELECT layer, plugin, count(*) AS rows FROM corpus_row "
                                   "GROUP BY layer, plugin ORDER BY layer",
                                   code));
    json_object_set_new(stats, "runs",
                        query_rows(db, "SELECT status, count(*) AS runs FROM run GROUP BY status ORDER BY status",
                                   code));
    add_first_row(stats, "last_run", db,
                  "SELECT id, command, status, started_at, finished_at FROM run ORDER BY id DESC LIMIT 1", code);
    add_first_row(stats, "problems", db, "SELECT count(*) AS problems FROM problem", code);
    return stats;
}

static json_int_t get_int(const json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

static const char *get_str(const json_t *obj, const char *key, const char *absent)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : absent;
}

/* Characters (not bytes) of UTF-8 text. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Prints at most `width` characters of s, padded to `width`. */
static void print_padded(const char *s, size_t width)
{
    size_t n = 0;
    const char *p = s;
    for (; *p && !(n == width && ((unsigned char)*p & 0xC0) != 0x80); p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    fwrite(s, 1, (size_t)(p - s), stdout);
    for (; n < width; n++)
        putchar(' ');
}

static void print_sources(const json_t *sources)
{
    size_t i, width = 0;
    json_t *row;
    char count[32], size[32];
    json_array_foreach(sources, i, row) {
        size_t len = utf8_chars(get_str(row, "source", "(no source)"));
        if (i < SOURCES_SHOWN && len > width)
            width = len > 40 ? 40 : len;
    }
    json_array_foreach(sources, i, row) {
        if (i == SOURCES_SHOWN) {
            printf("  ... and %zu more\n", json_array_size(sources) - SOURCES_SHOWN);
            break;
        }
        json_int_t n = get_int(row, "articles");
        fputs("  ", stdout);
        print_padded(get_str(row, "source", "(no source)"), width);
        printf("  %8s article%-1s  %10s\n", cli_fmt_count(count, (uint64_t)n), cli_plural((uint64_t)n),
               cli_fmt_bytes(size, (uint64_t)get_int(row, "bytes")));
    }
}

static void print_layers(const json_t *layers)
{
    size_t i;
    json_t *row;
    json_int_t total = 0;
    char a[32], b[32];
    json_array_foreach(layers, i, row) total += get_int(row, "annotations");
    printf("annotations  %s in %zu layer%s\n", cli_fmt_count(a, (uint64_t)total), json_array_size(layers),
           cli_plural(json_array_size(layers)));
    json_array_foreach(layers, i, row) {
        uint64_t articles = (uint64_t)get_int(row, "articles");
        printf("  %-20s %10s in %s article%s\n", get_str(row, "layer", "?"),
               cli_fmt_count(a, (uint64_t)get_int(row, "annotations")), cli_fmt_count(b, articles),
               cli_plural(articles));
    }
}

/* Layers of corpus-level rows (corpus:row): speakers, toll series... */
static void print_row_layers(const json_t *layers)
{
    size_t i;
    json_t *row;
    json_int_t total = 0;
    char a[32];
    json_array_foreach(layers, i, row) total += get_int(row, "rows");
    if (total == 0)
        return;
    printf("corpus rows  %s in %zu layer%s\n", cli_fmt_count(a, (uint64_t)total), json_array_size(layers),
           cli_plural(json_array_size(layers)));
    json_array_foreach(layers, i, row) {
        printf("  %-20s %10s from %s\n", get_str(row, "layer", "?"), cli_fmt_count(a, (uint64_t)get_int(row, "rows")),
               get_str(row, "plugin", "?"));
    }
}

static void print_runs(const json_t *runs, const json_t *last)
{
    size_t i;
    json_t *row;
    json_int_t total = 0;
    json_array_foreach(runs, i, row) total += get_int(row, "runs");
    printf("runs         %lld", (long long)total);
    json_array_foreach(runs, i, row) {
        printf("%s%lld %s", i ? ", " : ": ", (long long)get_int(row, "runs"), get_str(row, "status", "?"));
    }
    putchar('\n');
    if (json_is_object(last))
        printf("last run     #%lld %s %s, started %s, finished %s\n", (long long)get_int(last, "id"),
               get_str(last, "command", "?"), get_str(last, "status", "?"), get_str(last, "started_at", "?"),
               get_str(last, "finished_at", "never"));
}

static void print_summary(const json_t *stats)
{
    const json_t *art = json_object_get(stats, "articles");
    const json_t *sources = json_object_get(stats, "sources");
    char a[32], b[32], c[32], d[32], e[32];
    printf("database     %s (schema %lld)\n", get_str(stats, "database", "?"),
           (long long)get_int(json_object_get(stats, "schema"), "user_version"));
    printf("articles     %s", cli_fmt_count(a, (uint64_t)get_int(art, "articles")));
    if (get_int(art, "repaired"))
        printf(" (%s with repaired UTF-8)", cli_fmt_count(b, (uint64_t)get_int(art, "repaired")));
    printf("\ntext         %s: %s blocks, %s sentences, %s tokens\n",
           cli_fmt_bytes(a, (uint64_t)get_int(art, "bytes")), cli_fmt_count(b, (uint64_t)get_int(art, "blocks")),
           cli_fmt_count(c, (uint64_t)get_int(art, "sentences")), cli_fmt_count(d, (uint64_t)get_int(art, "tokens")));
    printf("sources      %s\n", cli_fmt_count(e, json_array_size(sources)));
    print_sources(sources);
    print_layers(json_object_get(stats, "layers"));
    print_row_layers(json_object_get(stats, "row_layers"));
    print_runs(json_object_get(stats, "runs"), json_object_get(stats, "last_run"));
    printf("problems     %s\n",
           cli_fmt_count(a, (uint64_t)get_int(json_object_get(stats, "problems"), "problems")));
}

int cli_run_stats(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    cli_format format = CLI_FORMAT_TABLE;
    const char *value;
    int id;
    cli_args_init(&args, ctx, argc, argv);
    while ((id = cli_args_next(&args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP)
            return args.exit_code;
        if (id == CLI_ARG_POSITIONAL) {
            cli_args_fail(&args, "unexpected argument '%s'", value);
            return args.exit_code;
        }
        if (cli_args_format(&format, &args, value) != 0)
            return args.exit_code;
        if (format != CLI_FORMAT_TABLE && format != CLI_FORMAT_JSON) {
            cli_args_fail(&args, "--format wants table or json, not '%s'", value);
            return args.exit_code;
        }
    }
    lede_engine *engine;
    int code = cli_engine_open(&engine, ctx, LEDE_OPEN_READONLY);
    if (code != CLI_EXIT_OK)
        return code;
    json_t *stats = collect(engine->db, ctx->db_path, &code);
    lede_engine_close(engine);
    if (code == CLI_EXIT_OK && format == CLI_FORMAT_JSON) {
        json_dumpf(stats, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        putchar('\n');
    } else if (code == CLI_EXIT_OK) {
        print_summary(stats);
    }
    json_decref(stats);
    return cli_stdout_close(code);
}
