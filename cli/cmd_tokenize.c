/* lede tokenize: standard input to tokens or sentences, for pipes. */
#include "args.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cli_usage_tokenize[] =
    "usage: lede tokenize [--lang L] [--sentences] < TEXT\n"
    "\n"
    "Reads text from standard input and prints one token per line, as five\n"
    "tab-separated fields:\n"
    "\n"
    "  START END KIND FLAGS TEXT\n"
    "\n"
    "START and END are byte offsets (END exclusive) into the input after invalid\n"
    "UTF-8 is replaced by U+FFFD and the text is normalised to NFC: for clean NFC\n"
    "input, offsets into the input itself.  KIND is word, number, punct,\n"
    "open_quote, ... (see docs/cli.md); FLAGS is a comma-separated list as in\n"
    "'lede show --help', or - when none.  Needs no database.\n"
    "\n"
    "The input is analysed in pieces of whole lines (a line is a block, and\n"
    "sentences never cross blocks), so it may be larger than memory; a single\n"
    "line longer than 1 GiB is refused (exit status 1).\n"
    "\n"
    "options:\n"
    "  --lang L      language of the text (ISO 639-1; default en): its\n"
    "                abbreviation list guides the sentence splitter\n"
    "  --sentences   print one sentence per line instead of tokens\n"
    "  --help        show this help\n"
    "\n"
    "examples:\n"
    "  echo 'Gen. Smith said: \"We left at 19:58.\"' | lede tokenize\n"
    "  lede tokenize --sentences < article.txt | wc -l\n"
    "  lede tokenize < article.txt | cut -f3 | sort | uniq -c\n";

enum { OPT_LANG = 1, OPT_SENTENCES };

static const cli_option options[] = {
    { "lang", 0, 1, OPT_LANG },
    { "sentences", 0, 0, OPT_SENTENCES },
    CLI_OPTIONS_END,
};

#define PIECE_BYTES ((size_t)4 << 20)     /* input analysed at a time (grown for long lines) */
#define LINE_LIMIT ((size_t)1 << 30)      /* longest line accepted */

typedef struct tokenize_job {
    lede_tokenizer *tk;
    int sentences;
    uint64_t base; /* offset of the current piece in the whole (normalised) text */
} tokenize_job;

static char *put_uint(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static void print_tokens(const lede_doc *doc, uint64_t base)
{
    size_t n;
    const lede_token *tok = lede_doc_tokens(doc, &n);
    const char *text = lede_doc_text(doc, NULL);
    char line[128];
    for (size_t i = 0; i < n; i++) {
        char *p = put_uint(line, base + tok[i].start);
        *p++ = '\t';
        p = put_uint(p, base + tok[i].end);
        *p++ = '\t';
        const char *kind = lede_token_kind_name(tok[i].kind);
        size_t klen = strlen(kind);
        memcpy(p, kind, klen);
        p += klen;
        *p++ = '\t';
        cli_token_flags(p, sizeof line - (size_t)(p - line) - 1, tok[i].flags);
        p += strlen(p);
        *p++ = '\t';
        fwrite(line, 1, (size_t)(p - line), stdout);
        fwrite(text + tok[i].start, 1, tok[i].end - tok[i].start, stdout);
        putchar('\n');
    }
}

static void print_sentences(const lede_doc *doc)
{
    size_t n;
    const lede_sentence *s = lede_doc_sentences(doc, &n);
    const char *text = lede_doc_text(doc, NULL);
    for (size_t i = 0; i < n; i++) {
        fwrite(text + s[i].start, 1, s[i].end - s[i].start, stdout);
        putchar('\n');
    }
}

/* Analyses one piece of whole lines and prints it. */
static int analyse_piece(tokenize_job *job, const char *text, size_t len)
{
    lede_doc *doc;
    int rc = lede_doc_analyze(&doc, job->tk, text, len);
    if (rc != LEDE_OK) {
        cli_error("cannot analyse standard input: %s", lede_errstr(rc));
        return cli_exit_for_status(rc);
    }
    if (job->sentences)
        print_sentences(doc);
    else
        print_tokens(doc, job->base);
    size_t done;
    lede_doc_text(doc, &done);
    job->base += done;
    lede_doc_free(doc);
    return ferror(stdout) ? CLI_EXIT_IO : CLI_EXIT_OK;
}

/* Length of the prefix of buf ending at its last newline (0 if none). */
static size_t whole_lines(const char *buf, size_t len)
{
    while (len && buf[len - 1] != '\n')
        len--;
    return len;
}

/* Fills buf[*len..cap) from stdin; returns 1 at the end of input. */
static int fill(char *buf, size_t *len, size_t cap)
{
    while (*len < cap) {
        size_t got = fread(buf + *len, 1, cap - *len, stdin);
        if (got == 0)
            return 1;
        *len += got;
    }
    return 0;
}

static int tokenize_stdin(tokenize_job *job)
{
    size_t cap = PIECE_BYTES, len = 0;
    char *buf = malloc(cap);
    int code = CLI_EXIT_OK, eof = 0;
    while (buf && code == CLI_EXIT_OK && !eof) {
        eof = fill(buf, &len, cap);
        if (ferror(stdin)) {
            cli_error("cannot read standard input");
            code = CLI_EXIT_IO;
            break;
        }
        size_t cut = eof ? len : whole_lines(buf, len);
        if (cut == 0 && !eof) { /* one line fills the buffer: make room */
            if (cap >= LINE_LIMIT) {
                cli_error("standard input: a line longer than 1 GiB; lede tokenize analyses whole lines");
                code = CLI_EXIT_PROBLEMS;
                break;
            }
            char *bigger = realloc(buf, cap * 2);
            if (!bigger)
                break;
            buf = bigger;
            cap *= 2;
            continue;
        }
        if (cut)
            code = analyse_piece(job, buf, cut);
        memmove(buf, buf + cut, len - cut);
        len -= cut;
    }
    if (!buf || (code == CLI_EXIT_OK && !eof)) {
        cli_error("out of memory");
        code = CLI_EXIT_IO;
    }
    free(buf);
    return code;
}

int cli_run_tokenize(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    tokenize_job job = { NULL, 0, 0 };
    const char *lang = NULL, *value;
    int id;
    cli_args_init(&args, ctx, argc, argv);
    while ((id = cli_args_next(&args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP)
            return args.exit_code;
        if (id == OPT_LANG)
            lang = value;
        else if (id == OPT_SENTENCES)
            job.sentences = 1;
        else {
            cli_args_fail(&args, "unexpected argument '%s' (the text comes from standard input)", value);
            return args.exit_code;
        }
    }
    int rc = lede_tokenizer_new(&job.tk, lang);
    if (rc != LEDE_OK) {
        cli_error("cannot make a tokenizer for '%s': %s", lang ? lang : "en", lede_errstr(rc));
        return cli_exit_for_status(rc);
    }
    setvbuf(stdout, NULL, _IOFBF, (size_t)1 << 16);
    int code = tokenize_stdin(&job);
    lede_tokenizer_free(job.tk);
    return cli_stdout_close(code);
}
