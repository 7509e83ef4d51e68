/* lede plugins */
#include "args.h"
#include "cli.h"
#include "out.h"
#include "plugin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cli_usage_plugins[] =
    "usage: lede plugins [--plugins DIR]... [--format " CLI_FORMAT_NAMES "]\n"
    "\n"
    "Lists the plugins lede can run: those of the --plugins folders, of\n"
    "$LEDE_PLUGIN_PATH (colon-separated) and the stock ones, the first of each\n"
    "name winning.  For each: name, version, description, file, the layers it\n"
    "writes with their fields, and its options with their defaults.  A plugin\n"
    "file that cannot be loaded is reported on stderr (exit status 6).\n"
    "\n"
    "options:\n"
    "  --plugins DIR   look for plugins in DIR first (repeatable)\n"
    "  --format F      table (default), json, jsonl or csv\n"
    "  --db PATH, -q, --help   as for every command (see 'lede --help')\n"
    "\n"
    "examples:\n"
    "  lede plugins\n"
    "  lede plugins --plugins my-plugins/ --format json\n";

enum { OPT_PLUGINS = 1, OPT_FORMAT };

static const cli_option options[] = {
    { "plugins", 0, 1, OPT_PLUGINS },
    { "format", 0, 1, OPT_FORMAT },
    CLI_OPTIONS_END,
};

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sbuf_add(sbuf *b, const char *s)
{
    size_t k = strlen(s);
    if (b->n + k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 128;
        while (cap < b->n + k + 1)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (q == NULL)
            return;
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, k + 1);
    b->n += k;
}

/* "quote(speaker,cue) speaker[rows](canonical)": [rows] marks a layer of
 * corpus-level rows rather than spans */
static void layers_text(sbuf *b, const lede_plugin *p)
{
    for (size_t l = 0; l < p->n_layers; l++) {
        if (l)
            sbuf_add(b, " ");
        sbuf_add(b, p->layers[l].name);
        sbuf_add(b, p->layers[l].rows ? "[rows](" : "(");
        for (size_t f = 0; f < p->layers[l].n_fields; f++) {
            if (f)
                sbuf_add(b, ",");
            sbuf_add(b, p->layers[l].fields[f]);
        }
        sbuf_add(b, ")");
    }
}

/* "threshold=3 lang=en" */
static void options_text(sbuf *b, const lede_plugin *p)
{
    for (size_t o = 0; o < p->n_options; o++) {
        if (o)
            sbuf_add(b, " ");
        sbuf_add(b, p->options[o].name);
        sbuf_add(b, "=");
        sbuf_add(b, p->options[o].value);
    }
}

static void on_warn(void *ud, const char *message)
{
    *(int *)ud = 1;
    cli_error("%s", message);
}

static int list(const lede_plugin_set *set, cli_format format)
{
    static const char *const cols[] = {"name", "version", "description", "file", "layers", "options"};
    cli_out *out;
    if (cli_out_new(&out, stdout, format, 6, cols) != 0)
        return CLI_EXIT_IO;
    int rc = 0;
    for (size_t i = 0; i < set->n && rc == 0; i++) {
        const lede_plugin *p = set->items[i];
        sbuf layers = {0}, opts = {0};
        layers_text(&layers, p);
        options_text(&opts, p);
        cli_out_str(out, p->name);
        cli_out_str(out, p->version);
        cli_out_str(out, p->description);
        cli_out_str(out, p->path);
        cli_out_str(out, layers.p ? layers.p : "");
        cli_out_str(out, opts.p ? opts.p : "");
        rc = cli_out_row(out);
        free(layers.p);
        free(opts.p);
    }
    if (rc == 0)
        rc = cli_out_finish(out);
    cli_out_free(out);
    return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_IO;
}

int cli_run_plugins(cli_ctx *ctx, int argc, char **argv)
{
    cli_args args;
    cli_args_init(&args, ctx, argc, argv);
    cli_format format = CLI_FORMAT_TABLE;
    const char **dirs = NULL;
    size_t n_dirs = 0;
    const char *value;
    int id, code = -1;
    while (code < 0 && (id = cli_args_next(&args, options, &value)) != CLI_ARG_END) {
        if (id == CLI_ARG_STOP) {
            code = args.exit_code;
        } else if (id == OPT_FORMAT) {
            if (cli_args_format(&format, &args, value) != 0)
                code = args.exit_code;
        } else if (id == OPT_PLUGINS) {
            const char **bigger = realloc(dirs, (n_dirs + 1) * sizeof *dirs);
            if (bigger == NULL)
                code = CLI_EXIT_IO;
            else
                (dirs = bigger)[n_dirs++] = value;
        } else {
            cli_args_fail(&args, "unexpected argument '%s'", value);
            code = args.exit_code;
        }
    }
    if (code >= 0) {
        free(dirs);
        return code;
    }
    lede_plugin_path path;
    lede_plugin_set set;
    int broken = 0;
    if (lede_plugin_path_init(&path, dirs, n_dirs) != LEDE_OK) {
        free(dirs);
        return CLI_EXIT_IO;
    }
    if (lede_plugin_set_list(&set, &path, on_warn, &broken) != LEDE_OK)
        code = CLI_EXIT_IO;
    else
        code = list(&set, format);
    if (code == CLI_EXIT_OK && broken)
        code = CLI_EXIT_PLUGIN;
    lede_plugin_set_free(&set);
    lede_plugin_path_free(&path);
    free(dirs);
    return cli_stdout_close(code);
}
