/* Lines of a text and their features: see lines.h. */
#include "lines.h"

#include "grow.h"
#include "hash.h"
#include "lede.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Words longer than this (in key form) are never looked up as function
 * words: none is that long ("yourselves", "desafortunadamente" is no
 * function word). */
#define STOPWORD_MAX 12
/* Bytes before the end of a line looked at for closing quotes and dashes. */
#define CLOSERS_MAX 24

/* ---- characters ---- */

/* ASCII classes: 0 separator, 1 lower-case letter, 2 upper-case letter,
 * 3 digit. */
static const char ascii_class[129] = "00000000000000000000000000000000"
                                     "00000000000000003333333333000000"
                                     "02222222222222222222222222200000"
                                     "01111111111111111111111111100000";

enum { SEP = 0, LOWER = 1, UPPER = 2, DIGIT = 3 };

/* Decodes the character at s[i] (i < len): its code point, or -1 for a
 * byte that starts no valid sequence; *k receives its length (1 then). */
static int32_t decode(const unsigned char *s, size_t len, size_t i, size_t *k)
{
    if (s[i] < 0x80) {
        *k = 1;
        return s[i];
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
    if (n <= 0) {
        *k = 1;
        return -1;
    }
    *k = (size_t)n;
    return cp;
}

/* Class of a code point: letters, marks and numbers make words; everything
 * else separates them. */
static int cp_class(int32_t cp)
{
    if (cp < 0x80)
        return cp < 0 ? SEP : ascii_class[cp] - '0';
    utf8proc_category_t c = utf8proc_category(cp);
    if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT)
        return UPPER;
    if (c == UTF8PROC_CATEGORY_ND)
        return DIGIT;
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO ? LOWER : SEP;
}

/* ---- keys ---- */

/* Bytes being written in key form into buf[0..cap). */
typedef struct keybuf {
    char *buf;
    size_t cap, len;
    int full;      /* a character did not fit: the rest is dropped */
    int in_digits; /* the last character written was a digit run's "0" */
} keybuf;

static void put_byte(keybuf *kb, char c)
{
    if (kb->len + 1 < kb->cap)
        kb->buf[kb->len++] = c;
    else
        kb->full = 1;
}

static void put_cp(keybuf *kb, int32_t cp)
{
    utf8proc_uint8_t enc[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, enc);
    if (kb->len + (size_t)n < kb->cap) {
        memcpy(kb->buf + kb->len, enc, (size_t)n);
        kb->len += (size_t)n;
    } else {
        kb->full = 1;
    }
}

/* Appends one word character of class `cls` in key form: ASCII lower
 * case, a digit run as one "0", other letters case-folded and decomposed
 * without their marks. */
static void put_word_cp(keybuf *kb, int32_t cp, int cls)
{
    if (kb->full)
        return;
    if (cls == DIGIT) {
        if (!kb->in_digits)
            put_byte(kb, '0');
        kb->in_digits = 1;
        return;
    }
    kb->in_digits = 0;
    if (cp < 0x80) {
        put_byte(kb, (char)(cls == UPPER ? cp + 32 : cp));
        return;
    }
    utf8proc_int32_t dec[18];
    int boundclass = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(
        cp, dec, (utf8proc_ssize_t)(sizeof dec / sizeof *dec),
        (utf8proc_option_t)(UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK),
        &boundclass);
    if (n < 0 || n > (utf8proc_ssize_t)(sizeof dec / sizeof *dec)) {
        put_cp(kb, cp);
        return;
    }
    for (utf8proc_ssize_t i = 0; i < n; i++)
        if (cp_class(dec[i]) != SEP)
            put_cp(kb, dec[i]);
}

size_t lede_line_key(char *out, size_t cap, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    keybuf kb = {out, cap, 0, 0, 0};
    int in_word = 0;
    for (size_t i = 0, k; i < len && !kb.full; i += k) {
        int32_t cp = u[i];
        int cls;
        if (cp < 0x80) {
            cls = ascii_class[cp] - '0';
            k = 1;
        } else {
            cp = decode(u, len, i, &k);
            cls = cp_class(cp);
        }
        if (cls == SEP) {
            in_word = 0;
            kb.in_digits = 0;
            continue;
        }
        if (!in_word && kb.len > 0)
            put_byte(&kb, ' ');
        in_word = 1;
        if (cls == LOWER && cp < 0x80 && kb.len + 1 < kb.cap) {
            kb.buf[kb.len++] = (char)cp; /* the common case, inline */
            kb.in_digits = 0;
        } else {
            put_word_cp(&kb, cp, cls);
        }
    }
    while (kb.len > 0 && out[kb.len - 1] == ' ') /* characters are written whole: only a space to drop */
        kb.len--;
    if (cap > 0)
        out[kb.len] = '\0';
    return kb.len;
}

/* ---- word sets: open addressing over (hash, offset, length, value) ---- */

typedef struct slot {
    uint64_t hash; /* 0: empty */
    uint32_t off, len, value;
} slot;

typedef struct table {
    slot *slots;
    size_t cap, n; /* cap is a power of two */
} table;

/* Bits of a Bloom filter over the anchors' hashes: most words of a text
 * are no anchor, and the filter says so without touching the table. */
#define BLOOM_WORDS 64

struct lede_wordset {
    table entries;
    table anchors; /* first words of entries; value: the most words of an entry starting with it */
    uint64_t bloom[BLOOM_WORDS];         /* of the anchors */
    uint64_t entry_bloom[BLOOM_WORDS];   /* of the entries */
    char *bytes;
    size_t used, room;
};

/* FNV-1a: keys are short and the tables live only in memory. */
#define FNV_START 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull
static uint64_t fnv(uint64_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
    return h;
}

static uint64_t nonzero(uint64_t h)
{
    return h ? h : 1;
}

static int table_init(table *t)
{
    t->cap = 64;
    t->n = 0;
    t->slots = calloc(t->cap, sizeof *t->slots);
    return t->slots ? LEDE_OK : LEDE_ENOMEM;
}

static slot *table_find(const table *t, const char *bytes, uint64_t h, const char *key, size_t len)
{
    for (size_t i = (size_t)h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        slot *sl = &t->slots[i];
        if (sl->hash == 0 || (sl->hash == h && sl->len == len && memcmp(bytes + sl->off, key, len) == 0))
            return sl;
    }
}

/* Makes room for one more slot (load at most 1/2: a miss, the common case,
 * then stops after two probes on average). */
static int table_reserve(table *t)
{
    if ((t->n + 1) * 2 <= t->cap)
        return LEDE_OK;
    slot *slots = calloc(t->cap * 2, sizeof *slots);
    if (slots == NULL)
        return LEDE_ENOMEM;
    size_t cap = t->cap * 2;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].hash) {
            size_t j = (size_t)t->slots[i].hash & (cap - 1);
            while (slots[j].hash)
                j = (j + 1) & (cap - 1);
            slots[j] = t->slots[i];
        }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return LEDE_OK;
}

int lede_wordset_new(lede_wordset **out)
{
    lede_wordset *ws = calloc(1, sizeof *ws);
    *out = NULL;
    if (ws == NULL)
        return LEDE_ENOMEM;
    if (table_init(&ws->entries) != LEDE_OK || table_init(&ws->anchors) != LEDE_OK) {
        lede_wordset_free(ws);
        return LEDE_ENOMEM;
    }
    *out = ws;
    return LEDE_OK;
}

void lede_wordset_free(lede_wordset *ws)
{
    if (ws == NULL)
        return;
    free(ws->entries.slots);
    free(ws->anchors.slots);
    free(ws->bytes);
    free(ws);
}

/* Copies key into the byte store; *off receives its offset. */
static int store(lede_wordset *ws, const char *key, size_t len, uint32_t *off)
{
    if (ws->used + len > UINT32_MAX)
        return LEDE_ELIMIT;
    if (ws->used + len > ws->room) {
        size_t room = (ws->room + len) * 2 + 256;
        char *bytes = realloc(ws->bytes, room);
        if (bytes == NULL)
            return LEDE_ENOMEM;
        ws->bytes = bytes;
        ws->room = room;
    }
    memcpy(ws->bytes + ws->used, key, len);
    *off = (uint32_t)ws->used;
    ws->used += len;
    return LEDE_OK;
}

static int add_key(lede_wordset *ws, const char *key, size_t len, uint32_t value)
{
    if (table_reserve(&ws->entries) != LEDE_OK || table_reserve(&ws->anchors) != LEDE_OK)
        return LEDE_ENOMEM;
    uint64_t h = nonzero(fnv(FNV_START, key, len));
    slot *sl = table_find(&ws->entries, ws->bytes, h, key, len);
    if (sl->hash)
        return LEDE_OK;
    uint32_t off;
    int rc = store(ws, key, len, &off);
    if (rc != LEDE_OK)
        return rc;
    *sl = (slot){h, off, (uint32_t)len, value};
    ws->entries.n++;
    ws->entry_bloom[(h >> 6) % BLOOM_WORDS] |= 1ull << (h & 63);
    /* its first word, with the number of words of the longest entry it starts */
    size_t first = 0, words = 1;
    while (first < len && key[first] != ' ')
        first++;
    for (size_t i = first; i < len; i++)
        words += key[i] == ' ';
    uint64_t ha = nonzero(fnv(FNV_START, key, first));
    slot *an = table_find(&ws->anchors, ws->bytes, ha, ws->bytes + off, first);
    ws->bloom[(ha >> 6) % BLOOM_WORDS] |= 1ull << (ha & 63);
    if (an->hash == 0) {
        *an = (slot){ha, off, (uint32_t)first, (uint32_t)words};
        ws->anchors.n++;
    } else if (an->value < words) {
        an->value = (uint32_t)words;
    }
    return LEDE_OK;
}

int lede_wordset_add(lede_wordset *ws, const char *s, size_t len, uint32_t value)
{
    char stack[256];
    size_t cap = 2 * len + 16;
    char *key = cap <= sizeof stack ? stack : malloc(cap);
    if (key == NULL)
        return LEDE_ENOMEM;
    size_t n = lede_line_key(key, cap, s, len);
    int rc = n ? add_key(ws, key, n, value) : LEDE_OK;
    if (key != stack)
        free(key);
    return rc;
}

int lede_wordset_get(const lede_wordset *ws, const char *key, size_t len, uint32_t *value)
{
    if (len == 0)
        return 0;
    uint64_t h = nonzero(fnv(FNV_START, key, len));
    if (!(ws->entry_bloom[(h >> 6) % BLOOM_WORDS] & (1ull << (h & 63))))
        return 0;
    const slot *sl = table_find(&ws->entries, ws->bytes, h, key, len);
    if (sl->hash == 0)
        return 0;
    if (value)
        *value = sl->value;
    return 1;
}

/* The longest entry starting at key[p], whose first word ends at q and
 * hashes to h (an anchor with at most `words` words). */
static int longest_at(const lede_wordset *ws, const char *key, size_t len, size_t p, size_t q, uint64_t h,
                      uint32_t words, size_t *n, uint32_t *value)
{
    int found = 0;
    for (uint32_t w = 1; w <= words; w++) {
        const slot *sl = table_find(&ws->entries, ws->bytes, nonzero(h), key + p, q - p);
        if (sl->hash) {
            found = 1;
            *n = q - p;
            *value = sl->value;
        }
        if (q >= len)
            break;
        size_t r = q + 1;
        while (r < len && key[r] != ' ')
            r++;
        h = fnv(h, key + q, r - q); /* the space and the next word */
        q = r;
    }
    return found;
}

int lede_wordset_find(const lede_wordset *ws, const char *key, size_t len, int anchored, size_t *at, size_t *n,
                      uint32_t *value)
{
    int found = 0;
    size_t pos = 0;
    lede_wordsets_find(&ws, &anchored, 1, key, len, &found, value, &pos, n);
    *at = pos;
    return found;
}

void lede_wordsets_find(const lede_wordset *const *sets, const int *anchored, size_t n_sets, const char *key,
                        size_t len, int *found, uint32_t *values, size_t *at, size_t *n)
{
    size_t open = n_sets; /* sets still looking */
    for (size_t s = 0; s < n_sets; s++)
        found[s] = 0;
    for (size_t p = 0; p < len && open > 0;) {
        size_t q = p;
        while (q < len && key[q] != ' ')
            q++;
        uint64_t h = fnv(FNV_START, key + p, q - p), hz = nonzero(h);
        for (size_t s = 0; s < n_sets; s++) {
            const lede_wordset *ws = sets[s];
            if (found[s] || (anchored[s] && p > 0) || !(ws->bloom[(hz >> 6) % BLOOM_WORDS] & (1ull << (hz & 63))))
                continue;
            const slot *an = table_find(&ws->anchors, ws->bytes, hz, key + p, q - p);
            if (an->hash && longest_at(ws, key, len, p, q, h, an->value, &n[s], &values[s])) {
                found[s] = 1;
                at[s] = p;
                open--;
            }
        }
        if (p == 0) /* anchored sets look no further */
            for (size_t s = 0; s < n_sets; s++)
                if (anchored[s] && !found[s]) {
                    found[s] = -1;
                    open--;
                }
        p = q + 1;
    }
    for (size_t s = 0; s < n_sets; s++)
        if (found[s] < 0)
            found[s] = 0;
}

size_t lede_wordset_size(const lede_wordset *ws)
{
    return ws->entries.n;
}

/* ---- lines ---- */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Menu separators at s[i]: | · » • › ∙ anywhere, / and > between spaces.
 * Returns the separator's length, 0 if none. */
static size_t separator_at(const unsigned char *s, size_t start, size_t end, size_t i)
{
    unsigned char c = s[i];
    if (c == '|')
        return 1;
    if ((c == '/' || c == '>') && i > start && i + 1 < end && s[i - 1] == ' ' && s[i + 1] == ' ')
        return 1;
    if (c == 0xC2 && i + 1 < end && (s[i + 1] == 0xB7 || s[i + 1] == 0xBB))
        return 2;
    if (c == 0xE2 && i + 2 < end &&
        ((s[i + 1] == 0x80 && (s[i + 2] == 0xA2 || s[i + 2] == 0xBA)) || (s[i + 1] == 0x88 && s[i + 2] == 0x99)))
        return 3;
    return 0;
}

/* Final punctuation before closing quotes, brackets, dashes and spaces. */
static int ends_sentence(const unsigned char *s, size_t start, size_t end)
{
    size_t i = end, stop = end - start > CLOSERS_MAX ? end - CLOSERS_MAX : start;
    while (i > stop) {
        unsigned char c = s[i - 1];
        if (c == '.' || c == '!' || c == '?')
            return 1;
        if (c == '"' || c == '\'' || c == ')' || c == ']' || c == '*' || c == '-' || c == ' ') {
            i--;
        } else if (i - stop >= 2 && s[i - 2] == 0xC2 && (c == 0xBB || c == 0xA0)) {
            i -= 2; /* » no-break space */
        } else if (i - stop >= 3 && s[i - 3] == 0xE2 && s[i - 2] == 0x80) {
            if (c == 0xA6)
                return 1; /* … */
            if (c != 0x9D && c != 0x99 && c != 0x93 && c != 0x94 && c != 0xBA && c != 0xAF)
                return 0;
            i -= 3; /* ” ’ – — › narrow no-break space */
        } else {
            return 0;
        }
    }
    return 0;
}

/* The ASCII word s[0..len), whose lower case hashes to h, is in the set:
 * a lookup without copying the word. */
static int has_ascii_word(const lede_wordset *ws, uint64_t h, const unsigned char *s, size_t len)
{
    h = nonzero(h);
    if (!(ws->entry_bloom[(h >> 6) % BLOOM_WORDS] & (1ull << (h & 63))))
        return 0;
    const table *t = &ws->entries;
    for (size_t i = (size_t)h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        const slot *sl = &t->slots[i];
        if (sl->hash == 0)
            return 0;
        if (sl->hash == h && sl->len == len) {
            const char *e = ws->bytes + sl->off;
            size_t j = 0;
            while (j < len && (s[j] | 0x20) == (unsigned char)e[j])
                j++;
            if (j == len)
                return 1;
        }
    }
}

/* The rest of a word that holds characters beyond ASCII, from s[i] (the
 * code point cp of class cls, k bytes); folds it into kb when it may be a
 * function word.  Returns the index past the word. */
static size_t finish_word(const unsigned char *s, size_t end, size_t i, int32_t cp, int cls, size_t k, keybuf *kb)
{
    for (;;) {
        if (cls == DIGIT)
            kb->full = 1; /* no function word has digits */
        put_word_cp(kb, cp, cls);
        i += k;
        if (i >= end)
            return i;
        cp = s[i];
        if (cp < 0x80) {
            cls = ascii_class[cp] - '0';
            k = 1;
        } else {
            cp = decode(s, end, i, &k);
            cls = cp_class(cp);
        }
        if (cls == SEP)
            return i;
    }
}

/* Counts the words of one line and looks the short ones up among the
 * function words. */
static void scan_line(lede_line *ln, const unsigned char *s, const lede_wordset *stop)
{
    size_t end = ln->end;
    for (size_t i = ln->start, k; i < end;) {
        int32_t cp = s[i];
        int cls;
        if (cp < 0x80) {
            cls = ascii_class[cp] - '0';
            k = 1;
        } else {
            cp = decode(s, end, i, &k);
            cls = cp_class(cp);
        }
        if (cls == SEP) {
            if (cp != ' ' && (cp < 0x80 || cp == 0xB7 || cp == 0xBB || cp >= 0x2000))
                ln->separators += separator_at(s, ln->start, end, i) > 0;
            if (cp >= 0x80)
                ln->symbols += utf8proc_category(cp) == UTF8PROC_CATEGORY_SO;
            i += k;
            continue;
        }
        ln->words++;
        ln->capitalised += cls == UPPER;
        ln->numbers += cls == DIGIT;
        size_t a = i;
        uint64_t h = FNV_START;
        int digit = 0;
        if (cp < 0x80) /* the ASCII run of the word in one tight loop, hashed in lower case */
            for (; i < end && s[i] < 0x80; i++) {
                char c = ascii_class[s[i]];
                if (c == '0' + SEP)
                    break;
                digit |= c == '0' + DIGIT;
                h = (h ^ (unsigned char)(s[i] | 0x20)) * FNV_PRIME;
            }
        if (i < end && s[i] >= 0x80) { /* a word with other characters: the slow path */
            cp = decode(s, end, i, &k);
            cls = cp_class(cp);
            if (cls != SEP || i == a) {
                char word[STOPWORD_MAX + 2];
                keybuf kb = {word, sizeof word, 0, 0, 0};
                kb.full = stop == NULL;
                for (size_t j = a; j < i && !kb.full; j++) {
                    int c = ascii_class[s[j]] - '0';
                    kb.full = c == DIGIT; /* no function word has digits */
                    put_word_cp(&kb, s[j], c);
                }
                i = finish_word(s, end, i, cp, cls, k, &kb);
                ln->stopwords += !kb.full && lede_wordset_get(stop, word, kb.len, NULL);
                continue;
            }
        }
        ln->stopwords += stop != NULL && !digit && i - a <= STOPWORD_MAX && has_ascii_word(stop, h, s + a, i - a);
    }
}

int lede_lines_scan(lede_line **out, size_t *n, const char *text, size_t len, const lede_wordset *stopwords)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t count = 0, cap = 0;
    lede_line *v = NULL;
    int gap = 1;
    *out = NULL;
    *n = 0;
    if (len > UINT32_MAX)
        return LEDE_ELIMIT; /* offsets are 32-bit, as everywhere in lede */
    for (size_t pos = 0; pos < len;) {
        const unsigned char *nl = memchr(s + pos, '\n', len - pos);
        size_t last = nl ? (size_t)(nl - s) : len, a = pos, b = last;
        while (a < b && is_space(s[a]))
            a++;
        while (b > a && is_space(s[b - 1]))
            b--;
        if (a < b) {
            if (lede_grow((void **)&v, &cap, count + 1, sizeof *v) != LEDE_OK) {
                free(v);
                return LEDE_ENOMEM;
            }
            lede_line *ln = &v[count++];
            memset(ln, 0, sizeof *ln);
            ln->start = (uint32_t)a;
            ln->end = (uint32_t)b;
            ln->gap = (uint8_t)gap;
            ln->ends_sentence = (uint8_t)ends_sentence(s, a, b);
            ln->hash = lede_hash64(s + a, b - a, 0);
            scan_line(ln, s, stopwords);
            gap = 0;
        } else {
            gap = 1;
        }
        pos = last + 1;
    }
    *out = v;
    *n = count;
    return LEDE_OK;
}
