/* Store and engine: open, migrate, reopen, refusals, the content hash and
 * the row-level operations other modules build on. */
#define _XOPEN_SOURCE 700

#include "check.h"
#include "engine.h"
#include "hash.h"
#include "store.h"

#include <ftw.h>
#include <stdlib.h>
#include <unistd.h>

static char tmpdir[256];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void tmp_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
}

/* First column of the first row of `sql` as an integer (-1 on error). */
static long long sql_int(lede_engine *e, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(e->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static char *sql_text(lede_engine *e, const char *sql)
{
    sqlite3_stmt *st = NULL;
    char *v = NULL;
    if (sqlite3_prepare_v2(e->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

static void test_memory(void)
{
    lede_engine *e = NULL;
    CHECK_INT(lede_engine_open(&e, NULL, 0), LEDE_OK);
    CHECK_INT(sql_int(e, "PRAGMA user_version"), LEDE_SCHEMA_VERSION);
    CHECK_INT(sql_int(e, "PRAGMA foreign_keys"), 1);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM sqlite_master WHERE name IN"
                         " ('article','article_fts','run','annotation','plugin_state','problem')"),
              6);
    lede_engine_close(e);

    CHECK_INT(lede_engine_open(&e, ":memory:", 0), LEDE_OK);
    CHECK_STR(e->path, ":memory:");
    lede_engine_close(e);

    CHECK_INT(lede_engine_open(&e, NULL, 0x100), LEDE_EINVAL);
    CHECK(strstr(lede_errmsg(e), "flags") != NULL);
    lede_engine_close(e);
    lede_engine_close(NULL);
}

static void test_file_reopen(void)
{
    char path[512];
    lede_engine *e = NULL;
    tmp_path(path, sizeof path, "a.db");
    CHECK_INT(lede_engine_open(&e, path, 0), LEDE_OK);
    char *mode = sql_text(e, "PRAGMA journal_mode");
    CHECK_STR(mode, "wal");
    free(mode);
    CHECK_INT(sql_int(e, "PRAGMA synchronous"), 1); /* NORMAL */
    CHECK(sql_int(e, "PRAGMA busy_timeout") > 0);
    CHECK_INT(sqlite3_exec(e->db, "CREATE TABLE mine (x)", NULL, NULL, NULL), SQLITE_OK);
    lede_engine_close(e);

    /* Reopening keeps the data and does not migrate again. */
    CHECK_INT(lede_engine_open(&e, path, LEDE_OPEN_NOCREATE), LEDE_OK);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM sqlite_master WHERE name = 'mine'"), 1);
    CHECK_INT(sql_int(e, "PRAGMA user_version"), LEDE_SCHEMA_VERSION);
    lede_engine_close(e);

    /* Read-only: opens, refuses writes. */
    CHECK_INT(lede_engine_open(&e, path, LEDE_OPEN_READONLY), LEDE_OK);
    CHECK(sqlite3_exec(e->db, "INSERT INTO mine VALUES (1)", NULL, NULL, NULL) != SQLITE_OK);
    int64_t run = 0;
    CHECK(lede_store_run_begin(&run, e, "x", NULL) != LEDE_OK);
    lede_engine_close(e);
}

static void test_missing(void)
{
    char path[512];
    lede_engine *e = NULL;
    tmp_path(path, sizeof path, "missing.db");
    CHECK_INT(lede_engine_open(&e, path, LEDE_OPEN_READONLY), LEDE_ENOTFOUND);
    CHECK(strstr(lede_errmsg(e), "missing.db") != NULL);
    lede_engine_close(e);
    CHECK_INT(lede_engine_open(&e, path, LEDE_OPEN_NOCREATE), LEDE_ENOTFOUND);
    lede_engine_close(e);
    CHECK(access(path, F_OK) != 0);

    tmp_path(path, sizeof path, "no/such/dir/x.db");
    CHECK_INT(lede_engine_open(&e, path, 0), LEDE_EIO);
    CHECK(strstr(lede_errmsg(e), "no/such/dir/x.db") != NULL);
    lede_engine_close(e);
}

static void set_user_version(const char *path, int version)
{
    sqlite3 *db = NULL;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_too_new(void)
{
    char path[512];
    lede_engine *e = NULL;
    tmp_path(path, sizeof path, "new.db");
    CHECK_INT(lede_engine_open(&e, path, 0), LEDE_OK);
    lede_engine_close(e);
    set_user_version(path, LEDE_SCHEMA_VERSION + 1);
    CHECK_INT(lede_engine_open(&e, path, 0), LEDE_ESCHEMA);
    CHECK(strstr(lede_errmsg(e), "new.db") != NULL);
    CHECK(strstr(lede_errmsg(e), "newer") != NULL);
    lede_engine_close(e);
    CHECK_INT(lede_engine_open(&e, path, LEDE_OPEN_READONLY), LEDE_ESCHEMA);
    lede_engine_close(e);
}

static void test_not_lede(void)
{
    char path[512];
    lede_engine *e = NULL;

    /* Not SQLite at all. */
    tmp_path(path, sizeof path, "junk.db");
    FILE *f = fopen(path, "w");
    fputs("this is not a database, just text long enough to look like a header........"
          "................................................................................",
          f);
    fclose(f);
    CHECK_INT(lede_engine_open(&e, path, 0), LEDE_ESCHEMA);
    CHECK(strstr(lede_errmsg(e), "junk.db: not a lede database") != NULL);
    lede_engine_close(e);

    CHECK_INT(lede_engine_open(&e, tmpdir, 0), LEDE_EIO);
    CHECK(strstr(lede_errmsg(e), "is a directory") != NULL);
    lede_engine_close(e);

    /* SQLite, version 0, with a clashing table: migration fails as a whole. */
    sqlite3 *db = NULL;
    tmp_path(path, sizeof path, "other.db");
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "CREATE TABLE problem (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(lede_engine_open(&e, path, 0), LEDE_ESCHEMA);
    CHECK(strstr(lede_errmsg(e), "other.db") != NULL);
    CHECK_INT(sql_int(e, "PRAGMA user_version"), 0);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM sqlite_master WHERE name = 'article'"), 0);
    lede_engine_close(e);

    /* An old lede file opened read-only cannot be migrated. */
    tmp_path(path, sizeof path, "empty.db");
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(lede_engine_open(&e, path, LEDE_OPEN_READONLY), LEDE_ESCHEMA);
    CHECK(strstr(lede_errmsg(e), "migrat") != NULL);
    lede_engine_close(e);
}

/* SQLite treats "file:..." as a URI; lede keeps it a plain file name. */
static void test_file_colon_name(void)
{
    char cwd[512];
    lede_engine *e = NULL;
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK_INT(chdir(tmpdir), 0);
    CHECK_INT(lede_engine_open(&e, "file:odd.db", 0), LEDE_OK);
    lede_engine_close(e);
    CHECK_INT(access("file:odd.db", F_OK), 0);
    CHECK_INT(chdir(cwd), 0);
}

static void test_hash(void)
{
    /* Stored in databases: these values must never change. */
    CHECK(lede_hash64("", 0, 0) == 0xb992b056e7d8a844ull);
    CHECK(lede_hash64("abc", 3, 0) == 0x706eaaa5504798e3ull);
    CHECK(lede_hash64("abcdefgh", 8, 0) == 0x514229d245b1911bull);
    CHECK(lede_hash64("abcdefghi", 9, 7) == 0x122b8baea2dfec41ull);
    /* tails of every length from 1 to 7 bytes */
    static const uint64_t tails[] = {0xf57ee39a591bd5c8ull, 0xed96c98bc7a820f5ull, 0x00802f2ef2b08848ull,
                                     0x02d23382962a249aull, 0x4bf6a0ac12ed365full, 0x3423a576578f0a30ull,
                                     0x5ba145d587618455ull};
    for (size_t n = 1; n <= 7; n++)
        CHECK(lede_hash64("abcdefghijklmno", n, 3) == tails[n - 1]);
    CHECK(lede_hash64("abcdefghijklmno", 15, 3) == 0x4577331bc5586627ull);

    CHECK(lede_hash64("a", 1, 0) != lede_hash64("a\0", 2, 0));
    CHECK(lede_hash64("abcdefgh", 8, 0) != lede_hash64("abcdefgh", 8, 1));
    CHECK(lede_hash64("abcdefgh", 8, 0) != lede_hash64("abcdefgi", 8, 0));
    CHECK(lede_hash64(NULL, 0, 0) == lede_hash64("", 0, 0));

    char hex[17];
    uint64_t back = 0;
    lede_hash_hex(hex, 0x0123456789abcdefull);
    CHECK_STR(hex, "0123456789abcdef");
    CHECK_INT(lede_hash_parse(&back, hex), 0);
    CHECK(back == 0x0123456789abcdefull);
    CHECK_INT(lede_hash_parse(&back, "0123456789ABCDEF"), 0);
    CHECK(back == 0x0123456789abcdefull);
    CHECK_INT(lede_hash_parse(&back, "0123456789abcde"), -1);
    CHECK_INT(lede_hash_parse(&back, "0123456789abcdef0"), -1);
    CHECK_INT(lede_hash_parse(&back, "0123456789abcdeg"), -1);
    CHECK_INT(lede_hash_parse(&back, NULL), -1);
}

static void test_content_hash(void)
{
    lede_article_meta m = {.key = "k", .title = "T"};
    const char *text = "Some text.";
    uint64_t base = lede_store_content_hash(&m, text, strlen(text));

    m.key = "other"; /* the key is identity, not content */
    CHECK(lede_store_content_hash(&m, text, strlen(text)) == base);
    m.origin = "somewhere.txt";
    CHECK(lede_store_content_hash(&m, text, strlen(text)) == base);
    m.language = "en"; /* NULL means "en" */
    CHECK(lede_store_content_hash(&m, text, strlen(text)) == base);
    m.language = "fr";
    CHECK(lede_store_content_hash(&m, text, strlen(text)) != base);
    m.language = NULL;
    CHECK(lede_store_content_hash(&m, text, strlen(text) - 1) != base);
    m.title = "";
    CHECK(lede_store_content_hash(&m, text, strlen(text)) != base);
    m.title = NULL;
    uint64_t untitled = lede_store_content_hash(&m, text, strlen(text));
    CHECK(untitled != base);
    m.source = "T"; /* the same string in another field */
    CHECK(lede_store_content_hash(&m, text, strlen(text)) != base);
    m.source = NULL;
    m.extra_json = "{}";
    CHECK(lede_store_content_hash(&m, text, strlen(text)) != untitled);
}

static int64_t put(lede_engine *e, const char *key, const char *text, int64_t replace)
{
    lede_article_meta m = {.key = key, .title = "A title", .origin = "test"};
    lede_store_article a = {&m, text, strlen(text), lede_store_content_hash(&m, text, strlen(text)), 1, 2, 3,
                            0, replace};
    int64_t id = 0;
    CHECK_INT(lede_store_article_put(&id, e, &a), LEDE_OK);
    return id;
}

static void test_articles(void)
{
    lede_engine *e = NULL;
    CHECK_INT(lede_engine_open(&e, NULL, 0), LEDE_OK);
    int64_t id = put(e, "one", "The zebra crossed.", 0), found = 0;
    uint64_t hash = 0;
    CHECK(id > 0);
    CHECK_INT(lede_store_article_find(&found, &hash, e, "one"), LEDE_OK);
    CHECK_INT(found, id);
    CHECK_INT(lede_store_article_find(NULL, NULL, e, "two"), LEDE_ENOTFOUND);

    lede_article_row row;
    CHECK_INT(lede_store_article_get(&row, e, "one"), LEDE_OK);
    CHECK_INT(row.id, id);
    CHECK_STR(row.text, "The zebra crossed.");
    CHECK_INT(row.text_len, 18);
    CHECK_STR(row.title, "A title");
    CHECK_STR(row.language, "en");
    CHECK(row.source == NULL && row.extra == NULL);
    CHECK(row.hash == hash);
    CHECK_INT(row.n_tokens, 3);
    CHECK(row.ingested_at && strlen(row.ingested_at) == 20 && row.ingested_at[19] == 'Z');
    lede_store_article_clear(&row);
    CHECK(row.text == NULL);
    CHECK_INT(lede_store_article_get(&row, e, "nope"), LEDE_ENOTFOUND);
    CHECK(strstr(lede_errmsg(e), "nope") != NULL);
    lede_store_article_clear(&row);
    lede_store_article_clear(NULL);

    /* Annotations and plugin state go with a replaced article. */
    int64_t run = 0;
    CHECK_INT(lede_store_run_begin(&run, e, "run", "{\"x\":1}"), LEDE_OK);
    CHECK_INT(lede_store_begin(e), LEDE_OK);
    for (uint32_t i = 0; i < 10; i++)
        CHECK_INT(lede_store_annotation_insert(e, id, "word", i, i + 1, "{\"n\":1}", run), LEDE_OK);
    CHECK_INT(lede_store_commit(e), LEDE_OK);
    CHECK_INT(sqlite3_exec(e->db, "INSERT INTO plugin_state VALUES (1, 'p', '1', 'h', NULL)", NULL, NULL, NULL),
              SQLITE_OK);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM annotation"), 10);
    CHECK_INT(lede_store_annotation_insert(e, id + 100, "word", 0, 1, NULL, 0), LEDE_EDB);

    int64_t id2 = put(e, "one", "The okapi slept.", id);
    CHECK(id2 > 0);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article"), 1);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM annotation"), 0);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM plugin_state"), 0);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'zebra'"), 0);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'okapi'"), 1);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'title'"), 1);
    CHECK_INT(sqlite3_exec(e->db, "INSERT INTO article_fts(article_fts) VALUES ('integrity-check')", NULL, NULL,
                           NULL),
              SQLITE_OK);

    /* A failed put leaves nothing behind: same key inserted as new. */
    lede_article_meta m = {.key = "one"};
    lede_store_article dup = {&m, "x", 1, 1, 1, 1, 1, 0, 0};
    CHECK_INT(lede_store_article_put(NULL, e, &dup), LEDE_EDB);
    CHECK(strstr(lede_errmsg(e), "UNIQUE") != NULL);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article"), 1);
    lede_article_meta nokey = {0};
    dup.meta = &nokey;
    CHECK_INT(lede_store_article_put(NULL, e, &dup), LEDE_EINVAL);

    /* Runs and problems. */
    lede_store_problem p = {run, NULL, "one", "feed.jsonl:3", "bad line", NULL};
    CHECK_INT(lede_store_problem_add(e, &p), LEDE_OK);
    lede_store_problem orphan = {0, "quotes", NULL, NULL, "oops", "trace"};
    CHECK_INT(lede_store_problem_add(e, &orphan), LEDE_OK);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM problem WHERE run_id IS NULL AND plugin = 'quotes'"), 1);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM run WHERE status = 'running' AND finished_at IS NULL"), 1);
    CHECK_INT(lede_store_run_finish(e, run, "ok"), LEDE_OK);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM run WHERE status = 'ok' AND finished_at IS NOT NULL"
                         " AND lede_version = '" LEDE_VERSION_STRING "' AND options = '{\"x\":1}'"),
              1);

    /* Transactions: rollback undoes, and is harmless outside one. */
    CHECK_INT(lede_store_begin(e), LEDE_OK);
    put(e, "two", "Gone soon.", 0);
    lede_store_rollback(e);
    lede_store_rollback(e);
    CHECK_INT(lede_store_article_find(NULL, NULL, e, "two"), LEDE_ENOTFOUND);
    CHECK_INT(lede_store_commit(e), LEDE_EDB);
    lede_engine_close(e);
}

/* Inside a batch new rows are indexed at commit; replacing a row of the same
 * batch, or the row with the largest id, must still leave the index exact. */
static void test_batched_index(void)
{
    lede_engine *e = NULL;
    CHECK_INT(lede_engine_open(&e, NULL, 0), LEDE_OK);
    put(e, "a", "alpha one", 0);
    CHECK_INT(lede_store_begin(e), LEDE_OK);
    int64_t b = put(e, "b", "beta two", 0);
    put(e, "c", "gamma three", 0);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'gamma'"), 0);
    int64_t b2 = put(e, "b", "delta four", b);           /* replaces a row not indexed yet */
    int64_t c = 0;
    CHECK_INT(lede_store_article_find(&c, NULL, e, "c"), LEDE_OK);
    put(e, "c", "epsilon five", c);                      /* the largest id: reused */
    put(e, "d", "zeta six", 0);
    CHECK_INT(lede_store_commit(e), LEDE_OK);
    CHECK(b2 > 0);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article"), 4);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'beta OR gamma'"), 0);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'alpha OR delta OR epsilon OR zeta'"),
              4);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'title'"), 4);
    CHECK_INT(sqlite3_exec(e->db, "INSERT INTO article_fts(article_fts) VALUES ('integrity-check')", NULL, NULL,
                           NULL),
              SQLITE_OK);

    /* A rolled-back batch leaves neither rows nor index entries. */
    CHECK_INT(lede_store_begin(e), LEDE_OK);
    put(e, "e", "eta seven", 0);
    lede_store_rollback(e);
    put(e, "f", "theta eight", 0);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'eta OR theta'"), 1);
    CHECK_INT(sqlite3_exec(e->db, "INSERT INTO article_fts(article_fts) VALUES ('integrity-check')", NULL, NULL,
                           NULL),
              SQLITE_OK);
    lede_engine_close(e);
}

static void test_errstr(void)
{
    for (int code = 0; code >= LEDE_EREADONLY; code--) {
        const char *s = lede_errstr(code);
        CHECK(s && *s && strcmp(s, "unknown status") != 0);
    }
    CHECK_STR(lede_errstr(LEDE_EREADONLY - 1), "unknown status");
    CHECK_STR(lede_errstr(1), "unknown status");
    CHECK_STR(lede_version(), LEDE_VERSION_STRING);
    CHECK(lede_errmsg(NULL) != NULL);
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/lede-store-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_memory();
    test_file_reopen();
    test_missing();
    test_too_new();
    test_not_lede();
    test_file_colon_name();
    test_hash();
    test_content_hash();
    test_articles();
    test_batched_index();
    test_errstr();
    nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return check_report("test_store");
}
