/* embed.c: lede embedded in a C program.  Opens an in-memory engine,
 * ingests one article from a buffer, runs the stock "quotes" plugin over
 * it, reads the quote spans back with the query API, then analyses a second
 * text in memory without any database.
 *
 * Build against an installed lede:
 *   cc embed.c $(pkg-config --cflags --libs lede) -o embed
 * or with CMake: find_package(lede) and link lede::lede. */
#include <lede.h>

#include <stdio.h>
#include <string.h>

static const char article[] =
    "Storm floods the valley\n"
    "\"We have never seen water this high,\" said Maria Lopez, the town's mayor.\n"
    "Officials said 12 people were rescued from rooftops on Tuesday.\n";

static const char second[] =
    "\"The bridge will reopen next week,\" the transport minister said on Friday.\n";

static int report(lede_engine *e, int rc, const char *what)
{
    if (rc != LEDE_OK && rc != LEDE_ROW)
        fprintf(stderr, "embed: %s: %s (%s)\n", what, e ? lede_errmsg(e) : "", lede_errstr(rc));
    return rc;
}

/* Prints every quote the database holds. */
static int print_quotes(lede_engine *e)
{
    lede_query *q;
    int rc = report(e, lede_spans_query(&q, e, "quote", NULL), "spans");
    int n = 0;
    while (rc == LEDE_OK && (rc = lede_query_step(q)) == LEDE_ROW) {
        printf("db quote %s [%lld,%lld): %s  %s\n", lede_query_column_text(q, 0, NULL),
               (long long)lede_query_column_int64(q, 1), (long long)lede_query_column_int64(q, 2),
               lede_query_column_text(q, 3, NULL), lede_query_column_text(q, 4, NULL));
        n++;
        rc = LEDE_OK;
    }
    report(e, rc, "step");
    lede_query_finalize(q);
    return rc == LEDE_OK && n > 0 ? LEDE_OK : -1;
}

/* Analyses one text with no database and prints its spans. */
static int analyse_in_memory(void)
{
    const char *plugins[] = {"quotes"};
    lede_analyzer *a;
    int rc = lede_analyzer_new(&a, plugins, 1, NULL);
    lede_result *r = NULL;
    if (rc == LEDE_OK) {
        lede_article_meta meta = {"second", "Example Wire", NULL, NULL, "2024-05-03", "en", NULL, NULL};
        rc = lede_analyze_text(&r, a, second, strlen(second), &meta);
    }
    if (rc != LEDE_OK)
        fprintf(stderr, "embed: analyse: %s\n", lede_analyzer_errmsg(a));
    size_t n = r ? lede_result_span_count(r) : 0;
    const char *text = r ? lede_result_text(r, NULL) : "";
    for (size_t i = 0; i < n; i++) {
        lede_result_span s;
        lede_result_span_get(&s, r, i);
        printf("mem %s/%s [%u,%u): %.*s  %s\n", s.plugin, s.layer, (unsigned)s.start, (unsigned)s.end,
               (int)(s.end - s.start), text + s.start, s.attrs ? s.attrs : "{}");
    }
    lede_result_free(r);
    lede_analyzer_free(a);
    return rc == LEDE_OK && n > 0 ? LEDE_OK : -1;
}

int main(void)
{
    printf("lede %s (header %s)\n", lede_version(), LEDE_VERSION_STRING);
    lede_engine *e;
    int rc = report(NULL, lede_engine_open(&e, ":memory:", 0), "open");
    lede_article_meta meta = {"storm-1", "Example Gazette", "https://example.org/storm", "Storm floods the valley",
                              "2024-05-01", "en", NULL, NULL};
    if (rc == LEDE_OK)
        rc = report(e, lede_ingest_buffer(NULL, e, &meta, article, strlen(article), NULL), "ingest");
    const char *plugins[] = {"quotes"};
    lede_run_opts opts = LEDE_RUN_OPTS_INIT;
    opts.jobs = 1;
    lede_run_stats st;
    if (rc == LEDE_OK)
        rc = report(e, lede_engine_run(&st, e, plugins, 1, &opts), "run");
    if (rc == LEDE_OK) {
        printf("run: %zu plugins, %llu spans\n", st.plugins, (unsigned long long)st.spans);
        rc = print_quotes(e);
    }
    if (rc == LEDE_OK)
        rc = analyse_in_memory();
    lede_engine_close(e);
    return rc == LEDE_OK ? 0 : 1;
}
