/* Shared pieces of the `lede` command-line tool: exit codes, the context
 * every command receives, messages, and opening the database. */
#ifndef LEDE_CLI_H
#define LEDE_CLI_H

#include "lede.h"
#include "out.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes of `lede` (documented in docs/cli.md; scripts rely on them). */
enum cli_exit {
    CLI_EXIT_OK = 0,       /* success */
    CLI_EXIT_PROBLEMS = 1, /* some input was rejected or problems were reported */
    CLI_EXIT_USAGE = 2,    /* bad command, option, argument, or query */
    CLI_EXIT_DB = 3,       /* database could not be opened, has a foreign schema, or failed */
    CLI_EXIT_IO = 4,       /* a file or stream could not be read or written; out of memory */
    CLI_EXIT_NOTFOUND = 5, /* no such article, path, layer or plugin */
    CLI_EXIT_PLUGIN = 6    /* a plugin failed (plugin runtime commands) */
};

/* What every command knows: the global options. */
typedef struct cli_ctx {
    const char *db_path; /* --db, else $LEDE_DB, else "lede.db"; borrowed */
    int quiet;           /* -q: no summaries, warnings or progress */
} cli_ctx;

/* A command's entry point: argv[0] is the command name. Returns an exit code. */
typedef int (*cli_run_fn)(cli_ctx *ctx, int argc, char **argv);

typedef struct cli_command {
    const char *name;
    const char *summary; /* one line, for `lede help` */
    const char *usage;   /* full help text, for `lede help CMD` and `lede CMD --help` */
    cli_run_fn run;
} cli_command;

/* Each command defines cli_run_<name> and cli_usage_<name> in cli/cmd_<name>.c. */
#define CLI_COMMAND(name, summary)                                   \
    int cli_run_##name(cli_ctx *ctx, int argc, char **argv);         \
    extern const char cli_usage_##name[];
#include "commands.h"
#undef CLI_COMMAND

/* The command table, in `lede help` order, and a lookup by name (NULL if none). */
extern const cli_command cli_commands[];
extern const size_t cli_command_count;
const cli_command *cli_command_find(const char *name);

/* "lede: error: ..." and "lede: warning: ..." on stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void cli_warning(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* The exit code that reports a lede_status. */
int cli_exit_for_status(int status);

/* Opens ctx->db_path with `flags` (LEDE_OPEN_*).  On failure prints why and
 * returns CLI_EXIT_DB with *out NULL; *out is owned by the caller otherwise. */
int cli_engine_open(lede_engine **out, const cli_ctx *ctx, unsigned flags);

/* Prints an SQLite failure ("lede: error: WHAT: message") and returns CLI_EXIT_DB. */
int cli_sqlite_fail(sqlite3 *db, const char *what);

/* Prints the rows of `st` to stdout in `format`, then finalizes it.  Returns
 * CLI_EXIT_OK, or after a message CLI_EXIT_IO (output) or CLI_EXIT_DB
 * ("lede: error: WHAT: message"). */
int cli_print_rows(sqlite3 *db, sqlite3_stmt *st, cli_format format, const char *what);

/* For a failed output writer: reports running out of memory unless stdout
 * has a write error (which cli_stdout_close reports); returns CLI_EXIT_IO. */
int cli_output_failed(void);

/* Flushes stdout; returns CLI_EXIT_IO (after a message) if anything could not be written. */
int cli_stdout_close(int code);

/* The n words joined by single spaces, malloc'd; NULL (after a message) when out of memory. */
char *cli_join_args(char *const *words, int n);

/* Comma-separated short names of token flags ("cap,sent,space"), "-" when none.
 * Writes at most `cap` bytes including the NUL; returns buf. */
char *cli_token_flags(char *buf, size_t cap, unsigned flags);

/* "s" unless n is 1: for "%llu article%s". */
const char *cli_plural(uint64_t n);

/* 1234567 -> "1,234,567".  Returns buf (at least 32 bytes). */
char *cli_fmt_count(char *buf, uint64_t n);
/* 1234567 -> "1.2 MB".  Returns buf (at least 32 bytes). */
char *cli_fmt_bytes(char *buf, uint64_t n);

/* Seconds on a monotonic clock. */
double cli_now(void);

#endif
