/* JSON written from C: see jsonw.h. */
#include "jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lede_jsonw_reserve(lede_jsonw *b, size_t more)
{
    if (b->n + more <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + more)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (p == NULL)
        return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

/* Bytes written as they are: most of a string, copied a run at a time. */
static int plain(unsigned char c) { return c >= 0x20 && c != '"' && c != '\\'; }

/* The escape of a byte that is not plain, at d; returns its end. */
static char *escape(char *d, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    if (c == '"' || c == '\\' || c == '\n' || c == '\t') {
        *d++ = '\\';
        *d++ = c == '\n' ? 'n' : c == '\t' ? 't' : (char)c;
        return d;
    }
    memcpy(d, "\\u00", 4);
    d[4] = hex[c >> 4];
    d[5] = hex[c & 15];
    return d + 6;
}

int lede_jsonw_string(lede_jsonw *b, const char *s)
{
    if (s == NULL)
        return lede_jsonw_raw(b, "null", 4);
    if (lede_jsonw_reserve(b, strlen(s) * 6 + 2))
        return -1;
    char *d = b->p + b->n;
    *d++ = '"';
    for (const unsigned char *c = (const unsigned char *)s;; c++) {
        const unsigned char *run = c;
        while (plain(*c))
            c++;
        memcpy(d, run, (size_t)(c - run));
        d += c - run;
        if (*c == '\0')
            break;
        d = escape(d, *c);
    }
    *d++ = '"';
    b->n = (size_t)(d - b->p);
    return 0;
}

size_t lede_jsonw_utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0xC2 || c > 0xF4)
        return 0;
    size_t len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (len > n)
        return 0;
    unsigned cp = c & (0x3F >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return len;
}

int lede_jsonw_bytes(lede_jsonw *b, const char *s, size_t n)
{
    if (lede_jsonw_reserve(b, n * 6 + 2))
        return -1;
    const unsigned char *c = (const unsigned char *)s;
    char *d = b->p + b->n;
    *d++ = '"';
    for (size_t i = 0; i < n;) {
        size_t k = c[i] >= 0x80 ? lede_jsonw_utf8_len(c + i, n - i) : (size_t)plain(c[i]);
        if (k) {
            memcpy(d, c + i, k);
            d += k;
            i += k;
        } else if (c[i] >= 0x80) {
            memcpy(d, "\xEF\xBF\xBD", 3); /* U+FFFD */
            d += 3;
            i++;
        } else {
            d = escape(d, c[i++]);
        }
    }
    *d++ = '"';
    b->n = (size_t)(d - b->p);
    return 0;
}

int lede_jsonw_int(lede_jsonw *b, int64_t v)
{
    /* digits by hand: snprintf costs more than the rest of a small record */
    char num[24], *end = num + sizeof num, *d = end;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do
        *--d = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--d = '-';
    return lede_jsonw_raw(b, d, (size_t)(end - d));
}

int lede_jsonw_double(lede_jsonw *b, double v)
{
    if (!isfinite(v))
        return lede_jsonw_raw(b, "null", 4);
    char num[40];
    int k = snprintf(num, sizeof num, "%.14g", v);
    if (strpbrk(num, ".e") == NULL)
        k += snprintf(num + k, sizeof num - (size_t)k, ".0");
    return lede_jsonw_raw(b, num, (size_t)k);
}

int lede_jsonw_bool(lede_jsonw *b, int v) { return v ? lede_jsonw_raw(b, "true", 4) : lede_jsonw_raw(b, "false", 5); }

char *lede_jsonw_dup(const lede_jsonw *b, size_t *len)
{
    char *s = malloc(b->n + 1);
    if (s) {
        if (b->n)
            memcpy(s, b->p, b->n);
        s[b->n] = '\0';
        *len = b->n;
    }
    return s;
}
