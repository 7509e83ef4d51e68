#include "args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_DB = -100, OPT_QUIET, OPT_HELP };

static const cli_option global_options[] = {
    { "db", 0, 1, OPT_DB },
    { "quiet", 'q', 0, OPT_QUIET },
    { "help", 'h', 0, OPT_HELP },
    CLI_OPTIONS_END,
};

void cli_args_init(cli_args *args, cli_ctx *ctx, int argc, char **argv)
{
    memset(args, 0, sizeof *args);
    args->ctx = ctx;
    args->command = cli_command_find(argv[0]);
    args->argc = argc;
    args->argv = argv;
    args->index = 1;
}

int cli_args_fail(cli_args *args, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "lede %s: ", args->command->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'lede %s --help')\n", args->command->name);
    args->exit_code = CLI_EXIT_USAGE;
    return CLI_ARG_STOP;
}

static const cli_option *find_long(const cli_option *options, const char *name, size_t len)
{
    for (const cli_option *o = options; o->name; o++)
        if (strlen(o->name) == len && memcmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

static const cli_option *find_short(const cli_option *options, char c)
{
    for (const cli_option *o = options; o->name; o++)
        if (o->short_name == c)
            return o;
    return NULL;
}

/* Handles a global option; returns CLI_ARG_STOP for --help, else 1 (consumed). */
static int apply_global(cli_args *args, int id, const char *value)
{
    switch (id) {
    case OPT_DB:
        args->ctx->db_path = value;
        return 1;
    case OPT_QUIET:
        args->ctx->quiet = 1;
        return 1;
    default:
        fputs(args->command->usage, stdout);
        args->exit_code = CLI_EXIT_OK;
        return CLI_ARG_STOP;
    }
}

/* The value of option `o`: `inline_value` if given, else the next argument. */
static int take_value(cli_args *args, const cli_option *o, const char *inline_value, const char **value)
{
    if (!o->has_value) {
        if (inline_value)
            return cli_args_fail(args, "option --%s takes no value", o->name);
        *value = NULL;
        return o->id;
    }
    if (inline_value) {
        *value = inline_value;
        return o->id;
    }
    if (args->index >= args->argc)
        return cli_args_fail(args, "option --%s needs a value", o->name);
    *value = args->argv[args->index++];
    return o->id;
}

/* Resolves an option against the command's table, then the global one. */
static int resolve(cli_args *args, const cli_option *o, const cli_option *g, const char *inline_value,
                   const char **value)
{
    int id = take_value(args, o ? o : g, inline_value, value);
    if (o || id == CLI_ARG_STOP)
        return id;
    int r = apply_global(args, id, *value);
    return r == CLI_ARG_STOP ? r : 0;
}

static int next_long(cli_args *args, const cli_option *options, const char *arg, const char **value)
{
    const char *name = arg + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const cli_option *o = find_long(options, name, len);
    const cli_option *g = o ? NULL : find_long(global_options, name, len);
    if (!o && !g)
        return cli_args_fail(args, "unknown option --%.*s", (int)len, name);
    return resolve(args, o, g, eq ? eq + 1 : NULL, value);
}

static int next_short(cli_args *args, const cli_option *options, const char **value)
{
    char c = *args->bundle++;
    const cli_option *o = find_short(options, c);
    const cli_option *g = o ? NULL : find_short(global_options, c);
    if (!o && !g)
        return cli_args_fail(args, "unknown option -%c", c);
    const char *inline_value = NULL;
    if ((o ? o : g)->has_value && *args->bundle)
        inline_value = args->bundle;
    if (inline_value || !*args->bundle)
        args->bundle = NULL;
    return resolve(args, o, g, inline_value, value);
}

int cli_args_next(cli_args *args, const cli_option *options, const char **value)
{
    for (;;) {
        int id;
        if (args->bundle)
            id = next_short(args, options, value);
        else if (args->index >= args->argc)
            return CLI_ARG_END;
        else {
            const char *arg = args->argv[args->index++];
            if (args->options_done || arg[0] != '-' || arg[1] == '\0') {
                args->argv[1 + args->npositional++] = args->argv[args->index - 1];
                *value = arg;
                return CLI_ARG_POSITIONAL;
            }
            if (strcmp(arg, "--") == 0) {
                args->options_done = 1;
                continue;
            }
            if (arg[1] == '-')
                id = next_long(args, options, arg, value);
            else {
                args->bundle = arg + 1;
                id = next_short(args, options, value);
            }
        }
        if (id != 0) /* 0: a global option was consumed */
            return id;
    }
}

int cli_args_uint(uint64_t *out, cli_args *args, const char *opt, const char *text, uint64_t min,
                  uint64_t max)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end || errno || v < min || v > max)
        return cli_args_fail(args, "--%s wants a whole number from %llu to %llu, not '%s'", opt,
                             (unsigned long long)min, (unsigned long long)max, text);
    *out = v;
    return 0;
}

int cli_args_count(int64_t *out, cli_args *args, const char *opt, const char *text)
{
    uint64_t n;
    if (cli_args_uint(&n, args, opt, text, 0, INT64_MAX) != 0)
        return CLI_ARG_STOP;
    *out = (int64_t)n;
    return 0;
}

int cli_args_format(cli_format *out, cli_args *args, const char *text)
{
    if (cli_format_parse(out, text) != 0)
        return cli_args_fail(args, "--format wants one of %s, not '%s'", CLI_FORMAT_NAMES, text);
    return 0;
}
