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

/* lede_run_opts and lede_run_stats are public (lede.h); lede_run does not
 * read opts->version (internal callers zero it), lede_engine_run checks it. */

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
