/*
 * tokbench — speed of lede's tokenizer and sentence splitter against the
 * floor baseline, on one core:  tokbench [--reps N] [--lang L] CORPUS.jsonl
 *
 * The "text" (or "body") field of every line is parsed with jansson before
 * any timing.  Then, N times (default 3), alternating which goes first:
 * every text through lede_doc_analyze + lede_doc_free, and every text
 * through floor_split.  The best pass of each is reported, in MB/s of text
 * (1 MB = 10^6 bytes), with the ratio lede/floor.  The last line is
 * machine-readable for bench/run.
 */
#include "floor.h"
#include "lede.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct text {
    char *p;
    size_t len;
} text;

typedef struct corpus {
    text *texts;
    size_t n, cap;
    size_t bytes, longest, bad_lines;
} corpus;

typedef struct tally {
    double seconds;
    size_t tokens, sentences;
} tally;

static int corpus_add(corpus *c, const char *s, size_t len)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        text *t = realloc(c->texts, cap * sizeof *t);
        if (!t)
            return -1;
        c->texts = t;
        c->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, len);
    copy[len] = '\0';
    c->texts[c->n++] = (text){copy, len};
    c->bytes += len;
    if (len > c->longest)
        c->longest = len;
    return 0;
}

/* Keeps the text of one JSONL line; counts lines without one as bad. */
static int corpus_add_line(corpus *c, const char *line, size_t len)
{
    json_error_t err;
    json_t *obj = json_loadb(line, len, 0, &err);
    json_t *field = json_object_get(obj, "text");
    if (!json_is_string(field))
        field = json_object_get(obj, "body");
    int rc = 0;
    if (json_is_string(field))
        rc = corpus_add(c, json_string_value(field), json_string_length(field));
    else
        c->bad_lines++;
    json_decref(obj);
    return rc;
}

static int corpus_load(corpus *c, const char *path)
{
    char *data;
    size_t len;
    if (bench_read_file(&data, &len, path) != 0)
        return -1;
    int rc = 0;
    for (char *line = data, *end = data + len; rc == 0 && line < end;) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
        if (n > 0)
            rc = corpus_add_line(c, line, n);
        line += n + 1;
    }
    free(data);
    return rc;
}

static void corpus_free(corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->texts[i].p);
    free(c->texts);
}

static int time_lede(tally *out, lede_tokenizer *tk, const corpus *c)
{
    tally t = {0};
    double t0 = bench_now();
    for (size_t i = 0; i < c->n; i++) {
        lede_doc *doc;
        int rc = lede_doc_analyze(&doc, tk, c->texts[i].p, c->texts[i].len);
        if (rc != LEDE_OK) {
            fprintf(stderr, "tokbench: lede_doc_analyze failed on text %zu: %s\n", i + 1,
                    lede_errstr(rc));
            return rc;
        }
        size_t n_tokens = 0, n_sentences = 0;
        lede_doc_tokens(doc, &n_tokens);
        lede_doc_sentences(doc, &n_sentences);
        t.tokens += n_tokens;
        t.sentences += n_sentences;
        lede_doc_free(doc);
    }
    t.seconds = bench_now() - t0;
    *out = t;
    return LEDE_OK;
}

static void time_floor(tally *out, floor_span *spans, const corpus *c)
{
    tally t = {0};
    double t0 = bench_now();
    for (size_t i = 0; i < c->n; i++)
        t.tokens += floor_split(spans, c->texts[i].p, c->texts[i].len);
    t.seconds = bench_now() - t0;
    *out = t;
}

static void keep_best(tally *best, const tally *t)
{
    if (best->seconds == 0 || t->seconds < best->seconds)
        *best = *t;
}

static void floor_pass(tally *best, floor_span *spans, const corpus *c)
{
    tally t;
    time_floor(&t, spans, c);
    keep_best(best, &t);
}

static int bench(const corpus *c, int reps, const char *lang)
{
    lede_tokenizer *tk;
    int rc = lede_tokenizer_new(&tk, lang);
    if (rc != LEDE_OK) {
        fprintf(stderr, "tokbench: no tokenizer for '%s': %s\n", lang, lede_errstr(rc));
        return 1;
    }
    floor_span *spans = malloc((c->longest + 1) * sizeof *spans);
    if (!spans) {
        fprintf(stderr, "tokbench: out of memory\n");
        lede_tokenizer_free(tk);
        return 1;
    }
    tally lede_best = {0}, floor_best = {0}, t;
    for (int r = 0; r < reps; r++) {
        int floor_first = r % 2; /* alternate so neither always runs on a warm cache */
        if (floor_first)
            floor_pass(&floor_best, spans, c);
        if ((rc = time_lede(&t, tk, c)) != LEDE_OK)
            break;
        keep_best(&lede_best, &t);
        if (!floor_first)
            floor_pass(&floor_best, spans, c);
    }
    free(spans);
    lede_tokenizer_free(tk);
    if (rc != LEDE_OK)
        return 1;
    double mb = (double)c->bytes / 1e6;
    double lede_mbps = mb / lede_best.seconds, floor_mbps = mb / floor_best.seconds;
    printf("tokbench: %zu texts, %.2f MB of text, best of %d passes, one core\n", c->n, mb, reps);
    printf("  %-36s %8.3f s %9.1f MB/s %11zu tokens %9zu sentences\n",
           "lede_doc_analyze (tokens+sentences)", lede_best.seconds, lede_mbps, lede_best.tokens,
           lede_best.sentences);
    printf("  %-36s %8.3f s %9.1f MB/s %11zu tokens\n", "floor_split (whitespace/punct)",
           floor_best.seconds, floor_mbps, floor_best.tokens);
    printf("  ratio lede/floor %.3f (target >= 0.25)\n", lede_mbps / floor_mbps);
    printf("RESULT texts=%zu text_mb=%.3f lede_s=%.4f lede_mbps=%.2f floor_s=%.4f "
           "floor_mbps=%.2f ratio=%.4f lede_tokens=%zu lede_sentences=%zu floor_tokens=%zu\n",
           c->n, mb, lede_best.seconds, lede_mbps, floor_best.seconds, floor_mbps,
           lede_mbps / floor_mbps, lede_best.tokens, lede_best.sentences, floor_best.tokens);
    return 0;
}

int main(int argc, char **argv)
{
    int reps = 3, bad = 0;
    const char *lang = "en", *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--lang") && i + 1 < argc)
            lang = argv[++i];
        else if (!path && argv[i][0] != '-')
            path = argv[i];
        else
            bad = 1;
    }
    if (bad || !path || reps < 1) {
        fprintf(stderr, "usage: tokbench [--reps N] [--lang L] CORPUS.jsonl\n");
        return 2;
    }
    corpus c = {0};
    if (corpus_load(&c, path) != 0) {
        fprintf(stderr, "tokbench: %s: %s\n", path, errno ? strerror(errno) : "out of memory");
        corpus_free(&c);
        return 1;
    }
    if (c.bad_lines)
        fprintf(stderr, "tokbench: %s: %zu lines without a text field skipped\n", path,
                c.bad_lines);
    if (c.n == 0) {
        fprintf(stderr, "tokbench: %s: no texts\n", path);
        corpus_free(&c);
        return 1;
    }
    int rc = bench(&c, reps, lang);
    corpus_free(&c);
    return rc;
}
