/*
 * replay — a plain driver for a libFuzzer target, so every build (and the
 * ASan build in CI) exercises it without libFuzzer:
 *
 *   replay_<target> [--random N] [--seed S] [--max-len N] [--verbose] [PATH...]
 *   replay_<target> --print K [--seed S] [--max-len N] [PATH...] > input
 *
 * Feeds LLVMFuzzerTestOneInput every file given (directories: their files,
 * in sorted order), then N deterministic pseudo-random inputs: random bytes,
 * strings of tricky fragments (broken UTF-8, quotes, spaces, JSON syntax),
 * and mutations of the files.  Each input sits in a buffer of exactly its
 * size, so ASan catches reads past the end.  To find an input that crashes:
 * rerun with --verbose (the last index printed), then --print that index.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct input {
    uint8_t *p;
    size_t len, cap;
} input;

typedef struct inputs {
    input *v;
    size_t n, cap;
} inputs;

typedef struct options {
    unsigned long random, max_len, print;
    uint64_t seed;
    int verbose, printing;
} options;

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "replay: %s: %s\n", what, detail);
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory", "realloc");
    return p;
}

/* ---- deterministic random numbers (splitmix64) ---------------------------- */

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t below(uint64_t *s, size_t n)
{
    return n ? (size_t)(next(s) % n) : 0;
}

/* ---- reading the corpus ------------------------------------------------------ */

static void inputs_add(inputs *in, uint8_t *p, size_t len)
{
    if (in->n == in->cap) {
        in->cap = in->cap ? in->cap * 2 : 64;
        in->v = xrealloc(in->v, in->cap * sizeof *in->v);
    }
    in->v[in->n++] = (input){p, len, len};
}

static void read_file(inputs *in, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(path, strerror(errno));
    uint8_t *p = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (len == cap)
            p = xrealloc(p, cap = cap ? cap * 2 : 4096);
        got = fread(p + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    if (ferror(f))
        die(path, "read error");
    fclose(f);
    inputs_add(in, p, len);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_dir(inputs *in, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        die(dir, strerror(errno));
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        names = xrealloc(names, (n + 1) * sizeof *names);
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = xrealloc(NULL, len);
        snprintf(names[n++], len, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            read_file(in, names[i]);
        free(names[i]);
    }
    free(names);
}

static void read_path(inputs *in, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        die(path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        read_dir(in, path);
    else
        read_file(in, path);
}

/* ---- making inputs ------------------------------------------------------------- */

/* Fragments the text parsers meet at their edges. */
static const char *const atoms[] = {
    " ", "  ", "\n", "\n\n", "\r\n", "\t", "\xC2\xA0", "\xE2\x80\x89", "\xE2\x80\xAF",
    "word", "Gen.", "U.S.", "U.S.-Russian", "J.", "e.g.", "Sen. ", "al-Assad", "five-year-old",
    "1,200", "3.5 million", "70\302\240000", "25th", "19:58", "5%", "0.", ".5", "1.",
    "\"", "'", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99", "\xC2\xAB",
    "\xC2\xBB", "\xE2\x80\x9E", "\xE2\x80\x94", "\xE2\x80\x93", "\xE2\x80\xA6", "...", "--",
    ".", ",", "?", "!", ";", ":", "(", ")", "[", "]", "-", "/", "@", "#", "@user", "#tag",
    "https://example.org/a?b=c", "www.example.com", "name@example.org", "don't", "Assad\xE2\x80\x99s",
    "\xC3\xA9", "e\xCC\x81", "\xC3\xBC", "\xC3\xB1", "\xC4\xB0", "\xEF\xAC\x81", "\xC3\x9F",
    "\xF0\x9F\x98\x80", "\xE2\x80\x8B", "\xEF\xBB\xBF", "\xEF\xBF\xBD",
    "\x80", "\xBF", "\xC0\xAF", "\xC3", "\xE2\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80",
    "\xF8\x88\x80\x80\x80", "\xFF", "\xFE",
    "{", "}", "{\"text\":\"", "\",\"id\":\"", "\"key\":", "\"title\":null", "\"body\":",
    "\"source\":1", "[]", "\\\"", "\\\\", "\\n", "\\u00e9", "\\ud800", "\\udc00", "\\u0000",
    "\\x", "true", "null", "1e999", "-0",
};

static void put(input *b, const void *s, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = b->len + n > 2 * b->cap ? b->len + n : 2 * b->cap;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

/* Picks an atom, after a space half of the time (text has words, not soup). */
static const char *pick_atom(input *b, uint64_t *s)
{
    if (below(s, 2))
        put(b, " ", 1);
    return atoms[below(s, sizeof atoms / sizeof atoms[0])];
}

static void put_atom(input *b, uint64_t *s)
{
    const char *a = pick_atom(b, s);
    put(b, a, strlen(a));
}

static void make_random_bytes(input *b, uint64_t *s, size_t max_len)
{
    for (size_t i = 0, n = below(s, max_len + 1); i < n; i++) {
        uint8_t c = (uint8_t)next(s);
        put(b, &c, 1);
    }
}

static void make_atoms(input *b, uint64_t *s, size_t max_len)
{
    size_t target = below(s, max_len + 1);
    while (b->len < target)
        put_atom(b, s);
}

/* An atom inside a JSON string, mostly escaped so that the line stays
 * valid JSON (broken UTF-8 stays broken: that is for the parser to meet);
 * now and then raw, so that escapes such as \ud800 reach the parser. */
static void put_json_atom(input *b, uint64_t *s)
{
    const char *a = pick_atom(b, s);
    if (below(s, 8) == 0) {
        put(b, a, strlen(a));
        return;
    }
    for (; *a; a++) {
        unsigned char c = (unsigned char)*a;
        char esc[8];
        if (c == '"' || c == '\\')
            put(b, (const char[]){'\\', (char)c}, 2);
        else if (c < 0x20)
            put(b, esc, (size_t)snprintf(esc, sizeof esc, "\\u%04x", c));
        else
            put(b, &c, 1);
    }
}

static void put_json_field(input *b, uint64_t *s, const char *name, size_t max_atoms)
{
    put(b, name, strlen(name));
    put(b, "\"", 1);
    for (size_t i = 0, n = below(s, max_atoms + 1); i < n; i++)
        put_json_atom(b, s);
    put(b, "\"", 1);
}

/* A few JSON Lines articles with tricky text, most valid, some mutated later. */
static void make_jsonl(input *b, uint64_t *s, size_t max_len)
{
    for (size_t i = 0, n = 1 + below(s, 5); i < n && b->len < max_len; i++) {
        put_json_field(b, s, below(s, 2) ? "{\"id\":" : "{\"key\":", 2);
        if (below(s, 2))
            put_json_field(b, s, ",\"title\":", 8);
        if (below(s, 2))
            put_json_field(b, s, ",\"source\":", 3);
        put_json_field(b, s, below(s, 4) ? ",\"text\":" : ",\"body\":", max_len / 16);
        put(b, "}\n", below(s, 8) ? 2 : 1);
    }
}

/* One mutation of the input being built: flip, insert, delete, repeat, cut. */
static void mutate(input *b, uint64_t *s, size_t max_len)
{
    size_t at = below(s, b->len + 1);
    switch (below(s, 5)) {
    case 0:
        if (b->len)
            b->p[below(s, b->len)] ^= (uint8_t)(1u << below(s, 8));
        break;
    case 1: {
        size_t keep = b->len - at;
        uint8_t *tail = xrealloc(NULL, keep);
        memcpy(tail, b->p + at, keep);
        b->len = at;
        put_atom(b, s);
        put(b, tail, keep);
        free(tail);
        break;
    }
    case 2: {
        size_t n = below(s, b->len - at + 1);
        memmove(b->p + at, b->p + at + n, b->len - at - n);
        b->len -= n;
        break;
    }
    case 3: {
        size_t n = below(s, b->len - at + 1);
        if (b->len + n <= max_len) {
            uint8_t *copy = xrealloc(NULL, n);
            memcpy(copy, b->p + at, n);
            put(b, copy, n);
            free(copy);
        }
        break;
    }
    default:
        b->len = at;
        break;
    }
}

static void make_mutant(input *b, uint64_t *s, const inputs *seeds, size_t max_len)
{
    const input *from = &seeds->v[below(s, seeds->n)];
    put(b, from->p, from->len < max_len ? from->len : max_len);
    for (size_t i = 0, n = 1 + below(s, 8); i < n; i++)
        mutate(b, s, max_len);
}

/* Builds random input number k into b: the same k, seed and corpus give
 * the same bytes. */
static void make_input(input *b, uint64_t seed, unsigned long k, const inputs *seeds,
                       size_t max_len)
{
    uint64_t s = seed ^ (0xD1B54A32D192ED03ull * (k + 1));
    b->len = 0;
    switch (below(&s, seeds->n ? 5 : 4)) {
    case 0: make_random_bytes(b, &s, below(&s, 8) ? 64 : max_len); break;
    case 1: make_atoms(b, &s, 256); break;
    case 2: make_atoms(b, &s, max_len); break;
    case 3:
        make_jsonl(b, &s, max_len);
        if (below(&s, 4) == 0)
            mutate(b, &s, max_len);
        break;
    default: make_mutant(b, &s, seeds, max_len); break;
    }
}

/* Calls the target on an exact-size copy of the input. */
static void run_one(const uint8_t *p, size_t len)
{
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy)
        die("out of memory", "input copy");
    if (len)
        memcpy(copy, p, len);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
}

static void parse_args(options *o, inputs *seeds, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (!strcmp(a, "--random") && has_value)
            o->random = strtoul(argv[++i], NULL, 0);
        else if (!strcmp(a, "--seed") && has_value)
            o->seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(a, "--max-len") && has_value)
            o->max_len = strtoul(argv[++i], NULL, 0);
        else if (!strcmp(a, "--print") && has_value) {
            o->print = strtoul(argv[++i], NULL, 0);
            o->printing = 1;
        }
        else if (!strcmp(a, "--verbose"))
            o->verbose = 1;
        else if (a[0] == '-' && a[1])
            die("unknown option", a);
        else
            read_path(seeds, a);
    }
    if (o->max_len == 0)
        die("--max-len", "must be positive");
}

int main(int argc, char **argv)
{
    options o = {.random = 2000, .max_len = 4096, .seed = 0x5EEDF00Dull};
    inputs seeds = {0};
    input scratch = {0};
    parse_args(&o, &seeds, argc, argv);
    if (o.printing) {
        make_input(&scratch, o.seed, o.print, &seeds, o.max_len);
        if (scratch.len)
            fwrite(scratch.p, 1, scratch.len, stdout);
    } else {
        for (size_t i = 0; i < seeds.n; i++) {
            if (o.verbose)
                fprintf(stderr, "replay: corpus input %zu\n", i);
            run_one(seeds.v[i].p, seeds.v[i].len);
        }
        for (unsigned long k = 0; k < o.random; k++) {
            if (o.verbose)
                fprintf(stderr, "replay: random input %lu\n", k);
            make_input(&scratch, o.seed, k, &seeds, o.max_len);
            run_one(scratch.p, scratch.len);
        }
        printf("replay: %zu corpus inputs and %lu random inputs (seed %#llx) passed\n", seeds.n,
               o.random, (unsigned long long)o.seed);
    }
    for (size_t i = 0; i < seeds.n; i++)
        free(seeds.v[i].p);
    free(seeds.v);
    free(scratch.p);
    return 0;
}
