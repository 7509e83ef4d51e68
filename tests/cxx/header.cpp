// lede.h must compile as C++11 with every warning on, and link from C++.
#include <lede.h>

#include <cstdio>

int main()
{
    lede_run_opts opts = LEDE_RUN_OPTS_INIT;
    lede_ingest_opts iopts = LEDE_INGEST_OPTS_INIT;
    lede_article_meta meta = lede_article_meta();
    meta.key = "k";
    std::printf("%s %s %d %d %s\n", lede_version(), lede_errstr(LEDE_EREADONLY), opts.version, iopts.version, meta.key);
    return opts.version == LEDE_RUN_OPTS_VERSION && LEDE_VERSION_NUMBER >= 100 ? 0 : 1;
}
