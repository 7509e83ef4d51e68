/* lede run [PLUGIN...] */
#include "cmd_run.h"

#include "engine.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cli_usage_run[] =
    "usage: lede run [options] [PLUGIN...]\n"
    "\n"
    "Runs plugins over every article of the database: the named ones (a name, or\n"
    "the path of a .lua file) and those they require; with none, the stock\n"
    "plugins and those of the --plugins folders.  Results land in the annotation\n"
    "table and in one SQL view per layer (SELECT * FROM quote).\n"
    "\n"
    "Runs are incremental: a plugin whose version, source (with its folder's\n"
    "lib/ and data/), options and requirements are unchanged skips the articles\n"
    "it has done; a changed plugin recomputes its layers.  A plugin that fails,\n"
    "loops or runs out of memory on an article is stopped there; its error is\n"
    "stored in the problem table and summarised at the end, and everything else\n"
    "goes on.\n"
    "\n"
    "Plugins are found in the --plugins folders, then $LEDE_PLUGIN_PATH\n"
    "(colon-separated), then the stock plugins folder.  Writing plugins:\n"
    "docs/plugins.md.\n"
    "\n"
    "options:\n" CLI_RUN_USAGE
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "Exit status 6 when a plugin failed (on any article), 5 when a plugin is not\n"
    "found, 2 for a bad plugin file or option.\n"
    "\n"
    "examples:\n"
    "  lede run\n"
    "  lede run --plugins my-plugins/ wordcount\n"
    "  lede run ./kwic.lua -O kwic.word=ceasefire --jobs 4\n";

static const cli_option options[] = {
    CLI_RUN_OPTIONS,
    CLI_OPTIONS_END,
};

static int push_str(const char ***v, size_t *n, const char *s)
{
    const char **bigger = realloc(*v, (*n + 1) * sizeof **v);
    if (bigger == NULL)
        return -1;
    *v = bigger;
    bigger[(*n)++] = s;
    return 0;
}

void cli_run_conf_init(cli_run_conf *c, int quiet)
{
    memset(c, 0, sizeof *c);
    cli_progress_init(&c->progress, "run", 0, quiet);
}

void cli_run_conf_free(cli_run_conf *c)
{
    free(c->dirs);
    free(c->overrides);
}

int cli_run_conf_option(cli_run_conf *c, cli_args *args, int id, const char *value)
{
    uint64_t n;
    switch (id) {
    case CLI_RUN_OPT_PLUGINS:
        if (push_str(&c->dirs, &c->n_dirs, value) != 0)
            return cli_args_fail(args, "out of memory");
        return 1;
    case CLI_RUN_OPT_OPTION:
        if (push_str(&c->overrides, &c->n_overrides, value) != 0)
            return cli_args_fail(args, "out of memory");
        return 1;
    case CLI_RUN_OPT_JOBS:
        if (cli_args_uint(&n, args, "jobs", value, 1, 256) != 0)
            return CLI_ARG_STOP;
        c->opts.jobs = (unsigned)n;
        return 1;
    case CLI_RUN_OPT_MEMORY:
        if (cli_args_uint(&n, args, "memory", value, 4, 1u << 20) != 0)
            return CLI_ARG_STOP;
        c->opts.limits.memory = (size_t)n << 20;
        return 1;
    case CLI_RUN_OPT_BUDGET:
        if (cli_args_uint(&n, args, "budget", value, 1000, UINT64_MAX >> 8) != 0)
            return CLI_ARG_STOP;
        c->opts.limits.budget = n;
        return 1;
    case CLI_RUN_OPT_FORCE: c->opts.force = 1; return 1;
    case CLI_RUN_OPT_FAIL_FAST: c->opts.fail_fast = 1; return 1;
    default: return 0;
    }
}

static int on_progress(void *ud, uint64_t done, uint64_t total)
{
    cli_progress_update(ud, done, total);
    return 0;
}

/* Lists the run's problems on stderr: a count per plugin, then the first few. */
static void report_problems(lede_engine *engine, int64_t run_id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(engine->db,
                           "SELECT plugin, count(*), min(id) FROM problem WHERE run_id = ?1 "
                           "GROUP BY plugin ORDER BY plugin",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(st, 1, run_id);
    while (sqlite3_step(st) == SQLITE_ROW)
        fprintf(stderr, "lede: plugin %s failed on %lld article%s\n", sqlite3_column_text(st, 0),
                (long long)sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 1) == 1 ? "" : "s");
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(engine->db,
                           "SELECT plugin, coalesce(article_key, '(corpus pass)'), location, message "
                           "FROM problem WHERE run_id = ?1 ORDER BY id LIMIT 10",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(st, 1, run_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *loc = (const char *)sqlite3_column_text(st, 2);
        fprintf(stderr, "  %s on %s: %s%s%s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
                loc ? loc : "", loc ? ": " : "", sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
    fprintf(stderr, "lede: details and tracebacks: lede sql \"SELECT * FROM problem WHERE run_id = %lld\"\n",
            (long long)run_id);
}

int cli_run_execute(lede_engine *engine, cli_run_conf *c, const char *const *names, size_t n_names, int quiet)
{
    c->opts.plugin_dirs = c->dirs;
    c->opts.n_plugin_dirs = c->n_dirs;
    c->opts.options = c->overrides;
    c->opts.n_options = c->n_overrides;
    c->opts.progress = on_progress;
    c->opts.ud = &c->progress;
    lede_run_stats st = {0};
    double started = cli_now();
    int rc = lede_run(&st, engine, names, n_names, &c->opts);
    cli_progress_clear(&c->progress);
    if (st.run_id == 0) { /* stopped before any work */
        cli_error("%s", lede_errmsg(engine));
        return cli_exit_for_status(rc);
    }
    if (!quiet)
        printf("ran %zu plugin%s over %llu article%s (%llu computed, %llu current, %llu failed, "
               "%llu corpus pass%s), %llu spans, in %.2f s\n",
               st.plugins, st.plugins == 1 ? "" : "s", (unsigned long long)st.articles,
               st.articles == 1 ? "" : "s", (unsigned long long)st.computed, (unsigned long long)st.current,
               (unsigned long long)st.errors, (unsigned long long)st.corpus_passes,
               st.corpus_passes == 1 ? "" : "es", (unsigned long long)st.spans, cli_now() - started);
    if (st.errors)
        report_problems(engine, st.run_id);
    if (rc != LEDE_OK && rc != LEDE_EPLUGIN)
        cli_error("%s", lede_errmsg(engine));
    return st.errors && rc == LEDE_OK ? CLI_EXIT_PLUGIN : cli_exit_for_status(rc);
}

int cli_run_run(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    cli_run_conf conf;
    cli_args_init(&args, ctx, argc, argv);
    cli_run_conf_init(&conf, ctx->quiet);
    const char *value;
    int id;
    while ((id = cli_args_next(&args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP || cli_run_conf_option(&conf, &args, id, value) == CLI_ARG_STOP) {
            cli_run_conf_free(&conf);
            return args.exit_code;
        }
    }
    lede_engine *engine;
    int code = cli_engine_open(&engine, ctx, 0);
    if (code == CLI_EXIT_OK) {
        code = cli_run_execute(engine, &conf, (const char *const *)argv + 1, (size_t)args.npositional,
                               ctx->quiet);
        lede_engine_close(engine);
    }
    cli_run_conf_free(&conf);
    return cli_stdout_close(code);
}
