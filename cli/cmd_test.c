/* lede test FILE.lua... (core/luatest.h) */
#define _POSIX_C_SOURCE 200809L
#include "args.h"
#include "cli.h"
#include "luatest.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char cli_usage_test[] =
    "usage: lede test [--plugins DIR]... [-v] PATH...\n"
    "\n"
    "Runs Lua test files in the sandbox plugins run in, with the assertion\n"
    "library require(\"lede.test\"): t.case(name, fn), t.eq(got, want [, msg]),\n"
    "t.ok(v [, msg]), t.near(got, want [, eps [, msg]]), t.error(fn [, pattern]),\n"
    "t.run(plugin, article [, opts]) (a plugin on one article held in memory:\n"
    "its spans by layer) and t.corpus(plugin, articles [, opts]) (article and\n"
    "corpus passes over an in-memory database).  Each PATH is a test file, or\n"
    "a folder whose *_test.lua files run (recursively, in sorted order).\n"
    "\n"
    "Prints one line per failing case, FILE:LINE: CASE: what differed, then\n"
    "'N passed, N failed'.  A file in a plugin's tests/ folder (DIR/NAME/tests/)\n"
    "runs as that plugin: lede.data and require read its folder, and t.run finds\n"
    "plugins in DIR.  Writing tests: docs/plugins.md, \"Testing your plugin\".\n"
    "\n"
    "options:\n"
    "  --plugins DIR    look for plugins in DIR first (repeatable)\n"
    "  -v, --verbose    list passing cases too\n"
    "  --memory MB      memory cap of each Lua state (default 512)\n"
    "  --budget N       instructions per plugin call (default 20000000); a test\n"
    "                   case may run ten times as many\n"
    "  -q, --help       as for every command (see 'lede --help')\n"
    "\n"
    "Exit status 1 when a case failed, 5 when a PATH does not exist.\n"
    "\n"
    "examples:\n"
    "  lede test plugins/quotes/tests\n"
    "  lede test --plugins my-plugins/ my-plugins/kwic/tests/kwic_test.lua\n";

enum { OPT_PLUGINS = 1, OPT_VERBOSE, OPT_MEMORY, OPT_BUDGET };

static const cli_option options[] = {
    { "plugins", 0, 1, OPT_PLUGINS },
    { "verbose", 'v', 0, OPT_VERBOSE },
    { "memory", 0, 1, OPT_MEMORY },
    { "budget", 0, 1, OPT_BUDGET },
    CLI_OPTIONS_END,
};

typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;

static int strvec_push(strvec *s, const char *str)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **v = realloc(s->v, cap * sizeof *v);
        if (v == NULL)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    size_t len = strlen(str) + 1;
    if ((s->v[s->n] = malloc(len)) == NULL)
        return -1;
    memcpy(s->v[s->n++], str, len);
    return 0;
}

static void strvec_free(strvec *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_test_file(const char *name)
{
    size_t n = strlen(name);
    return n > 9 && strcmp(name + n - 9, "_test.lua") == 0;
}

/* Adds the *_test.lua files below `dir`, sorted by path. */
static int find_tests(strvec *out, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        cli_error("%s: cannot read the folder", dir);
        return CLI_EXIT_IO;
    }
    strvec entries = {0};
    int code = CLI_EXIT_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && code == CLI_EXIT_OK)
        if (e->d_name[0] != '.' && strvec_push(&entries, e->d_name) != 0)
            code = CLI_EXIT_IO;
    closedir(d);
    if (entries.n > 1)
        qsort(entries.v, entries.n, sizeof *entries.v, cmp_str);
    for (size_t i = 0; i < entries.n && code == CLI_EXIT_OK; i++) {
        size_t len = strlen(dir) + strlen(entries.v[i]) + 2;
        char *path = malloc(len);
        struct stat st;
        if (path == NULL) {
            code = CLI_EXIT_IO;
            break;
        }
        snprintf(path, len, "%s/%s", dir, entries.v[i]);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) /* links to folders are not followed: no loops */
            code = find_tests(out, path);
        else if (is_test_file(entries.v[i]) && strvec_push(out, path) != 0)
            code = CLI_EXIT_IO;
        free(path);
    }
    strvec_free(&entries);
    if (code == CLI_EXIT_IO)
        cli_error("out of memory");
    return code;
}

typedef struct test_cli {
    int verbose;
} test_cli;

static void on_case(void *ud, const lede_test_case *c)
{
    const test_cli *tc = ud;
    char line[16] = "";
    if (c->line > 0)
        snprintf(line, sizeof line, ":%d", c->line);
    if (!c->ok)
        printf("%s%s: %s: %s\n", c->file, line, c->name, c->message);
    else if (tc->verbose)
        printf("ok %s%s: %s\n", c->file, line, c->name);
}

/* Runs one test file; returns CLI_EXIT_NOTFOUND when it does not exist. */
static int test_one(lede_test_stats *stats, const char *file, const lede_test_opts *opts)
{
    int rc = lede_test_file(stats, file, opts);
    if (rc == LEDE_ENOTFOUND) {
        cli_error("%s: no such file", file);
        return CLI_EXIT_NOTFOUND;
    }
    if (rc != LEDE_OK) {
        cli_error("%s: %s", file, lede_errstr(rc));
        return cli_exit_for_status(rc);
    }
    return CLI_EXIT_OK;
}

static int run_paths(lede_test_stats *stats, char **paths, int n, const lede_test_opts *opts, int quiet)
{
    int code = CLI_EXIT_OK;
    for (int i = 0; i < n; i++) {
        struct stat st;
        int one = CLI_EXIT_OK;
        if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            strvec files = {0};
            one = find_tests(&files, paths[i]);
            if (one == CLI_EXIT_OK && files.n == 0 && !quiet)
                cli_warning("%s: no *_test.lua files in this folder", paths[i]);
            for (size_t f = 0; f < files.n && one == CLI_EXIT_OK; f++)
                one = test_one(stats, files.v[f], opts);
            strvec_free(&files);
        } else {
            one = test_one(stats, paths[i], opts);
        }
        if (code == CLI_EXIT_OK)
            code = one;
        fflush(stdout);
    }
    return code;
}

/* Applies one option; returns CLI_ARG_STOP after a usage error. */
static int apply_option(cli_args *args, int id, const char *value, test_cli *tc, lede_test_opts *opts,
                        strvec *dirs)
{
    uint64_t n;
    switch (id) {
    case CLI_ARG_STOP: return CLI_ARG_STOP;
    case OPT_PLUGINS: return strvec_push(dirs, value) == 0 ? 0 : cli_args_fail(args, "out of memory");
    case OPT_VERBOSE: tc->verbose = 1; return 0;
    case OPT_MEMORY:
        if (cli_args_uint(&n, args, "memory", value, 4, 1u << 20) != 0)
            return CLI_ARG_STOP;
        opts->limits.memory = (size_t)n << 20;
        return 0;
    case OPT_BUDGET:
        if (cli_args_uint(&n, args, "budget", value, 1000, UINT64_MAX >> 8) != 0)
            return CLI_ARG_STOP;
        opts->limits.budget = n;
        return 0;
    default: return 0; /* a path, gathered by cli_args_next */
    }
}

int cli_run_test(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    cli_args_init(&args, ctx, argc, argv);
    test_cli tc = {0};
    lede_test_opts opts = {0};
    strvec dirs = {0};
    const char *value;
    int id;
    while ((id = cli_args_next(&args, options, &value)) != CLI_ARG_END) {
        if (apply_option(&args, id, value, &tc, &opts, &dirs) == CLI_ARG_STOP) {
            strvec_free(&dirs);
            return args.exit_code;
        }
    }
    if (args.npositional == 0) {
        strvec_free(&dirs);
        cli_args_fail(&args, "name the test files (or folders of *_test.lua files) to run");
        return args.exit_code;
    }
    opts.plugin_dirs = (const char *const *)dirs.v;
    opts.n_plugin_dirs = dirs.n;
    opts.report = on_case;
    opts.ud = &tc;
    lede_test_stats stats = {0};
    int code = run_paths(&stats, argv + 1, args.npositional, &opts, ctx->quiet);
    strvec_free(&dirs);
    if (!ctx->quiet)
        printf("%llu passed, %llu failed\n", (unsigned long long)stats.passed, (unsigned long long)stats.failed);
    if (code == CLI_EXIT_OK && stats.failed)
        code = CLI_EXIT_PROBLEMS;
    return cli_stdout_close(code);
}
