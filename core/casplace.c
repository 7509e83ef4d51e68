/* Places around a figure: see casart.h ("places").  A port of the
 * plugin's Lua places.lua, function by function (see casart.h).  In a
 * figure's own sentence: names of the gazetteer (countries, demonyms,
 * cities, regions) and capitalised names the sentence or the article
 * introduces as places ("in Karsk", "near the town of Halvik",
 * "north-western Lirania").  For the article: its dateline, and - worked
 * out only when a figure needs it - the country it is mostly about and the
 * places mentioned before a sentence.
 *
 * Byte positions are 1-based like the Lua's (byte_at(p, i) is
 * string.byte(text, i), -1 for its nil).  A failure (out of memory, the
 * meta record's error) is kept in p->err: what was being worked out is
 * dropped, and every later call returns the error, as the Lua's error ends
 * the article. */
#include "casart.h"
#include "hash.h"
#include "scan.h"
#include "text.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- bytes (Lua's classes are ASCII-only: the C locale) ---- */

static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static int is_alpha(int c) { return is_upper(c) || is_lower(c); }
static int is_alnum(int c) { return is_alpha(c) || (c >= '0' && c <= '9'); }
/* %s */
static int is_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
/* is_cap, and the class [%u\195]: a capital, or the lead byte of À-ÿ */
static int is_cap(int c) { return is_upper(c) || c == 0xC3; }
/* letter: ASCII, or the lead byte of a Latin-1 letter */
static int letter(int c) { return is_alpha(c) || (c >= 0xC3 && c <= 0xDF); }
/* [ \194\160]: a space or a byte of a no-break space */
static int is_gap(int c) { return c == ' ' || c == 0xC2 || c == 0xA0; }
/* [%a\128-\191\195-\223%-]: what follows a name's first letter */
static int is_name_byte(int c)
{
    return is_alpha(c) || (c >= 0x80 && c <= 0xBF) || (c >= 0xC3 && c <= 0xDF) || c == '-';
}
/* [%a%-] */
static int is_word_byte(int c) { return is_alpha(c) || c == '-'; }

/* The first bytes tell most kinds apart without a call. */
static int is_kind(const char *kind, const char *k) { return kind && kind[0] == k[0] && strcmp(kind, k) == 0; }

/* The place's name for a figure (M.name_of). */
static const char *name_of(const char *kind, const char *name, const char *country)
{
    return (is_kind(kind, "demonym") || is_kind(kind, "alias")) && country ? country : name;
}

/* string.find(h, s, from + 1, true), searching as Lua's lmemfind does:
 * 1 and in *at the 0-based offset of the first s in h[from..hlen), 0 when
 * there is none. */
static int find_plain(const unsigned char *h, size_t hlen, size_t from, const char *s, size_t n, size_t *at)
{
    if (from > hlen || n > hlen - from)
        return 0;
    if (n == 0) {
        *at = from;
        return 1;
    }
    for (size_t i = from; i + n <= hlen;) {
        const unsigned char *c = memchr(h + i, (unsigned char)s[0], hlen - n + 1 - i);
        if (c == NULL)
            return 0;
        i = (size_t)(c - h);
        if (memcmp(c + 1, s + 1, n - 1) == 0) {
            *at = i;
            return 1;
        }
        i++;
    }
    return 0;
}

/* ---- the article's places ---- */

typedef struct slice {
    const char *s;
    size_t len;
} slice;

/* An arena buffer reused from call to call, one per use so that they do
 * not overwrite each other: joined (a run's name, a lower-cased
 * gazetteer name), words (a run's words, a
 * name's words), key (a run's key in `runs`). */
typedef struct scratch {
    void *v;
    size_t cap;
} scratch;

/* A string-keyed open-addressing table in the arena; what a slot holds
 * depends on the table. */
typedef struct map_slot {
    const char *key; /* NULL: a free slot */
    size_t len;
    uint64_t hash;
    const void *ptr; /* runs: the run's hit (NULL: none) */
    double score;    /* main: the name's score */
    int flag;        /* occurs: the answer; main: a country */
} map_slot;

typedef struct strmap {
    map_slot *slots;
    size_t cap, n;
} strmap;

/* The word lists looked up here. */
enum {
    L_MODIFIER, L_NAME_STOP, L_NOT_PLACE, L_FACILITY, L_GEO_NAME, L_ORG, L_GEO, L_DIRECTION, L_PREPOSITION, L_HEAD,
    N_LISTS
};

static const size_t LIST_AT[N_LISTS] = {
    offsetof(cas_lex, modifier),  offsetof(cas_lex, name_stop), offsetof(cas_lex, not_place),
    offsetof(cas_lex, facility),  offsetof(cas_lex, geo_name),  offsetof(cas_lex, org),
    offsetof(cas_lex, geo),       offsetof(cas_lex, direction), offsetof(cas_lex, preposition),
    offsetof(cas_lex, head)};

/* A name introduced as a place, from byte start. */
typedef struct intro_at {
    uint32_t start;
    const char *name;
} intro_at;

/* What a capitalised run resolves to: its first n words, called name. */
typedef struct run_hit {
    int n;
    const char *name;
} run_hit;

/* A country mention of the content (Article:mentions). */
typedef struct raw_mention {
    uint32_t start, stop;
    const char *name, *kind, *country;
} raw_mention;

struct cas_places {
    cas_art *a;
    const cas_lex *lex;
    const unsigned char *text;
    size_t len;
    int err;
    scratch joined, words, key;
    int dl_read;
    const cas_dateline *dl;
    strmap occurs; /* Article:occurs */
    int conflicts_read;
    uint32_t *war; /* starts of the conflict words */
    size_t n_war;
    int intro_read; /* Article:introduced */
    strmap names;
    intro_at *at;
    size_t n_at, cap_at;
    strmap runs;
    int adj_read; /* Article:countrylike */
    strmap adjectives;
    slice *adj_list; /* the same names, in the order they were added */
    size_t n_adj, cap_adj;
    int main_read;
    const char *main_place;
};

static void fail(cas_places *p, int rc)
{
    if (!p->err)
        p->err = rc;
}

static int byte_at(const cas_places *p, size_t pos) { return pos >= 1 && pos <= p->len ? p->text[pos - 1] : -1; }

static slice text_slice(const cas_places *p, size_t start, size_t stop)
{
    return (slice){(const char *)p->text + start - 1, stop - start + 1};
}

static slice token_text(const cas_places *p, const cas_toks *t, int j) { return text_slice(p, t->s[j], t->e[j]); }

static void *reserve(cas_places *p, scratch *b, size_t n)
{
    if (n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < n)
            cap = cap > SIZE_MAX / 2 ? n : cap * 2;
        void *v = cas_alloc(p->a, cap);
        if (v == NULL) {
            fail(p, LEDE_ENOMEM);
            return NULL;
        }
        b->v = v;
        b->cap = cap;
    }
    return b->v;
}

/* Vector v (n used of *cap) with room for one more: v, or a larger copy
 * in the arena; NULL when out of memory. */
static void *grow(cas_places *p, void *v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return v;
    size_t c = *cap ? *cap * 2 : 16;
    void *nv = c <= SIZE_MAX / size ? cas_alloc(p->a, c * size) : NULL;
    if (nv == NULL) {
        fail(p, LEDE_ENOMEM);
        return NULL;
    }
    if (n)
        memcpy(nv, v, n * size);
    *cap = c;
    return nv;
}

/* ---- word lists ---- */

static const cas_section *list_of(const cas_places *p, int list)
{
    return (const cas_section *)((const char *)p->lex + LIST_AT[list]);
}

/* Whether word w (a token's: NULL never) is in the list. */
static int holds(const cas_places *p, int list, const char *w) { return cas_set_has(list_of(p, list)->set, w); }

/* Whether s is in the list. */
static int has(const cas_places *p, int list, slice s) { return cas_set_getn(list_of(p, list)->set, s.s, s.len) != NULL; }

/* concat(words, sep, 1, k) into buf (NULL: into the arena), with a NUL after. */
static char *join(cas_places *p, scratch *buf, const slice *words, int k, char sep, size_t *len)
{
    size_t n = 0;
    for (int j = 0; j < k; j++)
        n += words[j].len + (j > 0);
    char *out = buf ? reserve(p, buf, n + 1) : cas_alloc(p->a, n + 1);
    if (out == NULL) {
        fail(p, LEDE_ENOMEM);
        return NULL;
    }
    size_t o = 0;
    for (int j = 0; j < k; j++) {
        if (j > 0)
            out[o++] = sep;
        memcpy(out + o, words[j].s, words[j].len);
        o += words[j].len;
    }
    out[o] = '\0';
    if (len)
        *len = n;
    return out;
}

/* ---- tables ---- */

/* The slot of key, whose hash is h; NULL when missing. */
static map_slot *map_lookup(const strmap *m, const char *key, size_t len, uint64_t h)
{
    if (m->cap == 0)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        map_slot *s = &m->slots[i];
        if (s->key == NULL)
            return NULL;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
            return s;
    }
}

static map_slot *map_find(const strmap *m, const char *key, size_t len)
{
    return m->cap ? map_lookup(m, key, len, lede_hash64(key, len, 0)) : NULL;
}

static map_slot *map_place(strmap *m, const map_slot *s)
{
    size_t mask = m->cap - 1, i = (size_t)s->hash & mask;
    while (m->slots[i].key)
        i = (i + 1) & mask;
    m->slots[i] = *s;
    return &m->slots[i];
}

static int map_grow(cas_places *p, strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    map_slot *slots = cap <= SIZE_MAX / sizeof *slots ? cas_alloc(p->a, cap * sizeof *slots) : NULL;
    if (slots == NULL) {
        fail(p, LEDE_ENOMEM);
        return 0;
    }
    strmap old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            map_place(m, &old.slots[i]);
    return 1;
}

/* The slot of key, added (zeroed) when missing; `copy`: the key is not
 * the arena's or the word lists' and is copied when added.  Other slots
 * may move. */
static map_slot *map_put(cas_places *p, strmap *m, const char *key, size_t len, int copy)
{
    uint64_t h = lede_hash64(key, len, 0);
    map_slot *s = map_lookup(m, key, len, h);
    if (s)
        return s;
    if (2 * (m->n + 1) > m->cap && !map_grow(p, m))
        return NULL;
    map_slot add = {.key = copy ? cas_strndup(p->a, key, len) : key, .len = len, .hash = h};
    if (add.key == NULL) {
        fail(p, LEDE_ENOMEM);
        return NULL;
    }
    m->n++;
    return map_place(m, &add);
}

/* ---- the dateline ---- */

/* bt:match("^(%u[%u \194\160%.'%-]*%u)[ ,]"): the head's length, 0 when
 * none.  The class run backs off (greedy) until a capital before a space
 * or a comma closes it. */
static size_t dateline_head(const unsigned char *s, size_t len)
{
    if (len == 0 || !is_upper(s[0]))
        return 0;
    size_t run = 1;
    while (run < len && (is_upper(s[run]) || is_gap(s[run]) || s[run] == '.' || s[run] == '\'' || s[run] == '-'))
        run++;
    for (size_t j = run; j >= 1; j--)
        if (j + 1 < len && is_upper(s[j]) && (s[j + 1] == ' ' || s[j + 1] == ','))
            return j + 1;
    return 0;
}

/* tail:find("\226\128[\147\148]") or tail:find(" %- "): a dash. */
static int has_dash(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i + 2 < len; i++)
        if (s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0x93 || s[i + 2] == 0x94))
            return 1;
    for (size_t i = 0; i + 2 < len; i++)
        if (s[i] == ' ' && s[i + 1] == '-' && s[i + 2] == ' ')
            return 1;
    return 0;
}

/* tail:match("^,%s*(%u[%a\128-\255 ]-)%s*[%(\226%-]"): the capture
 * [*from, *to), shortest first (lazy).  Spaces back off in vain before
 * %u and [%(\226%-], which are no spaces. */
static int dateline_rest(const unsigned char *s, size_t len, size_t *from, size_t *to)
{
    if (len == 0 || s[0] != ',')
        return 0;
    size_t p = 1;
    while (p < len && is_space(s[p]))
        p++;
    if (p >= len || !is_upper(s[p]))
        return 0;
    for (size_t end = p + 1;; end++) {
        size_t q = end;
        while (q < len && is_space(s[q]))
            q++;
        if (q < len && (s[q] == '(' || s[q] == 0xE2 || s[q] == '-')) {
            *from = p;
            *to = end;
            return 1;
        }
        if (end >= len || !(is_alpha(s[end]) || s[end] >= 0x80 || s[end] == ' '))
            return 0;
    }
}

/* An upper-case place opening one of the first paragraphs ("PUERTO ANCLA,
 * Valdemora (GNS) -"): the dateline's text (arena) and its first byte. */
static int dateline_of_blocks(cas_places *p, slice *dl, uint32_t *start)
{
    const cas_art *a = p->a;
    size_t n = a->n_blocks < 12 ? a->n_blocks : 12;
    for (size_t i = 0; i < n; i++) {
        cas_span b = a->blocks[i];
        const unsigned char *bt = p->text + b.start - 1;
        size_t blen = b.stop >= b.start ? b.stop - b.start + 1 : 0;
        size_t head = dateline_head(bt, blen);
        size_t tail_len = blen - head < 80 ? blen - head : 80;
        if (head < 3 || !has_dash(bt + head, tail_len))
            continue;
        /* rest and (head .. ", " .. rest) or head */
        size_t from = 0, to = 0;
        int rest = dateline_rest(bt + head, tail_len, &from, &to);
        size_t len = head + (rest ? 2 + (to - from) : 0);
        char *s = cas_alloc(p->a, len + 1);
        if (s == NULL) {
            fail(p, LEDE_ENOMEM);
            return 0;
        }
        memcpy(s, bt, head);
        if (rest) {
            memcpy(s + head, ", ", 2);
            memcpy(s + head + 2, bt + head + from, to - from);
        }
        s[len] = '\0';
        *dl = (slice){s, len};
        *start = b.start;
        return 1;
    }
    return 0;
}

/* s:gsub("%s*%(.*$", ""): cut at the first "(" with the spaces before it. */
static size_t cut_parenthesis(const char *s, size_t len)
{
    const char *paren = memchr(s, '(', len);
    if (paren == NULL)
        return len;
    size_t n = (size_t)(paren - s);
    while (n > 0 && is_space((unsigned char)s[n - 1]))
        n--;
    return n;
}

/* title_case: lede.lower, then s:gsub("(%f[%w\128-\255])([%a])", upper):
 * an ASCII letter not after a letter, a digit or a non-ASCII byte. */
static char *title_case(cas_places *p, const char *s, size_t len)
{
    size_t n = lede_text_change_case(NULL, s, len, 0);
    char *out = cas_alloc(p->a, n + 1);
    if (out == NULL) {
        fail(p, LEDE_ENOMEM);
        return NULL;
    }
    lede_text_change_case(out, s, len, 0);
    for (size_t i = 0; i < n; i++) {
        unsigned char prev = i ? (unsigned char)out[i - 1] : 0;
        if (is_lower((unsigned char)out[i]) && !(is_alnum(prev) || prev >= 0x80))
            out[i] = (char)(out[i] - 'a' + 'A');
    }
    out[n] = '\0';
    return out;
}

/* The dateline of text dl found at byte start: dl:match("^([^,]+),%s*(.+)$")
 * splits city and region. */
static const cas_dateline *make_dateline(cas_places *p, slice dl, uint32_t start)
{
    cas_dateline *d = cas_alloc(p->a, sizeof *d);
    if (d == NULL) {
        fail(p, LEDE_ENOMEM);
        return NULL;
    }
    d->start = start;
    d->stop = start + (uint32_t)dl.len - 1;
    size_t city = dl.len;
    const char *comma = memchr(dl.s, ',', dl.len);
    if (comma && comma > dl.s && (size_t)(comma - dl.s) + 1 < dl.len) {
        city = (size_t)(comma - dl.s);
        size_t r = city + 1;
        while (r < dl.len && is_space((unsigned char)dl.s[r]))
            r++;
        if (r == dl.len) /* (.+) takes the last space back */
            r--;
        size_t n = cut_parenthesis(dl.s + r, dl.len - r);
        /* "X, (AFP)" has no region: an empty one would name every place */
        d->region = n ? cas_strndup(p->a, dl.s + r, n) : NULL;
        if (n && d->region == NULL)
            fail(p, LEDE_ENOMEM);
    }
    d->city = title_case(p, dl.s, cut_parenthesis(dl.s, city));
    return p->err ? NULL : d;
}

/* dateline(): the metadata plugin's, else one of the first blocks'. */
static const cas_dateline *find_dateline(cas_places *p)
{
    cas_meta meta = {0};
    int rc = p->a->meta(p->a->meta_ud, &meta);
    if (rc < 0) {
        fail(p, rc);
        return NULL;
    }
    slice dl;
    uint32_t start;
    if (rc > 0 && meta.dateline && meta.dateline[0]) {
        dl = (slice){meta.dateline, strlen(meta.dateline)};
        size_t at;
        if (!find_plain(p->text, p->len, 0, dl.s, dl.len, &at))
            return NULL;
        start = (uint32_t)at + 1;
    } else if (!dateline_of_blocks(p, &dl, &start)) {
        return NULL;
    }
    return make_dateline(p, dl, start);
}

/* Article:dateline: read when first asked for (the meta record is read
 * once, here). */
static const cas_dateline *dateline(cas_places *p)
{
    if (!p->dl_read && !p->err) {
        p->dl = find_dateline(p);
        p->dl_read = !p->err;
    }
    return p->dl;
}

/* ---- whole words ---- */

/* occurs(text, s): whether s occurs in the text as a whole word. */
static int occurs_in_text(const cas_places *p, slice s)
{
    size_t from = 0, at;
    while (find_plain(p->text, p->len, from, s.s, s.len, &at)) {
        if (!letter(byte_at(p, at)) && !letter(byte_at(p, at + s.len + 1)))
            return 1;
        from = at + s.len;
    }
    return 0;
}

/* Article:occurs, remembered per article. */
static int occurs(cas_places *p, slice s)
{
    map_slot *e = map_find(&p->occurs, s.s, s.len);
    if (e)
        return e->flag;
    int hit = occurs_in_text(p, s);
    e = map_put(p, &p->occurs, s.s, s.len, 1);
    if (e)
        e->flag = hit;
    return hit;
}

static void push_raw(cas_places *p, raw_mention **v, size_t *n, size_t *cap, raw_mention m)
{
    raw_mention *nv = grow(p, *v, cap, *n, sizeof *nv);
    if (nv) {
        nv[(*n)++] = m;
        *v = nv;
    }
}

/* occurrences(text, s, org): every whole-word occurrence of s, added to *v
 * as mention `as` with its bytes; with org, not those naming an
 * organisation ("Wexmoor Police"). */
static void add_occurrences(cas_places *p, raw_mention **v, size_t *n, size_t *cap, slice s, int org,
                            raw_mention as)
{
    if (s.len == 0)
        return; /* "" is found everywhere; no place name is empty */
    size_t from = 0, at;
    while (!p->err && find_plain(p->text, p->len, from, s.s, s.len, &at)) {
        size_t a = at + 1, b = at + s.len;
        if (!letter(byte_at(p, a - 1)) && !letter(byte_at(p, b + 1))) {
            /* find(text, "^[ \194\160]+(%u%a*)", b + 1) */
            size_t q = b + 1, e;
            while (is_gap(byte_at(p, q)))
                q++;
            int named = 0;
            if (org && q > b + 1 && is_upper(byte_at(p, q))) {
                for (e = q; is_alpha(byte_at(p, e + 1)); e++)
                    ;
                named = has(p, L_ORG, text_slice(p, q, e));
            }
            as.start = (uint32_t)a;
            as.stop = (uint32_t)b;
            if (!named)
                push_raw(p, v, n, cap, as);
        }
        from = b;
    }
}

/* ---- names the article introduces ---- */

/* sub(text, at, at + 1):lower() == "on" */
static int is_on(const cas_places *p, size_t at)
{
    int o = byte_at(p, at), n = byte_at(p, at + 1);
    return (o == 'o' || o == 'O') && (n == 'n' || n == 'N');
}

/* The capitalised run at byte pos (after spaces), introduced by the
 * preposition match m (NULL: by a direction): adds it, and its shorter
 * prefixes, to the names.  The word pattern stops at an apostrophe, so a
 * possessive ("Karsk's") ends the run by itself. */
static void take(cas_places *p, size_t pos, const cas_match *m)
{
    slice words[3];
    int n = 0;
    size_t a = 0, b = 0;
    for (; n < 3; n++) {
        /* find(text, "^[ \194\160]*([%u\195][%a\128-\191\195-\223%-]*)", pos) */
        size_t s1 = pos, e1;
        while (is_gap(byte_at(p, s1)))
            s1++;
        if (!is_cap(byte_at(p, s1)))
            break;
        for (e1 = s1; is_name_byte(byte_at(p, e1 + 1)); e1++)
            ;
        slice w = text_slice(p, s1, e1);
        if (n > 0 && has(p, L_NAME_STOP, w))
            break;
        words[n] = w;
        a = a ? a : s1;
        b = e1;
        pos = e1 + 1;
    }
    if (n == 0 || has(p, L_NOT_PLACE, words[0]))
        return;
    /* find(text, "^[ \194\160]+(%l[%a%-]*)", b + 1): a facility's word after it */
    size_t q = b + 1, e;
    while (is_gap(byte_at(p, q)))
        q++;
    if (q > b + 1 && is_lower(byte_at(p, q))) {
        for (e = q; is_word_byte(byte_at(p, e + 1)); e++)
            ;
        if (has(p, L_FACILITY, text_slice(p, q, e)))
            return;
    }
    /* "on" (read only here: most matches never get this far) */
    if (m && m->stop - m->start == 1 && is_on(p, m->start)) {
        int geo = 0;
        for (int k = 0; k < n && !geo; k++)
            geo = has(p, L_GEO_NAME, words[k]);
        if (!geo)
            return;
    }
    for (int k = n; k >= 1; k--) {
        if (has(p, L_ORG, words[k - 1]))
            continue;
        const char *name = join(p, NULL, words, k, ' ', NULL);
        intro_at *at = name ? grow(p, p->at, &p->cap_at, p->n_at, sizeof *at) : NULL;
        if (at == NULL)
            return;
        at[p->n_at++] = (intro_at){(uint32_t)a, name};
        p->at = at;
        for (int j = 1; j <= k; j++) { /* "Golan" of "Golan Heights" */
            const char *prefix = j == k ? name : join(p, NULL, words, j, ' ', NULL);
            if (prefix == NULL || !map_put(p, &p->names, prefix, strlen(prefix), 0))
                return;
        }
        return;
    }
}

/* After a preposition (is_prep) or direction match m: lower-case modifiers
 * skipped ("in the", "in south-eastern"); most prepositions are followed
 * by a lower-case noun, told at a glance. */
static void after(cas_places *p, const cas_match *m, int is_prep)
{
    size_t pos = (size_t)m->stop + 1;
    for (int step = 0; step < 4; step++) {
        int c = byte_at(p, pos);
        size_t q;
        if (c == ' ')
            q = pos + 1;
        else if (c == 0xC2 && byte_at(p, pos + 1) == 0xA0)
            q = pos + 2;
        else
            return;
        c = byte_at(p, q); /* -1 (nil, the end of the text): neither case */
        if (is_cap(c)) {
            take(p, pos, is_prep ? m : NULL);
            return;
        }
        if (!is_lower(c))
            return;
        size_t e1; /* find(text, "^(%l[%a%-]*)", q) */
        for (e1 = q; is_word_byte(byte_at(p, e1 + 1)); e1++)
            ;
        if (!has(p, L_MODIFIER, text_slice(p, q, e1)))
            return;
        pos = e1 + 1;
    }
}

/* The matches of lx that start in the content's sentences (menus and
 * related headlines introduce nothing), read by after(). */
static void each_in_content(cas_places *p, const lede_lexicon *lx, int is_prep)
{
    cas_match *m;
    size_t n;
    int rc = cas_lex_find(&m, &n, lx, p->a->doc);
    if (rc < 0) {
        fail(p, rc);
        return;
    }
    const cas_span *sent = p->a->sentences;
    size_t si = 0, ns = p->a->n_sentences;
    for (size_t k = 0; k < n && !p->err; k++) {
        while (si < ns && sent[si].stop < m[k].start)
            si++;
        if (si < ns && sent[si].start <= m[k].start)
            after(p, &m[k], is_prep);
    }
    free(m);
}

static int by_intro_start(const void *x, const void *y)
{
    uint32_t a = ((const intro_at *)x)->start, b = ((const intro_at *)y)->start;
    return (a > b) - (a < b);
}

/* Article:introduced: the capitalised names the article introduces as
 * places, after a locative preposition ("in Karsk", "near the town of
 * Halvik"; "on" only before "Lake", "Mount", ...) or a direction
 * ("north-western Lirania"), and the dateline's; with where each was
 * introduced.  Built once per article, on demand.  Returns 0 on failure. */
static int introduced(cas_places *p)
{
    if (p->intro_read)
        return 1;
    if (p->err)
        return 0;
    each_in_content(p, p->lex->prepositions_lx, 1);
    each_in_content(p, p->lex->directions_lx, 0);
    /* equal starts: the same run read from the same byte, so the same name */
    if (p->n_at)
        qsort(p->at, p->n_at, sizeof *p->at, by_intro_start);
    const cas_dateline *dl = dateline(p);
    if (dl) {
        map_put(p, &p->names, dl->city, strlen(dl->city), 0);
        if (dl->region)
            map_put(p, &p->names, dl->region, strlen(dl->region), 0);
    }
    p->intro_read = !p->err;
    return p->intro_read;
}

/* Article:is_place: is the name a place the article introduces? */
static int is_place(cas_places *p, const char *name, size_t len)
{
    return introduced(p) && map_find(&p->names, name, len) != NULL;
}

/* ---- a sentence ---- */

/* name_end: the last token of the capitalised name at token i (a
 * capitalised word): up to three capitalised words, stopping at a
 * possessive. */
static int name_end(cas_places *p, const cas_toks *t, int i)
{
    int last = i, top = t->n < i + 2 ? t->n : i + 2;
    for (int j = i; j <= top; j++) {
        if (j > i) {
            if (cas_k(t, j) != CAS_WORD || !is_cap(byte_at(p, t->s[j])) ||
                has(p, L_NAME_STOP, token_text(p, t, j)))
                break;
            last = j;
        }
        int nb = byte_at(p, (size_t)t->e[j] + 1);
        if (nb == '\'' || nb == 0xE2)
            break;
    }
    return last;
}

/* has_geo_name: whether a word of tokens i..j makes a name after "on" a place. */
static int has_geo_name(cas_places *p, const cas_toks *t, int i, int j)
{
    for (int k = i; k <= j; k++)
        if (has(p, L_GEO_NAME, token_text(p, t, k)))
            return 1;
    return 0;
}

static int is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

/* first:find("[^aeiou]i?an$") */
static int adjective_ending(const char *s, size_t n)
{
    if (n < 3 || s[n - 2] != 'a' || s[n - 1] != 'n')
        return 0;
    if (!is_vowel(s[n - 3]))
        return 1;
    return s[n - 3] == 'i' && n >= 4 && !is_vowel(s[n - 4]);
}

/* first:find("^%u%u+$") */
static int all_capitals(const char *s, size_t n)
{
    if (n < 2)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_upper((unsigned char)s[i]))
            return 0;
    return 1;
}

static void resolve(cas_places *p, cas_mention *m, const cas_toks *t, int here);

/* A capitalised word i not in the gazetteer: a place's adjective ("the
 * Marovian capital"), or a name to settle (candidate).  Returns 0 when
 * neither; sets *last to the last token read. */
static int unknown_name(cas_places *p, const cas_toks *t, int i, cas_mention *m, int *last)
{
    *last = i;
    int nlast = name_end(p, t, i);
    slice first = token_text(p, t, i);
    if (has(p, L_NOT_PLACE, first) || (first.len <= 5 && all_capitals(first.s, first.len)))
        return 0;
    const char *nxt = cas_k(t, nlast + 1) == CAS_WORD && !is_cap(byte_at(p, t->s[nlast + 1])) ? t->w[nlast + 1] : NULL;
    if (nlast == i && nxt && adjective_ending(first.s, first.len) && !has(p, L_GEO, first)) {
        slice place = {first.s, first.len - 1};
        if (!(holds(p, L_GEO, nxt) || occurs(p, place)))
            return 0;
        const char *name = cas_strndup(p->a, place.s, place.len);
        if (name == NULL) {
            fail(p, LEDE_ENOMEM);
            return 0;
        }
        *m = (cas_mention){.ti = i, .last = i, .name = name, .kind = "demonym", .country = name};
        return 1;
    }
    *m = (cas_mention){.ti = i, .last = nlast, .kind = "candidate"};
    *last = nlast;
    return 1;
}

/* The preposition before mention m (past modifiers: "in the", "in
 * north-western"); a candidate the words before introduce as a place ("in
 * Karsk", "north-western Lirania", "the town of Halvik") is settled here. */
static void introduce(cas_places *p, cas_mention *m, const cas_toks *t, int i)
{
    int j = i - 1;
    int dir = cas_k(t, j) == CAS_WORD && holds(p, L_DIRECTION, t->w[j]);
    while (j > 1 && cas_k(t, j) == CAS_WORD && holds(p, L_MODIFIER, t->w[j]))
        j--;
    const char *w = cas_word(t, j);
    m->prep = holds(p, L_PREPOSITION, w) && strcmp(w, "from") != 0;
    if (!is_kind(m->kind, "candidate"))
        return;
    if (dir || (m->prep && (strcmp(w, "on") != 0 || has_geo_name(p, t, m->ti, m->last))) ||
        (w && strcmp(w, "of") == 0 && cas_k(t, j - 1) == CAS_WORD && holds(p, L_HEAD, t->w[j - 1])))
        resolve(p, m, t, 1);
}

/* The next capital ([A-Z\195]) from byte pos up to stop; 0 when none.  The
 * Lua searches to the end of the text, then gives up past stop. */
static size_t next_capital(const cas_places *p, size_t pos, size_t stop)
{
    if (stop > p->len)
        stop = p->len;
    while (pos + 7 <= stop && !lede_scan_has_capital8(p->text + pos - 1, 1))
        pos += 8;
    for (; pos <= stop; pos++)
        if (is_cap(p->text[pos - 1]))
            return pos;
    return 0;
}

/* The mention at capitalised word i (outside the dateline): into *m, with
 * *last its last token.  Returns 0 when there is none; i moves past a
 * direction in title case ("In Northern Marovia"). */
static int mention_at(cas_places *p, const cas_toks *t, int *i, cas_mention *m, int *last)
{
    const cas_lex *lex = p->lex;
    const cas_place *e = cas_phrases_match(lex->gazetteer, t->w, t->n, *i, last);
    if (!e && holds(p, L_DIRECTION, t->w[*i]) && cas_k(t, *i + 1) == CAS_WORD &&
        is_cap(byte_at(p, t->s[*i + 1]))) {
        ++*i;
        e = cas_phrases_match(lex->gazetteer, t->w, t->n, *i, last);
    }
    if (e) {
        *m = (cas_mention){.ti = *i, .last = *last, .name = e->name, .kind = e->kind, .country = e->country};
        return 1;
    }
    return unknown_name(p, t, *i, m, last);
}

int cas_places_sentence(cas_mentions *out, cas_places *p, const cas_toks *t)
{
    out->v = NULL;
    out->n = 0;
    if (p->err)
        return p->err;
    /* tokens inside the dateline are skipped */
    const cas_dateline *dl = dateline(p);
    size_t cap = 0;
    int i = 1;
    while (i <= t->n && !p->err) {
        /* the tokens before the next capital letter start with none */
        size_t cpos = next_capital(p, t->s[i], t->e[t->n]);
        if (cpos == 0)
            break;
        while (t->e[i] < cpos)
            i++;
        int c = cas_k(t, i) == CAS_WORD ? byte_at(p, t->s[i]) : -1;
        cas_mention m;
        int last = i;
        if (!is_cap(c) || (dl && t->s[i] >= dl->start && t->e[i] <= dl->stop) || !mention_at(p, t, &i, &m, &last)) {
            i++;
            continue;
        }
        introduce(p, &m, t, i);
        cas_mention *v = grow(p, out->v, &cap, out->n, sizeof *v);
        if (v == NULL)
            break;
        v[out->n++] = m;
        out->v = v;
        i = last + 1;
    }
    if (p->err) {
        out->v = NULL;
        out->n = 0;
    }
    return p->err;
}

/* ---- settling a candidate ---- */

static const run_hit *new_hit(cas_places *p, const slice *words, int k)
{
    run_hit *hit = cas_alloc(p->a, sizeof *hit);
    if (hit == NULL) {
        fail(p, LEDE_ENOMEM);
        return NULL;
    }
    hit->n = k;
    hit->name = join(p, NULL, words, k, ' ', NULL);
    return hit->name ? hit : NULL;
}

/* The longest run of words[0..n) the article introduces as a place (any,
 * when `here` and no facility's word follows), not one followed by an
 * organisation's word; words[n] follows the run.  NULL: none. */
static const run_hit *search_run(cas_places *p, const slice *words, int n, int here)
{
    for (int k = n; k >= 1 && !p->err; k--) {
        slice follower = words[k];
        if (has(p, L_ORG, words[k - 1]) || has(p, L_ORG, follower))
            continue;
        if (here && !has(p, L_FACILITY, follower))
            return new_hit(p, words, k);
        size_t len;
        const char *cand = join(p, &p->joined, words, k, ' ', &len);
        if (cand && is_place(p, cand, len))
            return new_hit(p, words, k);
    }
    return NULL;
}

/* Article:resolve: the longest run of the candidate's words the article
 * introduces as a place ("Lirania" of "Lirania Quake Toll"), not one
 * followed by an organisation's word ("Wexmoor Police").  The answer for
 * the same words is remembered only when the sentence does not introduce
 * them (`here`), but used in both cases, as the Lua does. */
static void resolve(cas_places *p, cas_mention *m, const cas_toks *t, int here)
{
    int i = m->ti, n = m->last - i + 1;
    slice *words = reserve(p, &p->words, (size_t)(n + 1) * sizeof *words);
    if (words == NULL)
        return;
    for (int k = 0; k <= n; k++)
        words[k] = cas_k(t, i + k) == CAS_WORD ? token_text(p, t, i + k) : (slice){"", 0};
    size_t key_len;
    const char *key = join(p, &p->key, words, n + 1, '\0', &key_len);
    if (key == NULL)
        return;
    const map_slot *memo = map_find(&p->runs, key, key_len);
    const run_hit *hit;
    if (memo) {
        hit = memo->ptr;
    } else {
        hit = search_run(p, words, n, here);
        if (p->err)
            return;
        map_slot *s = here ? NULL : map_put(p, &p->runs, key, key_len, 1);
        if (s)
            s->ptr = hit;
    }
    if (hit) {
        m->kind = "learned";
        m->name = hit->name;
        m->last = i + hit->n - 1;
    } else {
        m->kind = "none";
    }
}

int cas_places_resolve(cas_places *p, cas_mention *m, const cas_toks *t, int here)
{
    if (p->err)
        return p->err;
    if (is_kind(m->kind, "candidate"))
        resolve(p, m, t, here);
    return p->err;
}

const char *cas_place_name_of(const cas_mention *m) { return name_of(m->kind, m->name, m->country); }

/* ---- article-wide, on demand ---- */

static void add_adjective(cas_places *p, slice place)
{
    map_slot *s = map_put(p, &p->adjectives, place.s, place.len, 1);
    slice *list = s ? grow(p, p->adj_list, &p->cap_adj, p->n_adj, sizeof *list) : NULL;
    if (list) {
        list[p->n_adj++] = (slice){s->key, s->len};
        p->adj_list = list;
    }
}

/* The names the article's adjectives point to ("Marovian police":
 * "Marovia"), and the dateline's region.  Returns 0 on failure. */
static int adjectives(cas_places *p)
{
    if (p->adj_read)
        return 1;
    const cas_dateline *dl = dateline(p);
    if (dl && dl->region)
        add_adjective(p, (slice){dl->region, strlen(dl->region)});
    size_t pos = 0, start, stop;
    while (!p->err && lede_scan_suffixed((const char *)p->text, p->len, "an", 2, &pos, &start, &stop)) {
        slice place = {(const char *)p->text + start, stop - start - 1};
        if (!map_find(&p->adjectives, place.s, place.len) && occurs(p, place))
            add_adjective(p, place);
    }
    p->adj_read = !p->err;
    return p->adj_read;
}

/* Article:countrylike */
static int countrylike(cas_places *p, const char *name)
{
    return adjectives(p) && name && map_find(&p->adjectives, name, strlen(name)) != NULL;
}

int cas_places_is_country(int *out, cas_places *p, const cas_mention *m)
{
    *out = 0;
    if (p->err)
        return p->err;
    *out = is_kind(m->kind, "country") || is_kind(m->kind, "demonym") || is_kind(m->kind, "alias") ||
           countrylike(p, m->name);
    return p->err;
}

/* The gazetteer's entry of a name matched in the text, read from its
 * lower-cased words.  (The Lua remembers it across articles: the answer is
 * the same.) */
static const cas_place *gazetteer_entry(cas_places *p, slice name)
{
    size_t n = lede_text_change_case(NULL, name.s, name.len, 0);
    char *low = reserve(p, &p->joined, n + 1);
    const char **words = reserve(p, &p->words, (n / 2 + 2) * sizeof *words);
    if (low == NULL || words == NULL)
        return NULL;
    lede_text_change_case(low, name.s, name.len, 0);
    low[n] = '\0';
    int nw = 0; /* gmatch("%S+"), words[1..nw] */
    for (size_t i = 0; i < n;) {
        while (i < n && is_space((unsigned char)low[i]))
            i++;
        if (i == n)
            break;
        words[++nw] = low + i;
        while (i < n && !is_space((unsigned char)low[i]))
            i++;
        if (i < n)
            low[i++] = '\0';
    }
    int last;
    return nw ? cas_phrases_match(p->lex->gazetteer, words, nw, 1, &last) : NULL;
}

/* The gazetteer's names in the text, written with a capital. */
static void add_gazetteer_names(cas_places *p, raw_mention **v, size_t *n, size_t *cap)
{
    cas_match *m;
    size_t nm;
    int rc = cas_lex_find(&m, &nm, p->lex->places_lx, p->a->doc);
    if (rc < 0) {
        fail(p, rc);
        return;
    }
    for (size_t k = 0; k < nm && !p->err; k++) {
        if (!is_cap(byte_at(p, m[k].start)))
            continue;
        const cas_place *e = gazetteer_entry(p, text_slice(p, m[k].start, m[k].stop));
        if (e)
            push_raw(p, v, n, cap, (raw_mention){m[k].start, m[k].stop, e->name, e->kind, e->country});
    }
    free(m);
}

/* The places the adjectives point to, and the adjectives themselves. */
static void add_adjective_names(cas_places *p, raw_mention **v, size_t *n, size_t *cap)
{
    for (size_t k = 0; k < p->n_adj && !p->err; k++) {
        slice place = p->adj_list[k];
        add_occurrences(p, v, n, cap, place, 1, (raw_mention){.name = place.s, .kind = "learned"});
        char *adj = cas_alloc(p->a, place.len + 2);
        if (adj == NULL) {
            fail(p, LEDE_ENOMEM);
            return;
        }
        memcpy(adj, place.s, place.len);
        adj[place.len] = 'n';
        add_occurrences(p, v, n, cap, (slice){adj, place.len + 1}, 0,
                        (raw_mention){.name = place.s, .kind = "demonym", .country = place.s});
    }
}

static int by_raw_start(const void *x, const void *y)
{
    uint32_t a = ((const raw_mention *)x)->start, b = ((const raw_mention *)y)->start;
    return (a > b) - (a < b);
}

/* Article:mentions: the country mentions of the content, the dateline
 * excluded: the gazetteer's names, and the countries the article's
 * adjectives point to ("Marovian" for Marovia).  In text order. */
static void mentions(cas_places *p, raw_mention **out, size_t *n_out)
{
    raw_mention *v = NULL;
    size_t n = 0, cap = 0;
    add_gazetteer_names(p, &v, &n, &cap);
    if (!adjectives(p))
        return;
    add_adjective_names(p, &v, &n, &cap);
    if (p->err)
        return;
    /* equal starts: mentions of one sentence, to which main() adds the
     * same amount whatever their order */
    if (n)
        qsort(v, n, sizeof *v, by_raw_start);
    const cas_dateline *dl = dateline(p);
    const cas_span *sent = p->a->sentences;
    size_t kept = 0, si = 0, ns = p->a->n_sentences;
    for (size_t k = 0; k < n; k++) {
        const raw_mention *m = &v[k];
        while (si < ns && sent[si].stop < m->start)
            si++;
        if (si < ns && sent[si].start <= m->start && m->stop <= sent[si].stop &&
            !(dl && m->start >= dl->start && m->stop <= dl->stop))
            v[kept++] = *m;
    }
    *out = v;
    *n_out = kept;
}

/* Article:conflicts: the starts of the conflict words, matched once. */
static int conflicts(cas_places *p)
{
    if (p->conflicts_read)
        return 1;
    cas_match *m;
    size_t n;
    int rc = cas_lex_find(&m, &n, p->lex->conflict_lx, p->a->doc);
    if (rc < 0) {
        fail(p, rc);
        return 0;
    }
    p->war = n ? cas_alloc(p->a, n * sizeof *p->war) : NULL;
    if (n && p->war == NULL)
        fail(p, LEDE_ENOMEM);
    for (size_t k = 0; k < n && p->war; k++)
        p->war[k] = m[k].start;
    free(m);
    p->n_war = p->war ? n : 0;
    p->conflicts_read = !p->err;
    return p->conflicts_read;
}

int cas_places_conflicts(size_t *out, cas_places *p)
{
    *out = 0;
    if (p->err || !conflicts(p))
        return p->err;
    *out = p->n_war;
    return LEDE_OK;
}

/* Adds a mention to the scores: 1 in a sentence about a conflict, where a
 * city counts for its country too, else 0.01 (the Lua's order of sums). */
static void score_mention(cas_places *p, strmap *score, const raw_mention *m, int in_war)
{
    const char *n = name_of(m->kind, m->name, m->country);
    if (n == NULL) /* a demonym or alias the gazetteer gives no country: the Lua stops (score[nil]) */
        return;
    map_slot *s = map_put(p, score, n, strlen(n), 0);
    if (s == NULL)
        return;
    s->score += in_war ? 1 : 0.01;
    if (is_kind(m->kind, "country") || is_kind(m->kind, "demonym") || is_kind(m->kind, "alias"))
        s->flag = 1;
    if (in_war && (is_kind(m->kind, "city") || is_kind(m->kind, "region")) && m->country) {
        s = map_put(p, score, m->country, strlen(m->country), 0);
        if (s)
            s->score += 1;
    }
}

/* The name of the best score: the largest, ties to the smallest name;
 * among countries (and what the adjectives make ones) first.  (The Lua
 * walks the scores with pairs(): its answer does not depend on the order.) */
static const char *best_score(cas_places *p, const strmap *score)
{
    const char *best = NULL;
    double best_n = 0;
    for (int any = 0; any <= 1 && !best; any++) {
        for (size_t i = 0; i < score->cap; i++) {
            const map_slot *s = &score->slots[i];
            if (s->key == NULL)
                continue;
            if ((s->score > best_n || (s->score == best_n && best && strcmp(s->key, best) < 0)) &&
                (any || s->flag || countrylike(p, s->key))) {
                best = s->key;
                best_n = s->score;
            }
        }
    }
    return best;
}

/* Article:main: the country the article is mostly about: mentions of
 * countries (and their adjectives), counted in sentences about a conflict,
 * where cities count for their country too; other sentences only break
 * ties. */
static const char *main_place(cas_places *p)
{
    if (!conflicts(p))
        return NULL;
    strmap score = {0};
    const cas_dateline *dl = dateline(p);
    if (dl && dl->region) {
        map_slot *s = map_put(p, &score, dl->region, strlen(dl->region), 0);
        if (s)
            s->score = 1;
    }
    raw_mention *v = NULL;
    size_t n = 0;
    mentions(p, &v, &n);
    const cas_span *sent = p->a->sentences;
    size_t si = 0, wi = 0, ns = p->a->n_sentences;
    for (size_t k = 0; k < n && !p->err; k++) {
        while (si < ns && sent[si].stop < v[k].start)
            si++;
        if (si >= ns || sent[si].start > v[k].start)
            continue;
        while (wi < p->n_war && p->war[wi] < sent[si].start)
            wi++;
        score_mention(p, &score, &v[k], wi < p->n_war && p->war[wi] <= sent[si].stop);
    }
    return p->err ? NULL : best_score(p, &score);
}

int cas_places_main(const char **out, cas_places *p)
{
    *out = NULL;
    if (p->err)
        return p->err;
    if (!p->main_read) {
        p->main_place = main_place(p);
        if (p->err)
            return p->err;
        p->main_read = 1;
    }
    *out = p->main_place;
    return LEDE_OK;
}

int cas_places_before(const char **out, cas_places *p, uint32_t pos)
{
    *out = NULL;
    if (p->err || !introduced(p))
        return p->err;
    /* the last name introduced before pos: the Lua walks the list (sorted
     * by start) to the first at or after pos */
    size_t lo = 0, hi = p->n_at;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->at[mid].start < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    *out = lo ? p->at[lo - 1].name : NULL;
    return LEDE_OK;
}

int cas_places_dateline(const cas_dateline **out, cas_places *p)
{
    *out = NULL;
    if (p->err)
        return p->err;
    const cas_dateline *dl = dateline(p);
    if (p->err)
        return p->err;
    *out = dl;
    return LEDE_OK;
}

int cas_places_new(cas_places **out, cas_art *a)
{
    cas_places *p = cas_alloc(a, sizeof *p);
    *out = p;
    if (p == NULL)
        return LEDE_ENOMEM;
    p->a = a;
    p->lex = a->lex;
    p->text = (const unsigned char *)a->text;
    p->len = a->len;
    return LEDE_OK;
}
