/* lede eval: scores annotation layers against gold files (core/eval.h). */
#include "args.h"
#include "cli.h"
#include "eval.h"
#include "out.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const char cli_usage_eval[] =
    "usage: lede eval --gold DIR [--layer L]... [--layer-map L=DBLAYER]...\n"
    "                 [--skip-missing] [--verbose] [--format table|json]\n"
    "\n"
    "Scores the annotation layers of the database against hand-made gold files\n"
    "(the schema of docs/eval.md): every *.json file of DIR, or the one file DIR\n"
    "names.  A gold file's \"file\" field is the article key (or the end of it,\n"
    "after a '/').  Gold layers: boilerplate and caption (lines), quote, figure,\n"
    "meta; each is scored only for gold files that annotate it.\n"
    "\n"
    "options:\n"
    "  --gold DIR         folder of gold files (or one gold file)\n"
    "  --layer L          score only gold layer L (repeat or list: quote,figure)\n"
    "  --layer-map L=DB   score gold layer L against database layer DB, e.g.\n"
    "                     --layer-map quote=myquotes (repeatable)\n"
    "  --skip-missing     warn about gold files whose article is not in the\n"
    "                     database and score the rest (default: exit 5)\n"
    "  -v, --verbose      one table row per article before the totals\n"
    "  --format F         table (default) or json: one object with every count\n"
    "                     and score, per article and in total\n"
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "Scores: boilerplate P/R/F1 and content retention; caption P/R/F1; quotes\n"
    "F1 over direct+partial and over indirect, speaker accuracy, attributed F1;\n"
    "figures P/R/F1 and the share of matched figures with the right qualifier,\n"
    "scope, as_of and place; meta: the share of articles right per field.  A\n"
    "score whose denominator is 0 is shown as - (null in JSON).\n"
    "\n"
    "examples:\n"
    "  lede eval --gold corpus/gold\n"
    "  lede eval --gold corpus/gold --layer quote --layer-map quote=myquotes -v\n"
    "  lede eval --gold corpus/gold --format json | jq .total.quote.attributed.f1\n";

enum { OPT_GOLD = 1, OPT_LAYER, OPT_LAYER_MAP, OPT_SKIP_MISSING, OPT_VERBOSE, OPT_FORMAT };

static const cli_option options[] = {
    { "gold", 0, 1, OPT_GOLD },
    { "layer", 0, 1, OPT_LAYER },
    { "layer-map", 0, 1, OPT_LAYER_MAP },
    { "skip-missing", 0, 0, OPT_SKIP_MISSING },
    { "verbose", 'v', 0, OPT_VERBOSE },
    { "format", 0, 1, OPT_FORMAT },
    CLI_OPTIONS_END,
};

typedef struct eval_cmd {
    const char *gold;
    lede_eval_opts opts;
    int verbose;
    int json;
} eval_cmd;

/* The gold layer named by text[0..len), or -1 after a usage error. */
static int layer_of(cli_args *args, const char *text, size_t len)
{
    char name[32];
    if (len < sizeof name) {
        memcpy(name, text, len);
        name[len] = '\0';
        int layer = lede_eval_layer_find(name);
        if (layer >= 0)
            return layer;
    }
    cli_args_fail(args, "no gold layer '%.*s' (boilerplate, caption, quote, figure or meta)", (int)len, text);
    return -1;
}

/* --layer quote,figure */
static int add_layers(eval_cmd *c, cli_args *args, const char *list)
{
    for (const char *p = list;;) {
        size_t len = strcspn(p, ",");
        int layer = layer_of(args, p, len);
        if (layer < 0)
            return CLI_ARG_STOP;
        c->opts.layers |= 1u << layer;
        if (!p[len])
            return 0;
        p += len + 1;
    }
}

/* --layer-map quote=myquotes */
static int add_layer_map(eval_cmd *c, cli_args *args, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (!eq || !eq[1])
        return cli_args_fail(args, "--layer-map wants GOLDLAYER=DBLAYER, not '%s'", spec);
    int layer = layer_of(args, spec, (size_t)(eq - spec));
    if (layer < 0)
        return CLI_ARG_STOP;
    c->opts.layer_names[layer] = eq + 1;
    return 0;
}

static int parse_format(eval_cmd *c, cli_args *args, const char *value)
{
    if (strcmp(value, "table") == 0 || strcmp(value, "json") == 0) {
        c->json = value[0] == 'j';
        return 0;
    }
    return cli_args_fail(args, "--format wants table or json, not '%s'", value);
}

/* Returns -1 to go on, else the exit code. */
static int parse_options(cli_args *args, eval_cmd *c)
{
    const char *value;
    int id, r = 0;
    while (r == 0 && (id = cli_args_next(args, options, &value)) != CLI_ARG_END) {
        switch (id) {
        case CLI_ARG_STOP:
            return args->exit_code;
        case OPT_GOLD:
            c->gold = value;
            break;
        case OPT_LAYER:
            r = add_layers(c, args, value);
            break;
        case OPT_LAYER_MAP:
            r = add_layer_map(c, args, value);
            break;
        case OPT_SKIP_MISSING:
            c->opts.skip_missing = 1;
            break;
        case OPT_VERBOSE:
            c->verbose = 1;
            break;
        case OPT_FORMAT:
            r = parse_format(c, args, value);
            break;
        default:
            r = cli_args_fail(args, "unexpected argument '%s'", value);
        }
    }
    if (r != 0)
        return args->exit_code;
    if (!c->gold) {
        cli_args_fail(args, "--gold DIR is required");
        return args->exit_code;
    }
    return -1;
}

static void on_diag(void *ud, int severity, const char *where, const char *message)
{
    const cli_ctx *ctx = ud;
    if (severity == LEDE_DIAG_ERROR)
        cli_error("%s: %s", where, message);
    else if (!ctx->quiet)
        cli_warning("%s: %s", where, message);
}

/* ---- tables ------------------------------------------------------------ */

static void cell_ratio(cli_out *o, double r)
{
    char buf[32];
    if (isnan(r)) {
        cli_out_str(o, "-");
        return;
    }
    snprintf(buf, sizeof buf, "%.3f", r);
    cli_out_str(o, buf);
}

static void cell_count(cli_out *o, uint64_t n)
{
    cli_out_int(o, (int64_t)n);
}

/* "right/of" */
static void cell_fraction(cli_out *o, uint64_t right, uint64_t of)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%llu/%llu", (unsigned long long)right, (unsigned long long)of);
    cli_out_str(o, buf);
}

static void cells_prf(cli_out *o, const lede_eval_prf *c)
{
    cell_count(o, c->tp);
    cell_count(o, c->fp);
    cell_count(o, c->fn);
    cell_ratio(o, lede_eval_precision(c));
    cell_ratio(o, lede_eval_recall(c));
    cell_ratio(o, lede_eval_f1(c));
}

static void row_lines(cli_out *o, const lede_eval_lines *c, int with_content)
{
    lede_eval_prf prf = { c->tp, c->fp, c->fn };
    cell_count(o, c->lines);
    cell_count(o, c->gold);
    cells_prf(o, &prf);
    if (with_content)
        cell_ratio(o, c->content ? 1.0 - (double)c->fp / (double)c->content : NAN);
}

static void row_boilerplate(cli_out *o, const lede_eval_counts *c)
{
    row_lines(o, &c->boilerplate, 1);
}

static void row_caption(cli_out *o, const lede_eval_counts *c)
{
    row_lines(o, &c->caption, 0);
}

static void row_quote(cli_out *o, const lede_eval_counts *c)
{
    const lede_eval_quotes *q = &c->quote;
    cell_count(o, q->marked.tp);
    cell_count(o, q->marked.fp);
    cell_count(o, q->marked.fn);
    cell_ratio(o, lede_eval_f1(&q->marked));
    cell_count(o, q->indirect.tp);
    cell_count(o, q->indirect.fp);
    cell_count(o, q->indirect.fn);
    cell_ratio(o, lede_eval_f1(&q->indirect));
    cell_fraction(o, q->speaker_right, q->matched);
    cell_ratio(o, lede_eval_ratio(q->speaker_right, q->matched));
    cells_prf(o, &q->attributed);
}

static void row_figure(cli_out *o, const lede_eval_counts *c)
{
    const lede_eval_figures *f = &c->figure;
    cells_prf(o, &f->found);
    cell_ratio(o, lede_eval_ratio(f->qualifier, f->found.tp));
    cell_ratio(o, lede_eval_ratio(f->scope, f->found.tp));
    cell_ratio(o, lede_eval_ratio(f->as_of, f->found.tp));
    cell_ratio(o, lede_eval_ratio(f->where, f->where_pairs));
}

static void row_meta(cli_out *o, const lede_eval_counts *c)
{
    const lede_eval_meta *m = &c->meta;
    const uint64_t right[] = { m->title, m->published, m->event_date, m->dateline, m->agency, m->outlet };
    for (size_t i = 0; i < sizeof right / sizeof *right; i++)
        cell_ratio(o, lede_eval_ratio(right[i], m->articles));
}

typedef struct layer_table {
    const char *const *columns; /* after the "article" column */
    size_t ncols;
    void (*row)(cli_out *o, const lede_eval_counts *c);
    const char *note; /* printed under the table, or NULL */
} layer_table;

static const char *const cols_boilerplate[] = { "lines",     "gold",   "tp", "fp",       "fn",
                                                "precision", "recall", "f1", "retention" };
static const char *const cols_caption[] = { "lines", "gold", "tp", "fp", "fn", "precision", "recall", "f1" };
static const char *const cols_quote[] = { "dp_tp",  "dp_fp",  "dp_fn",   "dp_f1",   "ind_tp", "ind_fp",
                                          "ind_fn", "ind_f1", "speaker", "spk_acc", "att_tp", "att_fp",
                                          "att_fn", "att_p",  "att_r",   "att_f1" };
static const char *const cols_figure[] = { "tp", "fp",        "fn",    "precision", "recall",
                                           "f1", "qualifier", "scope", "as_of",     "where" };
static const char *const cols_meta[] = { "title", "published", "event_date", "dateline", "agency", "outlet" };

#define TABLE(cols, fn, note)                                                                                \
    {                                                                                                        \
        cols, sizeof cols / sizeof *cols, fn, note                                                           \
    }

static const layer_table tables[LEDE_EVAL_NLAYERS] = {
    TABLE(cols_boilerplate, row_boilerplate, "retention: share of content lines kept"),
    TABLE(cols_caption, row_caption, NULL),
    TABLE(cols_quote, row_quote,
          "dp: direct+partial, ind: indirect, speaker: right/matched pairs, att: attributed (all kinds)"),
    TABLE(cols_figure, row_figure, "qualifier, scope, as_of, where: share of matched figures right"),
    TABLE(cols_meta, row_meta, "share of articles right per field"),
};

/* How many articles the layer was scored on. */
static uint64_t layer_articles(const lede_eval_counts *c, int layer)
{
    const uint64_t n[LEDE_EVAL_NLAYERS] = { c->boilerplate.articles, c->caption.articles, c->quote.articles,
                                            c->figure.articles, c->meta.articles };
    return n[layer];
}

static int print_table(const lede_eval_report *r, int layer, int verbose)
{
    const layer_table *t = &tables[layer];
    const char *names[24];
    names[0] = "article";
    for (size_t i = 0; i < t->ncols; i++)
        names[i + 1] = t->columns[i];
    const lede_eval_counts *total = lede_eval_report_total(r);
    printf("%s (layer '%s', %llu articles)\n", lede_eval_layer_name(layer),
           lede_eval_report_layer_name(r, layer), (unsigned long long)layer_articles(total, layer));
    cli_out *o;
    if (cli_out_new(&o, stdout, CLI_FORMAT_TABLE, t->ncols + 1, names) != 0)
        return -1;
    size_t n;
    const lede_eval_row *rows = lede_eval_report_rows(r, &n);
    int rc = 0;
    for (size_t i = 0; verbose && i < n && rc == 0; i++) {
        if (!layer_articles(&rows[i].counts, layer))
            continue;
        cli_out_str(o, rows[i].key);
        t->row(o, &rows[i].counts);
        rc = cli_out_row(o);
    }
    if (rc == 0) {
        cli_out_str(o, "total");
        t->row(o, total);
        rc = cli_out_row(o);
    }
    if (rc == 0)
        rc = cli_out_finish(o);
    cli_out_free(o);
    if (t->note)
        printf("(%s)\n", t->note);
    return rc;
}

/* Warnings about counts that usually mean a mismatch between gold and database. */
static void warn_counts(const cli_ctx *ctx, const lede_eval_counts *t)
{
    if (ctx->quiet)
        return;
    if (t->boilerplate.gold_absent || t->caption.gold_absent)
        cli_warning("%llu gold lines are not lines of their article's text",
                    (unsigned long long)(t->boilerplate.gold_absent + t->caption.gold_absent));
    uint64_t bad = t->quote.bad_attrs + t->figure.bad_attrs + t->meta.bad_attrs;
    if (bad)
        cli_warning("%llu spans have attrs that are not a JSON object (read as empty)",
                    (unsigned long long)bad);
}

static int print_tables(const lede_eval_report *r, int verbose)
{
    int first = 1;
    for (int l = 0; l < LEDE_EVAL_NLAYERS; l++) {
        if (!(lede_eval_report_layers(r) & (1u << l)))
            continue;
        if (!first)
            putchar('\n');
        first = 0;
        if (print_table(r, l, verbose) != 0)
            return cli_output_failed();
    }
    return CLI_EXIT_OK;
}

static int print_json(const lede_eval_report *r)
{
    json_t *j = lede_eval_report_json(r);
    if (!j)
        return cli_output_failed();
    int rc = json_dumpf(j, stdout, JSON_INDENT(2));
    json_decref(j);
    putchar('\n');
    return rc == 0 ? CLI_EXIT_OK : cli_output_failed();
}

int cli_run_eval(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    eval_cmd c;
    memset(&c, 0, sizeof c);
    c.opts = (lede_eval_opts)LEDE_EVAL_OPTS_INIT;
    c.opts.diag = on_diag;
    c.opts.ud = ctx;
    cli_args_init(&args, ctx, argc, argv);
    int code = parse_options(&args, &c);
    if (code >= 0)
        return code;
    lede_engine *engine;
    code = cli_engine_open(&engine, ctx, LEDE_OPEN_READONLY);
    if (code != CLI_EXIT_OK)
        return code;
    lede_eval_report *report;
    int rc = lede_eval_run(&report, engine, c.gold, &c.opts);
    if (rc != LEDE_OK) {
        cli_error("%s", lede_errmsg(engine));
        lede_engine_close(engine);
        return cli_exit_for_status(rc);
    }
    lede_engine_close(engine);
    warn_counts(ctx, lede_eval_report_total(report));
    code = c.json ? print_json(report) : print_tables(report, c.verbose);
    lede_eval_report_free(report);
    return cli_stdout_close(code);
}
