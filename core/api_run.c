/* lede_engine_run: the public, versioned entry to the plugin runtime. */
#include "engine.h"
#include "run.h"

int lede_engine_run(lede_run_stats *out, lede_engine *engine, const char *const *plugins, size_t n,
                    const lede_run_opts *opts)
{
    if (out)
        *out = (lede_run_stats){0};
    if (engine == NULL)
        return LEDE_EINVAL;
    if (opts && opts->version != LEDE_RUN_OPTS_VERSION)
        return lede_engine_fail(engine, LEDE_EINVAL, "run: options version %d, this lede knows %d (use LEDE_RUN_OPTS_INIT)",
                                opts->version, LEDE_RUN_OPTS_VERSION);
    if (n > 0 && plugins == NULL)
        return lede_engine_fail(engine, LEDE_EINVAL, "run: %zu plugin names but no array", n);
    return lede_run(out, engine, plugins, n, opts);
}
