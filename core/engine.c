/* The engine: one SQLite connection, its store, the last error and a
 * tokenizer.  Opening sets the connection up and migrates (core/store.c). */
#include "engine.h"

#include "store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const status_text[] = {
    "ok",
    "out of memory",
    "input/output error",
    "invalid argument",
    "invalid UTF-8",
    "malformed input",
    "database error",
    "not found",
    "database schema newer than this lede, or corrupt",
    "some input was rejected",
    "a plugin failed",
    "limit exceeded",
    "cancelled",
    "read-only",
};

const char *lede_errstr(int code)
{
    if (code > 0 || -code >= (int)(sizeof status_text / sizeof *status_text))
        return "unknown status";
    return status_text[-code];
}

const char *lede_version(void)
{
    return LEDE_VERSION_STRING;
}

int lede_engine_fail(lede_engine *engine, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(engine->errmsg, sizeof engine->errmsg, fmt, ap);
    va_end(ap);
    return code;
}

const char *lede_errmsg(const lede_engine *engine)
{
    if (!engine)
        return "out of memory (no engine)";
    return engine->errmsg;
}

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

/* SQLite is built with URI file names on: a path starting with "file:"
 * would be read as a URI, so it is made explicitly relative. */
static char *sqlite_file_name(const char *path)
{
    if (strncmp(path, "file:", 5) != 0)
        return dup_string(path);
    char *name = malloc(strlen(path) + 3);
    if (name) {
        memcpy(name, "./", 2);
        strcpy(name + 2, path);
    }
    return name;
}

static int open_connection(lede_engine *engine)
{
    int in_memory = strcmp(engine->path, ":memory:") == 0;
    int sqlite_flags = SQLITE_OPEN_NOMUTEX; /* one thread per engine */
    struct stat st;

    if (engine->flags & LEDE_OPEN_READONLY)
        sqlite_flags |= SQLITE_OPEN_READONLY;
    else
        sqlite_flags |= SQLITE_OPEN_READWRITE | ((engine->flags & LEDE_OPEN_NOCREATE) ? 0 : SQLITE_OPEN_CREATE);
    if (in_memory)
        sqlite_flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    else if (stat(engine->path, &st) == 0 && S_ISDIR(st.st_mode))
        return lede_engine_fail(engine, LEDE_EIO, "%s: is a directory, not a database file", engine->path);
    else if ((engine->flags & (LEDE_OPEN_READONLY | LEDE_OPEN_NOCREATE)) && stat(engine->path, &st) != 0 &&
             errno == ENOENT)
        return lede_engine_fail(engine, LEDE_ENOTFOUND, "%s: no such database", engine->path);

    char *name = in_memory ? dup_string(":memory:") : sqlite_file_name(engine->path);
    if (!name)
        return lede_engine_fail(engine, LEDE_ENOMEM, "%s: out of memory", engine->path);
    int rc = sqlite3_open_v2(name, &engine->db, sqlite_flags, NULL);
    free(name);
    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(engine->db, 1);
        return LEDE_OK;
    }
    int code = rc == SQLITE_NOMEM ? LEDE_ENOMEM : LEDE_EIO;
    return lede_engine_fail(engine, code, "%s: cannot open database: %s", engine->path,
                            engine->db ? sqlite3_errmsg(engine->db) : sqlite3_errstr(rc));
}

int lede_engine_open(lede_engine **out, const char *path, unsigned flags)
{
    lede_engine *engine = calloc(1, sizeof *engine);
    *out = engine;
    if (!engine)
        return LEDE_ENOMEM;
    engine->flags = flags;
    engine->path = dup_string(path ? path : ":memory:");
    if (!engine->path)
        return lede_engine_fail(engine, LEDE_ENOMEM, "out of memory opening a database");
    if (flags & ~(unsigned)(LEDE_OPEN_READONLY | LEDE_OPEN_NOCREATE))
        return lede_engine_fail(engine, LEDE_EINVAL, "%s: unknown open flags 0x%x", engine->path, flags);
    int status = open_connection(engine);
    if (status == LEDE_OK)
        status = lede_store_open(engine);
    return status;
}

void lede_engine_close(lede_engine *engine)
{
    if (!engine)
        return;
    lede_store_close(engine);
    sqlite3_close(engine->db);
    lede_tokenizer_free(engine->tokenizer);
    free(engine->tokenizer_lang);
    free(engine->path);
    free(engine);
}

int lede_engine_tokenizer(lede_tokenizer **out, lede_engine *engine, const char *lang)
{
    if (!lang)
        lang = "en";
    if (engine->tokenizer && strcmp(engine->tokenizer_lang, lang) == 0) {
        *out = engine->tokenizer;
        return LEDE_OK;
    }
    /* One cached tokenizer: corpora are mostly in one language. */
    lede_tokenizer *tk = NULL;
    char *tk_lang = dup_string(lang);
    int status = tk_lang ? lede_tokenizer_new(&tk, lang) : LEDE_ENOMEM;
    if (status != LEDE_OK) {
        free(tk_lang);
        return lede_engine_fail(engine, status, "cannot create a tokenizer for language \"%s\": %s", lang,
                                lede_errstr(status));
    }
    lede_tokenizer_free(engine->tokenizer);
    free(engine->tokenizer_lang);
    engine->tokenizer = tk;
    engine->tokenizer_lang = tk_lang;
    *out = tk;
    return LEDE_OK;
}
