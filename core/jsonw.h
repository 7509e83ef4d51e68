/* A JSON text written piece by piece in C, for spans whose attributes are
 * produced in C (quotes, casualty figures): building a Lua table for each
 * would cost as much as finding it.  Values are written as
 * lede_luajson_encode_fields writes them, so a layer reads the same
 * whichever side wrote it. */
#ifndef LEDE_JSONW_H
#define LEDE_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The text so far: p (malloc'd, owned by the writer's user, free() it), n bytes. */
typedef struct lede_jsonw {
    char *p;
    size_t n, cap;
} lede_jsonw;

/* The text so far as a NUL-terminated copy (malloc'd, owned by the
 * caller), its length in *len; NULL when out of memory. */
char *lede_jsonw_dup(const lede_jsonw *b, size_t *len);

/* Makes room in b for `more` bytes; returns 0, or -1 when out of memory. */
int lede_jsonw_reserve(lede_jsonw *b, size_t more);

/* Each appends to b; returns 0, or -1 when out of memory (b stays valid).
 * lede_jsonw_raw is inline: a record is written in many small pieces. */
static inline int lede_jsonw_raw(lede_jsonw *b, const char *s, size_t n)
{
    if (n > b->cap - b->n && lede_jsonw_reserve(b, n))
        return -1;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    return 0;
}
/* A string (NULL: null); `s` is valid UTF-8. */
int lede_jsonw_string(lede_jsonw *b, const char *s);
/* A string of n bytes that may not be UTF-8 (text read back from
 * elsewhere): each byte that does not start a valid sequence becomes
 * U+FFFD, and a NUL is escaped, as lede_luajson_encode_fields writes a Lua
 * string. */
int lede_jsonw_bytes(lede_jsonw *b, const char *s, size_t n);
int lede_jsonw_int(lede_jsonw *b, int64_t v);
/* Length of the valid UTF-8 sequence at s (n > 0 bytes left), 0 if it is
 * not one: what both JSON writers copy as it is. */
size_t lede_jsonw_utf8_len(const unsigned char *s, size_t n);
/* A number that stays a float when read back: "%.14g", ".0" added to a whole number. */
int lede_jsonw_double(lede_jsonw *b, double v);
int lede_jsonw_bool(lede_jsonw *b, int v);

#endif
