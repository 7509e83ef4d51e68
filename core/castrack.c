/* Tolls tracked across articles: see castrack.h.  Strings are interned
 * (equal strings are one pointer), so the places, dates and outlets that
 * recur from figure to figure are compared and grouped by pointer.  The
 * numbers are Lua's, integers and floats, because the layers' attrs were
 * first written by Lua and stay as they were: 3 (a count) and 3.0 (a
 * range's middle) are different figures, and integer sums wrap. */
#include "castrack.h"

#include "grow.h"
#include "hash.h"
#include "jsonpick.h"
#include "lede.h"
#include "text.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX /* no point: the end of a chain */

/* ---- Lua numbers ---- */

typedef enum num_kind { NUM_NONE, NUM_INT, NUM_FLOAT } num_kind;

typedef struct num {
    num_kind kind;
    union {
        int64_t i;
        double f;
    };
} num;

static num num_int(int64_t i) { return (num){.kind = NUM_INT, .i = i}; }
static num num_float(double f) { return (num){.kind = NUM_FLOAT, .f = f}; }
static double num_value(num a) { return a.kind == NUM_INT ? (double)a.i : a.f; }
static int both_int(num a, num b) { return a.kind == NUM_INT && b.kind == NUM_INT; }

static num num_add(num a, num b)
{
    return both_int(a, b) ? num_int((int64_t)((uint64_t)a.i + (uint64_t)b.i)) : num_float(num_value(a) + num_value(b));
}

static num num_sub(num a, num b)
{
    return both_int(a, b) ? num_int((int64_t)((uint64_t)a.i - (uint64_t)b.i)) : num_float(num_value(a) - num_value(b));
}

static num num_mul(num a, num b)
{
    return both_int(a, b) ? num_int((int64_t)((uint64_t)a.i * (uint64_t)b.i)) : num_float(num_value(a) * num_value(b));
}

/* a // b for a constant b > 0: floored. */
static num num_idiv(num a, int64_t b)
{
    if (a.kind == NUM_FLOAT)
        return num_float(floor(a.f / (double)b));
    int64_t q = a.i / b;
    return num_int(a.i % b != 0 && a.i < 0 ? q - 1 : q);
}

static num num_abs(num a)
{
    if (a.kind == NUM_FLOAT)
        return num_float(fabs(a.f));
    return num_int(a.i < 0 ? (int64_t)(0 - (uint64_t)a.i) : a.i);
}

static int fits_float(int64_t i) { return i >= -(INT64_C(1) << 53) && i <= (INT64_C(1) << 53); }

/* The integer i against the whole float g (NaN: not comparable, -2). */
static int int_vs_whole(int64_t i, double g)
{
    if (isnan(g))
        return -2;
    if (g >= 0x1p63)
        return -1;
    if (g < -0x1p63)
        return 1;
    return (i > (int64_t)g) - (i < (int64_t)g);
}

/* a < b, or a <= b, as Lua compares numbers: exactly, false with a NaN. */
static int num_less(num a, num b, int or_equal)
{
    if (both_int(a, b))
        return or_equal ? a.i <= b.i : a.i < b.i;
    if (a.kind == NUM_FLOAT && b.kind == NUM_FLOAT)
        return or_equal ? a.f <= b.f : a.f < b.f;
    if (a.kind == NUM_INT && fits_float(a.i))
        return or_equal ? (double)a.i <= b.f : (double)a.i < b.f;
    if (b.kind == NUM_INT && fits_float(b.i))
        return or_equal ? a.f <= (double)b.i : a.f < (double)b.i;
    if (a.kind == NUM_INT) { /* i < f is i < ceil(f); i <= f is i <= floor(f) */
        int c = int_vs_whole(a.i, or_equal ? floor(b.f) : ceil(b.f));
        return c != -2 && (or_equal ? c <= 0 : c < 0);
    }
    int c = int_vs_whole(b.i, or_equal ? ceil(a.f) : floor(a.f)); /* f < i is floor(f) < i */
    return c != -2 && (or_equal ? c >= 0 : c > 0);
}

static int num_eq(num a, num b)
{
    if (both_int(a, b))
        return a.i == b.i;
    if (isnan(num_value(a)) || isnan(num_value(b)))
        return 0;
    return !num_less(a, b, 0) && !num_less(b, a, 0);
}

/* math.max(a, b): b only when greater. */
static num num_max(num a, num b) { return num_less(a, b, 0) ? b : a; }

/* tostring of a float: "%.14g", ".0" added when it reads as an integer. */
static int float_text(char *out, size_t cap, double f)
{
    int k = snprintf(out, cap, "%.14g", f);
    if (out[strspn(out, "-0123456789")] == '\0')
        k += snprintf(out + k, cap - (size_t)k, ".0");
    return k;
}

/* fmt(n): math.floor(n + 0.5) as text, its digits grouped by three with
 * commas counted from the right ("gsub" over the reversed text). */
static void count_text(char out[80], num n)
{
    double r = floor(num_value(n) + 0.5);
    char plain[40], rev[80];
    if (r >= -0x1p63 && r < 0x1p63)
        snprintf(plain, sizeof plain, "%" PRId64, (int64_t)r);
    else
        float_text(plain, sizeof plain, r);
    size_t len = strlen(plain), k = 0;
    for (size_t i = 0; i < len;) {
        const char *c = plain + len - 1 - i; /* the reversed text's i-th byte */
        int group = i + 3 <= len && c[0] >= '0' && c[0] <= '9' && c[-1] >= '0' && c[-1] <= '9' && c[-2] >= '0' &&
                    c[-2] <= '9';
        for (int g = 0; g < (group ? 3 : 1); g++)
            rev[k++] = plain[len - 1 - i++];
        if (group)
            rev[k++] = ',';
    }
    size_t start = k && rev[k - 1] == ','; /* a leading comma, once reversed */
    size_t m = 0;
    for (size_t i = start; i < k; i++)
        out[m++] = rev[k - 1 - i];
    out[m] = '\0';
}

/* The float of the digits s[0, n) (no sign, no leading zero), as strtod
 * reads them: read from a copy, since a date's digits may be followed by
 * what strtod would read on ("e5", ".5").  More digits than a double holds
 * are infinite. */
static double digits_float(const char *s, size_t n)
{
    char text[400];
    if (n >= sizeof text)
        return HUGE_VAL;
    memcpy(text, s, n);
    text[n] = '\0';
    return strtod(text, NULL);
}

/* tonumber of the run of digits s[0, n) (negated: neg): an integer when
 * it fits, else a float. */
static num digits_number(const char *s, size_t n, int neg)
{
    while (n > 1 && s[0] == '0') {
        s++;
        n--;
    }
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (i >= 18 && v > (limit - d) / 10) { /* 18 digits always fit */
            double f = digits_float(s, n);
            return num_float(neg ? -f : f);
        }
        v = v * 10 + d;
    }
    return num_int(neg ? (int64_t)(0 - v) : (int64_t)v);
}

/* ---- interned strings ---- */

typedef struct tstr {
    struct tstr *folded; /* lede.fold of it, made on first use */
    char *json;          /* it as a JSON string, made on first use */
    size_t json_n;
    uint64_t hash;
    uint32_t mark; /* the generation that last saw it (for lists of distinct strings) */
    size_t n;
    char s[]; /* NUL-terminated */
} tstr;

typedef struct intern_table {
    tstr **slots;
    size_t mask, n;
} intern_table;

static int intern_grow(intern_table *it)
{
    size_t cap = it->slots ? (it->mask + 1) * 2 : 1024;
    tstr **slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
        return LEDE_ENOMEM;
    for (size_t i = 0; it->slots && i <= it->mask; i++) {
        if (it->slots[i] == NULL)
            continue;
        size_t h = (size_t)it->slots[i]->hash & (cap - 1);
        while (slots[h])
            h = (h + 1) & (cap - 1);
        slots[h] = it->slots[i];
    }
    free(it->slots);
    it->slots = slots;
    it->mask = cap - 1;
    return LEDE_OK;
}

/* The one copy of s[0, n); NULL when out of memory. */
static tstr *intern(intern_table *it, const char *s, size_t n)
{
    if ((it->n + 1) * 2 > (it->slots ? it->mask + 1 : 0) && intern_grow(it) != LEDE_OK)
        return NULL;
    uint64_t hash = lede_hash64(s, n, 7);
    size_t h = (size_t)hash & it->mask;
    for (; it->slots[h]; h = (h + 1) & it->mask)
        if (it->slots[h]->hash == hash && it->slots[h]->n == n && memcmp(it->slots[h]->s, s, n) == 0)
            return it->slots[h];
    tstr *t = malloc(sizeof *t + n + 1);
    if (t == NULL)
        return NULL;
    *t = (tstr){NULL, NULL, 0, hash, 0, n};
    memcpy(t->s, s, n);
    t->s[n] = '\0';
    it->slots[h] = t;
    it->n++;
    return t;
}

static void intern_free(intern_table *it)
{
    for (size_t i = 0; it->slots && i <= it->mask; i++) {
        if (it->slots[i])
            free(it->slots[i]->json);
        free(it->slots[i]);
    }
    free(it->slots);
}

/* Lua's string order (strcmp, NULs included). */
static int tstr_cmp(const tstr *a, const tstr *b)
{
    if (a == b)
        return 0;
    int c = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
    return c ? c : (a->n > b->n) - (a->n < b->n);
}

/* ---- the tracker ---- */

typedef struct article {
    tstr *key, *outlet, *outlet_key; /* outlet_key made for its first point */
    uint32_t rank;                   /* of its key among the articles' keys */
} article;

typedef struct figure {
    uint32_t article, start, end;
    int64_t id; /* the span's, the last of the layer's order */
    num count, low, high, confidence;
    tstr *qualifier, *category, *where, *scope, *as_of;
    tstr *words; /* the words of its line, read when first compared */
} figure;

typedef struct series {
    tstr *place, *cls, *scope;  /* scope NULL when the first figure has none */
    tstr *key_place, *key_scope; /* the key: place folded, class, scope or "" */
    uint32_t *best;              /* a figure per article, in the order of the articles */
    size_t n_best, cap_best;
    size_t first, n; /* its points */
    tstr *name;
    tstr **outlets; /* distinct outlets (by their keys), in the order of the points */
    size_t n_outlets;
    int64_t decreases, conflicts, repeats;
} series;

typedef struct point {
    uint32_t figure, series, notes, last_note; /* notes: 1-based into the tracker's, 0 none */
    num value, day;
    tstr *outlet, *outlet_key;
} point;

/* A note of a point, in a list: the series count them by kind as they are made. */
typedef struct note {
    tstr *text;
    uint32_t next;
} note;

/* The fields of a toll and of a series row, in the order of init.lua. */
typedef enum toll_field {
    T_SERIES, T_PLACE, T_CATEGORY, T_SCOPE, T_SEQ, T_AS_OF, T_COUNT, T_LOW, T_HIGH, T_QUALIFIER, T_OUTLET,
    T_PREVIOUS, T_CHANGE, T_MOVEMENT, T_NOTES, T_UNKNOWN
} toll_field;

static const char *const TOLL_FIELDS[T_UNKNOWN] = {"series",    "place",  "category", "scope",  "seq",
                                                  "as_of",     "count",  "low",      "high",   "qualifier",
                                                  "outlet",    "previous", "change", "movement", "notes"};

typedef enum row_field {
    R_SERIES, R_PLACE, R_CATEGORY, R_SCOPE, R_POINTS, R_FIRST_AS_OF, R_LAST_AS_OF, R_FIRST, R_LAST, R_CHANGE,
    R_TREND, R_DECREASES, R_CONFLICTS, R_REPEATS, R_OUTLETS, R_UNKNOWN
} row_field;

static const char *const ROW_FIELDS[R_UNKNOWN] = {
    "series", "place", "category", "scope", "points", "first_as_of", "last_as_of", "first",
    "last",   "change", "trend",   "decreases", "conflicts", "repeats", "outlets"};

/* A layer's declared fields: the id of each, and the text written before
 * its value ("{\"name\":", then ",\"name\":"), made once. */
typedef struct layout {
    int *ids;
    lede_jsonw keys; /* the texts, one after another */
    size_t *ends;    /* where each ends in keys */
    size_t n;
} layout;

struct cas_tracker {
    num tolerance;
    intern_table strings;
    tstr *empty, *nil, *dead, *killed, *cumulative;
    article *articles;
    size_t n_articles, cap_articles;
    figure *figures;
    size_t n_figures, cap_figures;
    series *series;
    size_t n_series, cap_series;
    uint32_t *series_slots; /* index + 1 into series, by key */
    size_t series_mask;
    point *points;
    size_t n_points, cap_points;
    note *notes;
    size_t n_notes, cap_notes;
    uint32_t *tolls; /* points in the order they are written */
    uint32_t gen;    /* for tstr.mark */
    layout tolls_layout, rows_layout;
    tstr *last_read[5]; /* the strings of the figure read last */
    char *scratch;      /* unescaped strings, notes */
    size_t scratch_cap;
    char err[256];
};

static int fail(cas_tracker *t, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->err, sizeof t->err, fmt, ap);
    va_end(ap);
    return status;
}

const char *cas_tracker_error(const cas_tracker *t) { return t->err; }

static int scratch_room(cas_tracker *t, size_t n)
{
    if (n <= t->scratch_cap)
        return LEDE_OK;
    char *p = realloc(t->scratch, n);
    if (p == NULL)
        return LEDE_ENOMEM;
    t->scratch = p;
    t->scratch_cap = n;
    return LEDE_OK;
}

int cas_tracker_new(cas_tracker **out, double tolerance)
{
    cas_tracker *t = calloc(1, sizeof *t);
    *out = t;
    if (t == NULL)
        return LEDE_ENOMEM;
    t->tolerance = num_float(tolerance);
    t->empty = intern(&t->strings, "", 0);
    t->nil = intern(&t->strings, "nil", 3);
    t->dead = intern(&t->strings, "dead", 4);
    t->killed = intern(&t->strings, "killed", 6);
    t->cumulative = intern(&t->strings, "cumulative", 10);
    if (!t->empty || !t->nil || !t->dead || !t->killed || !t->cumulative) {
        cas_tracker_free(t);
        *out = NULL;
        return LEDE_ENOMEM;
    }
    return LEDE_OK;
}

void cas_tracker_free(cas_tracker *t)
{
    if (t == NULL)
        return;
    for (size_t s = 0; s < t->n_series; s++) {
        free(t->series[s].best);
        free(t->series[s].outlets);
    }
    intern_free(&t->strings);
    free(t->articles);
    free(t->figures);
    free(t->series);
    free(t->series_slots);
    free(t->points);
    free(t->notes);
    free(t->tolls);
    layout *layouts[] = {&t->tolls_layout, &t->rows_layout};
    for (int k = 0; k < 2; k++) {
        free(layouts[k]->ids);
        free(layouts[k]->keys.p);
        free(layouts[k]->ends);
    }
    free(t->scratch);
    free(t);
}

int cas_tracker_article(cas_tracker *t, const char *key, const char *outlet)
{
    if (lede_grow((void **)&t->articles, &t->cap_articles, t->n_articles + 1, sizeof *t->articles) != LEDE_OK)
        return LEDE_ENOMEM;
    article *a = &t->articles[t->n_articles];
    *a = (article){intern(&t->strings, key, strlen(key)), intern(&t->strings, outlet, strlen(outlet)), NULL, 0};
    if (a->key == NULL || a->outlet == NULL)
        return LEDE_ENOMEM;
    t->n_articles++;
    return LEDE_OK;
}

/* ---- reading a figure's attrs ---- */

/* The fields read, in the order the layer declares them (the reader finds
 * each at its first look). */
enum { FF_COUNT, FF_LOW, FF_HIGH, FF_QUALIFIER, FF_VAGUE, FF_CATEGORY, FF_WHERE, FF_SCOPE, FF_AS_OF,
       FF_CONFIDENCE, FF_SUBSET, FF_N };

static const char *const FIGURE_FIELDS[FF_N] = {"count",    "low",   "high",  "qualifier",  "vague", "category",
                                                "where",    "scope", "as_of", "confidence", "subset"};

static int is_null(lede_jsonpick_raw v) { return v.s == NULL || (v.n == 4 && memcmp(v.s, "null", 4) == 0); }

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* d digits after the point as a float, correctly rounded without strtod:
 * m < 2^53 and 10^d exact, so the one division rounds once. */
static int short_decimal(double *out, const char *s, size_t n)
{
    static const double POW10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    int64_t m = 0;
    size_t digits = 0, after = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            after = n - i - 1;
            continue;
        }
        if (!is_digit(s[i]) || ++digits > 15)
            return -1;
        m = m * 10 + (s[i] - '0');
    }
    *out = (double)m / POW10[after];
    return 0;
}

/* A JSON number as Lua's decoder reads it: an integer when it has no
 * fraction or exponent and fits, else a float.  -1 when v is not a number. */
static int read_number(num *out, lede_jsonpick_raw v)
{
    *out = (num){.kind = NUM_NONE};
    if (is_null(v))
        return 0;
    size_t i = v.s[0] == '-', digits = i;
    while (i < v.n && is_digit(v.s[i]))
        i++;
    size_t int_end = i;
    if (int_end == digits || (v.s[digits] == '0' && int_end > digits + 1))
        return -1;
    if (i < v.n && v.s[i] == '.') {
        size_t fraction = ++i;
        while (i < v.n && is_digit(v.s[i]))
            i++;
        if (i == fraction)
            return -1;
    }
    size_t exponent = i;
    if (i < v.n && (v.s[i] == 'e' || v.s[i] == 'E')) {
        i += i + 1 < v.n && (v.s[i + 1] == '+' || v.s[i + 1] == '-') ? 2 : 1;
        size_t d = i;
        while (i < v.n && is_digit(v.s[i]))
            i++;
        if (i == d)
            return -1;
    }
    if (i != v.n || v.n >= 64)
        return -1;
    if (int_end == v.n) {
        *out = digits_number(v.s + digits, v.n - digits, digits == 1);
        return 0;
    }
    double f;
    if (exponent == v.n && short_decimal(&f, v.s + digits, v.n - digits) == 0) { /* confidences: "0.85" */
        *out = num_float(digits ? -f : f);
        return 0;
    }
    char text[64];
    memcpy(text, v.s, v.n);
    text[v.n] = '\0';
    *out = num_float(strtod(text, NULL));
    return 0;
}

/* s[0, n) interned, the string last read for the same field first tried:
 * figures one after another share their category, scope, place, date. */
static tstr *intern_field(cas_tracker *t, tstr **last, const char *s, size_t n)
{
    if (*last == NULL || (*last)->n != n || memcmp((*last)->s, s, n) != 0)
        *last = intern(&t->strings, s, n);
    return *last;
}

/* A string member, interned; NULL for null or absent.  -1 when v is not a string. */
static int read_string(cas_tracker *t, tstr **out, tstr **last, lede_jsonpick_raw v)
{
    *out = NULL;
    if (is_null(v))
        return 0;
    if (v.n >= 2 && v.s[0] == '"' && v.s[v.n - 1] == '"' && !memchr(v.s + 1, '\\', v.n - 2)) {
        *out = intern_field(t, last, v.s + 1, v.n - 2); /* nothing to unescape */
        return *out ? 0 : LEDE_ENOMEM;
    }
    long n = lede_jsonpick_unescape(t->scratch, v);
    if (n < 0)
        return -1;
    *out = intern_field(t, last, t->scratch, (size_t)n);
    return *out ? 0 : LEDE_ENOMEM;
}

/* Lua's truth of a member: anything but null and false. */
static int truthy(lede_jsonpick_raw v) { return !is_null(v) && !(v.n == 5 && memcmp(v.s, "false", 5) == 0); }

/* Reads f's fields from attrs when it is a figure a series can take
 * (*counts): dated, placed, counted, not a sub-count, no vague word.  The
 * others are read no further, as the Lua pass looked no further at them.
 * On LEDE_EINVAL, *why says what is wrong. */
static int read_figure(cas_tracker *t, figure *f, const char *attrs, size_t len, int *counts, char why[64])
{
    lede_jsonpick_raw v[FF_N];
    if (lede_jsonpick_raws(v, attrs, len, FIGURE_FIELDS, FF_N) != 0)
        return snprintf(why, 64, "its attrs are not a JSON object"), LEDE_EINVAL;
    *counts = truthy(v[FF_AS_OF]) && truthy(v[FF_WHERE]) && !truthy(v[FF_SUBSET]) &&
              (truthy(v[FF_COUNT]) || truthy(v[FF_LOW])) && !truthy(v[FF_VAGUE]);
    if (!*counts)
        return LEDE_OK;
    if (scratch_room(t, len + 1) != LEDE_OK)
        return LEDE_ENOMEM;
    static const int number_fields[] = {FF_COUNT, FF_LOW, FF_HIGH, FF_CONFIDENCE};
    num *numbers[] = {&f->count, &f->low, &f->high, &f->confidence};
    for (int k = 0; k < 4; k++)
        if (read_number(numbers[k], v[number_fields[k]]) != 0)
            return snprintf(why, 64, "its field '%s' is not a number", FIGURE_FIELDS[number_fields[k]]),
                   LEDE_EINVAL;
    static const int string_fields[] = {FF_QUALIFIER, FF_CATEGORY, FF_WHERE, FF_SCOPE, FF_AS_OF};
    tstr **strings[] = {&f->qualifier, &f->category, &f->where, &f->scope, &f->as_of};
    for (int k = 0; k < 5; k++) {
        int rc = read_string(t, strings[k], &t->last_read[k], v[string_fields[k]]);
        if (rc == LEDE_ENOMEM)
            return rc;
        if (rc != 0)
            return snprintf(why, 64, "its field '%s' is not a string", FIGURE_FIELDS[string_fields[k]]),
                   LEDE_EINVAL;
    }
    return LEDE_OK;
}

/* f after g in the layer's order: article, start, end, id. */
static int figure_after(const figure *f, const figure *g)
{
    if (f->article != g->article)
        return f->article > g->article;
    if (f->start != g->start)
        return f->start > g->start;
    return f->end != g->end ? f->end > g->end : f->id > g->id;
}

int cas_tracker_figure(cas_tracker *t, uint32_t art, int64_t id, uint32_t start, uint32_t end, const char *attrs,
                       size_t len)
{
    if (lede_grow((void **)&t->figures, &t->cap_figures, t->n_figures + 1, sizeof *t->figures) != LEDE_OK)
        return LEDE_ENOMEM;
    figure f = {.article = art, .start = start, .end = end, .id = id};
    char why[64];
    int counts = 0;
    int rc = attrs ? read_figure(t, &f, attrs, len, &counts, why) : LEDE_OK;
    if (rc == LEDE_EINVAL)
        return fail(t, rc, "a figure of '%s' (bytes %u-%u): %s", t->articles[art].key->s, start, end, why);
    if (rc != LEDE_OK || !counts)
        return rc;
    size_t at = t->n_figures++; /* ties of a start come by id: those of a shorter span move before */
    for (; at > 0 && figure_after(&t->figures[at - 1], &f); at--)
        t->figures[at] = t->figures[at - 1];
    t->figures[at] = f;
    return LEDE_OK;
}

/* A piece of text: a note or a series name is made of a few, joined (a string may hold a
 * NUL, as Lua's %s keeps it). */
typedef struct piece {
    const char *s;
    size_t n;
} piece;

#define LIT(s) ((piece){s, sizeof(s) - 1})
#define STR(t) ((piece){(t)->s, (t)->n})

/* Joins the n pieces in t->scratch; returns their length, or -1 when out of memory. */
static long join(cas_tracker *t, const piece *pieces, size_t n)
{
    size_t len = 0;
    for (size_t k = 0; k < n; k++)
        len += pieces[k].n;
    if (scratch_room(t, len + 1) != LEDE_OK)
        return -1;
    char *d = t->scratch;
    for (size_t k = 0; k < n; k++) {
        memcpy(d, pieces[k].s, pieces[k].n);
        d += pieces[k].n;
    }
    return (long)len;
}

/* ---- series ---- */

static uint64_t series_hash(const tstr *place, const tstr *cls, const tstr *scope)
{
    const void *key[3] = {place, cls, scope};
    return lede_hash64(key, sizeof key, 11);
}

static int series_slots_grow(cas_tracker *t)
{
    size_t cap = t->series_slots ? (t->series_mask + 1) * 2 : 256;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
        return LEDE_ENOMEM;
    for (size_t i = 0; i < t->n_series; i++) {
        const series *s = &t->series[i];
        size_t h = (size_t)series_hash(s->key_place, s->cls, s->key_scope) & (cap - 1);
        while (slots[h])
            h = (h + 1) & (cap - 1);
        slots[h] = (uint32_t)i + 1;
    }
    free(t->series_slots);
    t->series_slots = slots;
    t->series_mask = cap - 1;
    return LEDE_OK;
}

/* The folded form of s (made once). */
static int folded(cas_tracker *t, tstr *s, tstr **out)
{
    if (s->folded == NULL) {
        char *f;
        size_t n;
        int rc = lede_text_fold(&f, &n, s->s, s->n);
        if (rc != LEDE_OK)
            return rc;
        s->folded = intern(&t->strings, f, n);
        free(f);
        if (s->folded == NULL)
            return LEDE_ENOMEM;
    }
    *out = s->folded;
    return LEDE_OK;
}

/* The series of figure f (same place folded, class and scope), made on its first figure. */
static int series_of(cas_tracker *t, const figure *f, series **out)
{
    tstr *cls = f->category == t->killed ? t->dead : f->category, *place;
    tstr *scope = f->scope ? f->scope : t->empty;
    int rc = folded(t, f->where, &place);
    if (rc == LEDE_EUTF8)
        return fail(t, rc, "the place '%s' of a figure of '%s' is not UTF-8", f->where->s,
                    t->articles[f->article].key->s);
    if (rc != LEDE_OK)
        return rc;
    if ((t->n_series + 1) * 2 > (t->series_slots ? t->series_mask + 1 : 0) && series_slots_grow(t) != LEDE_OK)
        return LEDE_ENOMEM;
    size_t h = (size_t)series_hash(place, cls, scope) & t->series_mask;
    for (; t->series_slots[h]; h = (h + 1) & t->series_mask) {
        series *s = &t->series[t->series_slots[h] - 1];
        if (s->key_place == place && s->cls == cls && s->key_scope == scope) {
            *out = s;
            return LEDE_OK;
        }
    }
    if (lede_grow((void **)&t->series, &t->cap_series, t->n_series + 1, sizeof *t->series) != LEDE_OK)
        return LEDE_ENOMEM;
    series *s = &t->series[t->n_series];
    memset(s, 0, sizeof *s);
    s->place = f->where;
    s->cls = cls;
    s->scope = f->scope;
    s->key_place = place;
    s->key_scope = scope;
    t->series_slots[h] = (uint32_t)++t->n_series;
    *out = s;
    return LEDE_OK;
}

/* Keeps figure i as its article's in s when it is the first, more
 * confident, or as confident and earlier (a headline repeats the body's
 * figure with the day of publication). */
static int keep_best(cas_tracker *t, series *s, uint32_t i)
{
    const figure *f = &t->figures[i];
    if (s->n_best == 0 || t->figures[s->best[s->n_best - 1]].article != f->article) {
        if (lede_grow((void **)&s->best, &s->cap_best, s->n_best + 1, sizeof *s->best) != LEDE_OK)
            return LEDE_ENOMEM;
        s->best[s->n_best++] = i;
        return LEDE_OK;
    }
    const figure *b = &t->figures[s->best[s->n_best - 1]];
    num c = f->confidence.kind ? f->confidence : num_int(0), bc = b->confidence.kind ? b->confidence : num_int(0);
    if (num_less(bc, c, 0) || (num_eq(c, bc) && tstr_cmp(f->as_of, b->as_of) < 0))
        s->best[s->n_best - 1] = i;
    return LEDE_OK;
}

/* The series, in the order of their first figures (the figures kept are
 * those a series can take). */
static int collect(cas_tracker *t)
{
    for (uint32_t i = 0; i < t->n_figures; i++) {
        const figure *f = &t->figures[i];
        if (f->category == NULL)
            return fail(t, LEDE_EINVAL, "a figure of '%s' (bytes %u-%u) has no category",
                        t->articles[f->article].key->s, f->start, f->end);
        series *s = NULL;
        int rc = series_of(t, f, &s);
        if (rc == LEDE_OK)
            rc = keep_best(t, s, i);
        if (rc != LEDE_OK)
            return rc;
    }
    return LEDE_OK;
}

/* ---- points ---- */

/* Days since 1970 of an ISO date (the civil calendar, no time zones), 0
 * when it does not start with digits-digits-digits; in Lua's numbers. */
static num days(const tstr *iso)
{
    const char *p = iso->s, *part[3];
    size_t len[3];
    for (int k = 0; k < 3; k++) {
        part[k] = p;
        while (is_digit(*p))
            p++;
        len[k] = (size_t)(p - part[k]);
        if (len[k] == 0 || (k < 2 && *p++ != '-'))
            return num_int(0);
    }
    num y = digits_number(part[0], len[0], 0), m = digits_number(part[1], len[1], 0);
    num d = digits_number(part[2], len[2], 0);
    if (num_less(m, num_int(2), 1))
        y = num_sub(y, num_int(1));
    num era = num_idiv(y, 400);
    num yoe = num_sub(y, num_mul(era, num_int(400)));
    num month = num_add(m, num_int(num_less(num_int(2), m, 0) ? -3 : 9));
    num doy = num_sub(num_add(num_idiv(num_add(num_mul(num_int(153), month), num_int(2)), 5), d), num_int(1));
    num doe = num_add(num_sub(num_add(num_mul(yoe, num_int(365)), num_idiv(yoe, 4)), num_idiv(yoe, 100)), doy);
    return num_sub(num_add(num_mul(era, num_int(146097)), doe), num_int(719468));
}

/* Outlet names compared loosely: folded, and "The Daily Harbor" is "Daily Harbor". */
static int outlet_key(cas_tracker *t, article *a, tstr **out)
{
    if (a->outlet_key == NULL) {
        tstr *f;
        int rc = folded(t, a->outlet, &f);
        if (rc == LEDE_EUTF8)
            return fail(t, rc, "the outlet '%s' of '%s' is not UTF-8", a->outlet->s, a->key->s);
        if (rc != LEDE_OK)
            return rc;
        size_t k = 3;
        while (k < f->n && strchr(" \t\n\v\f\r", f->s[k]) && f->s[k])
            k++;
        a->outlet_key = strncmp(f->s, "the", 3) == 0 && k > 3 ? intern(&t->strings, f->s + k, f->n - k) : f;
        if (a->outlet_key == NULL)
            return LEDE_ENOMEM;
    }
    *out = a->outlet_key;
    return LEDE_OK;
}

typedef struct dated {
    const tstr *as_of, *key;
    uint32_t figure;
} dated;

/* By date, then article: a total order (one figure per article). */
static int dated_cmp(const void *x, const void *y)
{
    const dated *a = x, *b = y;
    int c = tstr_cmp(a->as_of, b->as_of);
    return c ? c : tstr_cmp(a->key, b->key);
}

static int point_at(cas_tracker *t, point *p, uint32_t in_series, uint32_t i)
{
    const figure *f = &t->figures[i];
    article *a = &t->articles[f->article];
    if (!f->count.kind && !f->high.kind)
        return fail(t, LEDE_EINVAL, "a figure of '%s' (bytes %u-%u) has a low but no high", a->key->s, f->start,
                    f->end);
    /* a count, else the middle of the range: (low + high) / 2, a float */
    num value = f->count.kind ? f->count : num_float(num_value(num_add(f->low, f->high)) / 2);
    *p = (point){i, in_series, 0, 0, value, days(f->as_of), a->outlet, NULL};
    return outlet_key(t, a, &p->outlet_key);
}

/* The points of s, ordered by date, then article, and its name. */
static int make_points(cas_tracker *t, series *s)
{
    dated *order = malloc(s->n_best * sizeof *order);
    if (order == NULL || lede_grow((void **)&t->points, &t->cap_points, t->n_points + s->n_best, sizeof *t->points)) {
        free(order);
        return LEDE_ENOMEM;
    }
    for (size_t k = 0; k < s->n_best; k++) {
        const figure *f = &t->figures[s->best[k]];
        order[k] = (dated){f->as_of, t->articles[f->article].key, s->best[k]};
    }
    qsort(order, s->n_best, sizeof *order, dated_cmp);
    s->first = t->n_points;
    int rc = LEDE_OK;
    for (size_t k = 0; k < s->n_best && rc == LEDE_OK; k++)
        rc = point_at(t, &t->points[s->first + k], (uint32_t)(s - t->series), order[k].figure);
    free(order);
    if (rc != LEDE_OK)
        return rc;
    s->n = s->n_best;
    t->n_points += s->n;
    const piece name[] = {STR(s->place), LIT(" / "), STR(s->cls), LIT(" / "), s->scope ? STR(s->scope) : LIT("nil")};
    long n = join(t, name, 5);
    s->name = n < 0 ? NULL : intern(&t->strings, t->scratch, (size_t)n);
    return s->name ? LEDE_OK : LEDE_ENOMEM;
}

/* ---- notes ---- */

/* Adds a note, the n pieces joined, to point p. */
static int add_note(cas_tracker *t, size_t p, const piece *pieces, size_t n)
{
    long len = join(t, pieces, n);
    if (len < 0 || lede_grow((void **)&t->notes, &t->cap_notes, t->n_notes + 1, sizeof *t->notes) != LEDE_OK)
        return LEDE_ENOMEM;
    tstr *text = intern(&t->strings, t->scratch, (size_t)len);
    if (text == NULL)
        return LEDE_ENOMEM;
    t->notes[t->n_notes++] = (note){text, 0};
    point *pt = &t->points[p];
    if (pt->last_note)
        t->notes[pt->last_note - 1].next = (uint32_t)t->n_notes;
    else
        pt->notes = (uint32_t)t->n_notes;
    pt->last_note = (uint32_t)t->n_notes;
    return LEDE_OK;
}

/* Running totals that go down. */
static int decreases(cas_tracker *t, series *s)
{
    if (s->scope != t->cumulative)
        return LEDE_OK;
    const point *p = &t->points[s->first];
    for (size_t j = 1; j < s->n; j++) {
        if (!num_less(p[j].value, p[j - 1].value, 0))
            continue;
        char count[80];
        count_text(count, p[j - 1].value);
        s->decreases++;
        const piece text[] = {LIT("running total went down from "), {count, strlen(count)}, LIT(" ("),
                              STR(p[j - 1].outlet), LIT(", "), STR(t->figures[p[j - 1].figure].as_of), LIT(")")};
        int rc = add_note(t, s->first + j, text, 7);
        if (rc != LEDE_OK)
            return rc;
    }
    return LEDE_OK;
}

/* A point's figure: its qualifier (or "nil") and value, a float as its
 * text so that 3 (a count) and 3.0 (a range's middle) differ. */
typedef struct figure_key {
    const tstr *qualifier;
    num value;
    char text[40];
    uint32_t j;
} figure_key;

static int figure_cmp(const figure_key *a, const figure_key *b)
{
    if (a->qualifier != b->qualifier)
        return a->qualifier < b->qualifier ? -1 : 1;
    if (a->value.kind != b->value.kind)
        return a->value.kind < b->value.kind ? -1 : 1;
    if (a->value.kind == NUM_INT)
        return (a->value.i > b->value.i) - (a->value.i < b->value.i);
    return strcmp(a->text, b->text);
}

/* By figure, then place in the series. */
static int figure_key_cmp(const void *x, const void *y)
{
    const figure_key *a = x, *b = y;
    int c = figure_cmp(a, b);
    return c ? c : (a->j > b->j) - (a->j < b->j);
}

/* The points of s with the same figure, as chains in the order of the
 * series: first[j] is the first point with j's figure, after[j] the next
 * (NONE at the end). */
static int same_figures(cas_tracker *t, const series *s, uint32_t *first, uint32_t *after)
{
    figure_key *keys = malloc(s->n * sizeof *keys);
    if (keys == NULL)
        return LEDE_ENOMEM;
    for (size_t j = 0; j < s->n; j++) {
        const point *p = &t->points[s->first + j];
        const tstr *q = t->figures[p->figure].qualifier;
        keys[j] = (figure_key){q ? q : t->nil, p->value, "", (uint32_t)j};
        if (p->value.kind == NUM_FLOAT)
            float_text(keys[j].text, sizeof keys[j].text, p->value.f);
    }
    qsort(keys, s->n, sizeof *keys, figure_key_cmp);
    for (size_t k = 0; k < s->n; k++) {
        uint32_t j = keys[k].j;
        int same = k > 0 && figure_cmp(&keys[k - 1], &keys[k]) == 0;
        first[j] = same ? first[keys[k - 1].j] : j;
        after[j] = NONE;
        if (same)
            after[keys[k - 1].j] = j;
    }
    free(keys);
    return LEDE_OK;
}

/* A byte of a word: a letter or digit, or any byte of a multi-byte character. */
static int word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* The words of the line around figure i (a paragraph: news pages put one
 * per line), folded, for telling wire copy. */
static int line_words(cas_tracker *t, uint32_t i, cas_track_text_fn text_of, void *ud, tstr **out)
{
    figure *f = &t->figures[i];
    if (f->words == NULL) {
        const char *text;
        size_t len;
        int rc = text_of(ud, f->article, &text, &len);
        if (rc != LEDE_OK)
            return rc;
        size_t a = f->start, b = len;
        while (a > 0 && (a - 1 >= len || text[a - 1] != '\n'))
            a--;
        const char *nl = f->start <= len ? memchr(text + f->start, '\n', len - f->start) : NULL;
        if (nl)
            b = (size_t)(nl - text);
        char *fold;
        size_t n;
        rc = lede_text_fold(&fold, &n, text + a, a < b ? b - a : 0);
        if (rc == LEDE_EUTF8)
            return fail(t, rc, "the text of '%s' is not UTF-8", t->articles[f->article].key->s);
        if (rc != LEDE_OK)
            return rc;
        size_t k = 0; /* each run of bytes that are not a word's becomes a space */
        for (size_t c = 0; c < n;) {
            if (word_byte((unsigned char)fold[c])) {
                fold[k++] = fold[c++];
                continue;
            }
            while (c < n && !word_byte((unsigned char)fold[c]))
                c++;
            fold[k++] = ' ';
        }
        f->words = intern(&t->strings, fold, k);
        free(fold);
        if (f->words == NULL)
            return LEDE_ENOMEM;
    }
    *out = f->words;
    return LEDE_OK;
}

/* Another outlet's figure for the same day, beyond the tolerance. */
static int conflicts(cas_tracker *t, series *s, size_t j, size_t day_start)
{
    const point *p = &t->points[s->first];
    const tstr *as_of = t->figures[p[j].figure].as_of;
    num a = p[j].value;
    for (size_t o = day_start; o < s->n && t->figures[p[o].figure].as_of == as_of; o++) {
        num b = p[o].value;
        if (p[o].outlet_key == p[j].outlet_key ||
            !num_less(num_mul(t->tolerance, num_max(a, b)), num_abs(num_sub(a, b)), 0))
            continue;
        char count[80];
        count_text(count, b);
        s->conflicts++;
        const piece text[] = {LIT("conflicts with "), {count, strlen(count)}, LIT(" ("), STR(p[o].outlet),
                              LIT(") for the same day")};
        int rc = add_note(t, s->first + j, text, 5);
        if (rc != LEDE_OK)
            return rc;
    }
    return LEDE_OK;
}

/* The same figure in another outlet within three days: word for word,
 * wire copy. */
static int repeats(cas_tracker *t, series *s, size_t j, const uint32_t *first, const uint32_t *after,
                   cas_track_text_fn text_of, void *ud)
{
    const point *p = &t->points[s->first];
    for (uint32_t o = first[j]; o != NONE; o = after[o]) {
        if (p[o].outlet_key == p[j].outlet_key || !num_less(num_abs(num_sub(p[o].day, p[j].day)), num_int(3), 1))
            continue;
        tstr *mine, *theirs;
        int rc = line_words(t, p[j].figure, text_of, ud, &mine);
        if (rc == LEDE_OK)
            rc = line_words(t, p[o].figure, text_of, ud, &theirs);
        if (rc != LEDE_OK)
            return rc;
        s->repeats++;
        const piece text[] = {mine == theirs ? LIT("wire copy: the same sentence in ") : LIT("same figure in "),
                              STR(p[o].outlet), LIT(" ("), STR(t->figures[p[o].figure].as_of), LIT(")")};
        rc = add_note(t, s->first + j, text, 5);
        if (rc != LEDE_OK)
            return rc;
    }
    return LEDE_OK;
}

/* Movement along the series, then what other outlets said.  Points of
 * one day are next to each other, and points of one figure chained. */
static int analyse(cas_tracker *t, series *s, cas_track_text_fn text_of, void *ud)
{
    int rc = decreases(t, s);
    uint32_t *first = rc == LEDE_OK ? malloc(2 * s->n * sizeof *first) : NULL;
    if (first == NULL)
        return rc != LEDE_OK ? rc : LEDE_ENOMEM;
    uint32_t *after = first + s->n;
    rc = same_figures(t, s, first, after);
    const point *p = &t->points[s->first];
    size_t day_start = 0;
    for (size_t j = 0; j < s->n && rc == LEDE_OK; j++) {
        if (t->figures[p[day_start].figure].as_of != t->figures[p[j].figure].as_of)
            day_start = j;
        rc = conflicts(t, s, j, day_start);
        if (rc == LEDE_OK)
            rc = repeats(t, s, j, first, after, text_of, ud);
    }
    free(first);
    return rc;
}

/* The distinct outlets of s (by their keys), in the order of its points. */
static int series_outlets(cas_tracker *t, series *s)
{
    if ((s->outlets = malloc(s->n * sizeof *s->outlets)) == NULL)
        return LEDE_ENOMEM;
    uint32_t gen = ++t->gen;
    for (size_t j = 0; j < s->n; j++) {
        point *p = &t->points[s->first + j];
        if (p->outlet_key->mark != gen) {
            p->outlet_key->mark = gen;
            s->outlets[s->n_outlets++] = p->outlet;
        }
    }
    return LEDE_OK;
}

/* ---- the tolls, in the order they are written ---- */

typedef struct ranked {
    const tstr *key;
    uint32_t article;
} ranked;

static int ranked_cmp(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    int c = tstr_cmp(a->key, b->key);
    return c ? c : (a->article > b->article) - (a->article < b->article);
}

/* Articles by key, each's tolls by position (the order of its figures). */
static int order_tolls(cas_tracker *t)
{
    ranked *r = malloc((t->n_articles ? t->n_articles : 1) * sizeof *r);
    uint32_t *point_of = malloc((t->n_figures ? t->n_figures : 1) * sizeof *point_of);
    uint32_t *start = calloc(t->n_articles + 1, sizeof *start);
    t->tolls = malloc((t->n_points ? t->n_points : 1) * sizeof *t->tolls);
    if (r == NULL || point_of == NULL || start == NULL || t->tolls == NULL) {
        free(r);
        free(point_of);
        free(start);
        return LEDE_ENOMEM;
    }
    for (uint32_t a = 0; a < t->n_articles; a++)
        r[a] = (ranked){t->articles[a].key, a};
    qsort(r, t->n_articles, sizeof *r, ranked_cmp);
    for (uint32_t k = 0; k < t->n_articles; k++)
        t->articles[r[k].article].rank = k;
    for (size_t i = 0; i < t->n_figures; i++)
        point_of[i] = NONE;
    for (size_t p = 0; p < t->n_points; p++) {
        point_of[t->points[p].figure] = (uint32_t)p;
        start[t->articles[t->figures[t->points[p].figure].article].rank + 1]++;
    }
    for (size_t k = 0; k < t->n_articles; k++)
        start[k + 1] += start[k];
    for (size_t i = 0; i < t->n_figures; i++) /* a counting sort: figures are in order within an article */
        if (point_of[i] != NONE)
            t->tolls[start[t->articles[t->figures[i].article].rank]++] = point_of[i];
    free(r);
    free(point_of);
    free(start);
    return LEDE_OK;
}

int cas_tracker_run(cas_tracker *t, cas_track_text_fn text_of, void *ud)
{
    int rc = collect(t);
    for (size_t k = 0; k < t->n_series && rc == LEDE_OK; k++) {
        series *s = &t->series[k];
        rc = make_points(t, s);
        if (rc == LEDE_OK)
            rc = analyse(t, s, text_of, ud);
        if (rc == LEDE_OK)
            rc = series_outlets(t, s);
    }
    return rc == LEDE_OK ? order_tolls(t) : rc;
}

size_t cas_tracker_n_series(const cas_tracker *t) { return t->n_series; }
size_t cas_tracker_n_tolls(const cas_tracker *t) { return t->tolls ? t->n_points : 0; }

void cas_tracker_toll_span(const cas_tracker *t, size_t k, uint32_t *art, uint32_t *start, uint32_t *end)
{
    const figure *f = &t->figures[t->points[t->tolls[k]].figure];
    *art = f->article;
    *start = f->start;
    *end = f->end;
}

/* ---- writing ---- */

/* The layout of the declared fields[0, n), which must hold every one of names[0, n_names). */
static int make_layout(cas_tracker *t, layout *l, char *const *fields, size_t n, const char *const *names,
                       int n_names)
{
    for (int k = 0; k < n_names; k++) {
        size_t i = 0;
        while (i < n && strcmp(fields[i], names[k]) != 0)
            i++;
        if (i == n)
            return fail(t, LEDE_EINVAL, "has no field '%s'", names[k]);
    }
    free(l->ids);
    free(l->ends);
    l->keys.n = 0;
    l->ids = malloc((n ? n : 1) * sizeof *l->ids);
    l->ends = malloc((n ? n : 1) * sizeof *l->ends);
    if (l->ids == NULL || l->ends == NULL)
        return LEDE_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        int k = 0;
        while (k < n_names && strcmp(fields[i], names[k]) != 0)
            k++;
        l->ids[i] = k;
        if (lede_jsonw_raw(&l->keys, i ? "," : "{", 1) || lede_jsonw_string(&l->keys, fields[i]) ||
            lede_jsonw_raw(&l->keys, ":", 1))
            return LEDE_ENOMEM;
        l->ends[i] = l->keys.n;
    }
    l->n = n;
    return LEDE_OK;
}

int cas_tracker_toll_fields(cas_tracker *t, char *const *fields, size_t n)
{
    return make_layout(t, &t->tolls_layout, fields, n, TOLL_FIELDS, T_UNKNOWN);
}

int cas_tracker_row_fields(cas_tracker *t, char *const *fields, size_t n)
{
    return make_layout(t, &t->rows_layout, fields, n, ROW_FIELDS, R_UNKNOWN);
}

/* The text before field i of l. */
static int write_key(lede_jsonw *b, const layout *l, size_t i)
{
    size_t start = i ? l->ends[i - 1] : 0;
    return lede_jsonw_raw(b, l->keys.p + start, l->ends[i] - start);
}

/* The closing brace ("{}" for a layer of no fields). */
static int write_end(lede_jsonw *b, const layout *l)
{
    return l->n ? lede_jsonw_raw(b, "}", 1) : lede_jsonw_raw(b, "{}", 2);
}

static int write_num(lede_jsonw *b, num v)
{
    if (v.kind == NUM_INT)
        return lede_jsonw_int(b, v.i);
    return v.kind == NUM_FLOAT ? lede_jsonw_double(b, v.f) : lede_jsonw_raw(b, "null", 4);
}

/* s as a JSON string (NULL: null), escaped once: most recur from toll to
 * toll.  Bytes that are not UTF-8 (a figure's attrs are read back as they
 * are) are written as Lua's encoder writes them. */
static int write_str(lede_jsonw *b, tstr *s)
{
    if (s == NULL)
        return lede_jsonw_raw(b, "null", 4);
    if (s->json == NULL) {
        lede_jsonw text = {NULL, 0, 0};
        if (lede_jsonw_bytes(&text, s->s, s->n)) {
            free(text.p);
            return -1;
        }
        s->json = text.p;
        s->json_n = text.n;
    }
    return lede_jsonw_raw(b, s->json, s->json_n);
}

static const char *trend(num change, const char *flat)
{
    return num_less(num_int(0), change, 0) ? "up" : num_less(change, num_int(0), 0) ? "down" : flat;
}

/* The notes of a point, each once, in order. */
static int write_notes(cas_tracker *t, lede_jsonw *b, const point *p)
{
    uint32_t gen = ++t->gen;
    int bad = lede_jsonw_raw(b, "[", 1), any = 0;
    for (uint32_t k = p->notes; k && !bad; k = t->notes[k - 1].next) {
        tstr *text = t->notes[k - 1].text;
        if (text->mark == gen)
            continue;
        text->mark = gen;
        bad = (any++ && lede_jsonw_raw(b, ",", 1)) || write_str(b, text);
    }
    return bad || lede_jsonw_raw(b, "]", 1);
}

static int write_toll_field(cas_tracker *t, lede_jsonw *b, int id, const series *s, size_t j)
{
    const point *p = &t->points[s->first + j];
    const figure *f = &t->figures[p->figure];
    num change = j ? num_sub(p->value, p[-1].value) : (num){.kind = NUM_NONE};
    switch ((toll_field)id) {
    case T_SERIES: return write_str(b, s->name);
    case T_PLACE: return write_str(b, s->place);
    case T_CATEGORY: return write_str(b, s->cls);
    case T_SCOPE: return write_str(b, s->scope);
    case T_SEQ: return lede_jsonw_int(b, (int64_t)j + 1);
    case T_AS_OF: return write_str(b, f->as_of);
    case T_COUNT: return write_num(b, f->count);
    case T_LOW: return write_num(b, f->count.kind ? (num){.kind = NUM_NONE} : f->low);
    case T_HIGH: return write_num(b, f->count.kind ? (num){.kind = NUM_NONE} : f->high);
    case T_QUALIFIER: return write_str(b, f->qualifier);
    case T_OUTLET: return write_str(b, p->outlet);
    case T_PREVIOUS: return write_num(b, j ? p[-1].value : (num){.kind = NUM_NONE});
    case T_CHANGE: return write_num(b, change);
    case T_MOVEMENT: return lede_jsonw_string(b, j ? trend(change, "same") : "first");
    case T_NOTES: return write_notes(t, b, p);
    case T_UNKNOWN: break;
    }
    return lede_jsonw_raw(b, "null", 4);
}

int cas_tracker_toll_json(cas_tracker *t, size_t k, lede_jsonw *b)
{
    const point *p = &t->points[t->tolls[k]];
    const series *s = &t->series[p->series];
    const layout *l = &t->tolls_layout;
    b->n = 0;
    int bad = 0;
    for (size_t i = 0; i < l->n && !bad; i++)
        bad = write_key(b, l, i) || write_toll_field(t, b, l->ids[i], s, (size_t)(p - t->points) - s->first);
    return bad || write_end(b, l) ? -1 : 0;
}

static int write_outlets(lede_jsonw *b, const series *s)
{
    int bad = lede_jsonw_raw(b, "[", 1);
    for (size_t k = 0; k < s->n_outlets && !bad; k++)
        bad = (k && lede_jsonw_raw(b, ",", 1)) || write_str(b, s->outlets[k]);
    return bad || lede_jsonw_raw(b, "]", 1);
}

static int write_row_field(const cas_tracker *t, lede_jsonw *b, int id, const series *s)
{
    const point *p = &t->points[s->first];
    num change = num_sub(p[s->n - 1].value, p[0].value);
    switch ((row_field)id) {
    case R_SERIES: return write_str(b, s->name);
    case R_PLACE: return write_str(b, s->place);
    case R_CATEGORY: return write_str(b, s->cls);
    case R_SCOPE: return write_str(b, s->scope);
    case R_POINTS: return lede_jsonw_int(b, (int64_t)s->n);
    case R_FIRST_AS_OF: return write_str(b, t->figures[p[0].figure].as_of);
    case R_LAST_AS_OF: return write_str(b, t->figures[p[s->n - 1].figure].as_of);
    case R_FIRST: return write_num(b, p[0].value);
    case R_LAST: return write_num(b, p[s->n - 1].value);
    case R_CHANGE: return write_num(b, change);
    case R_TREND: return lede_jsonw_string(b, s->n == 1 ? "single" : trend(change, "flat"));
    case R_DECREASES: return lede_jsonw_int(b, s->decreases);
    case R_CONFLICTS: return lede_jsonw_int(b, s->conflicts);
    case R_REPEATS: return lede_jsonw_int(b, s->repeats);
    case R_OUTLETS: return write_outlets(b, s);
    case R_UNKNOWN: break;
    }
    return lede_jsonw_raw(b, "null", 4);
}

int cas_tracker_row_json(const cas_tracker *t, size_t s, lede_jsonw *b)
{
    const layout *l = &t->rows_layout;
    b->n = 0;
    int bad = 0;
    for (size_t i = 0; i < l->n && !bad; i++)
        bad = write_key(b, l, i) || write_row_field(t, b, l->ids[i], &t->series[s]);
    return bad || write_end(b, l) ? -1 : 0;
}
