/* lede show KEY */
#include "args.h"
#include "clean.h"
#include "cli.h"
#include "engine.h"
#include "out.h"

#include <stdio.h>
#include <string.h>

const char cli_usage_show[] =
    "usage: lede show [--tokens] [--format " CLI_FORMAT_NAMES "] KEY\n"
    "       lede show --clean [--captions] KEY\n"
    "\n"
    "Shows one article: its metadata, then its blocks (lines of the text, with\n"
    "their kind: paragraph, line, list_item) and their sentences, numbered from 1\n"
    "across the article.  Blocks, sentences and tokens are computed from the\n"
    "stored text by the tokenizer of the article's language.\n"
    "\n"
    "options:\n"
    "  --tokens     also list each sentence's tokens: start and end byte offsets,\n"
    "               kind, flags, text and case-folded form\n"
    "  --format F   table (default): the readable view above; json, jsonl or csv:\n"
    "               one row per sentence (block, kind, sentence, start, end, text)\n"
    "               or, with --tokens, per token (sentence, token, start, end,\n"
    "               kind, flags, text, fold)\n"
    "  --clean      print the text without the lines of the boilerplate layer\n"
    "               (run the boilerplate plugin first) nor its photo captions\n"
    "  --captions   with --clean, keep the caption lines\n"
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "Token flags: cap (capitalised), caps (all capitals), sent (starts a sentence),\n"
    "abbr (abbreviation or initial), space (white space before), digit, hyph\n"
    "(hyphenated), poss (possessive), elis (elision), ord (ordinal), block (starts\n"
    "a block), nonascii.\n"
    "\n"
    "examples:\n"
    "  lede show world/2024-03-01-storm.txt\n"
    "  lede show --tokens --format csv wire-0042 > tokens.csv\n";

enum { OPT_TOKENS = 1, OPT_FORMAT, OPT_CLEAN, OPT_CAPTIONS };

static const cli_option options[] = {
    { "tokens", 0, 0, OPT_TOKENS },
    { "format", 0, 1, OPT_FORMAT },
    { "clean", 0, 0, OPT_CLEAN },
    { "captions", 0, 0, OPT_CAPTIONS },
    CLI_OPTIONS_END,
};

typedef struct show_req {
    const char *key;
    int tokens;
    int clean, captions; /* --clean: the text without boilerplate (clean.h) */
    cli_format format;
} show_req;

/* The stored article, as columns of one statement row. */
enum { COL_ID, COL_KEY, COL_TITLE, COL_SOURCE, COL_URL, COL_PUBLISHED, COL_LANGUAGE, COL_ORIGIN,
       COL_EXTRA, COL_TEXT, COL_BYTES, COL_BLOCKS, COL_SENTENCES, COL_TOKENS, COL_REPAIRS };

static const char article_sql[] =
    "SELECT id, key, title, source, url, published, language, origin, extra, text, n_bytes, n_blocks, "
    "n_sentences, n_tokens, repairs FROM article WHERE key = ?1";

static int parse_options(cli_args *args, show_req *req)
{
    const char *value;
    int id;
    while ((id = cli_args_next(args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP)
            return args->exit_code;
        if (id == OPT_TOKENS)
            req->tokens = 1;
        else if (id == OPT_CLEAN || id == OPT_CAPTIONS)
            *(id == OPT_CLEAN ? &req->clean : &req->captions) = 1;
        else if (id == OPT_FORMAT && cli_args_format(&req->format, args, value) != 0)
            return args->exit_code;
    }
    if (req->clean ? req->tokens || req->format != CLI_FORMAT_TABLE : req->captions) {
        cli_args_fail(args, req->clean ? "--clean prints text: no --tokens or --format" : "--captions goes with --clean");
        return args->exit_code;
    }
    if (args->npositional != 1) {
        cli_args_fail(args, args->npositional ? "one KEY at a time" : "no KEY given");
        return args->exit_code;
    }
    req->key = args->argv[1];
    return -1;
}

/* ---- the readable view ------------------------------------------------ */

static void print_field(sqlite3_stmt *st, int col, const char *label)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    if (v && *v)
        printf("%-10s %s\n", label, (const char *)v);
}

/* "quote 3, figure 2" for the annotation layers of the article, if any. */
static int print_layers(sqlite3 *db, sqlite3_int64 article_id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT layer, count(*) FROM annotation WHERE article_id = ?1 "
                           "GROUP BY layer ORDER BY layer",
                           -1, &st, NULL) != SQLITE_OK)
        return cli_sqlite_fail(db, "cannot read annotations");
    sqlite3_bind_int64(st, 1, article_id);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        printf("%s%s %lld", n++ ? ", " : "layers     ", (const char *)sqlite3_column_text(st, 0),
               (long long)sqlite3_column_int64(st, 1));
    if (n)
        putchar('\n');
    int code = rc == SQLITE_DONE ? CLI_EXIT_OK : cli_sqlite_fail(db, "cannot read annotations");
    sqlite3_finalize(st);
    return code;
}

static void print_header(sqlite3_stmt *st)
{
    char a[32], b[32], c[32], d[32];
    print_field(st, COL_KEY, "key");
    print_field(st, COL_TITLE, "title");
    print_field(st, COL_SOURCE, "source");
    print_field(st, COL_URL, "url");
    print_field(st, COL_PUBLISHED, "published");
    print_field(st, COL_LANGUAGE, "language");
    print_field(st, COL_ORIGIN, "origin");
    const char *extra = (const char *)sqlite3_column_text(st, COL_EXTRA);
    if (extra && strcmp(extra, "{}") != 0)
        print_field(st, COL_EXTRA, "extra");
    uint64_t bytes = (uint64_t)sqlite3_column_int64(st, COL_BYTES);
    uint64_t blocks = (uint64_t)sqlite3_column_int64(st, COL_BLOCKS);
    uint64_t sentences = (uint64_t)sqlite3_column_int64(st, COL_SENTENCES);
    uint64_t tokens = (uint64_t)sqlite3_column_int64(st, COL_TOKENS);
    printf("%-10s %s byte%s, %s block%s, %s sentence%s, %s token%s\n", "size", cli_fmt_count(a, bytes),
           cli_plural(bytes), cli_fmt_count(b, blocks), cli_plural(blocks), cli_fmt_count(c, sentences),
           cli_plural(sentences), cli_fmt_count(d, tokens), cli_plural(tokens));
    if (sqlite3_column_int64(st, COL_REPAIRS))
        printf("%-10s %lld invalid UTF-8 sequences replaced\n", "repairs",
               (long long)sqlite3_column_int64(st, COL_REPAIRS));
}

/* Column widths of the token lines of one doc. */
typedef struct token_layout {
    int offset, kind, flags, text;
} token_layout;

static int digits(size_t n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static token_layout layout_tokens(const lede_doc *doc)
{
    size_t ntok, len;
    const lede_token *tok = lede_doc_tokens(doc, &ntok);
    const char *text = lede_doc_text(doc, &len);
    token_layout lay = { digits(len), 0, 0, 0 };
    char flags[128];
    for (int k = 0; k < LEDE_TOK_KIND_COUNT; k++)
        if ((int)strlen(lede_token_kind_name(k)) > lay.kind)
            lay.kind = (int)strlen(lede_token_kind_name(k));
    for (size_t i = 0; i < ntok; i++) {
        int f = (int)strlen(cli_token_flags(flags, sizeof flags, tok[i].flags));
        int t = (int)utf8_chars(text + tok[i].start, tok[i].end - tok[i].start);
        lay.flags = f > lay.flags ? f : lay.flags;
        lay.text = t > lay.text ? t : lay.text;
    }
    if (lay.text > 24)
        lay.text = 24;
    return lay;
}

static void print_tokens(const lede_doc *doc, const lede_sentence *s, const token_layout *lay)
{
    const lede_token *tok = lede_doc_tokens(doc, NULL);
    const char *text = lede_doc_text(doc, NULL);
    const char *folds = lede_doc_folds(doc, NULL);
    char flags[128];
    for (uint32_t i = s->first_token; i < s->first_token + s->n_tokens; i++) {
        const lede_token *t = &tok[i];
        int len = (int)(t->end - t->start);
        int pad = lay->text - (int)utf8_chars(text + t->start, (size_t)len);
        printf("        %*u %*u  %-*s  %-*s  %.*s%*s  %.*s\n", lay->offset, t->start, lay->offset, t->end,
               lay->kind, lede_token_kind_name(t->kind), lay->flags,
               cli_token_flags(flags, sizeof flags, t->flags), len, text + t->start, pad > 0 ? pad : 0, "",
               (int)t->fold_len, folds + t->fold);
    }
}

static void print_blocks(const lede_doc *doc, int with_tokens)
{
    size_t nblocks, nsent;
    const lede_block *blocks = lede_doc_blocks(doc, &nblocks);
    const lede_sentence *sent = lede_doc_sentences(doc, &nsent);
    const char *text = lede_doc_text(doc, NULL);
    token_layout lay = with_tokens ? layout_tokens(doc) : (token_layout){ 0, 0, 0, 0 };
    int width = digits(nsent);
    for (size_t b = 0; b < nblocks; b++) {
        printf("\n[%zu] %s\n", b + 1, lede_block_kind_name((int)blocks[b].kind));
        for (uint32_t i = blocks[b].first_sentence; i < blocks[b].first_sentence + blocks[b].n_sentences; i++) {
            printf("  %*u  %.*s\n", width, i + 1, (int)(sent[i].end - sent[i].start), text + sent[i].start);
            if (with_tokens)
                print_tokens(doc, &sent[i], &lay);
        }
    }
}

/* ---- rows ------------------------------------------------------------- */

static int write_sentences(cli_out *o, const lede_doc *doc)
{
    size_t nsent;
    const lede_sentence *sent = lede_doc_sentences(doc, &nsent);
    const lede_block *blocks = lede_doc_blocks(doc, NULL);
    const char *text = lede_doc_text(doc, NULL);
    for (size_t i = 0; i < nsent; i++) {
        cli_out_int(o, sent[i].block + 1);
        cli_out_str(o, lede_block_kind_name((int)blocks[sent[i].block].kind));
        cli_out_int(o, (int64_t)i + 1);
        cli_out_int(o, sent[i].start);
        cli_out_int(o, sent[i].end);
        cli_out_text(o, text + sent[i].start, sent[i].end - sent[i].start);
        if (cli_out_row(o) != 0)
            return -1;
    }
    return 0;
}

static int write_tokens(cli_out *o, const lede_doc *doc)
{
    size_t nsent;
    const lede_sentence *sent = lede_doc_sentences(doc, &nsent);
    const lede_token *tok = lede_doc_tokens(doc, NULL);
    const char *text = lede_doc_text(doc, NULL);
    const char *folds = lede_doc_folds(doc, NULL);
    char flags[128];
    for (size_t s = 0; s < nsent; s++) {
        for (uint32_t i = sent[s].first_token; i < sent[s].first_token + sent[s].n_tokens; i++) {
            cli_out_int(o, (int64_t)s + 1);
            cli_out_int(o, (int64_t)i + 1);
            cli_out_int(o, tok[i].start);
            cli_out_int(o, tok[i].end);
            cli_out_str(o, lede_token_kind_name(tok[i].kind));
            cli_out_str(o, cli_token_flags(flags, sizeof flags, tok[i].flags));
            cli_out_text(o, text + tok[i].start, tok[i].end - tok[i].start);
            cli_out_text(o, folds + tok[i].fold, tok[i].fold_len);
            if (cli_out_row(o) != 0)
                return -1;
        }
    }
    return 0;
}

static int write_rows(const lede_doc *doc, const show_req *req)
{
    static const char *const sentence_cols[] = { "block", "kind", "sentence", "start", "end", "text" };
    static const char *const token_cols[] = { "sentence", "token", "start", "end", "kind", "flags", "text", "fold" };
    cli_out *o;
    int rc = req->tokens ? cli_out_new(&o, stdout, req->format, 8, token_cols)
                         : cli_out_new(&o, stdout, req->format, 6, sentence_cols);
    if (rc == 0)
        rc = req->tokens ? write_tokens(o, doc) : write_sentences(o, doc);
    if (rc == 0)
        rc = cli_out_finish(o);
    cli_out_free(o);
    return rc == 0 ? CLI_EXIT_OK : cli_output_failed();
}

/* ---- the command ------------------------------------------------------ */

static int analyze(lede_doc **doc, lede_engine *engine, sqlite3_stmt *st)
{
    lede_tokenizer *tk;
    const char *lang = (const char *)sqlite3_column_text(st, COL_LANGUAGE);
    int rc = lede_engine_tokenizer(&tk, engine, lang);
    if (rc == LEDE_OK)
        rc = lede_doc_analyze(doc, tk, (const char *)sqlite3_column_text(st, COL_TEXT),
                              (size_t)sqlite3_column_bytes(st, COL_TEXT));
    if (rc != LEDE_OK) {
        cli_error("cannot analyse %s: %s", (const char *)sqlite3_column_text(st, COL_KEY), lede_errstr(rc));
        return cli_exit_for_status(rc);
    }
    return CLI_EXIT_OK;
}

static int show(lede_engine *engine, const show_req *req)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(engine->db, article_sql, -1, &st, NULL) != SQLITE_OK)
        return cli_sqlite_fail(engine->db, "cannot read articles");
    sqlite3_bind_text(st, 1, req->key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st), code;
    lede_doc *doc = NULL;
    if (rc == SQLITE_DONE) {
        cli_error("no article with key '%s' (see 'lede ls')", req->key);
        code = CLI_EXIT_NOTFOUND;
    } else if (rc != SQLITE_ROW) {
        code = cli_sqlite_fail(engine->db, "cannot read articles");
    } else if ((code = analyze(&doc, engine, st)) == CLI_EXIT_OK) {
        if (req->format != CLI_FORMAT_TABLE) {
            code = write_rows(doc, req);
        } else {
            print_header(st);
            code = print_layers(engine->db, sqlite3_column_int64(st, COL_ID));
            if (code == CLI_EXIT_OK)
                print_blocks(doc, req->tokens);
        }
    }
    lede_doc_free(doc);
    sqlite3_finalize(st);
    return code;
}

int cli_run_show(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    show_req req = { NULL, 0, 0, 0, CLI_FORMAT_TABLE };
    cli_args_init(&args, ctx, argc, argv);
    int code = parse_options(&args, &req);
    if (code >= 0)
        return code;
    lede_engine *engine;
    code = cli_engine_open(&engine, ctx, LEDE_OPEN_READONLY);
    if (code != CLI_EXIT_OK)
        return code;
    code = req.clean ? cli_clean_show(engine->db, req.key, req.captions) : show(engine, &req);
    lede_engine_close(engine);
    return cli_stdout_close(code);
}
