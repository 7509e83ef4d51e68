/* lede sql "SELECT ..." */
#define _POSIX_C_SOURCE 200809L
#include "args.h"
#include "cli.h"
#include "out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char cli_usage_sql[] =
    "usage: lede sql [--format " CLI_FORMAT_NAMES "] [STATEMENT...]\n"
    "\n"
    "Runs one read-only SQL statement on the database and prints its rows, with\n"
    "the statement's column names.  Several STATEMENT arguments are joined with\n"
    "spaces; with none (or -), the statement is read from standard input.  The\n"
    "database is opened read-only: INSERT, UPDATE, DELETE, CREATE and other\n"
    "writes are refused (exit status 2).  The tables are described in\n"
    "docs/schema.md: article, annotation, run, problem, plugin_state, and the\n"
    "full-text index article_fts.\n"
    "\n"
    "options:\n"
    "  --format F   table (default), json, jsonl or csv\n"
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "examples:\n"
    "  lede sql 'SELECT source, count(*) AS n FROM article GROUP BY source'\n"
    "  lede sql --format csv 'SELECT key, n_tokens FROM article' > sizes.csv\n"
    "  lede sql < report.sql\n";

enum { OPT_FORMAT = 1 };

static const cli_option options[] = {
    { "format", 0, 1, OPT_FORMAT },
    CLI_OPTIONS_END,
};

/* A statement read from standard input may be this long. */
#define SQL_STDIN_MAX (16u << 20)

typedef struct sql_req {
    char *sql; /* owned */
    cli_format format;
} sql_req;

static char *read_stdin(void)
{
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, stdin);
        if (len < cap - 1 || cap >= SQL_STDIN_MAX)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger)
            free(buf);
        buf = bigger;
        cap *= 2;
    }
    if (!buf)
        cli_error("out of memory");
    else if (ferror(stdin) || len >= SQL_STDIN_MAX - 1) {
        cli_error(ferror(stdin) ? "cannot read standard input" : "statement longer than 16 MiB");
        free(buf);
        return NULL;
    } else
        buf[len] = '\0';
    return buf;
}

static int parse_options(cli_args *args, sql_req *req)
{
    const char *value;
    int id;
    while ((id = cli_args_next(args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP)
            return args->exit_code;
        if (id == OPT_FORMAT && cli_args_format(&req->format, args, value) != 0)
            return args->exit_code;
    }
    int from_stdin = args->npositional == 0 || (args->npositional == 1 && strcmp(args->argv[1], "-") == 0);
    req->sql = from_stdin ? read_stdin() : cli_join_args(args->argv + 1, args->npositional);
    return req->sql ? -1 : CLI_EXIT_IO;
}

static int open_readonly(sqlite3 **db, const char *path)
{
    struct stat st;
    *db = NULL;
    if (stat(path, &st) != 0) {
        cli_error("no database at %s (create one with 'lede ingest', or pick one with --db or LEDE_DB)", path);
        return CLI_EXIT_DB;
    }
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        cli_error("cannot open database %s: %s", path, *db ? sqlite3_errmsg(*db) : "out of memory");
        return CLI_EXIT_DB;
    }
    sqlite3_busy_timeout(*db, 5000);
    /* Reading the schema tells a database from any other file. */
    if (sqlite3_exec(*db, "SELECT 1 FROM sqlite_master LIMIT 1", NULL, NULL, NULL) != SQLITE_OK) {
        cli_error("cannot open database %s: %s", path, sqlite3_errmsg(*db));
        return CLI_EXIT_DB;
    }
    return CLI_EXIT_OK;
}

/* Codes that mean the database itself failed, not the statement. */
static int is_database_failure(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_FULL:
    case SQLITE_PROTOCOL:
    case SQLITE_NOTADB:
        return 1;
    default:
        return 0;
    }
}

/* An SQL failure: the statement's fault (exit 2) unless the database failed. */
static int sql_failed(sqlite3 *db)
{
    int rc = sqlite3_errcode(db);
    if (is_database_failure(rc))
        return cli_sqlite_fail(db, "SQL failed");
    if (rc == SQLITE_READONLY)
        cli_error("lede sql is read-only: %s", sqlite3_errmsg(db));
    else
        cli_error("SQL error: %s", sqlite3_errmsg(db));
    return CLI_EXIT_USAGE;
}

/* Prepares the one statement of `sql`; anything but white space, comments
 * and semicolons after it is refused. */
static int prepare_one(sqlite3_stmt **st, sqlite3 *db, const char *sql)
{
    const char *tail;
    *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, st, &tail) != SQLITE_OK)
        return sql_failed(db);
    if (!*st) {
        cli_error("no SQL statement given");
        return CLI_EXIT_USAGE;
    }
    while (*tail) {
        sqlite3_stmt *next = NULL;
        const char *rest;
        int rc = sqlite3_prepare_v2(db, tail, -1, &next, &rest);
        sqlite3_finalize(next);
        if (rc != SQLITE_OK || next) {
            cli_error("lede sql runs one statement at a time; remove what follows '%.*s'",
                      (int)(tail - sql), sql);
            return CLI_EXIT_USAGE;
        }
        tail = rest;
    }
    if (!sqlite3_stmt_readonly(*st)) {
        cli_error("lede sql is read-only: this statement would change the database");
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static int run_sql(const char *path, const sql_req *req)
{
    sqlite3 *db;
    sqlite3_stmt *st = NULL;
    int code = open_readonly(&db, path);
    if (code == CLI_EXIT_OK)
        code = prepare_one(&st, db, req->sql);
    if (code == CLI_EXIT_OK) {
        int rc = cli_out_statement(stdout, req->format, st);
        if (rc == -1)
            code = cli_output_failed();
        else if (rc != SQLITE_DONE)
            code = sql_failed(db);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return code;
}

int cli_run_sql(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    sql_req req = { NULL, CLI_FORMAT_TABLE };
    cli_args_init(&args, ctx, argc, argv);
    int code = parse_options(&args, &req);
    if (code < 0)
        code = cli_stdout_close(run_sql(ctx->db_path, &req));
    free(req.sql);
    return code;
}
