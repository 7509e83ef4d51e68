/* Scoring annotation layers against gold files: the rules of
 * ../shared/gold/README.md, documented in docs/eval.md. */
#define _POSIX_C_SOURCE 200809L

#include "eval.h"

#include "engine.h"
#include "grow.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

static const char *const layer_names[LEDE_EVAL_NLAYERS] = {
    "boilerplate", "caption", "quote", "figure", "meta",
};

/* Gold keys that say a file annotates a layer, in layer order. */
static const char *const layer_gold_keys[LEDE_EVAL_NLAYERS] = {
    "boilerplate_lines", "caption_lines", "quotes", "figures", "meta",
};

#define BIT(layer) (1u << (layer))

const char *lede_eval_layer_name(int layer)
{
    return layer >= 0 && layer < LEDE_EVAL_NLAYERS ? layer_names[layer] : "?";
}

int lede_eval_layer_find(const char *name)
{
    for (int i = 0; i < LEDE_EVAL_NLAYERS; i++)
        if (name && strcmp(name, layer_names[i]) == 0)
            return i;
    return -1;
}

/* ======================================================================
 * Text: white space, folding, words
 * ====================================================================== */

/* White space as Python's str.isspace (the gold files were cut with strip()). */
static int is_space_cp(int32_t c)
{
    if (c < 0x80)
        return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
    return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
           c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/* Decodes the character at s[0..len); an invalid byte counts as one
 * character U+FFFD.  Returns its length in bytes (>= 1). */
static size_t decode(int32_t *cp, const char *s, size_t len)
{
    unsigned char b = (unsigned char)s[0];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
    if (k <= 0) {
        *cp = 0xfffd;
        return 1;
    }
    *cp = c;
    return (size_t)k;
}

/* The bounds of s[0..len) without surrounding white space. */
static void trim_bounds(const char *s, size_t len, size_t *a, size_t *b)
{
    size_t first = len, last_end = 0;
    for (size_t i = 0; i < len;) {
        int32_t c;
        size_t k = decode(&c, s + i, len - i);
        if (!is_space_cp(c)) {
            if (first == len)
                first = i;
            last_end = i + k;
        }
        i += k;
    }
    *a = first == len ? 0 : first;
    *b = first == len ? 0 : last_end;
}

static int is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

/* A copy of s[0..len) with each invalid UTF-8 byte replaced by a space, so
 * that utf8proc accepts it.  Owned by the caller. */
static char *utf8_sanitize(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
        if (k <= 0) {
            out[i++] = ' ';
            continue;
        }
        memcpy(out + i, s + i, (size_t)k);
        i += (size_t)k;
    }
    out[len] = '\0';
    return out;
}

/* utf8proc_map of s[0..len) with `options`; *out is malloc'd and owned by
 * the caller.  Invalid UTF-8 is sanitised first. */
static int map_text(char **out, size_t *out_len, const char *s, size_t len, int options)
{
    if (len == 0) {
        *out = calloc(1, 1);
        *out_len = 0;
        return *out ? LEDE_OK : LEDE_ENOMEM;
    }
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t r =
        utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &dst, (utf8proc_option_t)options);
    if (r == UTF8PROC_ERROR_INVALIDUTF8) {
        char *clean = utf8_sanitize(s, len);
        if (!clean)
            return LEDE_ENOMEM;
        r = utf8proc_map((const utf8proc_uint8_t *)clean, (utf8proc_ssize_t)len, &dst,
                         (utf8proc_option_t)options);
        free(clean);
    }
    if (r < 0) {
        free(dst);
        return LEDE_ENOMEM;
    }
    *out = (char *)dst;
    *out_len = (size_t)r;
    return LEDE_OK;
}

#define FOLD_OPTIONS                                                                                         \
    (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK)

/* Letters, digits and '_': Python's \w. */
static int is_word_cp(int32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

/* The words of a text, folded: each NUL-terminated in `buf`. */
typedef struct words {
    char *buf;
    const char **seq;    /* in text order */
    const char **sorted; /* the same, sorted, for multiset intersection */
    size_t n;
} words;

static void words_free(words *w)
{
    free(w->buf);
    free(w->seq);
    free(w->sorted);
    memset(w, 0, sizeof *w);
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Splits the folded text f[0..len) into words; ASCII letters are lowered
 * on the way, so ASCII input needs no mapping. */
static int words_split(words *w, const char *f, size_t len)
{
    w->buf = malloc(len + 1);
    w->seq = malloc((len / 2 + 1) * sizeof *w->seq);
    if (!w->buf || !w->seq)
        return LEDE_ENOMEM;
    char *o = w->buf;
    int in_word = 0;
    for (size_t i = 0; i < len;) {
        int32_t c;
        size_t k = decode(&c, f + i, len - i);
        if (is_word_cp(c)) {
            if (!in_word)
                w->seq[w->n++] = o;
            in_word = 1;
            if (k == 1)
                *o++ = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            else
                memcpy(o, f + i, k), o += k;
        } else if (in_word) {
            *o++ = '\0';
            in_word = 0;
        }
        i += k;
    }
    *o = '\0';
    w->sorted = malloc((w->n + 1) * sizeof *w->sorted);
    if (!w->sorted)
        return LEDE_ENOMEM;
    memcpy(w->sorted, w->seq, w->n * sizeof *w->seq);
    qsort(w->sorted, w->n, sizeof *w->sorted, cmp_cstr);
    return LEDE_OK;
}

/* The words of s[0..len): NFKC, case-folded, marks stripped, then runs of
 * letters and digits.  `s` may be NULL (no words).  On error *w is empty. */
static int words_init(words *w, const char *s, size_t len)
{
    memset(w, 0, sizeof *w);
    if (!s || len == 0)
        return LEDE_OK;
    int rc;
    if (is_ascii(s, len)) {
        rc = words_split(w, s, len);
    } else {
        char *f;
        size_t flen;
        rc = map_text(&f, &flen, s, len, FOLD_OPTIONS);
        if (rc == LEDE_OK) {
            rc = words_split(w, f, flen);
            free(f);
        }
    }
    if (rc != LEDE_OK)
        words_free(w);
    return rc;
}

static int words_of(words *w, const char *s)
{
    return words_init(w, s, s ? strlen(s) : 0);
}

/* Size of the multiset intersection of a and b. */
static size_t words_shared(const words *a, const words *b)
{
    size_t i = 0, j = 0, shared = 0;
    while (i < a->n && j < b->n) {
        int c = strcmp(a->sorted[i], b->sorted[j]);
        if (c == 0)
            shared++, i++, j++;
        else if (c < 0)
            i++;
        else
            j++;
    }
    return shared;
}

static int words_same(const words *a, const words *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->seq[i], b->seq[i]) != 0)
            return 0;
    return 1;
}

/* Non-zero when `inner` is a run of consecutive words of `outer`. */
static int words_contain_run(const words *outer, const words *inner)
{
    if (inner->n == 0 || inner->n > outer->n)
        return 0;
    for (size_t i = 0; i + inner->n <= outer->n; i++) {
        size_t k = 0;
        while (k < inner->n && strcmp(outer->seq[i + k], inner->seq[k]) == 0)
            k++;
        if (k == inner->n)
            return 1;
    }
    return 0;
}

static const char *words_last(const words *w)
{
    return w->n ? w->seq[w->n - 1] : NULL;
}

/* *eq = the words of a and b are the same (NULL has none). */
static int str_words_equal(int *eq, const char *a, const char *b)
{
    words wa, wb;
    int rc = words_of(&wa, a);
    if (rc == LEDE_OK && (rc = words_of(&wb, b)) == LEDE_OK) {
        *eq = words_same(&wa, &wb);
        words_free(&wb);
    }
    words_free(&wa);
    return rc;
}

/* *eq = the first (or last) words of a and b are equal, or both have none. */
static int str_edge_word_equal(int *eq, const char *a, const char *b, int last)
{
    words wa, wb;
    int rc = words_of(&wa, a);
    if (rc == LEDE_OK && (rc = words_of(&wb, b)) == LEDE_OK) {
        const char *x = last ? words_last(&wa) : (wa.n ? wa.seq[0] : NULL);
        const char *y = last ? words_last(&wb) : (wb.n ? wb.seq[0] : NULL);
        *eq = (!x && !y) || (x && y && strcmp(x, y) == 0);
        words_free(&wb);
    }
    words_free(&wa);
    return rc;
}

/* ======================================================================
 * JSON helpers
 * ====================================================================== */

/* The string at obj[key], or NULL when absent, null or not a string. */
static const char *jstr(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Reads a whole number at obj[key] (an integer, or a real without
 * fraction).  Returns 1 and sets *v, or 0 when there is none. */
static int jint(int64_t *v, const json_t *obj, const char *key)
{
    const json_t *x = json_object_get(obj, key);
    if (json_is_integer(x)) {
        *v = (int64_t)json_integer_value(x);
        return 1;
    }
    if (json_is_real(x)) {
        double d = json_real_value(x);
        if (d == floor(d) && fabs(d) < 9.0e18) {
            *v = (int64_t)d;
            return 1;
        }
    }
    return 0;
}

/* Parses a span's attrs; NULL text gives an empty object.  *bad is
 * incremented when the text is not a JSON object (then also an empty one). */
static json_t *attrs_parse(const char *text, uint64_t *bad)
{
    if (text) {
        json_t *o = json_loads(text, 0, NULL);
        if (json_is_object(o))
            return o;
        json_decref(o);
        (*bad)++;
    }
    return json_object();
}

/* ======================================================================
 * Gold files
 * ====================================================================== */

struct lede_gold {
    json_t *root;
    unsigned layers;
};

/* Formats "ORIGIN: FIELD: message" into err; returns LEDE_EPARSE. */
static int gold_fail(char *err, size_t cap, const char *origin, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int gold_fail(char *err, size_t cap, const char *origin, const char *fmt, ...)
{
    if (cap) {
        int n = snprintf(err, cap, "%s: ", origin);
        if (n >= 0 && (size_t)n < cap) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err + n, cap - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return LEDE_EPARSE;
}

typedef struct gold_check {
    char *err;
    size_t cap;
    const char *origin;
} gold_check;

/* obj[key] is absent, null or a string. */
static int check_opt_string(const gold_check *gc, const json_t *obj, const char *where, size_t i,
                            const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v) || json_is_string(v))
        return LEDE_OK;
    if (i == (size_t)-1)
        return gold_fail(gc->err, gc->cap, gc->origin, "%s.%s: not a string or null", where, key);
    return gold_fail(gc->err, gc->cap, gc->origin, "%s[%zu].%s: not a string or null", where, i, key);
}

/* root[key] is absent, null, or an array of strings. */
static int check_string_array(const gold_check *gc, const json_t *parent, const char *key)
{
    const json_t *a = json_object_get(parent, key);
    if (!a || json_is_null(a))
        return LEDE_OK;
    if (!json_is_array(a))
        return gold_fail(gc->err, gc->cap, gc->origin, "%s: not an array", key);
    for (size_t i = 0; i < json_array_size(a); i++)
        if (!json_is_string(json_array_get(a, i)))
            return gold_fail(gc->err, gc->cap, gc->origin, "%s[%zu]: not a string", key, i);
    return LEDE_OK;
}

static int check_meta(const gold_check *gc, const json_t *meta)
{
    static const char *const fields[] = { "title", "published", "event_date", "outlet", "dateline" };
    if (!json_is_object(meta))
        return gold_fail(gc->err, gc->cap, gc->origin, "meta: not an object");
    for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
        int rc = check_opt_string(gc, meta, "meta", (size_t)-1, fields[f]);
        if (rc != LEDE_OK)
            return rc;
    }
    const json_t *agency = json_object_get(meta, "agency");
    if (json_is_string(agency))
        return LEDE_OK;
    return check_string_array(gc, meta, "agency") == LEDE_OK
               ? LEDE_OK
               : gold_fail(gc->err, gc->cap, gc->origin, "meta.agency: not a list of names");
}

static int quote_kind_valid(const char *kind)
{
    return kind &&
           (strcmp(kind, "direct") == 0 || strcmp(kind, "partial") == 0 || strcmp(kind, "indirect") == 0);
}

static int check_quotes(const gold_check *gc, const json_t *quotes)
{
    if (!json_is_array(quotes))
        return gold_fail(gc->err, gc->cap, gc->origin, "quotes: not an array");
    for (size_t i = 0; i < json_array_size(quotes); i++) {
        const json_t *q = json_array_get(quotes, i);
        if (!json_is_object(q))
            return gold_fail(gc->err, gc->cap, gc->origin, "quotes[%zu]: not an object", i);
        if (!jstr(q, "text"))
            return gold_fail(gc->err, gc->cap, gc->origin, "quotes[%zu].text: missing or not a string", i);
        if (!quote_kind_valid(jstr(q, "kind")))
            return gold_fail(gc->err, gc->cap, gc->origin,
                             "quotes[%zu].kind: not one of direct, partial, indirect", i);
        int rc = check_opt_string(gc, q, "quotes", i, "speaker");
        if (rc != LEDE_OK)
            return rc;
    }
    return LEDE_OK;
}

static int check_figures(const gold_check *gc, const json_t *figures)
{
    static const char *const numbers[] = { "count", "low", "high" };
    static const char *const strings[] = { "qualifier", "vague", "where", "scope", "as_of" };
    if (!json_is_array(figures))
        return gold_fail(gc->err, gc->cap, gc->origin, "figures: not an array");
    for (size_t i = 0; i < json_array_size(figures); i++) {
        const json_t *f = json_array_get(figures, i);
        if (!json_is_object(f))
            return gold_fail(gc->err, gc->cap, gc->origin, "figures[%zu]: not an object", i);
        if (!jstr(f, "category"))
            return gold_fail(gc->err, gc->cap, gc->origin, "figures[%zu].category: missing or not a string",
                             i);
        for (size_t k = 0; k < sizeof numbers / sizeof *numbers; k++) {
            const json_t *v = json_object_get(f, numbers[k]);
            if (v && !json_is_null(v) && !json_is_integer(v))
                return gold_fail(gc->err, gc->cap, gc->origin, "figures[%zu].%s: not an integer or null", i,
                                 numbers[k]);
        }
        for (size_t k = 0; k < sizeof strings / sizeof *strings; k++) {
            int rc = check_opt_string(gc, f, "figures", i, strings[k]);
            if (rc != LEDE_OK)
                return rc;
        }
    }
    return LEDE_OK;
}

/* Checks the whole file and sets gold->layers. */
static int gold_check_root(lede_gold *gold, const gold_check *gc)
{
    const json_t *root = gold->root;
    if (!json_is_object(root))
        return gold_fail(gc->err, gc->cap, gc->origin, "not a JSON object");
    const char *file = jstr(root, "file");
    if (!file || !*file)
        return gold_fail(gc->err, gc->cap, gc->origin, "file: missing or not a string");
    int rc = LEDE_OK;
    const json_t *v;
    if (rc == LEDE_OK && (v = json_object_get(root, "meta")) && !json_is_null(v))
        rc = check_meta(gc, v);
    if (rc == LEDE_OK && (v = json_object_get(root, "quotes")) && !json_is_null(v))
        rc = check_quotes(gc, v);
    if (rc == LEDE_OK && (v = json_object_get(root, "figures")) && !json_is_null(v))
        rc = check_figures(gc, v);
    if (rc == LEDE_OK)
        rc = check_string_array(gc, root, "boilerplate_lines");
    if (rc == LEDE_OK)
        rc = check_string_array(gc, root, "caption_lines");
    if (rc == LEDE_OK)
        rc = check_string_array(gc, root, "unattributed_quotes");
    for (int l = 0; rc == LEDE_OK && l < LEDE_EVAL_NLAYERS; l++) {
        v = json_object_get(root, layer_gold_keys[l]);
        if (v && !json_is_null(v))
            gold->layers |= BIT(l);
    }
    return rc;
}

int lede_gold_parse(lede_gold **out, char *err, size_t cap, const char *json, size_t len, const char *origin)
{
    *out = NULL;
    if (cap)
        err[0] = '\0';
    if (!origin)
        origin = "gold";
    lede_gold *gold = calloc(1, sizeof *gold);
    if (!gold)
        return LEDE_ENOMEM;
    json_error_t je;
    gold->root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!gold->root) {
        free(gold);
        return gold_fail(err, cap, origin, "line %d, column %d: %s", je.line, je.column, je.text);
    }
    gold_check gc = { err, cap, origin };
    int rc = gold_check_root(gold, &gc);
    if (rc != LEDE_OK) {
        lede_gold_free(gold);
        return rc;
    }
    *out = gold;
    return LEDE_OK;
}

/* Reads a whole file into a malloc'd buffer. */
static int read_file(char **out, size_t *len, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return LEDE_EIO;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    int rc = buf ? LEDE_OK : LEDE_ENOMEM;
    while (rc == LEDE_OK) {
        if (n == cap) {
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                rc = LEDE_ENOMEM;
                break;
            }
            buf = grown, cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                rc = LEDE_EIO;
            break;
        }
    }
    fclose(f);
    if (rc != LEDE_OK) {
        free(buf);
        return rc;
    }
    *out = buf;
    *len = n;
    return LEDE_OK;
}

int lede_gold_load(lede_gold **out, char *err, size_t cap, const char *path)
{
    char *buf;
    size_t len;
    *out = NULL;
    int rc = read_file(&buf, &len, path);
    if (rc == LEDE_EIO) {
        if (cap)
            snprintf(err, cap, "%s: cannot read: %s", path, strerror(errno));
        return rc;
    }
    if (rc != LEDE_OK)
        return rc;
    rc = lede_gold_parse(out, err, cap, buf, len, path);
    free(buf);
    return rc;
}

void lede_gold_free(lede_gold *gold)
{
    if (!gold)
        return;
    json_decref(gold->root);
    free(gold);
}

const char *lede_gold_file(const lede_gold *gold)
{
    return jstr(gold->root, "file");
}

unsigned lede_gold_layers(const lede_gold *gold)
{
    return gold->layers;
}

/* ======================================================================
 * Boilerplate and caption lines
 * ====================================================================== */

typedef struct interval {
    size_t a, b;
} interval;

static int cmp_interval(const void *x, const void *y)
{
    const interval *p = x, *q = y;
    return p->a < q->a ? -1 : p->a > q->a ? 1 : (p->b > q->b) - (p->b < q->b);
}

/* Clamps a span to the text, with start <= end. */
static void span_clamp(size_t *a, size_t *b, const lede_eval_span *s, size_t len)
{
    int64_t x = s->start < 0 ? 0 : s->start, y = s->end < 0 ? 0 : s->end;
    *a = (uint64_t)x > len ? len : (size_t)x;
    *b = (uint64_t)y > len ? len : (size_t)y;
    if (*b < *a)
        *b = *a;
}

/* The union of the spans as sorted disjoint intervals, *n of them. */
static int cover_build(interval **out, size_t *n, const lede_eval_span *spans, size_t n_spans, size_t len)
{
    interval *iv = malloc((n_spans + 1) * sizeof *iv);
    if (!iv)
        return LEDE_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n_spans; i++) {
        span_clamp(&iv[k].a, &iv[k].b, &spans[i], len);
        if (iv[k].b > iv[k].a)
            k++;
    }
    qsort(iv, k, sizeof *iv, cmp_interval);
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (m && iv[i].a <= iv[m - 1].b) {
            if (iv[i].b > iv[m - 1].b)
                iv[m - 1].b = iv[i].b;
        } else {
            iv[m++] = iv[i];
        }
    }
    *out = iv;
    *n = m;
    return LEDE_OK;
}

/* A walk through sorted disjoint intervals, queried with increasing ranges. */
typedef struct cover {
    const interval *iv;
    size_t n, j;
} cover;

/* Bytes of [a, b) inside the intervals. */
static size_t cover_count(cover *c, size_t a, size_t b)
{
    while (c->j < c->n && c->iv[c->j].b <= a)
        c->j++;
    size_t got = 0;
    for (size_t j = c->j; j < c->n && c->iv[j].a < b; j++) {
        size_t lo = a > c->iv[j].a ? a : c->iv[j].a;
        size_t hi = b < c->iv[j].b ? b : c->iv[j].b;
        got += hi > lo ? hi - lo : 0;
    }
    return got;
}

enum { REC_LINE, REC_BOILER, REC_CAPTION };

/* A line of the article or a gold entry, grouped by text. */
typedef struct line_rec {
    const char *s;
    size_t len;
    unsigned char kind;
    unsigned char pred; /* REC_LINE: bit 0 boilerplate, bit 1 caption predicted */
} line_rec;

static int cmp_line_rec(const void *x, const void *y)
{
    const line_rec *p = x, *q = y;
    if (p->len != q->len)
        return p->len < q->len ? -1 : 1;
    return memcmp(p->s, q->s, p->len);
}

typedef struct rec_list {
    line_rec *v;
    size_t n, cap;
} rec_list;

static int rec_push(rec_list *l, const char *s, size_t len, int kind, unsigned pred)
{
    if (lede_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) != LEDE_OK)
        return LEDE_ENOMEM;
    l->v[l->n++] = (line_rec){ s, len, (unsigned char)kind, (unsigned char)pred };
    return LEDE_OK;
}

/* Adds each non-empty trimmed line with the layers that cover at least
 * half of its non-space bytes. */
static int lines_collect(rec_list *out, const char *text, size_t len, cover cov[2])
{
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t first = end, last_end = pos, nonspace = 0, covered[2] = { 0, 0 };
        for (size_t i = pos; i < end;) {
            int32_t c;
            size_t k = decode(&c, text + i, end - i);
            if (!is_space_cp(c)) {
                if (first == end)
                    first = i;
                last_end = i + k;
                nonspace += k;
                covered[0] += cover_count(&cov[0], i, i + k);
                covered[1] += cover_count(&cov[1], i, i + k);
            }
            i += k;
        }
        if (nonspace) {
            unsigned pred = (2 * covered[0] >= nonspace ? 1u : 0u) | (2 * covered[1] >= nonspace ? 2u : 0u);
            if (rec_push(out, text + first, last_end - first, REC_LINE, pred) != LEDE_OK)
                return LEDE_ENOMEM;
        }
        pos = end + 1;
    }
    return LEDE_OK;
}

/* A malloc'd NFC copy of s; ASCII is NFC already. */
static int nfc_copy(char **out, size_t *len, const char *s)
{
    *len = strlen(s);
    if (!is_ascii(s, *len))
        return map_text(out, len, s, *len, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    *out = malloc(*len + 1);
    if (!*out)
        return LEDE_ENOMEM;
    memcpy(*out, s, *len + 1);
    return LEDE_OK;
}

/* Adds the gold lines of `key` in NFC, trimmed; the copies go to `keep`. */
static int gold_lines_collect(rec_list *out, rec_list *keep, const json_t *root, const char *key, int kind)
{
    const json_t *a = json_object_get(root, key);
    for (size_t i = 0; i < json_array_size(a); i++) {
        const char *s = json_string_value(json_array_get(a, i));
        char *nfc;
        size_t len, x, y;
        if (nfc_copy(&nfc, &len, s) != LEDE_OK)
            return LEDE_ENOMEM;
        if (rec_push(keep, nfc, len, kind, 0) != LEDE_OK) {
            free(nfc);
            return LEDE_ENOMEM;
        }
        trim_bounds(nfc, len, &x, &y);
        if (rec_push(out, nfc + x, y - x, kind, 0) != LEDE_OK)
            return LEDE_ENOMEM;
    }
    return LEDE_OK;
}

static uint64_t sub0(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

/* The counts of one distinct line text: n occurrences, p[] predicted per
 * layer, b boilerplate and c caption gold entries. */
static void lines_count_group(lede_eval_counts *out, uint64_t n, const uint64_t p[2], uint64_t b, uint64_t c)
{
    lede_eval_lines *bp = &out->boilerplate, *cap = &out->caption;
    bp->lines += n, cap->lines += n;
    bp->gold += b, cap->gold += c;
    bp->predicted += p[0], cap->predicted += p[1];
    bp->tp += p[0] < b ? p[0] : b;
    bp->fn += sub0(b, p[0]);
    bp->fp += sub0(p[0], b + c);
    bp->content += sub0(n, b + c);
    bp->gold_absent += sub0(b, n);
    /* Symmetric: a boilerplate line marked caption is no error of the caption layer. */
    cap->tp += p[1] < c ? p[1] : c;
    cap->fn += sub0(c, p[1]);
    cap->fp += sub0(p[1], c + b);
    cap->gold_absent += sub0(c, n);
}

static void lines_count(lede_eval_counts *out, line_rec *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_line_rec);
    for (size_t i = 0; i < n;) {
        uint64_t occ = 0, p[2] = { 0, 0 }, b = 0, c = 0;
        size_t j = i;
        for (; j < n && cmp_line_rec(&v[i], &v[j]) == 0; j++) {
            if (v[j].kind == REC_LINE) {
                occ++;
                p[0] += v[j].pred & 1u;
                p[1] += (v[j].pred >> 1) & 1u;
            } else if (v[j].kind == REC_BOILER) {
                b++;
            } else {
                c++;
            }
        }
        lines_count_group(out, occ, p, b, c);
        i = j;
    }
}

static int score_lines(lede_eval_counts *out, const lede_gold *gold, const lede_eval_input *in, unsigned todo)
{
    interval *iv[2] = { NULL, NULL };
    size_t niv[2] = { 0, 0 };
    rec_list recs = { 0 }, keep = { 0 };
    int rc = LEDE_OK;
    for (int l = 0; l < 2 && rc == LEDE_OK; l++)
        if (todo & BIT(l))
            rc = cover_build(&iv[l], &niv[l], in->spans[l], in->n_spans[l], in->len);
    cover cov[2] = { { iv[0], niv[0], 0 }, { iv[1], niv[1], 0 } };
    if (rc == LEDE_OK)
        rc = lines_collect(&recs, in->text, in->len, cov);
    if (rc == LEDE_OK)
        rc = gold_lines_collect(&recs, &keep, gold->root, "boilerplate_lines", REC_BOILER);
    if (rc == LEDE_OK)
        rc = gold_lines_collect(&recs, &keep, gold->root, "caption_lines", REC_CAPTION);
    if (rc == LEDE_OK) {
        lede_eval_counts got;
        memset(&got, 0, sizeof got);
        lines_count(&got, recs.v, recs.n);
        if (todo & BIT(LEDE_EVAL_BOILERPLATE)) {
            out->boilerplate = got.boilerplate;
            out->boilerplate.articles = 1;
        }
        if (todo & BIT(LEDE_EVAL_CAPTION)) {
            out->caption = got.caption;
            out->caption.content = 0;
            out->caption.articles = 1;
        }
    }
    for (size_t i = 0; i < keep.n; i++)
        free((char *)keep.v[i].s);
    free(keep.v);
    free(recs.v);
    free(iv[0]);
    free(iv[1]);
    return rc;
}

/* ======================================================================
 * Quotes
 * ====================================================================== */

enum { GROUP_MARKED = 0, GROUP_INDIRECT = 1 };

typedef struct quote_item {
    words text;
    words speaker;
    int group;
    int optional; /* gold partial inside a gold indirect quote */
    long match;   /* index of the matched partner, or -1 */
} quote_item;

typedef struct quote_set {
    quote_item *gold, *pred;
    size_t n_gold, n_pred;
    words *unattributed;
    size_t n_unattributed;
} quote_set;

static void quote_set_free(quote_set *qs)
{
    for (size_t i = 0; i < qs->n_gold; i++)
        words_free(&qs->gold[i].text), words_free(&qs->gold[i].speaker);
    for (size_t i = 0; i < qs->n_pred; i++)
        words_free(&qs->pred[i].text), words_free(&qs->pred[i].speaker);
    for (size_t i = 0; i < qs->n_unattributed; i++)
        words_free(&qs->unattributed[i]);
    free(qs->gold);
    free(qs->pred);
    free(qs->unattributed);
}

/* P matches G when shared words cover >= 80% of G's and >= 50% of P's. */
static int quote_words_match(const words *g, const words *p, size_t *shared)
{
    if (!g->n || !p->n || p->n > 2 * g->n || 4 * g->n > 5 * p->n)
        return 0;
    *shared = words_shared(g, p);
    return 5 * *shared >= 4 * g->n && 2 * *shared >= p->n;
}

static int quote_gold_load(quote_set *qs, const json_t *root)
{
    const json_t *quotes = json_object_get(root, "quotes");
    const json_t *unattr = json_object_get(root, "unattributed_quotes");
    size_t n = json_array_size(quotes), nu = json_array_size(unattr);
    qs->gold = calloc(n + 1, sizeof *qs->gold);
    qs->unattributed = calloc(nu + 1, sizeof *qs->unattributed);
    if (!qs->gold || !qs->unattributed)
        return LEDE_ENOMEM;
    for (; qs->n_gold < n; qs->n_gold++) {
        const json_t *q = json_array_get(quotes, qs->n_gold);
        quote_item *g = &qs->gold[qs->n_gold];
        g->match = -1;
        g->group = strcmp(jstr(q, "kind"), "indirect") == 0 ? GROUP_INDIRECT : GROUP_MARKED;
        if (words_of(&g->text, jstr(q, "text")) != LEDE_OK ||
            words_of(&g->speaker, jstr(q, "speaker")) != LEDE_OK)
            return LEDE_ENOMEM;
    }
    for (; qs->n_unattributed < nu; qs->n_unattributed++)
        if (words_of(&qs->unattributed[qs->n_unattributed],
                     json_string_value(json_array_get(unattr, qs->n_unattributed))) != LEDE_OK)
            return LEDE_ENOMEM;
    /* A partial quoted inside an indirect one is optional. */
    for (size_t i = 0; i < n; i++) {
        if (strcmp(jstr(json_array_get(quotes, i), "kind"), "partial") != 0)
            continue;
        for (size_t j = 0; j < n && !qs->gold[i].optional; j++)
            if (qs->gold[j].group == GROUP_INDIRECT)
                qs->gold[i].optional = words_contain_run(&qs->gold[j].text, &qs->gold[i].text);
    }
    return LEDE_OK;
}

/* Moves a span inside the text and onto character boundaries. */
static void span_snap(size_t *a, size_t *b, const char *text, size_t len)
{
    while (*a < *b && *a < len && ((unsigned char)text[*a] & 0xc0) == 0x80)
        (*a)++;
    while (*b > *a && *b < len && ((unsigned char)text[*b] & 0xc0) == 0x80)
        (*b)--;
}

static int quote_pred_load(quote_set *qs, const lede_eval_input *in, uint64_t *bad)
{
    size_t n = in->n_spans[LEDE_EVAL_QUOTE];
    const lede_eval_span *spans = in->spans[LEDE_EVAL_QUOTE];
    qs->pred = calloc(n + 1, sizeof *qs->pred);
    if (!qs->pred)
        return LEDE_ENOMEM;
    for (; qs->n_pred < n; qs->n_pred++) {
        quote_item *p = &qs->pred[qs->n_pred];
        size_t a, b;
        p->match = -1;
        span_clamp(&a, &b, &spans[qs->n_pred], in->len);
        span_snap(&a, &b, in->text, in->len);
        json_t *attrs = attrs_parse(spans[qs->n_pred].attrs, bad);
        if (!attrs)
            return LEDE_ENOMEM;
        const char *kind = jstr(attrs, "kind");
        p->group = kind && strcmp(kind, "indirect") == 0 ? GROUP_INDIRECT : GROUP_MARKED;
        int rc = words_init(&p->text, in->text + a, b - a);
        if (rc == LEDE_OK)
            rc = words_of(&p->speaker, jstr(attrs, "speaker"));
        json_decref(attrs);
        if (rc != LEDE_OK)
            return rc;
    }
    return LEDE_OK;
}

typedef struct quote_pair {
    size_t g, p;
    uint64_t shared, total; /* Dice = 2 * shared / total */
} quote_pair;

/* Best pairs first: higher Dice overlap, then earlier gold, then earlier prediction. */
static int cmp_quote_pair(const void *x, const void *y)
{
    const quote_pair *a = x, *b = y;
    uint64_t l = a->shared * b->total, r = b->shared * a->total;
    if (l != r)
        return l > r ? -1 : 1;
    if (a->g != b->g)
        return a->g < b->g ? -1 : 1;
    return (a->p > b->p) - (a->p < b->p);
}

/* One-to-one matching of one group, best pairs first. */
static int quote_match_group(quote_set *qs, int group)
{
    size_t cap = 16, n = 0;
    quote_pair *pairs = malloc(cap * sizeof *pairs);
    if (!pairs)
        return LEDE_ENOMEM;
    for (size_t g = 0; g < qs->n_gold; g++) {
        if (qs->gold[g].group != group)
            continue;
        for (size_t p = 0; p < qs->n_pred; p++) {
            size_t shared;
            if (qs->pred[p].group != group ||
                !quote_words_match(&qs->gold[g].text, &qs->pred[p].text, &shared))
                continue;
            if (lede_grow((void **)&pairs, &cap, n + 1, sizeof *pairs) != LEDE_OK) {
                free(pairs);
                return LEDE_ENOMEM;
            }
            pairs[n++] = (quote_pair){ g, p, shared, qs->gold[g].text.n + qs->pred[p].text.n };
        }
    }
    qsort(pairs, n, sizeof *pairs, cmp_quote_pair);
    for (size_t i = 0; i < n; i++) {
        quote_item *g = &qs->gold[pairs[i].g], *p = &qs->pred[pairs[i].p];
        if (g->match < 0 && p->match < 0) {
            g->match = (long)pairs[i].p;
            p->match = (long)pairs[i].g;
        }
    }
    free(pairs);
    return LEDE_OK;
}

/* The last word of the predicted speaker equals the last word of the gold
 * speaker or, for "A and B", of either part.  No speaker on both sides is right. */
static int speaker_right(const words *gold, const words *pred)
{
    if (!gold->n || !pred->n)
        return !gold->n && !pred->n;
    const char *last = words_last(pred);
    for (size_t i = 0; i < gold->n; i++) {
        int part_end = i + 1 == gold->n || strcmp(gold->seq[i + 1], "and") == 0;
        if (part_end && strcmp(gold->seq[i], "and") != 0 && strcmp(gold->seq[i], last) == 0)
            return 1;
    }
    return 0;
}

/* An unmatched prediction without speaker that matches a scare-quoted phrase. */
static int quote_neutral(const quote_set *qs, const quote_item *p)
{
    if (p->speaker.n)
        return 0;
    for (size_t u = 0; u < qs->n_unattributed; u++) {
        size_t shared;
        if (quote_words_match(&qs->unattributed[u], &p->text, &shared))
            return 1;
    }
    return 0;
}

static void quote_count(lede_eval_quotes *out, const quote_set *qs)
{
    for (size_t i = 0; i < qs->n_gold; i++) {
        const quote_item *g = &qs->gold[i];
        lede_eval_prf *grp = g->group == GROUP_INDIRECT ? &out->indirect : &out->marked;
        out->optional += g->optional != 0;
        if (g->match >= 0) {
            int right = speaker_right(&g->speaker, &qs->pred[g->match].speaker);
            grp->tp++;
            out->optional_hit += g->optional != 0;
            out->matched++;
            out->speaker_right += right != 0;
            out->attributed.tp += right != 0;
            out->attributed.fp += !right;
            out->attributed.fn += !right;
        } else if (!g->optional) {
            grp->fn++;
            out->attributed.fn++;
        }
    }
    for (size_t i = 0; i < qs->n_pred; i++) {
        const quote_item *p = &qs->pred[i];
        if (p->match >= 0)
            continue;
        if (quote_neutral(qs, p)) {
            out->neutral++;
            continue;
        }
        (p->group == GROUP_INDIRECT ? &out->indirect : &out->marked)->fp++;
        out->attributed.fp++;
    }
}

static int score_quotes(lede_eval_quotes *out, const lede_gold *gold, const lede_eval_input *in)
{
    quote_set qs;
    memset(&qs, 0, sizeof qs);
    int rc = quote_gold_load(&qs, gold->root);
    if (rc == LEDE_OK)
        rc = quote_pred_load(&qs, in, &out->bad_attrs);
    if (rc == LEDE_OK)
        rc = quote_match_group(&qs, GROUP_MARKED);
    if (rc == LEDE_OK)
        rc = quote_match_group(&qs, GROUP_INDIRECT);
    if (rc == LEDE_OK) {
        quote_count(out, &qs);
        out->articles = 1;
    }
    quote_set_free(&qs);
    return rc;
}

/* ======================================================================
 * Figures
 * ====================================================================== */

static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y))
            return 0;
    }
    return *a == *b;
}

/* `dead` and `killed` are one class. */
static int same_class(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    if (ascii_ieq(a, "dead"))
        a = "killed";
    if (ascii_ieq(b, "dead"))
        b = "killed";
    return ascii_ieq(a, b);
}

/* An optional whole number of a figure. */
typedef struct opt_int {
    int set;
    int64_t v;
} opt_int;

static opt_int fig_num(const json_t *f, const char *key)
{
    opt_int o = { 0, 0 };
    o.set = jint(&o.v, f, key);
    return o;
}

static int opt_eq(opt_int a, opt_int b)
{
    return a.set == b.set && (!a.set || a.v == b.v);
}

/* Vague words equal ignoring a plural s on the last one ("dozen", "dozens"). */
static int vague_equal(int *eq, const char *a, const char *b)
{
    words wa, wb;
    *eq = 0;
    int rc = words_of(&wa, a);
    if (rc == LEDE_OK && (rc = words_of(&wb, b)) == LEDE_OK) {
        if (wa.n && wa.n == wb.n) {
            *eq = 1;
            for (size_t i = 0; i < wa.n && *eq; i++) {
                size_t la = strlen(wa.seq[i]), lb = strlen(wb.seq[i]);
                if (i + 1 == wa.n) {
                    la -= la > 1 && wa.seq[i][la - 1] == 's';
                    lb -= lb > 1 && wb.seq[i][lb - 1] == 's';
                }
                *eq = la == lb && memcmp(wa.seq[i], wb.seq[i], la) == 0;
            }
        }
        words_free(&wb);
    }
    words_free(&wa);
    return rc;
}

static int figure_match(int *match, const json_t *g, const json_t *p)
{
    *match = 0;
    if (!same_class(jstr(g, "category"), jstr(p, "category")))
        return LEDE_OK;
    opt_int gc = fig_num(g, "count"), pc = fig_num(p, "count");
    opt_int gl = fig_num(g, "low"), pl = fig_num(p, "low");
    opt_int gh = fig_num(g, "high"), ph = fig_num(p, "high");
    if ((gc.set && pc.set && gc.v == pc.v) || ((gl.set || gh.set) && opt_eq(gl, pl) && opt_eq(gh, ph))) {
        *match = 1;
        return LEDE_OK;
    }
    if (gc.set || !jstr(g, "vague") || !jstr(p, "vague"))
        return LEDE_OK;
    return vague_equal(match, jstr(g, "vague"), jstr(p, "vague"));
}

/* The date part of an ISO date or date-time; other text as it is.
 * Writes at most 10 bytes plus NUL to buf (capacity 11) or returns s. */
static const char *iso_date(char buf[11], const char *s)
{
    if (!s)
        return NULL;
    while (*s == ' ')
        s++;
    if (!*s)
        return NULL;
    int shaped = strlen(s) >= 10;
    for (int i = 0; shaped && i < 10; i++)
        shaped = (i == 4 || i == 7) ? s[i] == '-' : (s[i] >= '0' && s[i] <= '9');
    if (!shaped)
        return s;
    memcpy(buf, s, 10);
    buf[10] = '\0';
    return buf;
}

/* Equal ISO dates; a missing date equals only a missing date. */
static int date_equal(const char *a, const char *b)
{
    char ba[11], bb[11];
    a = iso_date(ba, a);
    b = iso_date(bb, b);
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int figure_attrs_count(lede_eval_figures *out, const json_t *g, const json_t *p)
{
    int eq, rc;
    if ((rc = str_words_equal(&eq, jstr(g, "qualifier"), jstr(p, "qualifier"))) != LEDE_OK)
        return rc;
    out->qualifier += eq != 0;
    if ((rc = str_words_equal(&eq, jstr(g, "scope"), jstr(p, "scope"))) != LEDE_OK)
        return rc;
    out->scope += eq != 0;
    out->as_of += date_equal(jstr(g, "as_of"), jstr(p, "as_of"));
    words gw;
    if ((rc = words_of(&gw, jstr(g, "where"))) != LEDE_OK)
        return rc;
    int has_place = gw.n > 0;
    words_free(&gw);
    if (!has_place)
        return LEDE_OK;
    if ((rc = str_edge_word_equal(&eq, jstr(g, "where"), jstr(p, "where"), 1)) != LEDE_OK)
        return rc;
    out->where_pairs++;
    out->where += eq != 0;
    return LEDE_OK;
}

typedef struct fig_pred {
    json_t *attrs;
    size_t start, end, index;
    int used;
} fig_pred;

static int cmp_fig_pred(const void *x, const void *y)
{
    const fig_pred *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Gold figures in file order each take the first unused matching
 * prediction in text order. */
static int figure_match_all(lede_eval_figures *out, const json_t *gold, fig_pred *pred, size_t n_pred)
{
    for (size_t i = 0; i < json_array_size(gold); i++) {
        const json_t *g = json_array_get(gold, i);
        size_t j = 0;
        int match = 0;
        for (; j < n_pred && !match; j++) {
            if (pred[j].used)
                continue;
            int rc = figure_match(&match, g, pred[j].attrs);
            if (rc != LEDE_OK)
                return rc;
        }
        if (!match) {
            out->found.fn++;
            continue;
        }
        pred[j - 1].used = 1;
        out->found.tp++;
        int rc = figure_attrs_count(out, g, pred[j - 1].attrs);
        if (rc != LEDE_OK)
            return rc;
    }
    for (size_t j = 0; j < n_pred; j++)
        out->found.fp += !pred[j].used;
    return LEDE_OK;
}

static int score_figures(lede_eval_figures *out, const lede_gold *gold, const lede_eval_input *in)
{
    size_t n = in->n_spans[LEDE_EVAL_FIGURE];
    const lede_eval_span *spans = in->spans[LEDE_EVAL_FIGURE];
    fig_pred *pred = calloc(n + 1, sizeof *pred);
    if (!pred)
        return LEDE_ENOMEM;
    int rc = LEDE_OK;
    for (size_t i = 0; i < n && rc == LEDE_OK; i++) {
        span_clamp(&pred[i].start, &pred[i].end, &spans[i], in->len);
        pred[i].index = i;
        pred[i].attrs = attrs_parse(spans[i].attrs, &out->bad_attrs);
        if (!pred[i].attrs)
            rc = LEDE_ENOMEM;
    }
    if (rc == LEDE_OK) {
        qsort(pred, n, sizeof *pred, cmp_fig_pred);
        rc = figure_match_all(out, json_object_get(gold->root, "figures"), pred, n);
        out->articles = 1;
    }
    for (size_t i = 0; i < n; i++)
        json_decref(pred[i].attrs);
    free(pred);
    return rc;
}

/* ======================================================================
 * Meta
 * ====================================================================== */

/* Agency names, case-folded and trimmed, sorted without repeats.  A single
 * string counts as a list of one. */
typedef struct name_set {
    char **v;
    size_t n;
} name_set;

static void name_set_free(name_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

static int name_set_add(name_set *s, const char *name)
{
    char *f;
    size_t len, a, b;
    int rc = map_text(&f, &len, name, strlen(name), UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (rc != LEDE_OK)
        return rc;
    trim_bounds(f, len, &a, &b);
    if (a == b) {
        free(f);
        return LEDE_OK;
    }
    memmove(f, f + a, b - a);
    f[b - a] = '\0';
    s->v[s->n++] = f;
    return LEDE_OK;
}

static int name_set_init(name_set *s, const json_t *v)
{
    size_t n = json_is_array(v) ? json_array_size(v) : 1;
    s->n = 0;
    s->v = calloc(n + 1, sizeof *s->v);
    if (!s->v)
        return LEDE_ENOMEM;
    int rc = LEDE_OK;
    if (json_is_string(v))
        rc = name_set_add(s, json_string_value(v));
    for (size_t i = 0; json_is_array(v) && i < n && rc == LEDE_OK; i++)
        if (json_is_string(json_array_get(v, i)))
            rc = name_set_add(s, json_string_value(json_array_get(v, i)));
    qsort(s->v, s->n, sizeof *s->v, cmp_cstr);
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (m && strcmp(s->v[m - 1], s->v[i]) == 0)
            free(s->v[i]);
        else
            s->v[m++] = s->v[i];
    }
    s->n = m;
    return rc;
}

static int agency_equal(int *eq, const json_t *a, const json_t *b)
{
    name_set sa = { 0 }, sb = { 0 };
    int rc = name_set_init(&sa, a);
    if (rc == LEDE_OK)
        rc = name_set_init(&sb, b);
    if (rc == LEDE_OK) {
        *eq = sa.n == sb.n;
        for (size_t i = 0; i < sa.n && *eq; i++)
            *eq = strcmp(sa.v[i], sb.v[i]) == 0;
    }
    name_set_free(&sa);
    name_set_free(&sb);
    return rc;
}

static int meta_compare(lede_eval_meta *out, const json_t *g, const json_t *p)
{
    int eq, rc;
    if ((rc = str_words_equal(&eq, jstr(g, "title"), jstr(p, "title"))) != LEDE_OK)
        return rc;
    out->title += eq != 0;
    out->published += date_equal(jstr(g, "published"), jstr(p, "published"));
    out->event_date += date_equal(jstr(g, "event_date"), jstr(p, "event_date"));
    if ((rc = str_edge_word_equal(&eq, jstr(g, "dateline"), jstr(p, "dateline"), 0)) != LEDE_OK)
        return rc;
    out->dateline += eq != 0;
    if ((rc = agency_equal(&eq, json_object_get(g, "agency"), json_object_get(p, "agency"))) != LEDE_OK)
        return rc;
    out->agency += eq != 0;
    if ((rc = str_words_equal(&eq, jstr(g, "outlet"), jstr(p, "outlet"))) != LEDE_OK)
        return rc;
    out->outlet += eq != 0;
    return LEDE_OK;
}

/* The first span is the article's record; none means every field unknown. */
static int score_meta(lede_eval_meta *out, const lede_gold *gold, const lede_eval_input *in)
{
    const char *attrs = in->n_spans[LEDE_EVAL_META] ? in->spans[LEDE_EVAL_META][0].attrs : NULL;
    json_t *p = attrs_parse(attrs, &out->bad_attrs);
    if (!p)
        return LEDE_ENOMEM;
    int rc = meta_compare(out, json_object_get(gold->root, "meta"), p);
    json_decref(p);
    out->articles = 1;
    out->records = in->n_spans[LEDE_EVAL_META] != 0;
    return rc;
}

/* ======================================================================
 * One article
 * ====================================================================== */

int lede_eval_score(lede_eval_counts *out, const lede_gold *gold, const lede_eval_input *in, unsigned layers)
{
    memset(out, 0, sizeof *out);
    unsigned todo = layers & gold->layers;
    int rc = LEDE_OK;
    if (todo & (BIT(LEDE_EVAL_BOILERPLATE) | BIT(LEDE_EVAL_CAPTION)))
        rc = score_lines(out, gold, in, todo);
    if (rc == LEDE_OK && (todo & BIT(LEDE_EVAL_QUOTE)))
        rc = score_quotes(&out->quote, gold, in);
    if (rc == LEDE_OK && (todo & BIT(LEDE_EVAL_FIGURE)))
        rc = score_figures(&out->figure, gold, in);
    if (rc == LEDE_OK && (todo & BIT(LEDE_EVAL_META)))
        rc = score_meta(&out->meta, gold, in);
    return rc;
}

static void prf_add(lede_eval_prf *t, const lede_eval_prf *o)
{
    t->tp += o->tp, t->fp += o->fp, t->fn += o->fn;
}

static void lines_add(lede_eval_lines *t, const lede_eval_lines *o)
{
    t->articles += o->articles, t->lines += o->lines, t->gold += o->gold, t->predicted += o->predicted;
    t->tp += o->tp, t->fp += o->fp, t->fn += o->fn;
    t->content += o->content, t->gold_absent += o->gold_absent;
}

void lede_eval_counts_add(lede_eval_counts *t, const lede_eval_counts *o)
{
    lines_add(&t->boilerplate, &o->boilerplate);
    lines_add(&t->caption, &o->caption);

    lede_eval_quotes *q = &t->quote;
    const lede_eval_quotes *oq = &o->quote;
    q->articles += oq->articles;
    prf_add(&q->marked, &oq->marked);
    prf_add(&q->indirect, &oq->indirect);
    prf_add(&q->attributed, &oq->attributed);
    q->matched += oq->matched, q->speaker_right += oq->speaker_right;
    q->optional += oq->optional, q->optional_hit += oq->optional_hit;
    q->neutral += oq->neutral, q->bad_attrs += oq->bad_attrs;

    lede_eval_figures *f = &t->figure;
    const lede_eval_figures *of = &o->figure;
    f->articles += of->articles;
    prf_add(&f->found, &of->found);
    f->qualifier += of->qualifier, f->scope += of->scope, f->as_of += of->as_of;
    f->where += of->where, f->where_pairs += of->where_pairs, f->bad_attrs += of->bad_attrs;

    lede_eval_meta *m = &t->meta;
    const lede_eval_meta *om = &o->meta;
    m->articles += om->articles, m->records += om->records, m->bad_attrs += om->bad_attrs;
    m->title += om->title, m->published += om->published, m->event_date += om->event_date;
    m->dateline += om->dateline, m->agency += om->agency, m->outlet += om->outlet;
}

/* ======================================================================
 * Ratios and JSON
 * ====================================================================== */

double lede_eval_ratio(uint64_t num, uint64_t den)
{
    return den ? (double)num / (double)den : NAN;
}

double lede_eval_precision(const lede_eval_prf *c)
{
    return lede_eval_ratio(c->tp, c->tp + c->fp);
}

double lede_eval_recall(const lede_eval_prf *c)
{
    return lede_eval_ratio(c->tp, c->tp + c->fn);
}

double lede_eval_f1(const lede_eval_prf *c)
{
    return lede_eval_ratio(2 * c->tp, 2 * c->tp + c->fp + c->fn);
}

/* Sets obj[key]; any failure leaves *ok 0 (checked once at the end). */
static void jset(json_t *obj, const char *key, json_t *v, int *ok)
{
    if (!v || json_object_set_new(obj, key, v) != 0)
        *ok = 0;
}

static json_t *jnum(uint64_t n)
{
    return json_integer((json_int_t)n);
}

static json_t *jratio(double r)
{
    return isnan(r) ? json_null() : json_real(r);
}

static void prf_fields(json_t *o, const lede_eval_prf *c, int *ok)
{
    jset(o, "tp", jnum(c->tp), ok);
    jset(o, "fp", jnum(c->fp), ok);
    jset(o, "fn", jnum(c->fn), ok);
    jset(o, "precision", jratio(lede_eval_precision(c)), ok);
    jset(o, "recall", jratio(lede_eval_recall(c)), ok);
    jset(o, "f1", jratio(lede_eval_f1(c)), ok);
}

static json_t *prf_json(const lede_eval_prf *c, int *ok)
{
    json_t *o = json_object();
    if (o)
        prf_fields(o, c, ok);
    return o;
}

/* {"right": n, "of": m, "share": n/m} */
static json_t *share_json(uint64_t right, uint64_t of, int *ok)
{
    json_t *o = json_object();
    if (o) {
        jset(o, "right", jnum(right), ok);
        jset(o, "of", jnum(of), ok);
        jset(o, "share", jratio(lede_eval_ratio(right, of)), ok);
    }
    return o;
}

static json_t *lines_json(const lede_eval_lines *c, int with_content, int *ok)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    lede_eval_prf prf = { c->tp, c->fp, c->fn };
    jset(o, "articles", jnum(c->articles), ok);
    jset(o, "lines", jnum(c->lines), ok);
    jset(o, "gold", jnum(c->gold), ok);
    jset(o, "predicted", jnum(c->predicted), ok);
    prf_fields(o, &prf, ok);
    if (with_content) {
        jset(o, "content_lines", jnum(c->content), ok);
        jset(o, "content_retention", jratio(c->content ? 1.0 - (double)c->fp / (double)c->content : NAN), ok);
    }
    jset(o, "gold_absent", jnum(c->gold_absent), ok);
    return o;
}

static json_t *quotes_json(const lede_eval_quotes *c, int *ok)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "articles", jnum(c->articles), ok);
    jset(o, "direct_partial", prf_json(&c->marked, ok), ok);
    jset(o, "indirect", prf_json(&c->indirect, ok), ok);
    jset(o, "attributed", prf_json(&c->attributed, ok), ok);
    jset(o, "speaker", share_json(c->speaker_right, c->matched, ok), ok);
    jset(o, "optional_partials", share_json(c->optional_hit, c->optional, ok), ok);
    jset(o, "neutral", jnum(c->neutral), ok);
    jset(o, "bad_attrs", jnum(c->bad_attrs), ok);
    return o;
}

static json_t *figures_json(const lede_eval_figures *c, int *ok)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "articles", jnum(c->articles), ok);
    prf_fields(o, &c->found, ok);
    jset(o, "qualifier", share_json(c->qualifier, c->found.tp, ok), ok);
    jset(o, "scope", share_json(c->scope, c->found.tp, ok), ok);
    jset(o, "as_of", share_json(c->as_of, c->found.tp, ok), ok);
    jset(o, "where", share_json(c->where, c->where_pairs, ok), ok);
    jset(o, "bad_attrs", jnum(c->bad_attrs), ok);
    return o;
}

static json_t *meta_json(const lede_eval_meta *c, int *ok)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "articles", jnum(c->articles), ok);
    jset(o, "records", jnum(c->records), ok);
    jset(o, "title", share_json(c->title, c->articles, ok), ok);
    jset(o, "published", share_json(c->published, c->articles, ok), ok);
    jset(o, "event_date", share_json(c->event_date, c->articles, ok), ok);
    jset(o, "dateline", share_json(c->dateline, c->articles, ok), ok);
    jset(o, "agency", share_json(c->agency, c->articles, ok), ok);
    jset(o, "outlet", share_json(c->outlet, c->articles, ok), ok);
    jset(o, "bad_attrs", jnum(c->bad_attrs), ok);
    return o;
}

json_t *lede_eval_counts_json(const lede_eval_counts *c, unsigned layers)
{
    json_t *o = json_object();
    int ok = o != NULL;
    if (ok && (layers & BIT(LEDE_EVAL_BOILERPLATE)))
        jset(o, "boilerplate", lines_json(&c->boilerplate, 1, &ok), &ok);
    if (ok && (layers & BIT(LEDE_EVAL_CAPTION)))
        jset(o, "caption", lines_json(&c->caption, 0, &ok), &ok);
    if (ok && (layers & BIT(LEDE_EVAL_QUOTE)))
        jset(o, "quote", quotes_json(&c->quote, &ok), &ok);
    if (ok && (layers & BIT(LEDE_EVAL_FIGURE)))
        jset(o, "figure", figures_json(&c->figure, &ok), &ok);
    if (ok && (layers & BIT(LEDE_EVAL_META)))
        jset(o, "meta", meta_json(&c->meta, &ok), &ok);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ======================================================================
 * The report
 * ====================================================================== */

struct lede_eval_report {
    char *gold_path;
    unsigned layers;
    char *db_layers[LEDE_EVAL_NLAYERS];
    lede_eval_counts total;
    lede_eval_row *rows;
    size_t n_rows, cap_rows;
    char **missing;
    size_t n_missing, cap_missing;
};

void lede_eval_report_free(lede_eval_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_rows; i++) {
        free((char *)r->rows[i].gold);
        free((char *)r->rows[i].key);
    }
    for (size_t i = 0; i < r->n_missing; i++)
        free(r->missing[i]);
    for (int l = 0; l < LEDE_EVAL_NLAYERS; l++)
        free(r->db_layers[l]);
    free(r->rows);
    free(r->missing);
    free(r->gold_path);
    free(r);
}

unsigned lede_eval_report_layers(const lede_eval_report *r)
{
    return r->layers;
}

const char *lede_eval_report_layer_name(const lede_eval_report *r, int layer)
{
    return layer >= 0 && layer < LEDE_EVAL_NLAYERS ? r->db_layers[layer] : NULL;
}

const lede_eval_counts *lede_eval_report_total(const lede_eval_report *r)
{
    return &r->total;
}

const lede_eval_row *lede_eval_report_rows(const lede_eval_report *r, size_t *n)
{
    if (n)
        *n = r->n_rows;
    return r->rows;
}

const char *const *lede_eval_report_missing(const lede_eval_report *r, size_t *n)
{
    if (n)
        *n = r->n_missing;
    return (const char *const *)r->missing;
}

static int report_add_row(lede_eval_report *r, const char *gold, const char *key, const lede_eval_counts *c)
{
    if (lede_grow((void **)&r->rows, &r->cap_rows, r->n_rows + 1, sizeof *r->rows) != LEDE_OK)
        return LEDE_ENOMEM;
    lede_eval_row *row = &r->rows[r->n_rows];
    row->gold = strdup(gold);
    row->key = strdup(key);
    row->counts = *c;
    if (!row->gold || !row->key) {
        free((char *)row->gold);
        free((char *)row->key);
        return LEDE_ENOMEM;
    }
    r->n_rows++;
    lede_eval_counts_add(&r->total, c);
    return LEDE_OK;
}

static int report_add_missing(lede_eval_report *r, const char *gold)
{
    if (lede_grow((void **)&r->missing, &r->cap_missing, r->n_missing + 1, sizeof *r->missing) != LEDE_OK)
        return LEDE_ENOMEM;
    if (!(r->missing[r->n_missing] = strdup(gold)))
        return LEDE_ENOMEM;
    r->n_missing++;
    return LEDE_OK;
}

json_t *lede_eval_report_json(const lede_eval_report *r)
{
    json_t *o = json_object(), *layers = json_object(), *missing = json_array(), *articles = json_array();
    int ok = o && layers && missing && articles;
    for (int l = 0; ok && l < LEDE_EVAL_NLAYERS; l++)
        if (r->layers & BIT(l))
            jset(layers, layer_names[l], json_string(r->db_layers[l]), &ok);
    for (size_t i = 0; ok && i < r->n_missing; i++)
        ok = json_array_append_new(missing, json_string(r->missing[i])) == 0;
    for (size_t i = 0; ok && i < r->n_rows; i++) {
        json_t *a = lede_eval_counts_json(&r->rows[i].counts, r->layers);
        ok = a != NULL;
        if (ok) {
            jset(a, "gold", json_string(r->rows[i].gold), &ok);
            jset(a, "key", json_string(r->rows[i].key), &ok);
            ok = ok && json_array_append_new(articles, a) == 0;
        }
    }
    if (ok) {
        jset(o, "gold", json_string(r->gold_path), &ok);
        jset(o, "files", jnum(r->n_rows + r->n_missing), &ok);
        jset(o, "scored", jnum(r->n_rows), &ok);
        jset(o, "layers", json_incref(layers), &ok);
        jset(o, "missing", json_incref(missing), &ok);
        jset(o, "total", lede_eval_counts_json(&r->total, r->layers), &ok);
        jset(o, "articles", json_incref(articles), &ok);
    }
    json_decref(layers);
    json_decref(missing);
    json_decref(articles);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ======================================================================
 * Loading articles and spans from the database
 * ====================================================================== */

typedef struct loader {
    lede_engine *engine;
    sqlite3_stmt *by_key, *by_suffix, *spans, *layer_used;
} loader;

/* One article as the scorer needs it. */
typedef struct loaded {
    int64_t id;
    char *key;
    char *text;
    size_t len;
    lede_eval_span *spans[LEDE_EVAL_NLAYERS];
    size_t n_spans[LEDE_EVAL_NLAYERS];
} loaded;

static void loaded_free(loaded *a)
{
    for (int l = 0; l < LEDE_EVAL_NLAYERS; l++) {
        for (size_t i = 0; i < a->n_spans[l]; i++)
            free((char *)a->spans[l][i].attrs);
        free(a->spans[l]);
    }
    free(a->key);
    free(a->text);
    memset(a, 0, sizeof *a);
}

static int loader_fail(loader *ld, const char *what)
{
    return lede_engine_fail(ld->engine, LEDE_EDB, "%s: %s", what, sqlite3_errmsg(ld->engine->db));
}

static int loader_open(loader *ld, lede_engine *engine)
{
    static const char *const sql[] = {
        "SELECT id, key, text FROM article WHERE key = ?1",
        /* Gold names the file; an article ingested from a parent folder has a longer key. */
        "SELECT id, key, text FROM article WHERE length(key) > length(?1) "
        "AND substr(key, -length(?1) - 1) = '/' || ?1 LIMIT 2",
        "SELECT start, \"end\", attrs FROM annotation WHERE article_id = ?1 AND layer = ?2 "
        "ORDER BY start, \"end\", id",
        "SELECT EXISTS (SELECT 1 FROM annotation WHERE layer = ?1)",
    };
    sqlite3_stmt **stmts[] = { &ld->by_key, &ld->by_suffix, &ld->spans, &ld->layer_used };
    memset(ld, 0, sizeof *ld);
    ld->engine = engine;
    if (!engine || !engine->db)
        return LEDE_EINVAL;
    for (size_t i = 0; i < sizeof stmts / sizeof *stmts; i++)
        if (sqlite3_prepare_v2(engine->db, sql[i], -1, stmts[i], NULL) != SQLITE_OK)
            return loader_fail(ld, "eval: preparing a query");
    return LEDE_OK;
}

static void loader_close(loader *ld)
{
    sqlite3_finalize(ld->by_key);
    sqlite3_finalize(ld->by_suffix);
    sqlite3_finalize(ld->spans);
    sqlite3_finalize(ld->layer_used);
}

static char *column_dup(sqlite3_stmt *st, int col, size_t *len)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    if (n)
        memcpy(out, s, n);
    out[n] = '\0';
    if (len)
        *len = n;
    return out;
}

/* Runs a bound article query: 1 found (filled in), 0 none, 2 several, <0 error. */
static int loader_find_with(loader *ld, sqlite3_stmt *st, const char *file, loaded *a)
{
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, file, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : loader_fail(ld, "eval: looking up an article");
    }
    a->id = sqlite3_column_int64(st, 0);
    a->key = column_dup(st, 1, NULL);
    a->text = column_dup(st, 2, &a->len);
    if (!a->key || !a->text)
        return LEDE_ENOMEM;
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 2 : 1;
}

/* 1 found, 0 missing, 2 ambiguous, or an error. */
static int loader_find(loader *ld, const char *file, loaded *a)
{
    int rc = loader_find_with(ld, ld->by_key, file, a);
    if (rc != 0)
        return rc;
    return loader_find_with(ld, ld->by_suffix, file, a);
}

static int loader_spans(loader *ld, loaded *a, int layer, const char *db_layer)
{
    sqlite3_stmt *st = ld->spans;
    size_t cap = 0;
    int want_attrs = layer != LEDE_EVAL_BOILERPLATE && layer != LEDE_EVAL_CAPTION;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, a->id);
    sqlite3_bind_text(st, 2, db_layer, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (lede_grow((void **)&a->spans[layer], &cap, a->n_spans[layer] + 1, sizeof *a->spans[layer]) != LEDE_OK)
            return LEDE_ENOMEM;
        lede_eval_span *s = &a->spans[layer][a->n_spans[layer]];
        s->start = sqlite3_column_int64(st, 0);
        s->end = sqlite3_column_int64(st, 1);
        s->attrs = NULL;
        if (want_attrs && sqlite3_column_type(st, 2) != SQLITE_NULL && !(s->attrs = column_dup(st, 2, NULL)))
            return LEDE_ENOMEM;
        a->n_spans[layer]++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? LEDE_OK : loader_fail(ld, "eval: reading spans");
}

static int loader_layer_used(loader *ld, const char *db_layer, int *used)
{
    sqlite3_stmt *st = ld->layer_used;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, db_layer, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *used = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? LEDE_OK : loader_fail(ld, "eval: checking a layer");
}

/* ======================================================================
 * The run
 * ====================================================================== */

static void diag(const lede_eval_opts *o, int severity, const char *where, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void diag(const lede_eval_opts *o, int severity, const char *where, const char *fmt, ...)
{
    if (!o->diag)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    o->diag(o->ud, severity, where, msg);
}

typedef struct path_list {
    char **v;
    size_t n, cap;
} path_list;

static void path_list_free(path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The gold files: `path` itself, or the *.json files in it, sorted. */
static int gold_list(path_list *out, lede_engine *engine, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return lede_engine_fail(engine, LEDE_ENOTFOUND, "%s: %s", path, strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        out->v = malloc(sizeof *out->v);
        if (!out->v || !(out->v[0] = strdup(path)))
            return LEDE_ENOMEM;
        out->n = out->cap = 1;
        return LEDE_OK;
    }
    DIR *dir = opendir(path);
    if (!dir)
        return lede_engine_fail(engine, LEDE_EIO, "%s: %s", path, strerror(errno));
    int rc = LEDE_OK;
    struct dirent *e;
    while (rc == LEDE_OK && (e = readdir(dir))) {
        if (e->d_name[0] == '.' || !ends_with(e->d_name, ".json"))
            continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *full = NULL;
        rc = lede_grow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v);
        if (rc == LEDE_OK && !(full = malloc(len)))
            rc = LEDE_ENOMEM;
        if (rc == LEDE_OK) {
            snprintf(full, len, "%s/%s", path, e->d_name);
            out->v[out->n++] = full;
        }
    }
    closedir(dir);
    if (rc != LEDE_OK)
        return rc;
    if (out->n == 0)
        return lede_engine_fail(engine, LEDE_ENOTFOUND, "%s: no *.json gold files", path);
    qsort(out->v, out->n, sizeof *out->v, cmp_cstr);
    return LEDE_OK;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int report_init(lede_eval_report **out, const char *gold_path, const lede_eval_opts *opts)
{
    lede_eval_report *r = calloc(1, sizeof *r);
    if (!r)
        return LEDE_ENOMEM;
    *out = r;
    r->layers = opts->layers ? opts->layers & LEDE_EVAL_ALL : LEDE_EVAL_ALL;
    if (!(r->gold_path = strdup(gold_path)))
        return LEDE_ENOMEM;
    for (int l = 0; l < LEDE_EVAL_NLAYERS; l++) {
        const char *name = opts->layer_names[l] ? opts->layer_names[l] : layer_names[l];
        if (!(r->db_layers[l] = strdup(name)))
            return LEDE_ENOMEM;
    }
    return LEDE_OK;
}

/* Warns about selected layers without a single span: usually a typo. */
static int warn_empty_layers(loader *ld, const lede_eval_report *r, const lede_eval_opts *opts)
{
    for (int l = 0; l < LEDE_EVAL_NLAYERS; l++) {
        int used;
        if (!(r->layers & BIT(l)))
            continue;
        int rc = loader_layer_used(ld, r->db_layers[l], &used);
        if (rc != LEDE_OK)
            return rc;
        if (!used)
            diag(opts, LEDE_DIAG_WARNING, r->db_layers[l],
                 "layer has no spans in the database: every %s gold item counts as missed", layer_names[l]);
    }
    return LEDE_OK;
}

/* Scores one gold file against its article; a missing article is recorded. */
static int eval_one(lede_eval_report *r, loader *ld, const char *path, const lede_eval_opts *opts)
{
    char err[512];
    lede_gold *gold;
    int rc = lede_gold_load(&gold, err, sizeof err, path);
    if (rc != LEDE_OK)
        return rc == LEDE_ENOMEM ? rc : lede_engine_fail(ld->engine, rc, "%s", err);
    loaded a;
    memset(&a, 0, sizeof a);
    const char *file = lede_gold_file(gold);
    int found = loader_find(ld, file, &a);
    if (found == 0 || found == 2) {
        diag(opts, opts->skip_missing ? LEDE_DIAG_WARNING : LEDE_DIAG_ERROR, path,
             found ? "several articles have keys ending in '/%s'" : "article '%s' is not in the database",
             file);
        rc = report_add_missing(r, base_name(path));
    } else if (found < 0) {
        rc = found;
    } else {
        unsigned todo = r->layers & lede_gold_layers(gold);
        for (int l = 0; l < LEDE_EVAL_NLAYERS && rc == LEDE_OK; l++)
            if (todo & BIT(l))
                rc = loader_spans(ld, &a, l, r->db_layers[l]);
        lede_eval_input in = { a.text, a.len, { NULL }, { 0 } };
        for (int l = 0; l < LEDE_EVAL_NLAYERS; l++)
            in.spans[l] = a.spans[l], in.n_spans[l] = a.n_spans[l];
        lede_eval_counts counts;
        if (rc == LEDE_OK)
            rc = lede_eval_score(&counts, gold, &in, r->layers);
        if (rc == LEDE_OK)
            rc = report_add_row(r, base_name(path), a.key, &counts);
    }
    loaded_free(&a);
    lede_gold_free(gold);
    if (rc == LEDE_ENOMEM)
        return lede_engine_fail(ld->engine, rc, "%s: out of memory", path);
    return rc;
}

static int eval_all(lede_eval_report *r, loader *ld, const path_list *files, const lede_eval_opts *opts)
{
    int rc = warn_empty_layers(ld, r, opts);
    for (size_t i = 0; i < files->n && rc == LEDE_OK; i++)
        rc = eval_one(r, ld, files->v[i], opts);
    if (rc == LEDE_OK && r->n_missing && !r->n_rows)
        rc = lede_engine_fail(ld->engine, LEDE_ENOTFOUND,
                              "none of the %zu gold files names an article in the database", files->n);
    if (rc == LEDE_OK && r->n_missing && !opts->skip_missing)
        rc = lede_engine_fail(ld->engine, LEDE_ENOTFOUND,
                              "%zu of %zu gold files name articles not in the database (first: %s); "
                              "ingest them or use --skip-missing",
                              r->n_missing, files->n, r->missing[0]);
    return rc;
}

int lede_eval_run(lede_eval_report **out, lede_engine *engine, const char *gold_path,
                  const lede_eval_opts *opts)
{
    lede_eval_opts defaults = LEDE_EVAL_OPTS_INIT;
    *out = NULL;
    if (!engine)
        return LEDE_EINVAL;
    if (!opts)
        opts = &defaults;
    if (!gold_path || opts->version != LEDE_EVAL_OPTS_VERSION)
        return lede_engine_fail(engine, LEDE_EINVAL, "eval: no gold path or unknown options version");
    lede_eval_report *r = NULL;
    path_list files = { 0 };
    loader ld;
    int rc = loader_open(&ld, engine);
    if (rc == LEDE_OK)
        rc = report_init(&r, gold_path, opts);
    if (rc == LEDE_OK)
        rc = gold_list(&files, engine, gold_path);
    if (rc == LEDE_OK)
        rc = eval_all(r, &ld, &files, opts);
    loader_close(&ld);
    path_list_free(&files);
    if (rc == LEDE_ENOMEM)
        lede_engine_fail(engine, rc, "eval: out of memory");
    if (rc != LEDE_OK) {
        lede_eval_report_free(r);
        return rc;
    }
    *out = r;
    return LEDE_OK;
}
