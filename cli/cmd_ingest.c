/* lede ingest PATH... */
#include "args.h"
#include "cli.h"
#include "progress.h"

#include <stdio.h>

const char cli_usage_ingest[] =
    "usage: lede ingest [--strict] [--batch N] PATH...\n"
    "\n"
    "Adds articles to the database.  PATH is a plain-text file (one article, keyed\n"
    "by its base name), a directory (every file below it, recursively, in sorted\n"
    "order, keyed by its path relative to PATH), a .jsonl or .ndjson file (one\n"
    "article per line: id or key, source, url, title, published or date, text or\n"
    "body; other fields are kept), or - for standard input.\n"
    "\n"
    "An article whose key and content are already stored is skipped; new content\n"
    "under a known key replaces the article and drops its annotations.  Invalid\n"
    "UTF-8 is repaired with U+FFFD and reported as FILE@BYTE; binary files, empty\n"
    "files and malformed JSON lines (reported as FILE:LINE) are rejected while the\n"
    "rest of the batch goes on.\n"
    "\n"
    "options:\n"
    "  --strict     reject input with invalid UTF-8 instead of repairing it\n"
    "  --batch N    articles per transaction (default: the engine's)\n"
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "Prints \"ingested N articles (A added, R replaced, U unchanged, X rejected)\n"
    "in T s, S MB/s\" unless -q.  Exit status 1 when anything was rejected.\n"
    "\n"
    "examples:\n"
    "  lede ingest corpus/\n"
    "  lede --db news.db ingest --strict feed.jsonl\n"
    "  curl -s https://example.org/feed.jsonl | lede ingest -\n";

enum { OPT_STRICT = 1, OPT_BATCH };

static const cli_option options[] = {
    { "strict", 0, 0, OPT_STRICT },
    { "batch", 0, 1, OPT_BATCH },
    CLI_OPTIONS_END,
};

typedef struct ingest_job {
    cli_progress progress;
    int quiet;
} ingest_job;

static void on_diag(void *ud, int severity, const char *where, const char *message)
{
    ingest_job *job = ud;
    if (severity != LEDE_DIAG_ERROR && job->quiet)
        return;
    cli_progress_clear(&job->progress);
    fprintf(stderr, "lede: %s: ", severity == LEDE_DIAG_ERROR ? "error" : "warning");
    if (where && *where)
        fprintf(stderr, "%s: ", where);
    fprintf(stderr, "%s\n", message);
}

static int on_progress(void *ud, uint64_t done, uint64_t total)
{
    ingest_job *job = ud;
    cli_progress_update(&job->progress, done, total);
    return 0;
}

static void add_stats(lede_ingest_stats *sum, const lede_ingest_stats *st)
{
    sum->added += st->added;
    sum->replaced += st->replaced;
    sum->unchanged += st->unchanged;
    sum->rejected += st->rejected;
    sum->repaired += st->repaired;
    sum->bytes += st->bytes;
}

static void print_summary(const lede_ingest_stats *st, double seconds)
{
    uint64_t n = st->added + st->replaced + st->unchanged + st->rejected;
    double mbps = seconds > 0 ? (double)st->bytes / 1e6 / seconds : 0.0;
    printf("ingested %llu article%s (%llu added, %llu replaced, %llu unchanged, %llu rejected) "
           "in %.2f s, %.1f MB/s\n",
           (unsigned long long)n, cli_plural(n), (unsigned long long)st->added,
           (unsigned long long)st->replaced, (unsigned long long)st->unchanged,
           (unsigned long long)st->rejected, seconds, mbps);
}

/* Errors that make the other paths pointless. */
static int is_fatal(int rc)
{
    return rc == LEDE_EDB || rc == LEDE_ESCHEMA || rc == LEDE_ENOMEM || rc == LEDE_ECANCEL;
}

/* Ingests every path; returns the exit code. */
static int ingest_all(lede_engine *engine, const char *const *paths, size_t n, lede_ingest_opts *opts,
                      ingest_job *job, int quiet)
{
    lede_ingest_stats sum = { 0 };
    int failure = LEDE_OK;
    double started = cli_now();
    for (size_t i = 0; i < n; i++) {
        lede_ingest_stats st = { 0 };
        int rc = lede_ingest_path(&st, engine, paths[i], opts);
        add_stats(&sum, &st);
        if (rc == LEDE_OK || rc == LEDE_EREJECTED)
            continue;
        cli_progress_clear(&job->progress);
        cli_error("%s", lede_errmsg(engine));
        failure = rc;
        if (is_fatal(rc))
            break;
    }
    cli_progress_clear(&job->progress);
    if (!quiet)
        print_summary(&sum, cli_now() - started);
    if (failure != LEDE_OK)
        return cli_exit_for_status(failure);
    return sum.rejected ? CLI_EXIT_PROBLEMS : CLI_EXIT_OK;
}

/* Reads the options into *opts; returns -1 to go on, else an exit code. */
static int parse_options(cli_args *args, lede_ingest_opts *opts)
{
    const char *value;
    uint64_t batch;
    int id;
    while ((id = cli_args_next(args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP)
            return args->exit_code;
        if (id == OPT_STRICT)
            opts->strict = 1;
        else if (id == OPT_BATCH) {
            if (cli_args_uint(&batch, args, "batch", value, 1, 1000000) != 0)
                return args->exit_code;
            opts->batch = (unsigned)batch;
        }
    }
    if (args->npositional == 0) {
        cli_args_fail(args, "no PATH given (use - for standard input)");
        return args->exit_code;
    }
    return -1;
}

int cli_run_ingest(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    lede_ingest_opts opts = LEDE_INGEST_OPTS_INIT;
    cli_args_init(&args, ctx, argc, argv);
    int code = parse_options(&args, &opts);
    if (code >= 0)
        return code;

    lede_engine *engine;
    code = cli_engine_open(&engine, ctx, 0);
    if (code != CLI_EXIT_OK)
        return code;
    ingest_job job;
    cli_progress_init(&job.progress, "ingest", 1, ctx->quiet);
    job.quiet = ctx->quiet;
    opts.diag = on_diag;
    opts.progress = on_progress;
    opts.ud = &job;
    code = ingest_all(engine, (const char *const *)argv + 1, (size_t)args.npositional, &opts, &job,
                      ctx->quiet);
    lede_engine_close(engine);
    return cli_stdout_close(code);
}
