/* JSON Lines records: see jsonrec.h. */
#include "jsonrec.h"

#include "lede.h"
#include "text.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More members than this go through jansson (whose object lookup is not a
 * linear search). */
#define FAST_MEMBERS_MAX 64
/* Integers of up to 18 digits fit in int64 whatever they are. */
#define FAST_DIGITS_MAX 18

struct lede_jrecord {
    lede_jmember *m;
    size_t n;
    char **json;    /* jansson path: each real's or other value's compact JSON (owned) */
    char (*num)[32]; /* jansson path: each number's text */
    char *scratch;  /* fast path: keys and values, NUL-terminated */
    json_t *root;   /* jansson path: owns keys and strings */
};

/* ---- the fast path: a flat object, read in one pass ---- */

typedef struct scan {
    const char *p, *end;
    char *out; /* next free byte of the scratch */
} scan;

static void skip_ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
        s->p++;
}

/* A \u escape at s->p (after the backslash and 'u'), a surrogate pair
 * included.  0, or -1 for what jansson refuses (lone surrogates, NUL). */
static int unicode_escape(scan *s)
{
    unsigned cp, lo;
    if (s->end - s->p < 4 || lede_hex4(&cp, s->p) != 0 || cp == 0 || (cp >= 0xDC00 && cp < 0xE000))
        return -1;
    s->p += 4;
    if (cp >= 0xD800 && cp < 0xDC00) {
        if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' || lede_hex4(&lo, s->p + 2) != 0 || lo < 0xDC00 ||
            lo >= 0xE000)
            return -1;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        s->p += 6;
    }
    s->out += lede_utf8_put(s->out, cp);
    return 0;
}

/* The string at s->p (its opening quote) into the scratch, NUL-terminated.
 * Keys may not hold escapes (`plain`).  Returns its start, NULL when the
 * fast path does not take it. */
static const char *read_string(scan *s, int plain, size_t *len)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    char *start = s->out;
    s->p++;
    for (;;) {
        const char *run = s->p;
        while (s->p < s->end && *s->p != '"' && *s->p != '\\' && (unsigned char)*s->p >= 0x20)
            s->p++;
        memcpy(s->out, run, (size_t)(s->p - run));
        s->out += s->p - run;
        if (s->p >= s->end || (unsigned char)*s->p < 0x20)
            return NULL;
        if (*s->p == '"')
            break;
        if (plain || ++s->p >= s->end)
            return NULL;
        const char *hit = memchr(from, *s->p, sizeof from - 1);
        if (hit) {
            *s->out++ = to[hit - from];
            s->p++;
        } else if (*s->p != 'u' || (s->p++, unicode_escape(s) != 0)) {
            return NULL;
        }
    }
    s->p++;
    *len = (size_t)(s->out - start);
    *s->out++ = '\0';
    return start;
}

/* An integer jansson reads the same (no fraction, exponent, "-0" or
 * overflow), copied to the scratch. */
static const char *read_integer(scan *s, size_t *len)
{
    const char *start = s->p;
    if (s->p < s->end && *s->p == '-')
        s->p++;
    const char *digits = s->p;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
        s->p++;
    size_t n = (size_t)(s->p - digits);
    if (n == 0 || n > FAST_DIGITS_MAX || (digits[0] == '0' && (n > 1 || digits > start)))
        return NULL;
    if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E'))
        return NULL;
    char *out = s->out;
    *len = (size_t)(s->p - start);
    memcpy(out, start, *len);
    out[*len] = '\0';
    s->out += *len + 1;
    return out;
}

static int read_literal(scan *s, const char *word, size_t n)
{
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return -1;
    s->p += n;
    return 0;
}

/* One member's value into m; -1 when the fast path does not take it. */
static int read_member_value(scan *s, lede_jmember *m)
{
    m->text = NULL;
    m->len = 0;
    if (s->p >= s->end)
        return -1;
    switch (*s->p) {
    case '"':
        m->kind = LEDE_JV_STRING;
        return (m->text = read_string(s, 0, &m->len)) ? 0 : -1;
    case 'n': m->kind = LEDE_JV_NULL; return read_literal(s, "null", 4);
    case 't':
        m->kind = LEDE_JV_OTHER;
        m->text = "true";
        return read_literal(s, "true", 4);
    case 'f':
        m->kind = LEDE_JV_OTHER;
        m->text = "false";
        return read_literal(s, "false", 5);
    default: m->kind = LEDE_JV_INTEGER; return (m->text = read_integer(s, &m->len)) ? 0 : -1;
    }
}

static int duplicate_key(const lede_jmember *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(m[i].key, m[n].key) == 0)
            return 1;
    return 0;
}

/* 1 when the line was read, 0 when it is not a flat object this path
 * takes, LEDE_ENOMEM. */
static int fast_parse(lede_jrecord *r, const char *line, size_t len)
{
    r->scratch = malloc(len + 1);
    r->m = malloc(FAST_MEMBERS_MAX * sizeof *r->m);
    if (!r->scratch || !r->m)
        return LEDE_ENOMEM;
    scan s = {line, line + len, r->scratch};
    skip_ws(&s);
    if (s.p >= s.end || *s.p++ != '{')
        return 0;
    skip_ws(&s);
    if (s.p < s.end && *s.p == '}')
        s.p++;
    else
        for (;;) {
            lede_jmember *m = &r->m[r->n];
            size_t key_len;
            if (r->n == FAST_MEMBERS_MAX || s.p >= s.end || *s.p != '"' || !(m->key = read_string(&s, 1, &key_len)))
                return 0;
            skip_ws(&s);
            if (s.p >= s.end || *s.p++ != ':')
                return 0;
            skip_ws(&s);
            if (read_member_value(&s, m) != 0 || duplicate_key(r->m, r->n))
                return 0;
            r->n++;
            skip_ws(&s);
            if (s.p < s.end && *s.p == ',') {
                s.p++;
                skip_ws(&s);
                continue;
            }
            if (s.p < s.end && *s.p == '}') {
                s.p++;
                break;
            }
            return 0;
        }
    skip_ws(&s);
    return s.p == s.end;
}

/* ---- everything else: jansson ---- */

static int member_of_json(lede_jrecord *r, size_t i, const char *key, json_t *v)
{
    lede_jmember *m = &r->m[i];
    m->key = key;
    m->text = NULL;
    m->len = 0;
    switch (json_typeof(v)) {
    case JSON_STRING:
        m->kind = LEDE_JV_STRING;
        m->text = json_string_value(v);
        m->len = json_string_length(v);
        return LEDE_OK;
    case JSON_INTEGER:
        m->kind = LEDE_JV_INTEGER;
        m->len = (size_t)snprintf(r->num[i], sizeof r->num[i], "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        m->text = r->num[i];
        return LEDE_OK;
    case JSON_NULL: m->kind = LEDE_JV_NULL; return LEDE_OK;
    case JSON_REAL:
        m->kind = LEDE_JV_REAL;
        m->len = (size_t)snprintf(r->num[i], sizeof r->num[i], "%.17g", json_real_value(v));
        m->text = r->num[i];
        break;
    default: m->kind = LEDE_JV_OTHER; break;
    }
    r->json[i] = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    return r->json[i] ? LEDE_OK : LEDE_ENOMEM;
}

static int slow_parse(lede_jrecord *r, const char *line, size_t len, char *err, size_t err_cap)
{
    json_error_t error;
    r->root = json_loadb(line, len, 0, &error);
    if (!r->root) {
        snprintf(err, err_cap, "malformed JSON at column %d: %s", error.column, error.text);
        return LEDE_EPARSE;
    }
    if (!json_is_object(r->root)) {
        snprintf(err, err_cap, "not a JSON object");
        return LEDE_EPARSE;
    }
    size_t n = json_object_size(r->root);
    free(r->m);
    r->m = calloc(n + 1, sizeof *r->m);
    r->json = calloc(n + 1, sizeof *r->json);
    r->num = calloc(n + 1, sizeof *r->num);
    if (!r->m || !r->json || !r->num)
        return LEDE_ENOMEM;
    const char *k;
    json_t *v;
    json_object_foreach(r->root, k, v) {
        if (member_of_json(r, r->n++, k, v) != LEDE_OK)
            return LEDE_ENOMEM;
    }
    return LEDE_OK;
}

int lede_jrecord_parse(lede_jrecord **out, const char *line, size_t len, char *err, size_t err_cap)
{
    *out = NULL;
    lede_jrecord *r = calloc(1, sizeof *r);
    if (!r)
        return LEDE_ENOMEM;
    int rc = fast_parse(r, line, len);
    if (rc == 0) { /* not a flat object: start again with jansson */
        free(r->scratch);
        r->scratch = NULL;
        r->n = 0;
        rc = slow_parse(r, line, len, err, err_cap);
    } else if (rc == 1) {
        rc = LEDE_OK;
    }
    if (rc != LEDE_OK) {
        lede_jrecord_free(r);
        return rc;
    }
    *out = r;
    return LEDE_OK;
}

const lede_jmember *lede_jrecord_members(const lede_jrecord *r, size_t *n)
{
    *n = r->n;
    return r->m;
}

/* ---- writing members back: compact JSON, as jansson dumps it ---- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
    int failed;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

/* jansson's escaping: quote, backslash and control characters only. */
static void sb_string(sbuf *b, const char *s, size_t n)
{
    sb_add(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            run++;
            continue;
        }
        sb_add(b, s + i - run, run);
        run = 0;
        const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b" : c == '\f' ? "\\f"
                        : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
        char u[8];
        if (!esc) {
            snprintf(u, sizeof u, "\\u%04X", c);
            esc = u;
        }
        sb_add(b, esc, strlen(esc));
    }
    sb_add(b, s + n - run, run);
    sb_add(b, "\"", 1);
}

static void sb_value(sbuf *b, const lede_jrecord *r, size_t i)
{
    const lede_jmember *m = &r->m[i];
    if (m->kind == LEDE_JV_STRING)
        sb_string(b, m->text, m->len);
    else if (m->kind == LEDE_JV_NULL)
        sb_add(b, "null", 4);
    else if (r->json && r->json[i])
        sb_add(b, r->json[i], strlen(r->json[i]));
    else /* the fast path's integers and booleans are their own JSON */
        sb_add(b, m->text, strlen(m->text));
}

int lede_jrecord_subset(char **out, const lede_jrecord *r, const unsigned char *keep)
{
    *out = NULL;
    sbuf b = {0};
    for (size_t i = 0; i < r->n; i++) {
        if (!keep[i])
            continue;
        sb_add(&b, b.n ? "," : "{", 1);
        sb_string(&b, r->m[i].key, strlen(r->m[i].key));
        sb_add(&b, ":", 1);
        sb_value(&b, r, i);
    }
    if (b.n)
        sb_add(&b, "}", 1);
    if (b.failed) {
        free(b.p);
        return LEDE_ENOMEM;
    }
    *out = b.p;
    return LEDE_OK;
}

void lede_jrecord_free(lede_jrecord *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->json && i < r->n; i++)
        free(r->json[i]);
    free(r->json);
    free(r->num);
    free(r->m);
    free(r->scratch);
    json_decref(r->root);
    free(r);
}
