/* Speakers of a quote layer: see quotespk.h.  The attrs are flat JSON
 * objects; a small reader takes the three fields it needs from each, which
 * is several times faster than grouping json_extract() in SQL. */
#define _POSIX_C_SOURCE 200809L
#include "quotespk.h"

#include "grow.h"
#include "hash.h"
#include "lede.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

/* ---- reading the fields of a flat JSON object ---- */

typedef struct field {
    char *s; /* decoded string, or NULL (null or absent) */
} field;

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* Reads the string at p (after its opening quote) into buf (room for the
 * whole rest of the text); returns the position after the closing quote. */
static const char *read_string(const char *p, char *buf)
{
    char *d = buf;
    while (*p && *p != '"') {
        if (*p != '\\') {
            *d++ = *p++;
            continue;
        }
        p++;
        unsigned cp;
        switch (*p) {
        case 'n': *d++ = '\n'; break;
        case 't': *d++ = '\t'; break;
        case 'r': *d++ = '\r'; break;
        case 'b': *d++ = '\b'; break;
        case 'f': *d++ = '\f'; break;
        case 'u':
            if (lede_hex4(&cp, p + 1) == 0) {
                p += 4;
                unsigned lo;
                if (cp >= 0xD800 && cp < 0xDC00 && p[1] == '\\' && p[2] == 'u' && lede_hex4(&lo, p + 3) == 0 &&
                    lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                }
                d += lede_utf8_put(d, cp);
            }
            break;
        case '\0': p--; break;
        default: *d++ = *p;
        }
        p++;
    }
    *d = '\0';
    return *p == '"' ? p + 1 : p;
}

/* Skips a value that is not a string: number, null, true, false. */
static const char *skip_value(const char *p)
{
    while (*p && *p != ',' && *p != '}')
        p++;
    return p;
}

/* Fills speaker, type and role from the object `json`; buf must hold
 * 3 * (strlen(json) + 1) bytes.  Returns -1 when it is not an object. */
static int read_fields(const char *json, char *buf, size_t cap, field *speaker, field *type, field *role)
{
    speaker->s = type->s = role->s = NULL;
    const char *p = skip_ws(json);
    if (*p++ != '{')
        return -1;
    char *key = buf, *val = buf + cap;
    char *out = val + cap;
    while (*(p = skip_ws(p)) == '"') {
        p = read_string(p + 1, key);
        p = skip_ws(p);
        if (*p++ != ':')
            return -1;
        p = skip_ws(p);
        field *f = strcmp(key, "speaker") == 0 ? speaker : strcmp(key, "speaker_type") == 0 ? type
                 : strcmp(key, "role") == 0 ? role : NULL;
        if (*p == '"') {
            p = read_string(p + 1, val);
            if (f) {
                size_t n = strlen(val) + 1;
                memcpy(out, val, n);
                f->s = out;
                out += n;
            }
        } else {
            p = skip_value(p);
        }
        p = skip_ws(p);
        if (*p == ',')
            p++;
    }
    return 0;
}

/* ---- grouping ---- */

typedef struct group_table {
    size_t *slots; /* index + 1 into the records; 0 empty */
    size_t mask;
    lede_quote_speaker *v;
    int64_t *last_article; /* parallel to v, with its own capacity */
    size_t n, cap, cap_last;
} group_table;

static uint64_t key_hash(const char *name, const char *type)
{
    return lede_hash64(type ? type : "", type ? strlen(type) : 0, lede_hash64(name, strlen(name), 1));
}

static int same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static int table_grow(group_table *t)
{
    size_t cap = t->slots ? (t->mask + 1) * 2 : 256;
    size_t *slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
        return LEDE_ENOMEM;
    for (size_t i = 0; i < t->n; i++) {
        size_t h = (size_t)key_hash(t->v[i].name, t->v[i].type) & (cap - 1);
        while (slots[h])
            h = (h + 1) & (cap - 1);
        slots[h] = i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->mask = cap - 1;
    return LEDE_OK;
}

static lede_quote_speaker *group_of(group_table *t, const char *name, const char *type, int64_t **last)
{
    if ((t->n + 1) * 2 > (t->slots ? t->mask + 1 : 0) && table_grow(t) != LEDE_OK)
        return NULL;
    size_t h = (size_t)key_hash(name, type) & t->mask;
    for (; t->slots[h]; h = (h + 1) & t->mask) {
        lede_quote_speaker *g = &t->v[t->slots[h] - 1];
        if (strcmp(g->name, name) == 0 && same(g->type, type)) {
            *last = &t->last_article[t->slots[h] - 1];
            return g;
        }
    }
    if (lede_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v) != LEDE_OK ||
        lede_grow((void **)&t->last_article, &t->cap_last, t->n + 1, sizeof *t->last_article) != LEDE_OK)
        return NULL;
    lede_quote_speaker *g = &t->v[t->n];
    memset(g, 0, sizeof *g);
    g->name = strdup(name);
    g->type = type ? strdup(type) : NULL;
    if (g->name == NULL || (type && g->type == NULL)) {
        free(g->name);
        free(g->type);
        return NULL;
    }
    t->last_article[t->n] = -1;
    t->slots[h] = ++t->n;
    *last = &t->last_article[t->n - 1];
    return g;
}

static int add_role(lede_quote_speaker *g, const char *role)
{
    for (size_t i = 0; i < g->n_roles; i++)
        if (strcmp(g->roles[i], role) == 0)
            return LEDE_OK;
    char **v = realloc(g->roles, (g->n_roles + 1) * sizeof *v);
    if (v == NULL)
        return LEDE_ENOMEM;
    g->roles = v;
    if ((v[g->n_roles] = strdup(role)) == NULL)
        return LEDE_ENOMEM;
    g->n_roles++;
    return LEDE_OK;
}

/* Counts one span (rows arrive by article, so a new article id is a new article). */
static int count_span(group_table *t, int64_t article, const char *json, char **buf, size_t *cap)
{
    size_t need = strlen(json) + 1;
    if (need * 3 > *cap) {
        char *b = realloc(*buf, need * 3);
        if (b == NULL)
            return LEDE_ENOMEM;
        *buf = b;
        *cap = need * 3;
    }
    field speaker, type, role;
    if (read_fields(json, *buf, need, &speaker, &type, &role) != 0 || speaker.s == NULL || speaker.s[0] == '\0')
        return LEDE_OK;
    int64_t *last;
    lede_quote_speaker *g = group_of(t, speaker.s, type.s, &last);
    if (g == NULL)
        return LEDE_ENOMEM;
    g->quotes++;
    if (*last != article) {
        g->articles++;
        *last = article;
    }
    return role.s && role.s[0] ? add_role(g, role.s) : LEDE_OK;
}

static int cmp_speaker(const void *x, const void *y)
{
    const lede_quote_speaker *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->type ? a->type : "", b->type ? b->type : "");
}

int lede_quote_speakers(lede_quote_speaker **out, size_t *n, sqlite3 *db, const char *layer)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT article_id, attrs FROM annotation WHERE layer = ?1 AND attrs IS NOT NULL "
                           "ORDER BY article_id",
                           -1, &st, NULL) != SQLITE_OK)
        return LEDE_EDB;
    sqlite3_bind_text(st, 1, layer, -1, SQLITE_STATIC);
    group_table t = {0};
    char *buf = NULL;
    size_t cap = 0;
    int rc = LEDE_OK, step;
    while (rc == LEDE_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = count_span(&t, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1), &buf, &cap);
    if (rc == LEDE_OK && step != SQLITE_DONE)
        rc = LEDE_EDB;
    sqlite3_finalize(st);
    free(buf);
    free(t.slots);
    free(t.last_article);
    if (rc != LEDE_OK) {
        lede_quote_speakers_free(t.v, t.n);
        return rc;
    }
    if (t.n > 1)
        qsort(t.v, t.n, sizeof *t.v, cmp_speaker);
    *out = t.v;
    *n = t.n;
    return LEDE_OK;
}

void lede_quote_speakers_free(lede_quote_speaker *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].name);
        free(v[i].type);
        for (size_t r = 0; r < v[i].n_roles; r++)
            free(v[i].roles[r]);
        free(v[i].roles);
    }
    free(v);
}
