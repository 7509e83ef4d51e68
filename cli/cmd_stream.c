/* lede stream: JSON Lines articles on stdin, one JSON Lines record per
 * article with its spans on stdout; no database.  Memory is bounded by the
 * longest line accepted plus one Lua state and one article's spans. */
#include "args.h"
#include "cli.h"
#include "cmd_run.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cli_usage_stream[] =
    "usage: lede stream [options] [PLUGIN...] < ARTICLES.jsonl > RESULTS.jsonl\n"
    "\n"
    "Reads one JSON article per line on standard input (fields as for 'lede\n"
    "ingest': key or id, text or body, title, source, url, published or date,\n"
    "language or lang), runs the plugins on it in memory and writes one JSON\n"
    "line per input line, in input order:\n"
    "\n"
    "  {\"line\":N,\"key\":K,\"spans\":[{\"layer\":L,\"plugin\":P,\"start\":S,\"end\":E,\n"
    "   \"text\":T, <the layer's fields>}, ...]}\n"
    "\n"
    "START and END are byte offsets into the article's text after invalid UTF-8\n"
    "is replaced and the text is normalised to NFC.  A line that cannot be used\n"
    "(bad JSON, no text, too long) gives {\"line\":N,\"key\":K|null,\"error\":MSG}\n"
    "and the stream goes on; a failing plugin adds \"error\" to the record,\n"
    "which keeps the other plugins' spans.  Blank lines are skipped.  Plugins'\n"
    "corpus passes do not run.  No database is read or written; memory stays\n"
    "bounded whatever the length of the stream.  Exit status 1 when any line\n"
    "had an error.\n"
    "\n"
    "options:\n"
    "  --max-line MB    longest line accepted (default 64)\n"
    "  --flush          flush standard output after every record (for a\n"
    "                   caller that waits for each answer)\n"
    "  --plugins DIR    look for plugins in DIR first (repeatable)\n"
    "  -O, --option P.K=V  set option K of plugin P (repeatable)\n"
    "  --memory MB      memory cap of the Lua state (default 512)\n"
    "  --budget N       instructions per plugin call, plus 500 per byte\n"
    "  --help           show this help\n"
    "\n"
    "examples:\n"
    "  lede stream quotes < articles.jsonl > quotes.jsonl\n"
    "  parallel --pipe -N 1000 lede stream casualties < big.jsonl > out.jsonl\n"
    "  (see docs/embedding.md for Spark, Hadoop Streaming and Dask)\n";

enum { OPT_MAX_LINE = 1, OPT_FLUSH };

static const cli_option options[] = {
    { "max-line", 0, 1, OPT_MAX_LINE },
    { "flush", 0, 0, OPT_FLUSH },
    CLI_RUN_OPTIONS,
    CLI_OPTIONS_END,
};

typedef struct line_reader {
    char *buf;
    size_t len, cap, max;
    int too_long; /* the last line was cut at max: its rest was skipped */
} line_reader;

/* Reads the next line (without its newline) into r->buf; 0 at end of input.
 * A line over r->max bytes is consumed but not kept (too_long set). */
static int read_line(line_reader *r, FILE *in)
{
    char chunk[1 << 14];
    int any = 0;
    r->len = 0;
    r->too_long = 0;
    while (fgets(chunk, sizeof chunk, in) != NULL) {
        size_t n = strlen(chunk); /* a NUL byte inside a line cuts it: JSON would reject it anyway */
        int end = n > 0 && chunk[n - 1] == '\n';
        n -= (size_t)end;
        any = 1;
        if (r->too_long || r->len + n > r->max) {
            r->too_long = 1;
        } else {
            if (r->len + n + 1 > r->cap) {
                size_t cap = r->cap ? r->cap : 1 << 16;
                while (cap < r->len + n + 1)
                    cap *= 2;
                char *bigger = realloc(r->buf, cap);
                if (bigger == NULL)
                    return -1;
                r->buf = bigger;
                r->cap = cap;
            }
            memcpy(r->buf + r->len, chunk, n);
            r->len += n;
        }
        if (end)
            break;
    }
    if (r->len && r->buf[r->len - 1] == '\r')
        r->len--;
    return any;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(" \t\r\f\v", s[i]))
            return 0;
    return 1;
}

/* Field `name` or its alias as a string (numbers are printed into num
 * when num is not NULL); NULL if absent. */
static const char *field(json_t *root, const char *name, const char *alias, char *num, size_t cap)
{
    json_t *v = json_object_get(root, name);
    if ((v == NULL || json_is_null(v)) && alias)
        v = json_object_get(root, alias);
    if (json_is_string(v))
        return json_string_value(v);
    if (num && json_is_integer(v)) {
        snprintf(num, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return num;
    }
    return NULL;
}

typedef struct stream_job {
    lede_analyzer *an;
    int flush;
    uint64_t errors;
} stream_job;

/* Writes `rec` as one line and frees it; non-zero on a write failure. */
static int emit(stream_job *job, json_t *rec)
{
    int rc = json_dumpf(rec, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(rec);
    if (rc == 0 && putchar('\n') != EOF && (!job->flush || fflush(stdout) == 0))
        return 0;
    return 1;
}

static json_t *record_new(uint64_t line, const char *key)
{
    json_t *rec = json_object();
    json_object_set_new(rec, "line", json_integer((json_int_t)line));
    json_object_set_new(rec, "key", key ? json_string(key) : json_null());
    return rec;
}

static int emit_error(stream_job *job, uint64_t line, const char *key, const char *message)
{
    job->errors++;
    json_t *rec = record_new(line, key);
    json_object_set_new(rec, "error", json_string(message));
    return emit(job, rec);
}

static json_t *span_json(const lede_result *r, size_t i)
{
    lede_result_span s;
    lede_result_span_get(&s, r, i);
    const char *text = lede_result_text(r, NULL);
    json_t *o = json_object();
    json_object_set_new(o, "layer", json_string(s.layer));
    json_object_set_new(o, "plugin", json_string(s.plugin));
    json_object_set_new(o, "start", json_integer(s.start));
    json_object_set_new(o, "end", json_integer(s.end));
    json_object_set_new(o, "text", json_stringn(text + s.start, s.end - s.start));
    json_t *attrs = s.attrs ? json_loads(s.attrs, 0, NULL) : NULL;
    if (json_is_object(attrs))
        json_object_update_missing(o, attrs);
    json_decref(attrs);
    return o;
}

/* Analyses one parsed article and writes its record. */
static int stream_article(stream_job *job, uint64_t line, json_t *root)
{
    char knum[32], pnum[32], where[32];
    const char *key = field(root, "key", "id", knum, sizeof knum);
    json_t *text = json_object_get(root, "text");
    if (text == NULL || json_is_null(text))
        text = json_object_get(root, "body");
    if (!json_is_string(text))
        return emit_error(job, line, key, "no \"text\" (or \"body\") string");
    snprintf(where, sizeof where, "stdin:%llu", (unsigned long long)line);
    lede_article_meta meta = {key ? key : where, field(root, "source", NULL, NULL, 0), field(root, "url", NULL, NULL, 0),
                              field(root, "title", NULL, NULL, 0), field(root, "published", "date", pnum, sizeof pnum),
                              field(root, "language", "lang", NULL, 0), NULL, where};
    lede_result *r;
    int rc = lede_analyze_text(&r, job->an, json_string_value(text), json_string_length(text), &meta);
    if (r == NULL)
        return emit_error(job, line, key, lede_analyzer_errmsg(job->an));
    json_t *rec = record_new(line, key);
    json_t *spans = json_array();
    for (size_t i = 0, n = lede_result_span_count(r); i < n; i++)
        json_array_append_new(spans, span_json(r, i));
    json_object_set_new(rec, "spans", spans);
    if (rc != LEDE_OK) {
        job->errors++;
        json_object_set_new(rec, "error", json_string(lede_analyzer_errmsg(job->an)));
    }
    lede_result_free(r);
    return emit(job, rec);
}

static int stream_line(stream_job *job, uint64_t line, const char *s, size_t len)
{
    json_error_t err;
    json_t *root = json_loadb(s, len, JSON_REJECT_DUPLICATES, &err);
    if (root == NULL) {
        char msg[256];
        snprintf(msg, sizeof msg, "bad JSON at column %d: %s", err.column, err.text);
        return emit_error(job, line, NULL, msg);
    }
    int rc = json_is_object(root) ? stream_article(job, line, root)
                                  : emit_error(job, line, NULL, "not a JSON object");
    json_decref(root);
    return rc;
}

static int stream_stdin(stream_job *job, size_t max_line)
{
    line_reader r = { NULL, 0, 0, max_line, 0 };
    uint64_t line = 0;
    int got, failed = 0;
    while (!failed && (got = read_line(&r, stdin)) > 0) {
        line++;
        if (r.too_long) {
            char msg[96];
            snprintf(msg, sizeof msg, "line longer than %zu bytes: skipped", max_line);
            failed = emit_error(job, line, NULL, msg);
        } else if (!is_blank(r.buf, r.len)) {
            failed = stream_line(job, line, r.buf, r.len);
        }
    }
    free(r.buf);
    if (failed)
        return cli_output_failed();
    if (got < 0) {
        cli_error("stream: out of memory reading line %llu", (unsigned long long)line + 1);
        return CLI_EXIT_IO;
    }
    if (ferror(stdin)) {
        cli_error("stream: cannot read standard input after line %llu", (unsigned long long)line);
        return CLI_EXIT_IO;
    }
    return job->errors ? CLI_EXIT_PROBLEMS : CLI_EXIT_OK;
}

int cli_run_stream(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    cli_run_conf conf;
    stream_job job = { NULL, 0, 0 };
    uint64_t max_mb = 64;
    const char *value;
    int id;
    cli_run_conf_init(&conf, 1);
    cli_args_init(&args, ctx, argc, argv);
    while ((id = cli_args_next(&args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_RUN_OPT_JOBS || id == CLI_RUN_OPT_FORCE || id == CLI_RUN_OPT_FAIL_FAST)
            id = cli_args_fail(&args, "-j, --force and --fail-fast do not apply: a stream is one article at a time");
        int used = id > 0 ? cli_run_conf_option(&conf, &args, id, value) : 0;
        if (id == OPT_MAX_LINE)
            used = cli_args_uint(&max_mb, &args, "--max-line", value, 1, 4096) == 0 ? 1 : CLI_ARG_STOP;
        else if (id == OPT_FLUSH)
            used = job.flush = 1;
        if (id == CLI_ARG_STOP || used == CLI_ARG_STOP) {
            cli_run_conf_free(&conf);
            return args.exit_code;
        }
    }
    conf.opts.version = LEDE_RUN_OPTS_VERSION;
    conf.opts.plugin_dirs = conf.dirs;
    conf.opts.n_plugin_dirs = conf.n_dirs;
    conf.opts.options = conf.overrides;
    conf.opts.n_options = conf.n_overrides;
    int rc = lede_analyzer_new(&job.an, (const char *const *)argv + 1, (size_t)args.npositional, &conf.opts);
    int code;
    if (rc != LEDE_OK) {
        cli_error("stream: %s", lede_analyzer_errmsg(job.an));
        code = rc == LEDE_ENOTFOUND ? CLI_EXIT_NOTFOUND : rc == LEDE_ENOMEM ? CLI_EXIT_IO : CLI_EXIT_PLUGIN;
    } else {
        setvbuf(stdout, NULL, _IOFBF, (size_t)1 << 16);
        code = cli_stdout_close(stream_stdin(&job, (size_t)max_mb << 20));
    }
    lede_analyzer_free(job.an);
    cli_run_conf_free(&conf);
    return code;
}
