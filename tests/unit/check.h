/* A minimal assertion kit for lede's C unit tests: each failed check prints
 * file:line and what differed; main returns check_report(). */
#ifndef LEDE_CHECK_H
#define LEDE_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond) check_true((cond) != 0, #cond, __FILE__, __LINE__)
#define CHECK_INT(got, want) check_int((long long)(got), (long long)(want), #got, __FILE__, __LINE__)
#define CHECK_STR(got, want) check_str((got), (want), #got, __FILE__, __LINE__)

static inline int check_true(int ok, const char *what, const char *file, int line)
{
    if (ok) {
        check_passed++;
        return 1;
    }
    check_failed++;
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    return 0;
}

static inline int check_int(long long got, long long want, const char *what, const char *file, int line)
{
    if (got == want) {
        check_passed++;
        return 1;
    }
    check_failed++;
    fprintf(stderr, "%s:%d: %s is %lld, want %lld\n", file, line, what, got, want);
    return 0;
}

static inline int check_str(const char *got, const char *want, const char *what, const char *file, int line)
{
    if (got && want && strcmp(got, want) == 0) {
        check_passed++;
        return 1;
    }
    check_failed++;
    fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", file, line, what, got ? got : "(null)",
            want ? want : "(null)");
    return 0;
}

/* Prints the closing line ctest logs show and returns the exit status. */
static inline int check_report(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
