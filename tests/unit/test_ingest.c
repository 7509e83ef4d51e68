/* Ingest: plain files and directories, JSON Lines, bad input, idempotence,
 * replacement, batches, progress and cancel. */
#define _XOPEN_SOURCE 700

#include "check.h"
#include "engine.h"
#include "ingest.h"
#include "store.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[256];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Path under a fresh per-test directory `dir` (created on first use). */
static const char *at(const char *dir, const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s%s%s", tmpdir, dir, name ? "/" : "", name ? name : "");
    return path;
}

/* Writes `len` bytes to dir/name, creating the directories on the way. */
static void put_file(const char *dir, const char *name, const char *bytes, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s/%s", tmpdir, dir, name);
    for (char *p = path + strlen(tmpdir) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len)
        perror(path);
    if (f)
        fclose(f);
}

static void put_text(const char *dir, const char *name, const char *text)
{
    put_file(dir, name, text, strlen(text));
}

static long long sql_int(lede_engine *e, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(e->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* All values of column 0 joined with '|', in a static buffer. */
static const char *sql_list(lede_engine *e, const char *sql)
{
    static char out[4096];
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(e->db, sql, -1, &st, NULL) != SQLITE_OK)
        return "(sql error)";
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (out[0])
            strncat(out, "|", sizeof out - strlen(out) - 1);
        strncat(out, v ? v : "NULL", sizeof out - strlen(out) - 1);
    }
    sqlite3_finalize(st);
    return out;
}

/* Diagnostics collected as "E where: message" lines. */
typedef struct diags {
    char text[8192];
    int errors, warnings;
} diags;

static void collect(void *ud, int severity, const char *where, const char *message)
{
    diags *d = ud;
    char line[1024];
    snprintf(line, sizeof line, "%c %s: %s\n", severity == LEDE_DIAG_ERROR ? 'E' : 'W', where, message);
    strncat(d->text, line, sizeof d->text - strlen(d->text) - 1);
    if (severity == LEDE_DIAG_ERROR)
        d->errors++;
    else
        d->warnings++;
}

static lede_engine *open_memory(void)
{
    lede_engine *e = NULL;
    CHECK_INT(lede_engine_open(&e, NULL, 0), LEDE_OK);
    return e;
}

static int ingest(lede_ingest_stats *stats, lede_engine *e, const char *path, diags *d, int strict)
{
    lede_ingest_opts opts = LEDE_INGEST_OPTS_INIT;
    opts.strict = strict;
    opts.diag = collect;
    opts.ud = d;
    memset(d, 0, sizeof *d);
    return lede_ingest_path(stats, e, path, &opts);
}

static void test_single_text_file(void)
{
    lede_engine *e = open_memory();
    lede_ingest_stats s;
    diags d;
    put_text("single", "story.txt", "Headline here\nThe first paragraph. It has two sentences.\n");
    CHECK_INT(ingest(&s, e, at("single", "story.txt"), &d, 0), LEDE_OK);
    CHECK_INT(s.added, 1);
    CHECK_INT(s.rejected, 0);
    CHECK_STR(sql_list(e, "SELECT key FROM article"), "story.txt");
    CHECK_STR(sql_list(e, "SELECT text FROM article"), "Headline here\nThe first paragraph. It has two sentences.\n");
    CHECK_STR(sql_list(e, "SELECT origin FROM article"), at("single", "story.txt"));
    CHECK_INT(sql_int(e, "SELECT n_blocks FROM article"), 2);
    CHECK(sql_int(e, "SELECT n_sentences FROM article") >= 2);
    CHECK(sql_int(e, "SELECT n_tokens FROM article") >= 8);
    CHECK_INT(sql_int(e, "SELECT n_bytes FROM article"), 57);
    CHECK_INT(s.bytes, 57);
    CHECK_STR(sql_list(e, "SELECT command || ' ' || status FROM run"), "ingest ok");
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'paragraph'"), 1);
    lede_engine_close(e);
}

static void test_directory_order(void)
{
    lede_engine *e = open_memory();
    lede_ingest_stats s;
    diags d;
    put_text("tree", "b.txt", "Bee.");
    put_text("tree", "a/z.txt", "Zed.");
    put_text("tree", "a.txt", "Ay.");
    put_text("tree", "A.txt", "Big ay.");
    put_text("tree", "a/b/c.txt", "Deep.");
    put_text("tree", ".hidden.txt", "Hidden.");
    put_text("tree", ".git/x.txt", "Hidden too.");
    put_text("tree", "a-b.txt", "Dash.");
    CHECK_INT(ingest(&s, e, at("tree", NULL), &d, 0), LEDE_OK);
    CHECK_INT(s.added, 6);
    /* Byte order of the whole relative path: '-' < '.' < '/' < 'A' < 'a'. */
    CHECK_STR(sql_list(e, "SELECT key FROM article ORDER BY id"), "A.txt|a-b.txt|a.txt|a/b/c.txt|a/z.txt|b.txt");
    CHECK_STR(sql_list(e, "SELECT origin FROM article WHERE key = 'a/z.txt'"), at("tree", "a/z.txt"));
    lede_engine_close(e);

    /* A trailing slash on the argument changes nothing but the origin. */
    e = open_memory();
    char path[1100];
    snprintf(path, sizeof path, "%s/", at("tree", NULL));
    CHECK_INT(ingest(&s, e, path, &d, 0), LEDE_OK);
    CHECK_STR(sql_list(e, "SELECT key FROM article ORDER BY id"), "A.txt|a-b.txt|a.txt|a/b/c.txt|a/z.txt|b.txt");
    lede_engine_close(e);
}

static const char feed[] =
    "{\"id\": \"n1\", \"source\": \"The Daily Example\", \"url\": \"https://example.org/1\", "
    "\"title\": \"First\", \"date\": \"2024-03-01\", \"body\": \"Body text here.\", "
    "\"section\": \"world\", \"tags\": [\"a\", \"b\"], \"lang\": \"en\"}\n"
    "\n"
    "{\"key\": \"n2\", \"id\": \"ignored\", \"text\": \"Text wins.\", \"body\": \"kept in extra\", "
    "\"published\": \"2024-03-02T10:00:00Z\", \"title\": null, \"language\": \"fr\"}\r\n"
    "{\"id\": 42, \"text\": \"Numeric id.\"}";

static void test_jsonl_fields(void)
{
    lede_engine *e = open_memory();
    lede_ingest_stats s;
    diags d;
    put_text("jsonl", "feed.jsonl", feed);
    CHECK_INT(ingest(&s, e, at("jsonl", "feed.jsonl"), &d, 0), LEDE_OK);
    CHECK_INT(s.added, 3);
    CHECK_STR(sql_list(e, "SELECT key FROM article ORDER BY id"), "n1|n2|42");
    CHECK_STR(sql_list(e, "SELECT source || ' ' || url || ' ' || title || ' ' || published || ' ' || language"
                          " FROM article WHERE key = 'n1'"),
              "The Daily Example https://example.org/1 First 2024-03-01 en");
    CHECK_STR(sql_list(e, "SELECT text FROM article WHERE key = 'n1'"), "Body text here.");
    CHECK_STR(sql_list(e, "SELECT extra FROM article WHERE key = 'n1'"), "{\"section\":\"world\",\"tags\":[\"a\",\"b\"]}");
    CHECK_STR(sql_list(e, "SELECT text FROM article WHERE key = 'n2'"), "Text wins.");
    CHECK_STR(sql_list(e, "SELECT extra FROM article WHERE key = 'n2'"), "{\"id\":\"ignored\",\"body\":\"kept in extra\"}");
    CHECK_STR(sql_list(e, "SELECT coalesce(title, 'NULL') || ' ' || language || ' ' || published"
                          " FROM article WHERE key = 'n2'"),
              "NULL fr 2024-03-02T10:00:00Z");
    CHECK_STR(sql_list(e, "SELECT coalesce(extra, 'none') || ' ' || language FROM article WHERE key = '42'"), "none en");
    char origin[1100];
    snprintf(origin, sizeof origin, "%s:3", at("jsonl", "feed.jsonl"));
    CHECK_STR(sql_list(e, "SELECT origin FROM article WHERE key = 'n2'"), origin);
    lede_engine_close(e);
}

static void test_jsonl_bad_lines(void)
{
    lede_engine *e = open_memory();
    lede_ingest_stats s;
    diags d;
    put_text("badjsonl", "f.jsonl",
             "{\"id\": \"ok1\", \"text\": \"Fine.\"}\n"
             "{\"id\": \"broken\", \"text\": \"no closing brace\"\n"
             "[1, 2, 3]\n"
             "{\"text\": \"No key at all.\"}\n"
             "{\"id\": \"nokey-text\"}\n"
             "{\"id\": \"badtype\", \"text\": \"x\", \"title\": [1]}\n"
             "{\"id\": \"empty\", \"text\": \"   \"}\n"
             "{\"id\": \"ok2\", \"text\": \"Also fine.\"}\n"
             "{\"id\": \"badbody\", \"body\": 7}\n"
             "{\"id\": true, \"text\": \"x\"}\n");
    CHECK_INT(ingest(&s, e, at("badjsonl", "f.jsonl"), &d, 0), LEDE_EREJECTED);
    CHECK_INT(s.added, 2);
    CHECK_INT(s.rejected, 8);
    CHECK_INT(d.errors, 8);
    CHECK_STR(sql_list(e, "SELECT key FROM article ORDER BY id"), "ok1|ok2");
    char want[1200];
    snprintf(want, sizeof want, "E %s:2: malformed JSON", at("badjsonl", "f.jsonl"));
    CHECK(strstr(d.text, want) != NULL);
    CHECK(strstr(d.text, "f.jsonl:3: not a JSON object") != NULL);
    CHECK(strstr(d.text, "f.jsonl:4: no \"key\" or \"id\"") != NULL);
    CHECK(strstr(d.text, "f.jsonl:5: no \"text\" or \"body\"") != NULL);
    CHECK(strstr(d.text, "f.jsonl:6: field \"title\" must be a string") != NULL);
    CHECK(strstr(d.text, "f.jsonl:7: no text, only white space") != NULL);
    CHECK(strstr(d.text, "f.jsonl:9: field \"body\" must be a string\n") != NULL);
    CHECK(strstr(d.text, "f.jsonl:10: field \"id\" must be a string or a number") != NULL);
    CHECK(strstr(lede_errmsg(e), "8 input(s) rejected") != NULL);
    CHECK(strstr(lede_errmsg(e), "f.jsonl:2") != NULL);
    /* Problems are recorded against the run. */
    CHECK_INT(sql_int(e, "SELECT count(*) FROM problem WHERE run_id = (SELECT max(id) FROM run)"), 8);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM problem WHERE article_key = 'empty' AND location LIKE '%f.jsonl:7'"), 1);
    CHECK_STR(sql_list(e, "SELECT status FROM run"), "errors");
    lede_engine_close(e);
}

static void test_invalid_utf8(void)
{
    lede_engine *e = open_memory();
    lede_ingest_stats s;
    diags d;
    put_text("utf8", "bad.txt", "Caf\xc3\xa9 ok, then \xff bad and \xc3 cut.\n");
    CHECK_INT(ingest(&s, e, at("utf8", "bad.txt"), &d, 0), LEDE_OK);
    CHECK_INT(s.added, 1);
    CHECK_INT(s.repaired, 1);
    CHECK_INT(d.warnings, 1);
    char want[1200];
    snprintf(want, sizeof want, "W %s@15: 2 invalid UTF-8", at("utf8", "bad.txt"));
    CHECK(strstr(d.text, want) != NULL);
    CHECK_STR(sql_list(e, "SELECT text FROM article"), "Caf\xc3\xa9 ok, then \xef\xbf\xbd bad and \xef\xbf\xbd cut.\n");
    CHECK_INT(sql_int(e, "SELECT repairs FROM article"), 2);
    lede_engine_close(e);

    /* Strict: rejected, nothing stored. */
    e = open_memory();
    CHECK_INT(ingest(&s, e, at("utf8", "bad.txt"), &d, 1), LEDE_EREJECTED);
    CHECK_INT(s.added, 0);
    CHECK_INT(s.rejected, 1);
    CHECK(strstr(d.text, "invalid UTF-8 at byte 15") != NULL);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article"), 0);
    lede_engine_close(e);

    /* In JSON Lines the line is repaired; the offset is the file's. */
    e = open_memory();
    put_text("utf8", "f.jsonl", "{\"id\": \"a\", \"text\": \"fine\"}\n{\"id\": \"b\", \"text\": \"x\xfe y\"}\n");
    CHECK_INT(ingest(&s, e, at("utf8", "f.jsonl"), &d, 0), LEDE_OK);
    CHECK_INT(s.added, 2);
    CHECK_INT(s.repaired, 1);
    snprintf(want, sizeof want, "W %s@50: line 2: 1 invalid UTF-8", at("utf8", "f.jsonl"));
    CHECK(strstr(d.text, want) != NULL);
    CHECK_STR(sql_list(e, "SELECT text FROM article WHERE key = 'b'"), "x\xef\xbf\xbd y");
    lede_engine_close(e);

    e = open_memory();
    CHECK_INT(ingest(&s, e, at("utf8", "f.jsonl"), &d, 1), LEDE_EREJECTED);
    CHECK_INT(s.added, 1);
    CHECK(strstr(d.text, "f.jsonl:2: invalid UTF-8 at byte 50") != NULL);
    lede_engine_close(e);
}

static void test_binary_and_empty(void)
{
    lede_engine *e = open_memory();
    lede_ingest_stats s;
    diags d;
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    put_file("junk", "scan.txt", png, sizeof png - 1);
    put_file("junk", "image.png", png, sizeof png - 1); /* not an article format: skipped */
    put_text("junk", "notes.md", "Notes beside the articles.");
    put_text("junk", "empty.txt", "");
    put_text("junk", "blank.txt", " \n\t\n");
    put_text("junk", "empty.jsonl", "");
    put_text("junk", "good.txt", "Good text.");
    CHECK_INT(ingest(&s, e, at("junk", NULL), &d, 0), LEDE_EREJECTED);
    CHECK_INT(s.added, 1);
    CHECK_INT(s.rejected, 4);
    CHECK(strstr(d.text, "scan.txt: binary data") != NULL);
    CHECK(strstr(d.text, "image.png") == NULL);
    CHECK(strstr(d.text, "empty.txt: empty file") != NULL);
    CHECK(strstr(d.text, "empty.jsonl: empty file") != NULL);
    CHECK(strstr(d.text, "blank.txt: no text, only white space") != NULL);
    CHECK_STR(sql_list(e, "SELECT key FROM article"), "good.txt");
    lede_engine_close(e);

    /* A file named on its own is taken whatever its ending. */
    e = open_memory();
    CHECK_INT(ingest(&s, e, at("junk", "notes.md"), &d, 0), LEDE_OK);
    CHECK_STR(sql_list(e, "SELECT key FROM article"), "notes.md");
    lede_engine_close(e);

    /* A missing path stops the job. */
    e = open_memory();
    CHECK_INT(ingest(&s, e, at("junk", "nope.txt"), &d, 0), LEDE_ENOTFOUND);
    CHECK(strstr(lede_errmsg(e), "nope.txt") != NULL);
    CHECK_STR(sql_list(e, "SELECT status FROM run"), "failed");
    lede_engine_close(e);
}

static void test_bom(void)
{
    lede_engine *e = open_memory();
    lede_ingest_stats s;
    diags d;
    put_text("bom", "a.txt", "\xef\xbb\xbfWith a mark.");
    put_text("bom", "b.jsonl", "\xef\xbb\xbf{\"id\": \"j\", \"text\": \"Marked JSON.\"}\n");
    CHECK_INT(ingest(&s, e, at("bom", NULL), &d, 0), LEDE_OK);
    CHECK_STR(sql_list(e, "SELECT text FROM article ORDER BY id"), "With a mark.|Marked JSON.");
    lede_engine_close(e);

    /* Offsets of repairs still count the mark's three bytes. */
    e = open_memory();
    put_text("bom2", "c.txt", "\xef\xbb\xbf" "Ab\xff.");
    CHECK_INT(ingest(&s, e, at("bom2", "c.txt"), &d, 0), LEDE_OK);
    CHECK(strstr(d.text, "c.txt@5: 1 invalid UTF-8") != NULL);
    lede_engine_close(e);
}

/* Re-ingesting skips unchanged articles; a changed one is replaced and
 * its annotations and plugin state dropped.  Uses a file database, so the
 * reader's pre-check runs too. */
static void test_idempotent_replace(void)
{
    lede_engine *e = NULL;
    lede_ingest_stats s;
    diags d;
    for (int i = 0; i < 40; i++) {
        char name[32], text[64];
        snprintf(name, sizeof name, "n%02d.txt", i);
        snprintf(text, sizeof text, "Article number %d about zebras.", i);
        put_text("idem", name, text);
    }
    put_text("idem", "feed.jsonl", "{\"id\": \"j1\", \"text\": \"Jay one.\"}\n{\"id\": \"j2\", \"text\": \"Jay two.\"}\n");
    CHECK_INT(lede_engine_open(&e, at("idem.db", NULL), 0), LEDE_OK);
    CHECK_INT(ingest(&s, e, at("idem", NULL), &d, 0), LEDE_OK);
    CHECK_INT(s.added, 42);
    char *before = strdup(sql_list(e, "SELECT group_concat(id || hash, ',') FROM article"));

    CHECK_INT(ingest(&s, e, at("idem", NULL), &d, 0), LEDE_OK);
    CHECK_INT(s.added, 0);
    CHECK_INT(s.unchanged, 42);
    CHECK_INT(s.replaced, 0);
    CHECK_STR(sql_list(e, "SELECT group_concat(id || hash, ',') FROM article"), before);
    free(before);

    /* Annotate n05, then change it and one JSON Lines record. */
    CHECK_INT(sqlite3_exec(e->db,
                           "INSERT INTO annotation (article_id, layer, start, \"end\")"
                           " SELECT id, 'x', 0, 7 FROM article WHERE key IN ('n05.txt', 'n06.txt');"
                           "INSERT INTO plugin_state SELECT id, 'p', '1', 'h', NULL FROM article"
                           " WHERE key IN ('n05.txt', 'n06.txt');",
                           NULL, NULL, NULL),
              SQLITE_OK);
    put_text("idem", "n05.txt", "Article five now about okapis.");
    put_text("idem", "feed.jsonl", "{\"id\": \"j1\", \"text\": \"Jay one.\"}\n{\"id\": \"j2\", \"text\": \"Jay two!\"}\n");
    CHECK_INT(ingest(&s, e, at("idem", NULL), &d, 0), LEDE_OK);
    CHECK_INT(s.replaced, 2);
    CHECK_INT(s.unchanged, 40);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article"), 42);
    CHECK_STR(sql_list(e, "SELECT a.key FROM annotation n JOIN article a ON a.id = n.article_id"), "n06.txt");
    CHECK_INT(sql_int(e, "SELECT count(*) FROM plugin_state"), 1);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'okapis'"), 1);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'zebras'"), 39);
    CHECK_STR(sql_list(e, "SELECT text FROM article WHERE key = 'j2'"), "Jay two!");
    CHECK_INT(sql_int(e, "SELECT count(*) FROM run WHERE status = 'ok'"), 3);
    CHECK_INT(sqlite3_exec(e->db, "INSERT INTO article_fts(article_fts) VALUES ('integrity-check')", NULL, NULL,
                           NULL),
              SQLITE_OK);
    lede_engine_close(e);

    /* Read-only engines refuse to ingest. */
    CHECK_INT(lede_engine_open(&e, at("idem.db", NULL), LEDE_OPEN_READONLY), LEDE_OK);
    CHECK_INT(ingest(&s, e, at("idem", NULL), &d, 0), LEDE_EREADONLY);
    lede_engine_close(e);
}

/* A key repeated inside one input: the later record wins, or is unchanged. */
static void test_duplicate_keys(void)
{
    lede_engine *e = NULL;
    lede_ingest_stats s;
    diags d;
    put_text("dup", "f.jsonl",
             "{\"id\": \"k\", \"text\": \"First.\"}\n{\"id\": \"k\", \"text\": \"Second.\"}\n"
             "{\"id\": \"k\", \"text\": \"Second.\"}\n");
    CHECK_INT(lede_engine_open(&e, at("dup.db", NULL), 0), LEDE_OK);
    CHECK_INT(ingest(&s, e, at("dup", NULL), &d, 0), LEDE_OK);
    CHECK_INT(s.added, 1);
    CHECK_INT(s.replaced, 1);
    CHECK_INT(s.unchanged, 1);
    CHECK_STR(sql_list(e, "SELECT text FROM article"), "Second.");
    lede_engine_close(e);
}

static void test_buffer(void)
{
    lede_engine *e = open_memory();
    lede_ingest_outcome out;
    diags d;
    lede_ingest_opts opts = LEDE_INGEST_OPTS_INIT;
    opts.diag = collect;
    opts.ud = &d;
    memset(&d, 0, sizeof d);
    lede_article_meta m = {.key = "stdin", .title = "T", .extra_json = "{\"a\":1}"};
    const char *text = "From a buffer.";

    CHECK_INT(lede_ingest_buffer(&out, e, &m, text, strlen(text), &opts), LEDE_OK);
    CHECK_INT(out, LEDE_INGEST_ADDED);
    CHECK_INT(lede_ingest_buffer(&out, e, &m, text, strlen(text), NULL), LEDE_OK);
    CHECK_INT(out, LEDE_INGEST_UNCHANGED);
    m.title = "New title";
    CHECK_INT(lede_ingest_buffer(&out, e, &m, text, strlen(text), &opts), LEDE_OK);
    CHECK_INT(out, LEDE_INGEST_REPLACED);
    CHECK_STR(sql_list(e, "SELECT title || ' ' || extra FROM article"), "New title {\"a\":1}");
    CHECK_INT(sql_int(e, "SELECT count(*) FROM run"), 0);

    CHECK_INT(lede_ingest_buffer(&out, e, &m, "", 0, &opts), LEDE_EINVAL);
    CHECK_INT(out, LEDE_INGEST_REJECTED);
    CHECK(strstr(lede_errmsg(e), "stdin: empty") != NULL);
    CHECK_INT(lede_ingest_buffer(&out, e, &m, "a\0b", 3, &opts), LEDE_EINVAL);
    CHECK(strstr(lede_errmsg(e), "binary") != NULL);
    CHECK_INT(d.errors, 2);

    m.extra_json = "[1]";
    CHECK_INT(lede_ingest_buffer(&out, e, &m, text, strlen(text), &opts), LEDE_EINVAL);
    CHECK(strstr(lede_errmsg(e), "extra_json") != NULL);
    m.extra_json = NULL;
    m.title = "bad \xff title";
    CHECK_INT(lede_ingest_buffer(&out, e, &m, text, strlen(text), &opts), LEDE_EINVAL);
    CHECK(strstr(lede_errmsg(e), "title is not valid UTF-8") != NULL);
    m.title = NULL;
    m.key = "";
    CHECK_INT(lede_ingest_buffer(&out, e, &m, text, strlen(text), &opts), LEDE_EINVAL);
    m.key = "strict";
    m.origin = "pipe";
    opts.strict = 1;
    CHECK_INT(lede_ingest_buffer(&out, e, &m, "ab\xc0", 3, &opts), LEDE_EUTF8);
    CHECK(strstr(lede_errmsg(e), "pipe: invalid UTF-8 at byte 2") != NULL);
    opts.strict = 0;
    CHECK_INT(lede_ingest_buffer(&out, e, &m, "ab\xc0", 3, &opts), LEDE_OK);
    CHECK(strstr(d.text, "W pipe@2: 1 invalid UTF-8") != NULL);
    CHECK_INT(lede_ingest_buffer(NULL, e, NULL, text, 1, &opts), LEDE_EINVAL);
    opts.version = 99;
    CHECK_INT(lede_ingest_buffer(&out, e, &m, text, strlen(text), &opts), LEDE_EINVAL);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article"), 2);
    lede_engine_close(e);
}

/* "-" reads standard input: JSON Lines when it starts with '{' (after white
 * space), else one plain-text article keyed "stdin". */
static void test_stdin(void)
{
    lede_ingest_stats s;
    diags d;
    int saved = dup(STDIN_FILENO);
    const char *inputs[] = {"  \n{\"id\": \"s1\", \"text\": \"From a pipe.\"}\n{\"id\": \"s2\", \"text\": \"Two.\"}\n",
                            "Plain words from a pipe.\n", ""};
    const char *want[] = {"s1|s2", "stdin", ""};
    const int status[] = {LEDE_OK, LEDE_OK, LEDE_EREJECTED};
    for (int i = 0; i < 3; i++) {
        put_text("stdin", "in", inputs[i]);
        int fd = open(at("stdin", "in"), O_RDONLY);
        CHECK(fd >= 0 && dup2(fd, STDIN_FILENO) == STDIN_FILENO);
        close(fd);
        lede_engine *e = open_memory();
        CHECK_INT(ingest(&s, e, "-", &d, 0), status[i]);
        CHECK_STR(sql_list(e, "SELECT key FROM article ORDER BY id"), want[i]);
        lede_engine_close(e);
    }
    CHECK(strstr(d.text, "E stdin: empty") != NULL);
    dup2(saved, STDIN_FILENO);
    close(saved);
}

/* Plain files over the limit are refused before they are read (a sparse
 * file: no disk space used). */
static void test_huge_file(void)
{
    lede_engine *e = open_memory();
    lede_ingest_stats s;
    diags d;
    put_text("huge", "big.txt", "x");
    CHECK_INT(truncate(at("huge", "big.txt"), (off_t)LEDE_INGEST_MAX_BYTES + 1), 0);
    put_text("huge", "small.txt", "Small one.");
    CHECK_INT(ingest(&s, e, at("huge", NULL), &d, 0), LEDE_EREJECTED);
    CHECK_INT(s.added, 1);
    CHECK(strstr(d.text, "big.txt: plain-text file over the 512 MiB limit") != NULL);
    lede_engine_close(e);
}

typedef struct progress_log {
    int calls, cancel_after;
    uint64_t last_done, total;
    int monotonic;
} progress_log;

static int on_progress(void *ud, uint64_t done, uint64_t total)
{
    progress_log *p = ud;
    p->monotonic &= done >= p->last_done && done <= total;
    p->last_done = done;
    p->total = total;
    return ++p->calls == p->cancel_after;
}

static void test_batches_progress_cancel(void)
{
    char line[128], *feedtext = malloc(100 * sizeof line);
    feedtext[0] = '\0';
    for (int i = 0; i < 100; i++) {
        snprintf(line, sizeof line, "{\"id\": \"b%03d\", \"text\": \"Batch article %d.\"}\n", i, i);
        strcat(feedtext, line);
    }
    put_text("batch", "f.jsonl", feedtext);
    size_t size = strlen(feedtext);
    free(feedtext);

    lede_engine *e = open_memory();
    lede_ingest_stats s;
    progress_log p = {0, 0, 0, 0, 1};
    lede_ingest_opts opts = LEDE_INGEST_OPTS_INIT;
    opts.batch = 10;
    opts.progress = on_progress;
    opts.ud = &p;
    CHECK_INT(lede_ingest_path(&s, e, at("batch", "f.jsonl"), &opts), LEDE_OK);
    CHECK_INT(s.added, 100);
    CHECK_INT(p.calls, 11); /* 10 batches, then the end */
    CHECK_INT(p.last_done, size);
    CHECK_INT(p.total, size);
    CHECK(p.monotonic);
    lede_engine_close(e);

    /* Cancel after the third batch: three batches stay, committed. */
    e = open_memory();
    p = (progress_log){0, 3, 0, 0, 1};
    CHECK_INT(lede_ingest_path(&s, e, at("batch", "f.jsonl"), &opts), LEDE_ECANCEL);
    CHECK_INT(s.added, 30);
    CHECK_INT(sql_int(e, "SELECT count(*) FROM article"), 30);
    CHECK_STR(sql_list(e, "SELECT status FROM run"), "cancelled");
    CHECK(strstr(lede_errmsg(e), "cancel") != NULL);
    lede_engine_close(e);
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/lede-ingest-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_single_text_file();
    test_directory_order();
    test_jsonl_fields();
    test_jsonl_bad_lines();
    test_invalid_utf8();
    test_binary_and_empty();
    test_bom();
    test_idempotent_replace();
    test_duplicate_keys();
    test_buffer();
    test_stdin();
    test_huge_file();
    test_batches_progress_cancel();
    nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return check_report("test_ingest");
}
