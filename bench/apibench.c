/*
 * apibench — cost of analysing one article in memory through the C API:
 *   apibench CORPUS.jsonl PLUGIN...
 *
 * Every line is parsed with jansson first, untimed.  Then each article goes
 * through lede_analyze_text with its metadata (key, source, url, title,
 * published), as a pipeline embedding lede would call it, and the total is
 * reported as ms per article.  bench/run compares it with `lede analyze` of
 * the same corpus and plugins.  The last line is machine-readable.
 */
#include "lede.h"
#include "util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct articles {
    json_t **v;
    size_t n, cap;
} articles;

static const char *field(json_t *obj, const char *name, const char *alias)
{
    json_t *f = json_object_get(obj, name);
    if (!json_is_string(f) && alias)
        f = json_object_get(obj, alias);
    return json_is_string(f) ? json_string_value(f) : NULL;
}

/* Keeps every line that is an object with a text; the rest is counted out. */
static int articles_load(articles *a, const char *path)
{
    char *data;
    size_t len;
    if (bench_read_file(&data, &len, path) != 0) {
        perror(path);
        return -1;
    }
    for (char *line = data, *end; line < data + len; line = end + 1) {
        end = memchr(line, '\n', (size_t)(data + len - line));
        if (!end)
            end = data + len;
        json_t *obj = json_loadb(line, (size_t)(end - line), 0, NULL);
        if (!field(obj, "text", "body")) {
            json_decref(obj);
            continue;
        }
        if (a->n == a->cap) {
            size_t cap = a->cap ? a->cap * 2 : 1024;
            json_t **v = realloc(a->v, cap * sizeof *v);
            if (!v) {
                json_decref(obj);
                free(data);
                return -1;
            }
            a->v = v;
            a->cap = cap;
        }
        a->v[a->n++] = obj;
    }
    free(data);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: apibench CORPUS.jsonl PLUGIN...\n");
        return 2;
    }
    articles a = {0};
    if (articles_load(&a, argv[1]) != 0 || a.n == 0) {
        fprintf(stderr, "apibench: no articles in %s\n", argv[1]);
        return 1;
    }
    lede_analyzer *an = NULL;
    if (lede_analyzer_new(&an, (const char *const *)argv + 2, (size_t)(argc - 2), NULL) != LEDE_OK) {
        fprintf(stderr, "apibench: %s\n", an ? lede_analyzer_errmsg(an) : "out of memory");
        lede_analyzer_free(an);
        return 1;
    }
    size_t spans = 0, failed = 0, bytes = 0;
    double t0 = bench_now();
    for (size_t i = 0; i < a.n; i++) {
        json_t *o = a.v[i];
        const char *text = field(o, "text", "body");
        size_t len = strlen(text);
        lede_article_meta meta = {field(o, "key", "id"), field(o, "source", NULL), field(o, "url", NULL),
                                  field(o, "title", NULL), field(o, "published", "date"),
                                  field(o, "language", "lang"), NULL, NULL};
        lede_result *r = NULL;
        if (lede_analyze_text(&r, an, text, len, &meta) != LEDE_OK)
            failed++;
        if (r)
            spans += lede_result_span_count(r);
        lede_result_free(r);
        bytes += len;
    }
    double seconds = bench_now() - t0;
    printf("apibench: %zu articles, %.2f MB of text, %zu spans, %zu failed, %.3f s, %.3f ms/article\n", a.n,
           (double)bytes / 1e6, spans, failed, seconds, seconds * 1e3 / (double)a.n);
    printf("RESULT articles=%zu seconds=%.6f failed=%zu\n", a.n, seconds, failed);
    lede_analyzer_free(an);
    for (size_t i = 0; i < a.n; i++)
        json_decref(a.v[i]);
    free(a.v);
    return 0;
}
