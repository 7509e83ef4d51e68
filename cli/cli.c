#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void vmessage(const char *level, const char *fmt, va_list ap)
{
    fprintf(stderr, "lede: %s: ", level);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("error", fmt, ap);
    va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("warning", fmt, ap);
    va_end(ap);
}

int cli_exit_for_status(int status)
{
    switch (status) {
    case LEDE_OK:
        return CLI_EXIT_OK;
    case LEDE_EINVAL:
        return CLI_EXIT_USAGE;
    case LEDE_EDB:
    case LEDE_ESCHEMA:
    case LEDE_EREADONLY:
        return CLI_EXIT_DB;
    case LEDE_EIO:
    case LEDE_ENOMEM:
        return CLI_EXIT_IO;
    case LEDE_ENOTFOUND:
        return CLI_EXIT_NOTFOUND;
    case LEDE_EPLUGIN:
        return CLI_EXIT_PLUGIN;
    default: /* rejected input, bad UTF-8 or JSON, a limit, a cancel */
        return CLI_EXIT_PROBLEMS;
    }
}

int cli_engine_open(lede_engine **out, const cli_ctx *ctx, unsigned flags)
{
    struct stat st;
    *out = NULL;
    if ((flags & (LEDE_OPEN_READONLY | LEDE_OPEN_NOCREATE)) && stat(ctx->db_path, &st) != 0) {
        cli_error("no database at %s (create one with 'lede ingest', or pick one with --db or LEDE_DB)",
                  ctx->db_path);
        return CLI_EXIT_DB;
    }
    lede_engine *engine = NULL;
    int rc = lede_engine_open(&engine, ctx->db_path, flags);
    if (rc != LEDE_OK) {
        /* The engine's message already names the file. */
        if (engine)
            cli_error("%s", lede_errmsg(engine));
        else
            cli_error("cannot open database %s: %s", ctx->db_path, lede_errstr(rc));
        lede_engine_close(engine);
        return CLI_EXIT_DB;
    }
    *out = engine;
    return CLI_EXIT_OK;
}

int cli_sqlite_fail(sqlite3 *db, const char *what)
{
    cli_error("%s: %s", what, sqlite3_errmsg(db));
    return CLI_EXIT_DB;
}

int cli_print_rows(sqlite3 *db, sqlite3_stmt *st, cli_format format, const char *what)
{
    int rc = cli_out_statement(stdout, format, st);
    int code = CLI_EXIT_OK;
    if (rc == -1)
        code = cli_output_failed();
    else if (rc != SQLITE_DONE)
        code = cli_sqlite_fail(db, what);
    sqlite3_finalize(st);
    return code;
}

int cli_output_failed(void)
{
    if (!ferror(stdout))
        cli_error("out of memory");
    return CLI_EXIT_IO;
}

int cli_stdout_close(int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output: %s", strerror(errno));
        return code == CLI_EXIT_OK ? CLI_EXIT_IO : code;
    }
    return code;
}

char *cli_join_args(char *const *words, int n)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(words[i]) + 1;
    char *s = malloc(len);
    if (!s) {
        cli_error("out of memory");
        return NULL;
    }
    char *p = s;
    for (int i = 0; i < n; i++) {
        size_t k = strlen(words[i]);
        if (i)
            *p++ = ' ';
        memcpy(p, words[i], k);
        p += k;
    }
    *p = '\0';
    return s;
}

/* Short names of the LEDE_TF_* bits, in bit order. */
static const char *const flag_names[] = {
    "cap", "caps", "sent", "abbr", "space", "digit", "hyph", "poss", "elis", "ord", "block", "nonascii",
};

char *cli_token_flags(char *buf, size_t cap, unsigned flags)
{
    size_t used = 0;
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++) {
        size_t len = strlen(flag_names[i]);
        if (!(flags & (1u << i)) || used + len + 2 > cap)
            continue;
        if (used)
            buf[used++] = ',';
        memcpy(buf + used, flag_names[i], len);
        used += len;
    }
    if (!used && cap >= 2)
        buf[used++] = '-';
    buf[used] = '\0';
    return buf;
}

const char *cli_plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

char *cli_fmt_count(char *buf, uint64_t n)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
    char *p = buf;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            *p++ = ',';
        *p++ = digits[i];
    }
    *p = '\0';
    return buf;
}

char *cli_fmt_bytes(char *buf, uint64_t n)
{
    static const char *const units[] = { "kB", "MB", "GB", "TB" };
    if (n < 1000) {
        snprintf(buf, 32, "%llu B", (unsigned long long)n);
        return buf;
    }
    double v = (double)n / 1000.0;
    size_t u = 0;
    while (v >= 999.95 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1000.0;
        u++;
    }
    snprintf(buf, 32, "%.1f %s", v, units[u]);
    return buf;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
