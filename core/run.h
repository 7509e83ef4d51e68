/* Running plugins over the articles of a database: phases, parallel article
 * passes (one VM per worker thread, one writer thread owning the database
 * writes), corpus passes, incremental state, problems.  See
 * docs/plugins.md for what plugins see and docs/schema.md for what is
 * stored. */
#ifndef LEDE_RUN_H
#define LEDE_RUN_H

#include "lede.h"
#include "vm.h"

#include <stdint.h>

typedef struct lede_run_opts {
    unsigned jobs;                  /* worker threads; 0: the number of cores */
    int force;                      /* recompute results that are current */
    int fail_fast;                  /* stop at the first plugin error */
    lede_vm_limits limits;          /* zeros: defaults */
    const char *const *plugin_dirs; /* --plugins folders, searched first */
    size_t n_plugin_dirs;
    const char *const *options; /* "plugin.option=value" overrides */
    size_t n_options;
    lede_progress_fn progress; /* may be NULL; called from the calling thread */
    void *ud;
} lede_run_opts;

typedef struct lede_run_stats {
    int64_t run_id;
    size_t plugins;     /* plugins in the run, requirements included */
    uint64_t articles;  /* articles opened by at least one plugin */
    uint64_t computed;  /* (article, plugin) pairs run */
    uint64_t current;   /* (article, plugin) pairs skipped as current */
    uint64_t errors;    /* failed (article, plugin) pairs and corpus passes */
    uint64_t spans;     /* spans written */
    uint64_t corpus_passes;
} lede_run_stats;

/* Runs the plugins `names` (names or .lua paths; none: the stock set and
 * the plugins of opts->plugin_dirs) and what they require over every
 * article of `engine`.  Problems in plugins do not stop the run: they are
 * stored in the problem table under stats->run_id and the run returns
 * LEDE_EPLUGIN.  Errors found before any work (missing plugin, cycle, bad
 * plugin file, failing setup) return their code with lede_errmsg set and
 * write nothing.  `stats` (may be NULL) is filled in every case. */
int lede_run(lede_run_stats *stats, lede_engine *engine, const char *const *names, size_t n_names,
             const lede_run_opts *opts);

#endif
