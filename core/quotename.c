/* Names printed in the article: see quotename.h. */
#include "quotename.h"

#include <string.h>
#include <utf8proc.h>

static char *lowered(qctx *c)
{
    if (c->lower == NULL && !c->oom) {
        c->lower = qc_alloc(c, c->len + 1);
        if (c->lower) {
            for (size_t i = 0; i < c->len; i++) {
                char ch = c->text[i];
                c->lower[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
            }
            c->lower[c->len] = '\0';
        }
    }
    return c->lower;
}

/* The entry of surname `key`: a full name, or an empty name when the
 * article prints none. */
static const person_name *person_entry(const qctx *c, const char *key)
{
    for (size_t i = 0; i < c->n_persons; i++)
        if (strcmp(c->persons[i].key, key) == 0)
            return &c->persons[i];
    return NULL;
}

const char *qn_person_of(const qctx *c, const char *key)
{
    const person_name *p = person_entry(c, key);
    return p && p->name[0] ? p->name : NULL;
}

void qn_add_person(qctx *c, const char *key, const char *name)
{
    for (size_t i = 0; i < c->n_persons; i++) {
        if (strcmp(c->persons[i].key, key) == 0) {
            if (strlen(name) > strlen(c->persons[i].name))
                c->persons[i].name = name;
            return;
        }
    }
    person_name p = {key, name};
    VEC_PUSH(c, c->persons, c->n_persons, c->cap_persons, p);
}

static int word_byte(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch >= 0x80 ||
           ch == '\'' || ch == '-';
}

static int upper_at(const char *s, size_t len)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp);
    return k > 0 && utf8proc_isupper(cp);
}

/* Names are looked for this far around the words that need them, so that
 * a long article costs time in proportion to its length. */
#define SEARCH_REACH 32768

static void search_window(const qctx *c, uint32_t pos, size_t *from, size_t *to)
{
    *from = pos > SEARCH_REACH ? pos - SEARCH_REACH : 0;
    *to = pos + (size_t)SEARCH_REACH < c->len ? pos + (size_t)SEARCH_REACH : c->len;
}

/* The start of the word that ends one space before byte `end`, or -1. */
static long previous_word(const char *text, size_t end)
{
    if (end < 2 || text[end - 1] != ' ')
        return -1;
    size_t s = end - 1;
    while (s > 0 && word_byte((unsigned char)text[s - 1]))
        s--;
    return s < end - 1 ? (long)s : -1;
}

/* The start of the first name before a surname at byte `at`: the word
 * before it, past a glued "al-" or a name particle ("de"). */
static long first_name_before(const qctx *c, size_t at)
{
    const char *text = c->text;
    size_t p = at;
    if (p >= 3 && text[p - 1] == '-' && text[p - 2] >= 'a' && text[p - 2] <= 'z') {
        size_t q = p - 2;
        while (q > 0 && text[q - 1] >= 'a' && text[q - 1] <= 'z')
            q--;
        if (p - q > 4)
            return -1;
        p = q;
    }
    long w = previous_word(text, p);
    if (w >= 0 && text[w] >= 'a' && text[w] <= 'z') {
        const qw_entry *e = qw_find(&c->q->words, text + w, p - 1 - (size_t)w);
        if (!(e && (e->bits & QW_PARTICLE)))
            return -1;
        w = previous_word(text, (size_t)w); /* "Staffan de Mistura" */
    }
    return w;
}

/* Is the token's word (a capitalised surname) printed after a first name
 * somewhere in the article?  Records the full name when so. */
int qn_is_person(qctx *c, int i)
{
    size_t n;
    const char *fold = qc_fold(c, i, &n);
    if (n < 2)
        return 0;
    char *needle = qc_strndup(c, fold, n);
    const char *low = lowered(c);
    if (needle == NULL || low == NULL)
        return 0;
    const char *key = needle; /* "al-Assad" is filed under "assad" */
    if (n > 3 && key[1] == '-')
        key += 2;
    else if (n > 4 && key[2] == '-')
        key += 3;
    const person_name *known = person_entry(c, key);
    if (known)
        return known->name[0] != '\0';
    size_t from, to;
    search_window(c, c->t[i].start, &from, &to);
    for (const char *s = strstr(low + from, needle); s && (size_t)(s - low) < to; s = strstr(s + 1, needle)) {
        size_t at = (size_t)(s - low), end = at + n;
        if (end < c->len && word_byte((unsigned char)c->text[end]))
            continue;
        long w = first_name_before(c, at);
        if (w < 0 || !upper_at(c->text + w, c->len - (size_t)w))
            continue;
        size_t first = 0;
        while ((size_t)w + first < c->len && word_byte((unsigned char)c->text[w + (long)first]))
            first++;
        const qw_entry *e = qw_find(&c->q->words, low + w, first);
        if (e && (e->bits & (QW_STOP | QW_DET | QW_TIME | QW_TITLE | QW_ROLE | QW_ORG)))
            continue;
        const char *full = qc_strndup(c, c->text + w, end - (size_t)w);
        if (full)
            qn_add_person(c, key, full);
        return 1;
    }
    qn_add_person(c, key, ""); /* asked once per article */
    return 0;
}

/* A name printed right after `role` in the article ("the governor" ->
 * "Governor Elan Markos"; "the charity" -> "the charity Hillside Medical
 * Relief"), or NULL. */
const char *qn_name_after(qctx *c, const char *role, int org, uint32_t pos)
{
    const char *low = lowered(c);
    size_t rl = strlen(role);
    if (low == NULL || rl == 0)
        return NULL;
    char *needle = qc_strndup(c, role, rl);
    if (needle == NULL)
        return NULL;
    for (size_t i = 0; i < rl; i++)
        needle[i] = (char)(needle[i] >= 'A' && needle[i] <= 'Z' ? needle[i] + 32 : needle[i]);
    size_t from, to;
    search_window(c, pos, &from, &to);
    for (const char *s = strstr(low + from, needle); s && (size_t)(s - low) < to; s = strstr(s + 1, needle)) {
        size_t p = (size_t)(s - low) + rl;
        size_t start = p + 1, end = start, words = 0, last_cap_end = 0;
        while (p < c->len && c->text[p] == ' ' && words < 6) {
            size_t q = p + 1;
            while (q < c->len && word_byte((unsigned char)c->text[q]))
                q++;
            if (q == p + 1)
                break;
            int cap = upper_at(c->text + p + 1, c->len - p - 1);
            int joiner = org && words > 0 && ((q - p - 1 == 2 && memcmp(c->text + p + 1, "of", 2) == 0) ||
                                              (q - p - 1 == 3 && memcmp(c->text + p + 1, "for", 3) == 0));
            if (!cap && !joiner)
                break;
            if (cap) {
                const qw_entry *e = qw_find(&c->q->words, low + p + 1, q - p - 1);
                if (words == 0 && e && (e->bits & (QW_STOP | QW_DET | QW_TITLE | QW_ROLE)))
                    break;
                last_cap_end = q;
            }
            words++;
            end = q;
            p = q;
            if (!org && words == 2)
                break;
        }
        if (last_cap_end > start && (org || words == 2))
            return qc_strndup(c, c->text + start, (org ? last_cap_end : end) - start);
    }
    return NULL;
}
