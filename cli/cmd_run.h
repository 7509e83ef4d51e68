/* What `lede run` and `lede analyze` share: the plugin runtime's options and
 * the end-of-run report. */
#ifndef LEDE_CLI_CMD_RUN_H
#define LEDE_CLI_CMD_RUN_H

#include "args.h"
#include "cli.h"
#include "progress.h"
#include "run.h"

/* Option ids of the runtime, above those of any command. */
enum {
    CLI_RUN_OPT_PLUGINS = 100,
    CLI_RUN_OPT_JOBS,
    CLI_RUN_OPT_FORCE,
    CLI_RUN_OPT_FAIL_FAST,
    CLI_RUN_OPT_OPTION,
    CLI_RUN_OPT_MEMORY,
    CLI_RUN_OPT_BUDGET
};

#define CLI_RUN_OPTIONS                                                                       \
    { "plugins", 0, 1, CLI_RUN_OPT_PLUGINS }, { "jobs", 'j', 1, CLI_RUN_OPT_JOBS },           \
        { "force", 0, 0, CLI_RUN_OPT_FORCE }, { "fail-fast", 0, 0, CLI_RUN_OPT_FAIL_FAST },   \
        { "option", 'O', 1, CLI_RUN_OPT_OPTION }, { "memory", 0, 1, CLI_RUN_OPT_MEMORY },     \
        { "budget", 0, 1, CLI_RUN_OPT_BUDGET }

#define CLI_RUN_USAGE                                                                              \
    "  --plugins DIR    look for plugins in DIR first (repeatable); with no PLUGIN\n"            \
    "                   named, DIR's plugins run too\n"                                           \
    "  -j, --jobs N     worker threads (default: the number of cores)\n"                         \
    "  --force          recompute results that are current\n"                                     \
    "  --fail-fast      stop at the first plugin error\n"                                         \
    "  -O, --option P.K=V  set option K of plugin P (repeatable)\n"                               \
    "  --memory MB      memory cap of each Lua state (default 512)\n"                             \
    "  --budget N       instructions per plugin call, plus 500 per byte of the\n"                 \
    "                   article (default 20000000)\n"

typedef struct cli_run_conf {
    lede_run_opts opts;
    const char **dirs;
    size_t n_dirs;
    const char **overrides;
    size_t n_overrides;
    cli_progress progress;
} cli_run_conf;

void cli_run_conf_init(cli_run_conf *c, int quiet);
void cli_run_conf_free(cli_run_conf *c);

/* Applies option `id` if it is a runtime option: returns 1 when it was,
 * 0 when it is not, CLI_ARG_STOP after a usage error. */
int cli_run_conf_option(cli_run_conf *c, cli_args *args, int id, const char *value);

/* Runs and reports: a summary line on stdout unless quiet, the run's
 * problems on stderr.  Returns the exit code (6 when a plugin failed). */
int cli_run_execute(lede_engine *engine, cli_run_conf *c, const char *const *names, size_t n_names,
                    int quiet);

#endif
