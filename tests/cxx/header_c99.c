/* lede.h must compile as strict C99. */
#include <lede.h>

#include <stdio.h>

int main(void)
{
    lede_run_opts opts = LEDE_RUN_OPTS_INIT;
    lede_ingest_opts iopts = LEDE_INGEST_OPTS_INIT;
    printf("%s %s %d %d\n", lede_version(), lede_errstr(LEDE_EREADONLY), opts.version, iopts.version);
    return opts.version == LEDE_RUN_OPTS_VERSION ? 0 : 1;
}
