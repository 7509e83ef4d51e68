/* lede_run over real databases: ordering, incremental runs, errors and
 * their problems, views, corpus passes, and the same database content
 * whatever the number of worker threads. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"
#include "engine.h"
#include "run.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char basic_dir[1024], scratch[256];

/* ---- helpers ---- */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Deterministic articles with capitalised names shared between them, a
 * boilerplate line now and then, and an article a plugin fails on. */
static void ingest_articles(lede_engine *e, int n)
{
    static const char *const names[] = {"Paris", "Berlin", "John Smith", "Maria Lopez", "Oslo", "Kenya",
                                        "United Nations", "Red Cross"};
    char key[32], text[2048];
    for (int i = 0; i < n; i++) {
        size_t k = 0;
        k += (size_t)snprintf(text + k, sizeof text - k, "Story Number %d\n", i);
        for (int s = 0; s < 3 + i % 4; s++)
            k += (size_t)snprintf(text + k, sizeof text - k,
                                  "Officials in %s met %s on day %d, according to the %s. ", names[(i + s) % 8],
                                  names[(i * 3 + s) % 8], s, names[(i + 2 * s) % 8]);
        k += (size_t)snprintf(text + k, sizeof text - k, "\n%s\n", i % 3 == 0 ? "Subscribe now" : "They said so.");
        if (i == 7)
            k += (size_t)snprintf(text + k, sizeof text - k, "FAIL HERE\n");
        snprintf(key, sizeof key, "art%03d.txt", i);
        lede_article_meta meta = {key, i % 2 ? "Daily" : "Weekly", NULL, NULL, NULL, NULL, NULL, NULL};
        CHECK_INT(lede_ingest_buffer(NULL, e, &meta, text, k, NULL), LEDE_OK);
    }
}

static lede_engine *open_db(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    lede_engine *e = NULL;
    if (!CHECK_INT(lede_engine_open(&e, path, 0), LEDE_OK))
        fprintf(stderr, "  %s\n", e ? lede_errmsg(e) : "no engine");
    return e;
}

static int64_t query_int(lede_engine *e, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_prepare_v2(e->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    else
        fprintf(stderr, "  query failed: %s: %s\n", sql, sqlite3_errmsg(e->db));
    sqlite3_finalize(st);
    return v;
}

/* Every row of `sql` as text, one line per row; malloc'd. */
static char *dump(lede_engine *e, const char *sql)
{
    sqlite3_stmt *st;
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    if (sqlite3_prepare_v2(e->db, sql, -1, &st, NULL) != SQLITE_OK)
        return out;
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const char *v = (const char *)sqlite3_column_text(st, c);
            size_t n = v ? strlen(v) : 4;
            while (len + n + 3 > cap)
                out = realloc(out, cap *= 2);
            len += (size_t)sprintf(out + len, "%s%c", v ? v : "NULL", c + 1 < sqlite3_column_count(st) ? '|' : '\n');
        }
    }
    sqlite3_finalize(st);
    return out;
}

static int run_plugins(lede_run_stats *st, lede_engine *e, const char *const *names, size_t n, unsigned jobs,
                       const char *extra_dir, int force, int fail_fast)
{
    const char *dirs[] = {extra_dir ? extra_dir : basic_dir, basic_dir};
    lede_run_opts o = {0};
    o.jobs = jobs;
    o.force = force;
    o.fail_fast = fail_fast;
    o.plugin_dirs = dirs;
    o.n_plugin_dirs = extra_dir ? 2 : 1;
    memset(st, 0, sizeof *st);
    return lede_run(st, e, names, n, &o);
}

/* ---- tests ---- */

static void check_ordering_errors(void)
{
    char dir[512], cmd[600];
    snprintf(dir, sizeof dir, "%s/order", scratch);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    CHECK_INT(system(cmd), 0);
    write_file(dir, "a.lua", "return { name = 'a', requires = { 'b' } }");
    write_file(dir, "b.lua", "return { name = 'b', requires = { 'c' } }");
    write_file(dir, "c.lua", "return { name = 'c', requires = { 'a' } }");
    write_file(dir, "lonely.lua", "return { name = 'lonely', requires = { 'nowhere' } }");
    write_file(dir, "twin1.lua", "return { name = 'twin1', layers = { same = {} } }");
    write_file(dir, "twin2.lua", "return { name = 'twin2', requires = { 'twin1' }, layers = { same = {} } }");
    write_file(dir, "typo.lua", "return { name = 'typo', artcle = function() end }");
    write_file(dir, "broken.lua", "return { name = 'broken',, }");
    write_file(dir, "badsetup.lua", "return { name = 'badsetup', setup = function() error('no lexicon') end }");
    lede_engine *e = open_db("order.db");
    if (e == NULL)
        return;
    static const struct {
        const char *name;
        int code;
        const char *want;
    } cases[] = {
        {"a", LEDE_EINVAL, "cycle: a -> b -> c -> a"},
        {"lonely", LEDE_ENOTFOUND, "plugin 'nowhere', required by lonely, not found"},
        {"missing", LEDE_ENOTFOUND, "plugin 'missing' not found"},
        {"twin2", LEDE_EINVAL, "both write layer 'same'"},
        {"typo", LEDE_EINVAL, "unknown field 'artcle'"},
        {"broken", LEDE_EPLUGIN, "broken.lua:1:"},
        {"badsetup", LEDE_EPLUGIN, "badsetup.lua:1: no lexicon"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        lede_run_stats st;
        const char *names[] = {cases[i].name};
        int rc = run_plugins(&st, e, names, 1, 1, dir, 0, 0);
        CHECK_INT(rc, cases[i].code);
        if (!CHECK(strstr(lede_errmsg(e), cases[i].want) != NULL))
            fprintf(stderr, "  %s: %s\n", cases[i].name, lede_errmsg(e));
        CHECK_INT(st.run_id, 0);
    }
    CHECK_INT(query_int(e, "SELECT count(*) FROM run WHERE command = 'run'"), 0);
    lede_engine_close(e);
}

static void check_incremental(void)
{
    char dir[512], cmd[600];
    snprintf(dir, sizeof dir, "%s/incr", scratch);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    CHECK_INT(system(cmd), 0);
    write_file(dir, "counter.lua",
               "return { name = 'counter', version = '1', requires = { 'caps' }, layers = { ncap = { 'n' } },\n"
               "  article = function(doc) doc:annotate('ncap', 1, 0, { n = #doc:spans('cap') }) end }\n");
    lede_engine *e = open_db("incr.db");
    if (e == NULL)
        return;
    ingest_articles(e, 20);
    const char *names[] = {"counter"};
    lede_run_stats st;
    CHECK_INT(run_plugins(&st, e, names, 1, 2, dir, 0, 0), LEDE_OK);
    CHECK_INT(st.computed, 40);
    CHECK_INT(st.current, 0);
    CHECK_INT(st.articles, 20); /* each met by caps, then by counter */
    CHECK_INT(query_int(e, "SELECT count(*) FROM ncap WHERE n > 0"), 20);
    CHECK_INT(query_int(e, "SELECT count(*) FROM plugin_state"), 40);
    /* Nothing changed: nothing runs. */
    CHECK_INT(run_plugins(&st, e, names, 1, 2, dir, 0, 0), LEDE_OK);
    CHECK_INT(st.computed, 0);
    CHECK_INT(st.current, 40);
    CHECK_INT(st.articles, 0);
    int64_t spans = query_int(e, "SELECT count(*) FROM annotation");
    /* A changed plugin recomputes its layer, not its requirements. */
    write_file(dir, "counter.lua",
               "return { name = 'counter', version = '2', requires = { 'caps' }, layers = { ncap = { 'n' } },\n"
               "  article = function(doc) doc:annotate('ncap', 1, 0, { n = -#doc:spans('cap') }) end }\n");
    CHECK_INT(run_plugins(&st, e, names, 1, 2, dir, 0, 0), LEDE_OK);
    CHECK_INT(st.computed, 20);
    CHECK_INT(query_int(e, "SELECT count(*) FROM ncap WHERE n < 0"), 20);
    CHECK_INT(query_int(e, "SELECT count(*) FROM annotation"), spans);
    /* A changed requirement recomputes what depends on it. */
    const char *ov_names[] = {"counter"};
    const char *dirs[] = {dir, basic_dir};
    const char *ovs[] = {"caps.min_length=6"};
    lede_run_opts o = {0};
    o.jobs = 2;
    o.plugin_dirs = dirs;
    o.n_plugin_dirs = 2;
    o.options = ovs;
    o.n_options = 1;
    CHECK_INT(lede_run(&st, e, ov_names, 1, &o), LEDE_OK);
    CHECK_INT(st.computed, 40);
    CHECK_INT(query_int(e, "SELECT count(*) FROM cap WHERE length(word) < 6"), 0);
    /* --force recomputes everything. */
    CHECK_INT(run_plugins(&st, e, names, 1, 2, dir, 1, 0), LEDE_OK);
    CHECK_INT(st.computed, 40);
    /* A new article is the only work of the next run. */
    lede_article_meta meta = {"late.txt", NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    CHECK_INT(lede_ingest_buffer(NULL, e, &meta, "Late News\nMore From Paris.\n", 27, NULL), LEDE_OK);
    CHECK_INT(run_plugins(&st, e, names, 1, 2, dir, 0, 0), LEDE_OK);
    CHECK_INT(st.computed, 2);
    CHECK_INT(st.articles, 1);
    /* The layer views. */
    CHECK(query_int(e, "SELECT count(*) FROM (SELECT word, count(*) FROM cap GROUP BY 1)") > 3);
    CHECK_INT(query_int(e, "SELECT count(*) FROM cap WHERE text <> word"), 0);
    lede_engine_close(e);
}

static void check_errors(void)
{
    char dir[512], cmd[600];
    snprintf(dir, sizeof dir, "%s/err", scratch);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    CHECK_INT(system(cmd), 0);
    write_file(dir, "flaky.lua",
               "return { name = 'flaky', version = '1', layers = { ok = {} },\n"
               "  article = function(doc)\n"
               "    doc:annotate('ok', 1, 0)\n"
               "    if doc.text:find('FAIL HERE') then error('cannot read ' .. doc.key) end\n"
               "    if doc.key == 'art011.txt' then while true do end end\n"
               "  end }\n");
    lede_engine *e = open_db("err.db");
    if (e == NULL)
        return;
    ingest_articles(e, 20);
    const char *names[] = {"flaky", "caps"};
    lede_run_stats st;
    CHECK_INT(run_plugins(&st, e, names, 2, 2, dir, 0, 0), LEDE_EPLUGIN);
    CHECK_INT(st.errors, 2);
    CHECK_INT(st.computed, 40);
    CHECK_INT(query_int(e, "SELECT count(*) FROM ok"), 18); /* spans of failed articles are dropped */
    CHECK_INT(query_int(e, "SELECT count(DISTINCT article_id) FROM cap"), 20);
    CHECK_INT(query_int(e, "SELECT count(*) FROM plugin_state WHERE plugin = 'flaky'"), 18);
    CHECK_INT(query_int(e, "SELECT status = 'errors' FROM run ORDER BY id DESC LIMIT 1"), 1);
    char *problems = dump(e, "SELECT plugin, article_key, location, message, traceback LIKE '%flaky.lua:%' "
                             "FROM problem ORDER BY id");
    CHECK(strstr(problems, "flaky|art007.txt|") != NULL);
    CHECK(strstr(problems, "flaky.lua:4|cannot read art007.txt|1") != NULL);
    CHECK(strstr(problems, "flaky|art011.txt|") != NULL);
    CHECK(strstr(problems, "flaky.lua:5|instruction budget of") != NULL);
    if (check_failed)
        fprintf(stderr, "  problems:\n%s", problems);
    free(problems);
    /* Failed articles are retried, the others are current. */
    CHECK_INT(run_plugins(&st, e, names, 2, 1, dir, 0, 0), LEDE_EPLUGIN);
    CHECK_INT(st.computed, 2);
    CHECK_INT(st.errors, 2);
    /* --fail-fast stops at the first error. */
    CHECK_INT(run_plugins(&st, e, names, 2, 1, dir, 1, 1), LEDE_EPLUGIN);
    CHECK(st.computed < 40);
    CHECK_INT(st.errors, 1);
    lede_engine_close(e);
}

/* A plugin reading a layer that a corpus pass completes is recomputed on
 * the articles where that pass changed something, and only there. */
static void check_corpus_dependents(void)
{
    char dir[512], cmd[600];
    snprintf(dir, sizeof dir, "%s/after", scratch);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    CHECK_INT(system(cmd), 0);
    write_file(dir, "after.lua",
               "return { name = 'after', version = '1', requires = { 'recurring' }, layers = { nrec = { 'n' } },\n"
               "  article = function(doc) doc:annotate('nrec', 1, 0, { n = #doc:spans('recurring') }) end }\n");
    lede_engine *e = open_db("after.db");
    if (e == NULL)
        return;
    static const char *const texts[][2] = {{"a1", "The Zorblat met Alpha."}, {"a2", "Then Alpha left."},
                                           {"a3", "Later Zorblat came."}};
    for (int i = 0; i < 2; i++) {
        lede_article_meta meta = {texts[i][0], NULL, NULL, NULL, NULL, NULL, NULL, NULL};
        CHECK_INT(lede_ingest_buffer(NULL, e, &meta, texts[i][1], strlen(texts[i][1]), NULL), LEDE_OK);
    }
    const char *names[] = {"after"};
    lede_run_stats st;
    CHECK_INT(run_plugins(&st, e, names, 1, 2, dir, 0, 0), LEDE_OK);
    CHECK_INT(st.corpus_passes, 1);
    CHECK_INT(query_int(e, "SELECT n FROM nrec WHERE article = 'a1'"), 1);
    lede_article_meta meta = {texts[2][0], NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    CHECK_INT(lede_ingest_buffer(NULL, e, &meta, texts[2][1], strlen(texts[2][1]), NULL), LEDE_OK);
    CHECK_INT(run_plugins(&st, e, names, 1, 2, dir, 0, 0), LEDE_OK);
    CHECK_INT(st.corpus_passes, 1);
    CHECK_INT(st.computed, 3); /* caps and after on a3, after on a1 */
    CHECK_INT(query_int(e, "SELECT n FROM nrec WHERE article = 'a1'"), 2);
    CHECK_INT(query_int(e, "SELECT n FROM nrec WHERE article = 'a3'"), 1);
    CHECK_INT(query_int(e, "SELECT n FROM nrec WHERE article = 'a2'"), 1);
    lede_engine_close(e);
}

/* The whole database content a run produces, ids included. */
static char *dump_results(lede_engine *e)
{
    char *a = dump(e, "SELECT an.id, ar.key, an.layer, an.start, an.\"end\", an.attrs, an.run_id FROM annotation an "
                      "JOIN article ar ON ar.id = an.article_id ORDER BY an.id");
    char *b = dump(e, "SELECT * FROM plugin_state ORDER BY article_id, plugin");
    char *c = dump(e, "SELECT id, run_id, plugin, article_key, location, message FROM problem ORDER BY id");
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *all = malloc(n);
    snprintf(all, n, "%s%s%s", a, b, c);
    free(a);
    free(b);
    free(c);
    return all;
}

/* The same results whatever the number of workers, and whether workers
 * read through connections of their own (a WAL file) or share the
 * engine's (in memory). */
static void check_jobs_identical(void)
{
    const char *names[] = {"capcount", "content", "lexmatch", "unicode", "recurring", "flaky"};
    char *dumps[4] = {NULL, NULL, NULL, NULL};
    static const unsigned jobs[] = {1, 2, 4, 2};
    char dir[512];
    snprintf(dir, sizeof dir, "%s/err", scratch);
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "jobs%u.db", jobs[i]);
        lede_engine *e = NULL;
        if (i < 3)
            e = open_db(name);
        else if (!CHECK_INT(lede_engine_open(&e, ":memory:", 0), LEDE_OK))
            e = NULL;
        if (e == NULL)
            return;
        ingest_articles(e, 150);
        lede_run_stats st;
        CHECK_INT(run_plugins(&st, e, names, 6, jobs[i], dir, 0, 0), LEDE_EPLUGIN);
        CHECK_INT(st.corpus_passes, 1);
        dumps[i] = dump_results(e);
        if (i == 0) {
            CHECK(query_int(e, "SELECT count(*) FROM recurring") > 100);
            CHECK_INT(query_int(e, "SELECT count(*) FROM corpus_size WHERE n = 150"), 1);
            CHECK_INT(query_int(e, "SELECT count(*) FROM sentcount WHERE content < \"all\""), 50);
            CHECK(query_int(e, "SELECT count(*) FROM lex WHERE value = 'UN'") > 50);
            /* Nothing changed: the corpus pass is current too. */
            CHECK_INT(run_plugins(&st, e, names, 6, jobs[i], dir, 0, 0), LEDE_EPLUGIN);
            CHECK_INT(st.corpus_passes, 0);
            CHECK_INT(st.computed, 2); /* the two articles flaky fails on */
        }
        lede_engine_close(e);
    }
    CHECK(strlen(dumps[0]) > 10000);
    for (int i = 0; i < 4; i++) { /* for a diff when they differ */
        char name[64];
        snprintf(name, sizeof name, "dump%d.txt", i);
        write_file(scratch, name, dumps[i]);
    }
    CHECK_STR(dumps[1], dumps[0]);
    CHECK_STR(dumps[2], dumps[0]);
    CHECK_STR(dumps[3], dumps[0]);
    for (int i = 0; i < 4; i++)
        free(dumps[i]);
}

int main(void)
{
    const char *src = getenv("LEDE_SOURCE_DIR");
    snprintf(basic_dir, sizeof basic_dir, "%s/tests/plugins/basic", src ? src : ".");
    snprintf(scratch, sizeof scratch, "/tmp/lede-test-run-XXXXXX");
    if (mkdtemp(scratch) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    unsetenv("LEDE_PLUGIN_PATH");
    check_ordering_errors();
    check_incremental();
    check_errors();
    check_corpus_dependents();
    check_jobs_identical();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    if (!check_failed && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", scratch);
    return check_report("test_run");
}
