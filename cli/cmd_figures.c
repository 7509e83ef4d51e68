/* lede figures: casualty figures (layer `figure`) and the series of tolls
 * the casualties plugin tracks across articles (layer `toll`). */
#include "args.h"
#include "cli.h"
#include "engine.h"
#include "out.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cli_usage_figures[] =
    "usage: lede figures [--where PLACE] [--category C] [--scope S] [--timeline [--all]]\n"
    "                    [--limit N] [--format " CLI_FORMAT_NAMES "]\n"
    "\n"
    "Lists the casualty figures the casualties plugin found (layer figure), one\n"
    "row per figure in article order: article, as_of, category, figure (a count,\n"
    "a range low-high, or a vague word), qualifier, victims, where, scope,\n"
    "confidence and the text carrying it.\n"
    "\n"
    "With --timeline, lists the tolls tracked across articles instead (layer\n"
    "toll, written by the plugin's corpus pass): one row per point of each series\n"
    "(same place, category and scope, ordered by date) with the change since the\n"
    "point before and notes on conflicting outlets, running totals that went\n"
    "down and figures repeated across outlets (wire copy).  In a table, a bar\n"
    "scaled to the series' largest figure shows how the toll moved; series of a\n"
    "single point are left out unless --all.\n"
    "\n"
    "options:\n"
    "  --where PLACE    only figures whose place contains PLACE (any case)\n"
    "  --category C     killed (or dead), wounded, displaced, abducted, arrested, missing\n"
    "  --scope S        cumulative or incident\n"
    "  --timeline       the series of tolls instead of the figures\n"
    "  --all            with --timeline, series of one point too\n"
    "  -n, --limit N    at most N rows\n"
    "  --format F       table (default; with the chart), json, jsonl or csv\n"
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "Exit status 5 when the database has no figures (run 'lede run casualties').\n"
    "\n"
    "examples:\n"
    "  lede figures --category killed --where Marovia\n"
    "  lede figures --timeline\n"
    "  lede figures --timeline --format csv > tolls.csv\n";

enum { OPT_WHERE = 1, OPT_CATEGORY, OPT_SCOPE, OPT_TIMELINE, OPT_ALL, OPT_LIMIT, OPT_FORMAT };

static const cli_option options[] = {
    { "where", 0, 1, OPT_WHERE },       { "category", 0, 1, OPT_CATEGORY }, { "scope", 0, 1, OPT_SCOPE },
    { "timeline", 0, 0, OPT_TIMELINE }, { "all", 0, 0, OPT_ALL },           { "limit", 'n', 1, OPT_LIMIT },
    { "format", 0, 1, OPT_FORMAT },     CLI_OPTIONS_END,
};

typedef struct figures_query {
    const char *where, *category, *scope;
    int timeline, all;
    int64_t limit; /* -1: no limit */
    cli_format format;
} figures_query;

#define BAR_WIDTH 20

static int parse_options(cli_args *args, figures_query *q)
{
    static const char *const categories[] = { "killed", "dead", "wounded", "displaced", "abducted",
                                              "arrested", "missing", NULL };
    const char *value;
    int id;
    while ((id = cli_args_next(args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP)
            return args->exit_code;
        if (id == OPT_WHERE) {
            q->where = value;
        } else if (id == OPT_CATEGORY) {
            size_t k = 0;
            while (categories[k] && strcmp(categories[k], value) != 0)
                k++;
            if (!categories[k]) {
                cli_args_fail(args, "unknown category '%s' (killed, dead, wounded, displaced, abducted, "
                                    "arrested, missing)", value);
                return args->exit_code;
            }
            q->category = value;
        } else if (id == OPT_SCOPE) {
            if (strcmp(value, "cumulative") != 0 && strcmp(value, "incident") != 0) {
                cli_args_fail(args, "--scope is cumulative or incident, not '%s'", value);
                return args->exit_code;
            }
            q->scope = value;
        } else if (id == OPT_TIMELINE) {
            q->timeline = 1;
        } else if (id == OPT_ALL) {
            q->all = 1;
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
    if (q->all && !q->timeline) {
        cli_args_fail(args, "--all goes with --timeline");
        return args->exit_code;
    }
    return -1;
}

/* "1,350" */
static void fmt_count(char *buf, size_t cap, double v)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", v < 0 ? -v : v);
    size_t n = strlen(digits), o = 0;
    if (v < 0 && o + 1 < cap)
        buf[o++] = '-';
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

/* The figure as read: a count, a range, or a vague word. */
static void figure_text(char *buf, size_t cap, sqlite3_stmt *st, int c_count, int c_low, int c_high, int c_vague)
{
    char a[32], b[32];
    if (sqlite3_column_type(st, c_count) != SQLITE_NULL) {
        fmt_count(buf, cap, sqlite3_column_double(st, c_count));
    } else if (c_vague >= 0 && sqlite3_column_type(st, c_vague) != SQLITE_NULL) {
        snprintf(buf, cap, "%s", (const char *)sqlite3_column_text(st, c_vague));
    } else if (sqlite3_column_type(st, c_low) != SQLITE_NULL) {
        fmt_count(a, sizeof a, sqlite3_column_double(st, c_low));
        fmt_count(b, sizeof b, sqlite3_column_double(st, c_high));
        snprintf(buf, cap, "%s-%s", a, b);
    } else {
        buf[0] = '\0';
    }
}

/* A bar of `width` cells for value/max, in eighths of a cell. */
static void bar(char *buf, size_t cap, double value, double max, int width)
{
    static const char *const eighths[] = { "", "\xE2\x96\x8F", "\xE2\x96\x8E", "\xE2\x96\x8D", "\xE2\x96\x8C",
                                           "\xE2\x96\x8B", "\xE2\x96\x8A", "\xE2\x96\x89" };
    size_t o = 0;
    int units = max > 0 && value > 0 ? (int)(value / max * width * 8 + 0.5) : 0;
    if (value > 0 && units == 0)
        units = 1;
    for (int i = 0; i < units / 8 && o + 4 < cap; i++) {
        memcpy(buf + o, "\xE2\x96\x88", 3);
        o += 3;
    }
    const char *part = eighths[units % 8];
    if (o + strlen(part) + 1 < cap) {
        memcpy(buf + o, part, strlen(part));
        o += strlen(part);
    }
    buf[o] = '\0';
}

static int has_layer(sqlite3 *db, const char *layer, int *found)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM annotation WHERE layer = ?1 LIMIT 1", -1, &st, NULL) != SQLITE_OK)
        return cli_sqlite_fail(db, "cannot read the annotations");
    sqlite3_bind_text(st, 1, layer, -1, SQLITE_STATIC);
    *found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return CLI_EXIT_OK;
}

/* Filters shared by both listings; `dead` and `killed` are one class. */
#define FILTERS                                                                                            \
    " AND (?1 IS NULL OR lower(json_extract(an.attrs, '$.%s')) LIKE '%%' || lower(?1) || '%%')"          \
    " AND (?2 IS NULL OR json_extract(an.attrs, '$.category') = ?2"                                       \
    "      OR (?2 IN ('dead', 'killed') AND json_extract(an.attrs, '$.category') IN ('dead', 'killed')))" \
    " AND (?3 IS NULL OR json_extract(an.attrs, '$.scope') = ?3)"

static void bind_filters(sqlite3_stmt *st, const figures_query *q)
{
    sqlite3_bind_text(st, 1, q->where, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, q->category, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, q->scope, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, q->limit);
}

static int list_figures(sqlite3 *db, const figures_query *q)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT ar.key, json_extract(an.attrs, '$.as_of'), json_extract(an.attrs, '$.category'), "
             "json_extract(an.attrs, '$.count'), json_extract(an.attrs, '$.low'), "
             "json_extract(an.attrs, '$.high'), json_extract(an.attrs, '$.vague'), "
             "json_extract(an.attrs, '$.qualifier'), json_extract(an.attrs, '$.victims'), "
             "json_extract(an.attrs, '$.where'), json_extract(an.attrs, '$.scope'), "
             "json_extract(an.attrs, '$.confidence'), "
             "CAST(substr(CAST(ar.text AS BLOB), an.start + 1, an.\"end\" - an.start) AS TEXT) "
             "FROM annotation an JOIN article ar ON ar.id = an.article_id WHERE an.layer = 'figure'" FILTERS
             " ORDER BY ar.key, an.start, an.id LIMIT ?4",
             "where");
    static const char *const table_cols[] = { "article", "as_of", "category", "figure", "qualifier",
                                              "victims", "where", "scope", "confidence", "text" };
    static const char *const data_cols[] = { "article", "as_of", "category", "count", "low", "high", "vague",
                                             "qualifier", "victims", "where", "scope", "confidence", "text" };
    int table = q->format == CLI_FORMAT_TABLE;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return cli_sqlite_fail(db, "cannot list the figures");
    bind_filters(st, q);
    cli_out *o;
    if (cli_out_new(&o, stdout, q->format, table ? 10 : 13, table ? table_cols : data_cols) != 0) {
        sqlite3_finalize(st);
        return cli_output_failed();
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < 3; c++)
            cli_out_column(o, st, c);
        if (table) {
            char fig[96];
            figure_text(fig, sizeof fig, st, 3, 4, 5, 6);
            cli_out_str(o, fig);
        } else {
            for (int c = 3; c <= 6; c++)
                cli_out_column(o, st, c);
        }
        for (int c = 7; c <= 12; c++)
            cli_out_column(o, st, c);
        if (cli_out_row(o) != 0)
            break;
    }
    int code = CLI_EXIT_OK;
    if (cli_out_finish(o) != 0)
        code = cli_output_failed();
    else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        code = cli_sqlite_fail(db, "cannot list the figures");
    cli_out_free(o);
    sqlite3_finalize(st);
    return code;
}

static int list_timeline(sqlite3 *db, const figures_query *q)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "WITH p AS (SELECT json_extract(an.attrs, '$.series') AS series, "
             "json_extract(an.attrs, '$.seq') AS seq, json_extract(an.attrs, '$.as_of') AS as_of, "
             "json_extract(an.attrs, '$.count') AS count, json_extract(an.attrs, '$.low') AS low, "
             "json_extract(an.attrs, '$.high') AS high, json_extract(an.attrs, '$.qualifier') AS qualifier, "
             "json_extract(an.attrs, '$.change') AS change, json_extract(an.attrs, '$.outlet') AS outlet, "
             "json_extract(an.attrs, '$.movement') AS movement, json_extract(an.attrs, '$.notes') AS notes, "
             "ar.key AS article "
             "FROM annotation an JOIN article ar ON ar.id = an.article_id WHERE an.layer = 'toll'" FILTERS "), "
             "s AS (SELECT *, coalesce(count, (low + high) / 2.0) AS value, "
             "max(coalesce(count, (low + high) / 2.0)) OVER (PARTITION BY series) AS top, "
             "count(*) OVER (PARTITION BY series) AS points FROM p) "
             "SELECT series, seq, as_of, count, low, high, qualifier, change, outlet, article, "
             "(SELECT group_concat(j.value, '; ') FROM json_each(s.notes) j), value, top, movement "
             "FROM s WHERE points > 1 OR ?5 ORDER BY series, seq LIMIT ?4",
             "place");
    static const char *const table_cols[] = { "series", "as_of", "figure", "qualifier", "change", "chart",
                                              "outlet", "notes" };
    static const char *const data_cols[] = { "series", "seq", "as_of", "count", "low", "high", "qualifier",
                                             "change", "movement", "outlet", "article", "notes" };
    int table = q->format == CLI_FORMAT_TABLE;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return cli_sqlite_fail(db, "cannot list the tolls");
    bind_filters(st, q);
    sqlite3_bind_int(st, 5, q->all);
    cli_out *o;
    if (cli_out_new(&o, stdout, q->format, table ? 8 : 12, table ? table_cols : data_cols) != 0) {
        sqlite3_finalize(st);
        return cli_output_failed();
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cli_out_column(o, st, 0);
        if (table) {
            char fig[96], change[48], chart[BAR_WIDTH * 3 + 8];
            cli_out_column(o, st, 2);
            figure_text(fig, sizeof fig, st, 3, 4, 5, -1);
            cli_out_str(o, fig);
            cli_out_column(o, st, 6);
            if (sqlite3_column_type(st, 7) == SQLITE_NULL) {
                cli_out_null(o);
            } else {
                double c = sqlite3_column_double(st, 7);
                fmt_count(change + 1, sizeof change - 1, c);
                change[0] = c > 0 ? '+' : ' ';
                cli_out_str(o, c > 0 ? change : change + 1);
            }
            bar(chart, sizeof chart, sqlite3_column_double(st, 11), sqlite3_column_double(st, 12), BAR_WIDTH);
            cli_out_str(o, chart);
            cli_out_column(o, st, 8);
            cli_out_column(o, st, 10);
        } else {
            for (int c = 1; c <= 7; c++)
                cli_out_column(o, st, c);
            cli_out_column(o, st, 13);
            cli_out_column(o, st, 8);
            cli_out_column(o, st, 9);
            cli_out_column(o, st, 10);
        }
        if (cli_out_row(o) != 0)
            break;
    }
    int code = CLI_EXIT_OK;
    if (cli_out_finish(o) != 0)
        code = cli_output_failed();
    else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        code = cli_sqlite_fail(db, "cannot list the tolls");
    cli_out_free(o);
    sqlite3_finalize(st);
    return code;
}

int cli_run_figures(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    figures_query q = { NULL, NULL, NULL, 0, 0, -1, CLI_FORMAT_TABLE };
    cli_args_init(&args, ctx, argc, argv);
    int code = parse_options(&args, &q);
    if (code >= 0)
        return code;
    lede_engine *engine;
    code = cli_engine_open(&engine, ctx, LEDE_OPEN_READONLY);
    if (code != CLI_EXIT_OK)
        return code;
    int found = 0;
    const char *layer = q.timeline ? "toll" : "figure";
    code = has_layer(engine->db, layer, &found);
    if (code == CLI_EXIT_OK && !found) {
        cli_error("no %s in %s: run 'lede run casualties' first", q.timeline ? "tolls" : "figures", ctx->db_path);
        code = CLI_EXIT_NOTFOUND;
    } else if (code == CLI_EXIT_OK) {
        code = q.timeline ? list_timeline(engine->db, &q) : list_figures(engine->db, &q);
    }
    lede_engine_close(engine);
    return cli_stdout_close(code);
}
