/* Small helpers shared by the benchmark programs. */
#ifndef LEDE_BENCH_UTIL_H
#define LEDE_BENCH_UTIL_H

#include <stddef.h>

/* Seconds on a monotonic clock. */
double bench_now(void);

/* Reads the whole file at `path` (NUL-terminated, not counted in *len) into
 * *out, malloc'd and owned by the caller.  Returns 0, or -1 with errno set. */
int bench_read_file(char **out, size_t *len, const char *path);

#endif
