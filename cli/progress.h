/* A progress bar on stderr for long jobs.  It appears only when stderr is a
 * terminal, -q was not given, $CI is unset and $TERM is not "dumb", and only
 * once the job has run for a second: pipes, logs and CI never see it. */
#ifndef LEDE_CLI_PROGRESS_H
#define LEDE_CLI_PROGRESS_H

#include <stdint.h>

typedef struct cli_progress {
    const char *label; /* borrowed, e.g. "ingest" */
    int enabled;
    int bytes;         /* counts are bytes: print them as sizes */
    int drawn;         /* a bar is on screen */
    double started, last_draw;
} cli_progress;

/* Prepares a bar for a job starting now. */
void cli_progress_init(cli_progress *p, const char *label, int bytes, int quiet);

/* Reports work done out of total (0: unknown); redraws at most ten times a second. */
void cli_progress_update(cli_progress *p, uint64_t done, uint64_t total);

/* Erases the bar, before other output to stderr and when the job ends. */
void cli_progress_clear(cli_progress *p);

#endif
