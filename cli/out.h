/* The output writer of listing commands: a command produces rows of named
 * columns, the writer formats them as an aligned table, CSV (RFC 4180
 * quoting), one JSON array, or JSON Lines.  Text cells may hold invalid UTF-8
 * or control characters: every format gets a safe rendering of them. */
#ifndef LEDE_CLI_OUT_H
#define LEDE_CLI_OUT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum cli_format {
    CLI_FORMAT_TABLE = 0,
    CLI_FORMAT_JSON,
    CLI_FORMAT_JSONL,
    CLI_FORMAT_CSV
} cli_format;

/* "table", "json", "jsonl" or "csv" to a format; returns 0, or -1 if unknown. */
int cli_format_parse(cli_format *out, const char *name);

/* The names accepted by cli_format_parse, for help texts: "table|json|jsonl|csv". */
#define CLI_FORMAT_NAMES "table|json|jsonl|csv"

/* Highlight marks inside text given to cli_out_marked: rendered bold on a
 * terminal, as [ and ] elsewhere. */
#define CLI_MARK_OPEN "\x02"
#define CLI_MARK_CLOSE "\x03"

typedef struct cli_out cli_out;

/* A writer of `ncols` columns named `names` (copied) to `fp`.  A table is
 * fitted to the terminal width when `fp` is a terminal.  *out is owned by the
 * caller and released with cli_out_free.  Returns 0, or -1 when out of memory. */
int cli_out_new(cli_out **out, FILE *fp, cli_format format, size_t ncols, const char *const *names);

/* Cells of the current row, left to right.  Text is copied; NULL text is null. */
void cli_out_text(cli_out *o, const char *text, size_t len);
void cli_out_str(cli_out *o, const char *text); /* NUL-terminated, or NULL */
void cli_out_marked(cli_out *o, const char *text, size_t len); /* with CLI_MARK_* */
void cli_out_int(cli_out *o, int64_t value);
void cli_out_real(cli_out *o, double value);
void cli_out_null(cli_out *o);
/* Column `col` of the current row of `stmt`, by its SQLite type (blobs as X'hex'). */
void cli_out_column(cli_out *o, sqlite3_stmt *stmt, int col);

/* Ends the current row (missing cells are null).  Returns 0, or -1 when out of memory. */
int cli_out_row(cli_out *o);

/* Writes what is buffered and closes the JSON array.  Returns 0, or -1 when
 * out of memory or a write failed. */
int cli_out_finish(cli_out *o);

void cli_out_free(cli_out *o);

/* Writes every row of `stmt` to `fp`, with the statement's column names.
 * Returns SQLITE_DONE, the failing code of sqlite3_step, or -1 when the
 * output could not be written (or memory ran out). */
int cli_out_statement(FILE *fp, cli_format format, sqlite3_stmt *stmt);

#endif
