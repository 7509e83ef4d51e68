/* lede analyze PATH... : ingest, then run the plugins */
#include "cmd_run.h"

#include <stdio.h>
#include <stdlib.h>

const char cli_usage_analyze[] =
    "usage: lede analyze [--strict] [--plugin NAME]... [run options] PATH...\n"
    "\n"
    "Ingests PATH (as 'lede ingest' does) and runs the plugins over the\n"
    "database (as 'lede run' does): the --plugin ones and what they require,\n"
    "else the stock plugins and those of the --plugins folders.  Articles\n"
    "already analysed by the same plugins are skipped.\n"
    "\n"
    "options:\n"
    "  --strict         reject input with invalid UTF-8 instead of repairing it\n"
    "  --plugin NAME    run this plugin (a name or a .lua path; repeatable)\n" CLI_RUN_USAGE
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "Exit status 6 when a plugin failed, 1 when some input was rejected.\n"
    "\n"
    "examples:\n"
    "  lede analyze corpus/\n"
    "  lede --db news.db analyze --plugins my-plugins/ --plugin wordcount feed.jsonl\n";

enum { OPT_STRICT = 1, OPT_PLUGIN };

static const cli_option options[] = {
    { "strict", 0, 0, OPT_STRICT },
    { "plugin", 0, 1, OPT_PLUGIN },
    CLI_RUN_OPTIONS,
    CLI_OPTIONS_END,
};

static void on_diag(void *ud, int severity, const char *where, const char *message)
{
    int quiet = *(const int *)ud;
    if (severity != LEDE_DIAG_ERROR && quiet)
        return;
    fprintf(stderr, "lede: %s: %s%s%s\n", severity == LEDE_DIAG_ERROR ? "error" : "warning",
            where && *where ? where : "", where && *where ? ": " : "", message);
}

/* Ingests every path; returns LEDE_OK, LEDE_EREJECTED or the error that stopped it. */
static int ingest_all(lede_engine *engine, char **paths, int n, int strict, int quiet)
{
    lede_ingest_opts opts = LEDE_INGEST_OPTS_INIT;
    opts.strict = strict;
    opts.diag = on_diag;
    opts.ud = &quiet;
    int worst = LEDE_OK;
    lede_ingest_stats sum = {0};
    for (int i = 0; i < n; i++) {
        lede_ingest_stats st = {0};
        int rc = lede_ingest_path(&st, engine, paths[i], &opts);
        sum.added += st.added;
        sum.replaced += st.replaced;
        sum.unchanged += st.unchanged;
        sum.rejected += st.rejected;
        if (rc == LEDE_EREJECTED) {
            worst = worst == LEDE_OK ? rc : worst;
        } else if (rc != LEDE_OK) {
            cli_error("%s", lede_errmsg(engine));
            return rc;
        }
    }
    if (!quiet)
        printf("ingested %llu added, %llu replaced, %llu unchanged, %llu rejected\n",
               (unsigned long long)sum.added, (unsigned long long)sum.replaced,
               (unsigned long long)sum.unchanged, (unsigned long long)sum.rejected);
    return worst;
}

int cli_run_analyze(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    cli_run_conf conf;
    cli_args_init(&args, ctx, argc, argv);
    cli_run_conf_init(&conf, ctx->quiet);
    const char **plugins = NULL;
    size_t n_plugins = 0;
    int strict = 0, code = -1;
    const char *value;
    int id;
    while (code < 0 && (id = cli_args_next(&args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP || cli_run_conf_option(&conf, &args, id, value) == CLI_ARG_STOP) {
            code = args.exit_code;
        } else if (id == OPT_STRICT) {
            strict = 1;
        } else if (id == OPT_PLUGIN) {
            const char **bigger = realloc(plugins, (n_plugins + 1) * sizeof *plugins);
            if (bigger == NULL)
                code = CLI_EXIT_IO;
            else
                (plugins = bigger)[n_plugins++] = value;
        }
    }
    if (code < 0 && args.npositional == 0) {
        cli_args_fail(&args, "no PATH given (use - for standard input)");
        code = args.exit_code;
    }
    lede_engine *engine = NULL;
    if (code < 0 && (code = cli_engine_open(&engine, ctx, 0)) == CLI_EXIT_OK) {
        int ingested = ingest_all(engine, argv + 1, args.npositional, strict, ctx->quiet);
        if (ingested == LEDE_OK || ingested == LEDE_EREJECTED) {
            code = cli_run_execute(engine, &conf, plugins, n_plugins, ctx->quiet);
            if (code == CLI_EXIT_OK && ingested == LEDE_EREJECTED)
                code = CLI_EXIT_PROBLEMS;
        } else {
            code = cli_exit_for_status(ingested);
        }
    }
    lede_engine_close(engine);
    free(plugins);
    cli_run_conf_free(&conf);
    return cli_stdout_close(code);
}
