/* Option parsing for `lede` commands: --long, --long=VALUE, --long VALUE,
 * -x, -x VALUE, -xVALUE, "--" ends options, "-" is an argument.  The global
 * options (--db PATH, -q/--quiet, -h/--help) are understood by every command. */
#ifndef LEDE_CLI_ARGS_H
#define LEDE_CLI_ARGS_H

#include "cli.h"
#include "out.h"

#include <stdint.h>

typedef struct cli_option {
    const char *name; /* long name without "--" */
    char short_name;  /* 0 when none */
    int has_value;
    int id;           /* > 0, returned by cli_args_next */
} cli_option;

/* Ends an option table. */
#define CLI_OPTIONS_END { NULL, 0, 0, 0 }

enum {
    CLI_ARG_POSITIONAL = 0, /* *value is a positional argument */
    CLI_ARG_END = -1,       /* no more arguments */
    CLI_ARG_STOP = -2       /* return args->exit_code: --help was printed or a usage error reported */
};

typedef struct cli_args {
    cli_ctx *ctx;
    const cli_command *command;
    int argc;
    char **argv;
    int index;          /* next argv element to read */
    const char *bundle; /* rest of a short-option cluster ("-qn5" after -q) */
    int options_done;   /* after "--" */
    int exit_code;      /* valid after CLI_ARG_STOP */
    int npositional;    /* positional arguments seen so far, gathered at argv[1..] */
} cli_args;

/* argv[0] is the name of a command of the table; parsing starts at argv[1]. */
void cli_args_init(cli_args *args, cli_ctx *ctx, int argc, char **argv);

/* Next option id, CLI_ARG_POSITIONAL, CLI_ARG_END or CLI_ARG_STOP.  *value
 * receives the option's value or the positional argument (borrowed from argv).
 * Positional arguments are also moved, in order, to argv[1..npositional], so
 * that after CLI_ARG_END they can be read as an array whatever options came
 * between them. */
int cli_args_next(cli_args *args, const cli_option *options, const char **value);

/* Reports "lede CMD: MESSAGE" and a hint to --help; sets exit_code to
 * CLI_EXIT_USAGE and returns CLI_ARG_STOP. */
int cli_args_fail(cli_args *args, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Parses `text`, the value of option `opt`, as an integer in [min, max].
 * Returns 0, or CLI_ARG_STOP after reporting a usage error. */
int cli_args_uint(uint64_t *out, cli_args *args, const char *opt, const char *text,
                  uint64_t min, uint64_t max);

/* Parses `text`, the value of option `opt`, as a count: a whole number from
 * 0 that fits an int64 (what SQLite binds).  Returns 0, or CLI_ARG_STOP
 * after reporting a usage error. */
int cli_args_count(int64_t *out, cli_args *args, const char *opt, const char *text);

/* Parses the value of --format.  Returns 0, or CLI_ARG_STOP after reporting a usage error. */
int cli_args_format(cli_format *out, cli_args *args, const char *text);

#endif
