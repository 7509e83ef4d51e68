/* floor — the floor baseline alone over a whole file:  floor [--reps N] FILE
 * Splits the file's raw bytes (JSON syntax included) with floor_split and
 * prints the token count and the best speed of N runs (default 3). */
#include "floor.h"
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    int reps = 3;
    const char *path = NULL;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (!path && argv[i][0] != '-')
            path = argv[i];
        else
            bad = 1;
    }
    if (bad || !path || reps < 1) {
        fprintf(stderr, "usage: floor [--reps N] FILE\n");
        return 2;
    }
    char *text;
    size_t len;
    if (bench_read_file(&text, &len, path) != 0) {
        fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (len >= UINT32_MAX) {
        fprintf(stderr, "floor: %s: larger than 4 GiB\n", path);
        free(text);
        return 1;
    }
    floor_span *spans = malloc((len + 1) * sizeof *spans);
    if (!spans) {
        fprintf(stderr, "floor: out of memory\n");
        free(text);
        return 1;
    }
    double best = 1e30;
    size_t tokens = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = bench_now();
        tokens = floor_split(spans, text, len);
        double t = bench_now() - t0;
        if (t < best)
            best = t;
    }
    printf("floor: %s: %zu bytes, %zu tokens, best of %d: %.3f s, %.1f MB/s\n", path, len,
           tokens, reps, best, (double)len / 1e6 / best);
    free(spans);
    free(text);
    return 0;
}
