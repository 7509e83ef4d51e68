/* lede: the command-line tool.  Parses the global options, then hands the
 * rest of the arguments to one command of the table in commands.h. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

const cli_command cli_commands[] = {
#define CLI_COMMAND(name, summary) { #name, summary, cli_usage_##name, cli_run_##name },
#include "commands.h"
#undef CLI_COMMAND
};
const size_t cli_command_count = sizeof cli_commands / sizeof cli_commands[0];

const cli_command *cli_command_find(const char *name)
{
    for (size_t i = 0; i < cli_command_count; i++)
        if (strcmp(cli_commands[i].name, name) == 0)
            return &cli_commands[i];
    return NULL;
}

static void print_usage(FILE *fp)
{
    fputs("usage: lede [--db PATH] [-q] COMMAND [ARGS...]\n"
          "       lede help COMMAND   (or: lede COMMAND --help)\n"
          "       lede --version\n"
          "\n"
          "lede is a scriptable analysis engine for news articles.\n"
          "\n"
          "commands:\n",
          fp);
    for (size_t i = 0; i < cli_command_count; i++)
        fprintf(fp, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
    fprintf(fp, "  %-10s %s\n", "help", "show the help of a command");
    fputs("\n"
          "global options (before or after the command):\n"
          "  --db PATH     database file (default: $LEDE_DB, else ./lede.db)\n"
          "  -q, --quiet   no summaries, warnings or progress bar; errors are still printed\n"
          "  -h, --help    show help\n"
          "  --version     show the version of lede and its libraries\n"
          "\n"
          "exit codes: 0 ok, 1 input rejected or problems reported, 2 usage error,\n"
          "3 database error, 4 I/O error, 5 not found, 6 plugin error\n",
          fp);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("lede: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n(see 'lede --help')\n", stderr);
    return CLI_EXIT_USAGE;
}

static int print_version(void)
{
    printf("lede %s\n", lede_version());
    printf("sqlite %s, utf8proc %s, jansson %s\n", sqlite3_libversion(), utf8proc_version(),
           JANSSON_VERSION);
    return cli_stdout_close(CLI_EXIT_OK);
}

/* `lede help [COMMAND]` */
static int run_help(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stdout);
        return cli_stdout_close(CLI_EXIT_OK);
    }
    const cli_command *cmd = cli_command_find(argv[1]);
    if (!cmd)
        return usage_error("no command '%s'", argv[1]);
    fputs(cmd->usage, stdout);
    return cli_stdout_close(CLI_EXIT_OK);
}

/* Consumes the global options before the command; returns the index of the
 * command, or -1 - exit code when the options alone decided the outcome. */
static int parse_globals(cli_ctx *ctx, int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--db") == 0) {
            if (++i == argc)
                return -1 - usage_error("option %s needs a value", arg);
            ctx->db_path = argv[i];
        } else if (strncmp(arg, "--db=", 5) == 0) {
            ctx->db_path = arg + 5;
        } else if (strcmp(arg, "-q") == 0 || strcmp(arg, "--quiet") == 0) {
            ctx->quiet = 1;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            print_usage(stdout);
            return -1 - cli_stdout_close(CLI_EXIT_OK);
        } else if (strcmp(arg, "--version") == 0) {
            return -1 - print_version();
        } else {
            return -1 - usage_error("unknown option %s", arg);
        }
    }
    if (i == argc) {
        print_usage(stderr);
        return -1 - CLI_EXIT_USAGE;
    }
    return i;
}

int main(int argc, char **argv)
{
    const char *env_db = getenv("LEDE_DB");
    cli_ctx ctx = { env_db && *env_db ? env_db : "lede.db", 0 };

    int first = parse_globals(&ctx, argc, argv);
    if (first < 0)
        return -1 - first;
    if (strcmp(argv[first], "help") == 0)
        return run_help(argc - first, argv + first);
    const cli_command *cmd = cli_command_find(argv[first]);
    if (!cmd)
        return usage_error("no command '%s'", argv[first]);
    return cmd->run(&ctx, argc - first, argv + first);
}
