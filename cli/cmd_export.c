/* lede export --layer L */
#include "args.h"
#include "clean.h"
#include "cli.h"
#include "engine.h"
#include "out.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cli_usage_export[] =
    "usage: lede export --layer LAYER [--format jsonl|json|csv] [--article KEY]\n"
    "       lede export --clean [--captions] [--format jsonl|json|csv] [--article KEY]\n"
    "\n"
    "Writes every span of LAYER, one record per span, in article order then by\n"
    "position: article (the key), start and end (byte offsets into the\n"
    "article's text, end exclusive, as in the SQL views), text (the covered\n"
    "text), then the layer's fields.  In JSON a field keeps its type (lists stay\n"
    "lists); in CSV lists and objects are written as JSON text.  A layer of\n"
    "corpus rows (declared rows = true) gives one record per row: its fields.\n"
    "\n"
    "options:\n"
    "  --layer LAYER   the layer to export (required)\n"
    "  --format F      jsonl (default), json or csv\n"
    "  --article KEY   only the spans of this article\n"
    "  --clean         instead of spans, one record per article: article, title\n"
    "                  and text without the lines of the boilerplate layer (run the\n"
    "                  boilerplate plugin first) nor its photo captions\n"
    "  --captions      with --clean, keep the caption lines\n"
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "Exit status 5 when no plugin has declared LAYER in this database.\n"
    "\n"
    "examples:\n"
    "  lede export --layer quote > quotes.jsonl\n"
    "  lede export --layer figure --format csv > figures.csv\n";

enum { OPT_LAYER = 1, OPT_FORMAT, OPT_ARTICLE, OPT_CLEAN, OPT_CAPTIONS };

static const cli_option options[] = {
    { "layer", 0, 1, OPT_LAYER },
    { "format", 0, 1, OPT_FORMAT },
    { "article", 0, 1, OPT_ARTICLE },
    { "clean", 0, 0, OPT_CLEAN },
    { "captions", 0, 0, OPT_CAPTIONS },
    CLI_OPTIONS_END,
};

typedef struct export_job {
    sqlite3 *db;
    const char *layer, *article;
    cli_format format;
    char **fields; /* the layer view's field columns */
    size_t n_fields;
    int rows; /* a layer of corpus rows: records are the fields alone */
    sqlite3_stmt *text_st;
    int64_t text_id; /* article whose text is cached */
    char *text;
    size_t text_len;
} export_job;

static int add_field(export_job *job, const char *name)
{
    char **bigger = realloc(job->fields, (job->n_fields + 1) * sizeof *bigger);
    if (bigger == NULL)
        return CLI_EXIT_IO;
    job->fields = bigger;
    if ((job->fields[job->n_fields] = malloc(strlen(name) + 1)) == NULL)
        return CLI_EXIT_IO;
    strcpy(job->fields[job->n_fields++], name);
    return CLI_EXIT_OK;
}

/* The field columns of the layer's view, those before "run_id": after
 * "text" in a view of spans (id, article_id, article, start, end, text,
 * ...), after "id" in a view of corpus rows (id, ...). */
static int read_fields(export_job *job)
{
    static const char *const span_cols[] = {"id", "article_id", "article", "start", "end", "text"};
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(job->db, "SELECT name FROM pragma_table_info(?1) "
                                     "WHERE (SELECT type FROM sqlite_master WHERE name = ?1) = 'view'",
                           -1, &st, NULL) != SQLITE_OK)
        return cli_sqlite_fail(job->db, "cannot read the layer's view");
    sqlite3_bind_text(st, 1, job->layer, -1, SQLITE_STATIC);
    size_t col = 0, lead = 6; /* columns before the fields */
    int code = CLI_EXIT_OK, ended = 0;
    for (; code == CLI_EXIT_OK && !ended && sqlite3_step(st) == SQLITE_ROW; col++) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        ended = strcmp(name, "run_id") == 0;
        if (col == 1 && strcmp(name, span_cols[1]) != 0) {
            job->rows = 1;
            lead = 1;
        }
        if (col < lead && strcmp(name, span_cols[col]) != 0)
            break;
        if (col >= lead && !ended)
            code = add_field(job, name);
    }
    sqlite3_finalize(st);
    if (code != CLI_EXIT_OK)
        return code;
    if (!ended) {
        cli_error("no layer '%s' in %s (run a plugin that declares it; 'lede plugins' lists them)",
                  job->layer, sqlite3_db_filename(job->db, "main"));
        return CLI_EXIT_NOTFOUND;
    }
    if (job->rows && job->article) {
        cli_error("layer '%s' holds corpus rows, not spans of articles: --article does not apply", job->layer);
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

/* The text of article `id`, read once per article. */
static const char *article_text(export_job *job, int64_t id, size_t *len)
{
    if (job->text_id != id) {
        free(job->text);
        job->text = NULL;
        job->text_len = 0;
        job->text_id = id;
        sqlite3_bind_int64(job->text_st, 1, id);
        if (sqlite3_step(job->text_st) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(job->text_st, 0);
            size_t n = (size_t)sqlite3_column_bytes(job->text_st, 0);
            if (t && (job->text = malloc(n + 1)) != NULL) {
                memcpy(job->text, t, n + 1);
                job->text_len = n;
            }
        }
        sqlite3_reset(job->text_st);
    }
    *len = job->text_len;
    return job->text ? job->text : "";
}

/* One corpus row: its fields (column 0 holds the JSON). */
static json_t *row_json(export_job *job, sqlite3_stmt *st)
{
    const char *attrs = (const char *)sqlite3_column_text(st, 0);
    json_t *fields = attrs ? json_loads(attrs, 0, NULL) : NULL;
    json_t *rec = json_object();
    for (size_t f = 0; f < job->n_fields; f++) {
        json_t *v = fields ? json_object_get(fields, job->fields[f]) : NULL;
        json_object_set(rec, job->fields[f], v ? v : json_null());
    }
    json_decref(fields);
    return rec;
}

static json_t *record_json(export_job *job, sqlite3_stmt *st)
{
    size_t len;
    const char *text = article_text(job, sqlite3_column_int64(st, 0), &len);
    int64_t start = sqlite3_column_int64(st, 2), end = sqlite3_column_int64(st, 3);
    json_t *rec = json_object();
    json_object_set_new(rec, "article", json_string((const char *)sqlite3_column_text(st, 1)));
    json_object_set_new(rec, "start", json_integer(start));
    json_object_set_new(rec, "end", json_integer(end));
    if (start >= 0 && end >= start && (size_t)end <= len)
        json_object_set_new(rec, "text", json_stringn(text + start, (size_t)(end - start)));
    else
        json_object_set_new(rec, "text", json_null());
    const char *attrs = (const char *)sqlite3_column_text(st, 4);
    json_t *fields = attrs ? json_loads(attrs, 0, NULL) : NULL;
    for (size_t f = 0; f < job->n_fields; f++) {
        json_t *v = fields ? json_object_get(fields, job->fields[f]) : NULL;
        json_object_set(rec, job->fields[f], v ? v : json_null());
    }
    json_decref(fields);
    return rec;
}

static void csv_cell(cli_out *out, json_t *v)
{
    if (v == NULL || json_is_null(v)) {
        cli_out_null(out);
    } else if (json_is_string(v)) {
        cli_out_text(out, json_string_value(v), json_string_length(v));
    } else if (json_is_integer(v)) {
        cli_out_int(out, (int64_t)json_integer_value(v));
    } else if (json_is_real(v)) {
        cli_out_real(out, json_real_value(v));
    } else {
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        cli_out_str(out, s);
        free(s);
    }
}

static int write_records(export_job *job, sqlite3_stmt *st)
{
    cli_out *out = NULL;
    if (job->format == CLI_FORMAT_CSV || job->format == CLI_FORMAT_TABLE) {
        static const char *const span_cols[] = {"article", "start", "end", "text"};
        size_t lead = job->rows ? 0 : 4;
        const char **cols = calloc(job->n_fields + lead + 1, sizeof *cols);
        if (cols == NULL)
            return CLI_EXIT_IO;
        for (size_t c = 0; c < lead; c++)
            cols[c] = span_cols[c];
        for (size_t f = 0; f < job->n_fields; f++)
            cols[lead + f] = job->fields[f];
        int bad = cli_out_new(&out, stdout, job->format, job->n_fields + lead, cols);
        free(cols);
        if (bad)
            return CLI_EXIT_IO;
    }
    int rc, n = 0, failed = 0;
    if (job->format == CLI_FORMAT_JSON)
        fputs("[", stdout);
    while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *rec = job->rows ? row_json(job, st) : record_json(job, st);
        if (out) {
            const char *key;
            json_t *v;
            json_object_foreach(rec, key, v) csv_cell(out, v);
            failed = cli_out_row(out) != 0;
        } else {
            if (job->format == CLI_FORMAT_JSON)
                fputs(n ? ",\n" : "\n", stdout);
            failed = json_dumpf(rec, stdout, JSON_COMPACT) != 0;
            if (job->format == CLI_FORMAT_JSONL)
                fputc('\n', stdout);
        }
        json_decref(rec);
        n++;
    }
    if (job->format == CLI_FORMAT_JSON)
        fputs(n ? "\n]\n" : "]\n", stdout);
    if (out) {
        failed |= cli_out_finish(out) != 0;
        cli_out_free(out);
    }
    if (failed)
        return CLI_EXIT_IO;
    return rc == SQLITE_DONE ? CLI_EXIT_OK : cli_sqlite_fail(job->db, "cannot read the spans");
}

static int export_layer(export_job *job)
{
    int code = read_fields(job);
    if (code != CLI_EXIT_OK)
        return code;
    sqlite3_stmt *st;
    if (job->rows) {
        if (sqlite3_prepare_v2(job->db, "SELECT attrs FROM corpus_row WHERE layer = ?1 ORDER BY id", -1, &st,
                               NULL) != SQLITE_OK)
            return cli_sqlite_fail(job->db, "cannot read the rows");
        sqlite3_bind_text(st, 1, job->layer, -1, SQLITE_STATIC);
        code = write_records(job, st);
        sqlite3_finalize(st);
        return code;
    }
    if (sqlite3_prepare_v2(job->db,
                           "SELECT an.article_id, ar.key, an.start, an.\"end\", an.attrs FROM annotation an "
                           "JOIN article ar ON ar.id = an.article_id WHERE an.layer = ?1 "
                           "AND (?2 IS NULL OR ar.key = ?2) ORDER BY an.article_id, an.start, an.\"end\", an.id",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(job->db, "SELECT text FROM article WHERE id = ?1", -1, &job->text_st, NULL) != SQLITE_OK)
        return cli_sqlite_fail(job->db, "cannot read the spans");
    sqlite3_bind_text(st, 1, job->layer, -1, SQLITE_STATIC);
    if (job->article)
        sqlite3_bind_text(st, 2, job->article, -1, SQLITE_STATIC);
    code = write_records(job, st);
    sqlite3_finalize(st);
    return code;
}

int cli_run_export(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    cli_args_init(&args, ctx, argc, argv);
    export_job job;
    memset(&job, 0, sizeof job);
    job.format = CLI_FORMAT_JSONL;
    job.text_id = -1;
    const char *value;
    int id, clean = 0, captions = 0; /* --clean: texts without boilerplate (clean.h) */
    while ((id = cli_args_next(&args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP)
            return args.exit_code;
        if (id == OPT_CLEAN || id == OPT_CAPTIONS)
            *(id == OPT_CLEAN ? &clean : &captions) = 1;
        else if (id == OPT_LAYER)
            job.layer = value;
        else if (id == OPT_ARTICLE)
            job.article = value;
        else if (id == OPT_FORMAT && cli_args_format(&job.format, &args, value) != 0)
            return args.exit_code;
        else if (id == CLI_ARG_POSITIONAL) {
            cli_args_fail(&args, "unexpected argument '%s'", value);
            return args.exit_code;
        }
    }
    if (clean ? job.layer != NULL : job.layer == NULL || captions) {
        cli_args_fail(&args, clean ? "--clean exports texts: no --layer" : captions ? "--captions goes with --clean"
                                                                                  : "--layer is required");
        return args.exit_code;
    }
    lede_engine *engine;
    int code = cli_engine_open(&engine, ctx, LEDE_OPEN_READONLY);
    if (code != CLI_EXIT_OK)
        return code;
    job.db = engine->db;
    code = clean ? cli_clean_export(job.db, job.format, job.article, captions) : export_layer(&job);
    sqlite3_finalize(job.text_st);
    for (size_t f = 0; f < job.n_fields; f++)
        free(job.fields[f]);
    free(job.fields);
    free(job.text);
    lede_engine_close(engine);
    return cli_stdout_close(code);
}
