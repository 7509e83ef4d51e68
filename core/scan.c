/* Capitalised words in a text: see scan.h. */
#include "scan.h"

#include <stdint.h>
#include <string.h>

#define ONES ((uint64_t)0x0101010101010101u)
#define HIGH ((uint64_t)0x8080808080808080u)

static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }

/* The letters after a word's capital: lower-case ASCII, and the lead bytes
 * (C3-DF) and continuation bytes of accented letters. */
static int is_tail(unsigned char c) { return is_lower(c) || (c >= 0x80 && c <= 0xBF) || (c >= 0xC3 && c <= 0xDF); }

/* Between the word and the next one: spaces and the bytes of U+00A0. */
static int is_gap(unsigned char c) { return c == ' ' || c == 0xC2 || c == 0xA0; }

int lede_scan_has_capital8(const unsigned char *s, int c3)
{
    uint64_t x;
    memcpy(&x, s, 8);
    uint64_t low7 = x & ~HIGH;
    /* per byte, high bit: at least 'A', at least 'Z' + 1 (no carry: each
     * sum stays below 0x100) */
    uint64_t ge_a = low7 + ONES * (0x80 - 'A'), gt_z = low7 + ONES * (0x80 - 'Z' - 1);
    uint64_t v = x ^ ONES * 0xC3; /* a zero byte where x has 0xC3 */
    return (((ge_a & ~gt_z & ~x) | (c3 ? (v - ONES) & ~v : 0)) & HIGH) != 0;
}

/* The first ASCII capital of s[i, len), or len. */
static size_t skip_to_upper(const unsigned char *s, size_t len, size_t i)
{
    while (i + 8 <= len && !lede_scan_has_capital8(s + i, 0))
        i += 8;
    while (i < len && !is_upper(s[i]))
        i++;
    return i;
}

/* When the capital at s[i], whose tail ends at run, starts a suffixed word
 * before a lower-case word: returns the word's end (exclusive) and sets
 * *next to the end of the lower-case letter; else returns 0.  Like Lua's
 * greedy matcher, the longest tail that leaves room for the suffix is
 * tried first. */
static size_t suffixed_at(const unsigned char *s, size_t len, size_t i, size_t run, const char *suf, size_t n_suf,
                          size_t *next)
{
    for (size_t end = run; end > i + 1; end--) { /* the tail is s[i+1 .. end) */
        if (n_suf > len - end || (n_suf && s[end] != (unsigned char)suf[0]) || memcmp(s + end, suf, n_suf) != 0)
            continue;
        size_t stop = end + n_suf, q = stop;
        while (q < len && is_gap(s[q]))
            q++;
        if (q > stop && q < len && is_lower(s[q])) {
            *next = q + 1;
            return stop;
        }
    }
    return 0;
}

int lede_scan_suffixed(const char *text, size_t len, const char *suf, size_t n_suf, size_t *pos, size_t *start,
                       size_t *stop)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = skip_to_upper(s, len, *pos); i < len; i = skip_to_upper(s, len, i + 1)) {
        /* a word starts at a capital not preceded by a letter */
        if (i > 0 && (is_upper(s[i - 1]) || is_lower(s[i - 1])))
            continue;
        size_t run = i + 1, next = 0;
        while (run < len && is_tail(s[run]))
            run++;
        size_t end = suffixed_at(s, len, i, run, suf, n_suf, &next);
        if (end) {
            *start = i;
            *stop = end;
            *pos = next;
            return 1;
        }
        i = run - 1; /* a tail holds no capital: the next word starts after it */
    }
    *pos = len;
    return 0;
}
