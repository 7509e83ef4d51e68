/* Fuzz target: arbitrary bytes as a JSON Lines file, ingested twice into an
 * in-memory engine.  Besides "no crash, no leak, no hang", it checks what
 * must hold whatever the input: ingest returns OK or REJECTED, the
 * database holds exactly the articles reported added, the full-text index
 * matches the articles, and a second pass adds nothing and rejects the same
 * lines. */
#define _POSIX_C_SOURCE 200809L

#include "engine.h"
#include "lede.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_jsonl: invariant broken: %s\n", what);
        abort();
    }
}

static long long count_articles(lede_engine *e)
{
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(e->db, "SELECT count(*) FROM article", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int write_input(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t written = fwrite(data, 1, size, f);
    return fclose(f) == 0 && written == size ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/lede-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 0;
    snprintf(path, sizeof path, "%s/in.jsonl", dir);
    if (write_input(path, data, size) == 0) {
        lede_engine *e = NULL;
        lede_ingest_opts opts = LEDE_INGEST_OPTS_INIT;
        lede_ingest_stats first, second;
        opts.batch = 3; /* several commits even for small inputs */
        require(lede_engine_open(&e, NULL, 0) == LEDE_OK, "open");
        int rc = lede_ingest_path(&first, e, path, &opts);
        require(rc == LEDE_OK || rc == LEDE_EREJECTED, "first ingest status");
        require((rc == LEDE_EREJECTED) == (first.rejected > 0), "status matches rejections");
        require(count_articles(e) == (long long)first.added, "rows == added");
        require(sqlite3_exec(e->db, "INSERT INTO article_fts(article_fts) VALUES ('integrity-check')", NULL,
                             NULL, NULL) == SQLITE_OK,
                "fts integrity");
        rc = lede_ingest_path(&second, e, path, &opts);
        require(rc == LEDE_OK || rc == LEDE_EREJECTED, "second ingest status");
        require(second.added == 0, "second pass adds nothing");
        require(second.rejected == first.rejected, "second pass rejects the same");
        lede_engine_close(e);
    }
    unlink(path);
    rmdir(dir);
    return 0;
}
