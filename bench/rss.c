/*
 * rss — runs a command and reports its wall time and peak memory, for
 * machines without GNU time:  rss [-o FILE] COMMAND [ARG...]
 * Writes "<wall seconds> <max RSS in KiB>" to FILE (default: standard
 * error) and exits with the command's status (128 + signal if killed).
 */
#define _XOPEN_SOURCE 700
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *out_path = NULL;
    int first = 1;
    if (argc > 2 && !strcmp(argv[1], "-o")) {
        out_path = argv[2];
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: rss [-o FILE] COMMAND [ARG...]\n");
        return 2;
    }
    double t0 = bench_now();
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "rss: fork: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        execvp(argv[first], argv + first);
        fprintf(stderr, "rss: %s: %s\n", argv[first], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "rss: waitpid: %s\n", strerror(errno));
            return 1;
        }
    }
    double wall = bench_now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru); /* the only child: its peak is ours to report */
    FILE *out = out_path ? fopen(out_path, "w") : stderr;
    if (!out) {
        fprintf(stderr, "rss: %s: %s\n", out_path, strerror(errno));
        return 1;
    }
    fprintf(out, "%.3f %ld\n", wall, (long)ru.ru_maxrss);
    if (out != stderr)
        fclose(out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
