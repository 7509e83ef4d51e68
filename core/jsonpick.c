/* Members of a JSON object: see jsonpick.h. */
#include "jsonpick.h"

#include "text.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 64 };

/* Bytes that end a run the scanner skips: in a string, the quote and the
 * backslash; in a value, a quote and the brackets and comma that change
 * its depth or end it.  A table: most of a record's bytes are skipped. */
enum { STRING_STOP = 1, VALUE_STOP = 2 };

static const unsigned char STOPS[256] = {
    ['"'] = STRING_STOP | VALUE_STOP, ['\\'] = STRING_STOP, ['{'] = VALUE_STOP, ['['] = VALUE_STOP,
    ['}'] = VALUE_STOP,               [']'] = VALUE_STOP,    [','] = VALUE_STOP,
};

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static inline const char *skip_space(const char *p, const char *end)
{
    while (p < end && (unsigned char)*p <= ' ' && is_space(*p))
        p++;
    return p;
}

/* Past the string whose opening quote is at p, or NULL if it is unterminated. */
static const char *past_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        while (p < end && !(STOPS[(unsigned char)*p] & STRING_STOP))
            p++;
        if (p == end)
            break;
        if (*p == '"')
            return p + 1;
        if (++p == end) /* the byte after a backslash is never the end quote */
            break;
    }
    return NULL;
}

/* The end of the value at p: past a string, or up to the next , } or ] at
 * its depth; NULL if malformed. */
static const char *past_value(const char *p, const char *end)
{
    int depth = 0;
    while (p < end) {
        while (p < end && !(STOPS[(unsigned char)*p] & VALUE_STOP))
            p++;
        if (p == end)
            break;
        char c = *p;
        if (c == '"') {
            if ((p = past_string(p, end)) == NULL)
                return NULL;
            continue;
        }
        if (c == '{' || c == '[') {
            if (++depth > MAX_DEPTH)
                return NULL;
        } else if (depth == 0) {
            return p;
        } else if (c != ',') {
            depth--;
        }
        p++;
    }
    return depth == 0 ? p : NULL;
}

/* Unescapes s[a, b) into d (room for b - a + 1 bytes: no escape grows);
 * returns the end, or NULL for a bad escape.  A lone surrogate becomes U+FFFD. */
static char *unescape(char *d, const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        if (s[i] != '\\') {
            *d++ = s[i];
            continue;
        }
        char c = s[++i];
        const char *plain = strchr("\"\\/bfnrt", c);
        if (plain && c) {
            *d++ = "\"\\/\b\f\n\r\t"[plain - "\"\\/bfnrt"];
            continue;
        }
        unsigned cp, lo;
        if (c != 'u' || i + 4 >= b || lede_hex4(&cp, s + i + 1))
            return NULL;
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < b && s[i + 1] == '\\' && s[i + 2] == 'u' &&
            !lede_hex4(&lo, s + i + 3) && lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
        } else if (cp >= 0xD800 && cp < 0xE000) {
            cp = 0xFFFD;
        }
        d += lede_utf8_put(d, cp);
    }
    return d;
}

/* Whether key k[0, n) is the name s (byte by byte, not past the end of s). */
static int same_key(const char *s, const char *k, size_t n)
{
    size_t j = 0;
    while (j < n && s[j] && s[j] == k[j])
        j++;
    return j == n && s[n] == '\0';
}

static int is_key(const char *s, const char *k, size_t n) { return s[0] == (n ? k[0] : '\0') && same_key(s, k, n); }

/* The index of key k[0, n) among keys, or n_keys (escaped names never
 * match: no field name has an escape).  The search starts at `from`, the
 * key after the last one found, and wraps around: the records of a layer
 * have their members in one order, and keys given in that order are found
 * at the first look. */
static size_t key_index(const char *k, size_t n, const char *const *keys, size_t n_keys, size_t from)
{
    for (size_t i = from; i < n_keys; i++)
        if (is_key(keys[i], k, n))
            return i;
    for (size_t i = 0; i < from; i++)
        if (is_key(keys[i], k, n))
            return i;
    return n_keys;
}

/* The length of the quoted key at p (its opening quote) when it is
 * `name` as it stands, else 0: the key a record's next member likely has is
 * checked without scanning it. */
static size_t quoted_name(const char *p, const char *end, const char *name)
{
    size_t j = 0;
    while (name[j] && (size_t)(end - p) > j + 1 && p[j + 1] == name[j])
        j++;
    return name[j] == '\0' && (size_t)(end - p) > j + 1 && p[j + 1] == '"' ? j : 0;
}

/* The member at p ("key": value): which of keys it is (n_keys: none; the
 * one at `next` is tried first) and its value (a string with its quotes;
 * anything else without the spaces after it).  Returns the end of the
 * value, or NULL if malformed. */
static const char *member(const char *p, const char *end, const char *const *keys, size_t n_keys, size_t next,
                          size_t *k, lede_jsonpick_raw *value)
{
    if (p == end || *p != '"')
        return NULL;
    size_t n = next < n_keys ? quoted_name(p, end, keys[next]) : 0;
    const char *q;
    if (n || (next < n_keys && keys[next][0] == '\0' && end - p > 1 && p[1] == '"')) {
        *k = next;
        q = p + n + 2;
    } else {
        if ((q = past_string(p, end)) == NULL)
            return NULL;
        *k = key_index(p + 1, (size_t)(q - p) - 2, keys, n_keys, next);
    }
    q = skip_space(q, end);
    if (q == end || *q++ != ':')
        return NULL;
    p = skip_space(q, end);
    q = p < end && *p == '"' ? past_string(p, end) : past_value(p, end);
    if (q == NULL)
        return NULL;
    size_t len = (size_t)(q - p);
    while (len > 0 && is_space(p[len - 1]))
        len--;
    *value = (lede_jsonpick_raw){p, len};
    return q;
}

int lede_jsonpick_raws(lede_jsonpick_raw *values, const char *json, size_t len, const char *const *keys,
                       size_t n_keys)
{
    const char *end = json + len, *p = skip_space(json, end);
    for (size_t k = 0; k < n_keys; k++)
        values[k] = (lede_jsonpick_raw){NULL, 0};
    int bad = p == end || *p++ != '{';
    size_t next = 0; /* the key after the last found */
    for (p = skip_space(p, end); !bad && p < end && *p != '}';) {
        lede_jsonpick_raw value;
        size_t k;
        p = member(p, end, keys, n_keys, next, &k, &value);
        if (p == NULL) {
            bad = 1;
            break;
        }
        if (k < n_keys) {
            values[k] = value;
            next = k + 1 < n_keys ? k + 1 : 0;
        }
        p = skip_space(p, end);
        if (p < end && *p == ',')
            p = skip_space(p + 1, end);
    }
    if (bad || p == end) {
        for (size_t k = 0; k < n_keys; k++)
            values[k] = (lede_jsonpick_raw){NULL, 0};
        return -1;
    }
    return 0;
}

long lede_jsonpick_unescape(char *out, lede_jsonpick_raw v)
{
    if (v.s == NULL || v.n < 2 || v.s[0] != '"' || v.s[v.n - 1] != '"')
        return -1;
    char *end = unescape(out, v.s, 1, v.n - 1);
    if (end == NULL)
        return -1;
    *end = '\0';
    return (long)(end - out);
}

int lede_jsonpick_strings(const char **values, char **buf, const char *json, size_t len, const char *const *keys,
                          size_t n_keys)
{
    lede_jsonpick_raw raw[LEDE_JSONPICK_MAX];
    *buf = NULL;
    for (size_t k = 0; k < n_keys && k < LEDE_JSONPICK_MAX; k++)
        values[k] = NULL;
    if (n_keys > LEDE_JSONPICK_MAX || lede_jsonpick_raws(raw, json, len, keys, n_keys))
        return -1;
    size_t total = 0;
    for (size_t k = 0; k < n_keys; k++)
        total += raw[k].n + 1;
    char *out = malloc(total ? total : 1), *d = out;
    if (out == NULL)
        return -2;
    for (size_t k = 0; k < n_keys; k++) {
        if (raw[k].s == NULL || raw[k].s[0] != '"')
            continue;
        long n = lede_jsonpick_unescape(d, raw[k]);
        if (n < 0) {
            free(out);
            for (size_t j = 0; j < n_keys; j++)
                values[j] = NULL;
            return -1;
        }
        values[k] = d;
        d += n + 1;
    }
    *buf = out;
    return 0;
}
