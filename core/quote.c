/* The quote extractor: see quote.h and docs/quotes.md.
 *
 * Per paragraph (block): quote marks are paired (doubles first, singles
 * outside them); cue verbs found by the cue lexicon become events with a
 * speaker phrase (before the verb, after it, or elided) and, for speech
 * verbs, a reported clause; quotes take the event right before or after
 * their marks, else the clause or cue of their sentence, else the
 * paragraph's or the run's speaker.  Pronouns and descriptions resolve to
 * the most recent compatible speaker; surnames to full names printed in the
 * article. */
#include "quote.h"

#include "quotenp.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- article memory ---- */

#define ARENA_BLOCK 16384

void *qc_alloc(qctx *c, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (c->arena == NULL || c->arena_used + n > c->arena_cap) {
        size_t cap = n + sizeof(char *) > ARENA_BLOCK ? n + 64 : ARENA_BLOCK;
        char *block = malloc(cap);
        if (block == NULL) {
            c->oom = 1;
            return NULL;
        }
        memcpy(block, &c->arena, sizeof(char *));
        c->arena = block;
        c->arena_used = 16; /* keeps the alignment of what follows the link */
        c->arena_cap = cap;
    }
    void *p = c->arena + c->arena_used;
    c->arena_used += n;
    return p;
}

char *qc_strndup(qctx *c, const char *s, size_t n)
{
    char *d = qc_alloc(c, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

const char *qc_text(qctx *c, int a, int b)
{
    if (a < 0 || b < a)
        return NULL;
    return qc_strndup(c, c->text + c->t[a].start, c->t[b].end - c->t[a].start);
}

static void arena_free(qctx *c)
{
    char *block = c->arena;
    while (block) {
        char *next;
        memcpy(&next, block, sizeof next);
        free(block);
        block = next;
    }
    c->arena = NULL;
}

/* Growable arrays of the article, kept in one place to free them. */
#define VEC_PUSH(c, v, n, cap, item)                                                                          \
    do {                                                                                                     \
        if ((n) == (cap)) {                                                                                  \
            size_t nc_ = (cap) ? (cap) * 2 : 16;                                                             \
            void *nv_ = realloc((v), nc_ * sizeof *(v));                                                     \
            if (nv_ == NULL) {                                                                               \
                (c)->oom = 1;                                                                                \
                break;                                                                                       \
            }                                                                                                \
            (v) = nv_;                                                                                       \
            (cap) = nc_;                                                                                     \
        }                                                                                                    \
        (v)[(n)++] = (item);                                                                                 \
    } while (0)

/* ---- word classes ---- */

void qc_classify(qctx *c, int i)
{
    c->known[i] = 1;
    size_t n;
    const char *w = qc_fold(c, i, &n);
    const qw_entry *e = qw_find(&c->q->words, w, n);
    if (e) {
        c->bits[i] = e->bits;
        c->wid[i] = e->wid;
        c->gender[i] = e->gender;
    }
    if (n > 1 && w[n - 1] == '.') { /* "Dr.", "Gen.": the title without its period */
        const qw_entry *b = qw_find(&c->q->words, w, n - 1);
        if (b) {
            c->bits[i] |= b->bits & (QW_TITLE | QW_ROLE | QW_ORG);
            if (!c->gender[i])
                c->gender[i] = b->gender;
        }
    }
}

int qc_ends(const qctx *c, int i, const char *suffix)
{
    size_t n, k = strlen(suffix);
    const char *w = qc_fold(c, i, &n);
    return n >= k && memcmp(w + n - k, suffix, k) == 0;
}

static int is_final(qctx *c, int i)
{
    int w = qc_wid(c, i);
    return w == W_PERIOD || w == W_EXCL || w == W_QUEST || w == W_ELLIPSIS;
}

static int is_trail(qctx *c, int i)
{
    int w = qc_wid(c, i);
    return w == W_COMMA || w == W_SEMI || w == W_COLON || qc_kind(c, i) == LEDE_TOK_DASH;
}

static int is_strong(qctx *c, int i)
{
    int w = qc_wid(c, i);
    return w == W_SEMI || w == W_COLON || w == W_LPAREN || w == W_RPAREN;
}

static int words_in(qctx *c, int a, int b)
{
    int n = 0;
    for (int k = a; k <= b; k++)
        n += qc_kind(c, k) == LEDE_TOK_WORD || qc_kind(c, k) == LEDE_TOK_NUMBER;
    return n;
}

/* ---- per-article state ---- */

/* Which pattern found a quote (reported in its `rule` field). */
typedef enum rule_id {
    R_DIRECT_AFTER, R_DIRECT_BEFORE, R_DIRECT_MIDDLE, R_DIRECT_SHARED, R_DIRECT_CONTINUED, R_DIRECT_RUN, R_DIRECT_NONE, R_PARTIAL_CLAUSE, R_PARTIAL_CUE, R_PARTIAL_AFTER, R_PARTIAL_NONE, R_INDIRECT_THAT, R_INDIRECT_BARE, R_INDIRECT_PREPOSED, R_INDIRECT_ACCORDING_TO, R_INDIRECT_APPEAL, R_INDIRECT_PARENTHETICAL, R_COUNT
} rule_id;

typedef struct event event;
typedef struct qspan qspan;

typedef struct hist_item {
    int pos;
    speaker *sp;
} hist_item;

typedef struct record {
    int a, z;
    lede_quote_kind kind;
    speaker *sp;
    rule_id rule;
    const char *written, *cue;
    double conf;
    int drop;
} record;

typedef struct block {
    int t1, t2;
    const lede_sentence *sent; /* the block's sentences */
    int n_sent;
    qspan *quotes;
    int n_quotes;
    struct block *prev;
} block;

typedef struct article {
    qctx c;
    hist_item *hist;
    size_t n_hist, cap_hist;
    record *out;
    size_t n_out, cap_out;
    speaker *last_direct, *carry;
    const block *carry_block;
} article;

enum { M_NONE = 0, M_BACK, M_FWD, M_ELIDED, M_SUBJECT };


enum { H_PAIR = 0, H_LOST, H_UNCLOSED, H_SINGLE };
enum { HOW_THAT = 1, HOW_BARE, HOW_APPEAL };

struct event {
    int i, j; /* cue tokens */
    char class;
    int lo, hi; /* sentence */
    speaker *sp;
    int resolved;
    const char *written;
    int a1, a2, mode, pre_comma, obj, clause_before;
    int cstart, how;
    int cl_a, cl_z;
    int nested;
    qspan *attached;
};

struct qspan {
    int o, c, c1, c2, how, lo;
    lede_quote_kind kind;
    event *ev, *after_ev;
    rule_id rule;
    const char *written, *cue;
    speaker *sp;
    int resolved, shared;
};

/* ---- sentences of a block ---- */

/* Bounds of the sentence of token i in block b. */
static void sentence_of(const block *b, int i, int *lo, int *hi)
{
    int l = 0, h = b->n_sent - 1;
    while (l < h) {
        int mid = (l + h + 1) / 2;
        if ((int)b->sent[mid].first_token <= i)
            l = mid;
        else
            h = mid - 1;
    }
    int first = (int)b->sent[l].first_token;
    *lo = first < b->t1 ? b->t1 : first;
    *hi = l + 1 < b->n_sent ? (int)b->sent[l + 1].first_token - 1 : b->t2;
}

static int sentence_start(const block *b, int i)
{
    int lo, hi;
    sentence_of(b, i, &lo, &hi);
    return lo;
}

/* The quote whose marks enclose token i (the block's quotes are disjoint and
 * in text order). */
static qspan *quote_at(const block *b, int i)
{
    int lo = 0, hi = b->n_quotes - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        qspan *q = &b->quotes[mid];
        int s = q->o >= 0 ? q->o : q->c1, e = q->c >= 0 ? q->c : q->c2;
        if (i < s)
            hi = mid - 1;
        else if (i > e)
            lo = mid + 1;
        else
            return q;
    }
    return NULL;
}

/* Sentence end of token i, carried past quotes whose marks enclose it. */
static int sentence_end(const block *b, int i)
{
    int lo, z;
    sentence_of(b, i, &lo, &z);
    for (int round = 0; round < 4; round++) {
        qspan *q = quote_at(b, z);
        if (!(q && q->c > z))
            break;
        sentence_of(b, q->c, &lo, &z);
    }
    return z;
}

/* ---- quote marks ---- */

static int is_double(int w)
{
    return w == W_Q2 || w == W_Q2_OPEN || w == W_Q2_CLOSE || w == W_Q2_LOW || w == W_Q2_REV || w == W_GUIL_OPEN ||
           w == W_GUIL_CLOSE;
}

static int is_single(int w)
{
    return w == W_Q1 || w == W_Q1_OPEN || w == W_Q1_CLOSE || w == W_Q1_LOW || w == W_Q1_REV ||
           w == W_SGUIL_OPEN || w == W_SGUIL_CLOSE;
}

/* May mark m close a quote opened by mark o? */
static int closes(int o, int m)
{
    switch (o) {
    case W_Q2: return m == W_Q2 || m == W_Q2_CLOSE || m == W_Q2_OPEN;
    case W_Q2_OPEN: return m == W_Q2_CLOSE || m == W_Q2 || m == W_Q2_OPEN;
    case W_Q2_REV: return m == W_Q2_CLOSE || m == W_Q2;
    case W_Q2_LOW: return m == W_Q2_OPEN || m == W_Q2_CLOSE || m == W_Q2;
    case W_GUIL_OPEN: return m == W_GUIL_CLOSE;
    case W_GUIL_CLOSE: return m == W_GUIL_OPEN;
    case W_Q2_CLOSE: return m == W_Q2_CLOSE;
    case W_Q1: return m == W_Q1 || m == W_Q1_CLOSE;
    case W_Q1_OPEN: return m == W_Q1_CLOSE || m == W_Q1;
    case W_Q1_REV: return m == W_Q1_CLOSE || m == W_Q1;
    case W_Q1_LOW: return m == W_Q1_OPEN || m == W_Q1_CLOSE;
    case W_SGUIL_OPEN: return m == W_SGUIL_CLOSE;
    case W_SGUIL_CLOSE: return m == W_SGUIL_OPEN;
    case W_Q1_CLOSE: return m == W_Q1_CLOSE;
    default: return 0;
    }
}

static void add_quote(qctx *c, block *b, int cap, int o, int cl, int c1, int c2, int how)
{
    while (c2 >= c1 && is_trail(c, c2))
        c2--;
    while (c1 <= c2 && is_trail(c, c1))
        c1++;
    if (c1 > c2 || words_in(c, c1, c2) == 0 || b->n_quotes >= cap)
        return;
    qspan *q = &b->quotes[b->n_quotes++];
    memset(q, 0, sizeof *q);
    q->o = o;
    q->c = cl;
    q->c1 = c1;
    q->c2 = c2;
    q->how = how;
}

static int last_final(qctx *c, int a, int z)
{
    for (int k = z; k >= a; k--)
        if (is_final(c, k))
            return k;
    return -1;
}

/* Pairs the double marks of block b: a quote left open runs to the block end. */
static void pair_doubles(qctx *c, block *b, const int *marks, int n, int cap)
{
    int open = -1;
    for (int m = 0; m < n; m++) {
        int i = marks[m], ch = qc_wid(c, i);
        if (!is_double(ch))
            continue;
        int k = qc_kind(c, i);
        if (open < 0) {
            if (k != LEDE_TOK_CLOSE_QUOTE)
                open = i;
            else if (b->n_quotes == 0 && words_in(c, b->t1, i - 1) >= 2)
                add_quote(c, b, cap, -1, i, b->t1, i - 1, H_LOST); /* its opening mark is missing */
            continue;
        }
        int och = qc_wid(c, open);
        if (closes(och, ch) && (k != LEDE_TOK_OPEN_QUOTE || och == W_Q2 || ch == W_Q2)) {
            add_quote(c, b, cap, open, i, open + 1, i - 1, H_PAIR);
            open = -1;
        } else if (k == LEDE_TOK_OPEN_QUOTE && och == ch) {
            int e = last_final(c, open + 1, i - 1);
            if (e >= 0)
                add_quote(c, b, cap, open, -1, open + 1, e, H_UNCLOSED);
            open = i;
        }
    }
    if (open >= 0)
        add_quote(c, b, cap, open, -1, open + 1, b->t2, H_UNCLOSED);
}

static int cmp_quote(const void *x, const void *y)
{
    const qspan *a = x, *b = y;
    return (a->c1 > b->c1) - (a->c1 < b->c1);
}

/* Pairs single marks outside double quotes, strictly: an opening mark and
 * the next mark that closes it (apostrophes are inside words already). */
static void pair_singles(qctx *c, block *b, const int *marks, int n, int cap)
{
    int open = -1, n_double = b->n_quotes, d = 0;
    for (int m = 0; m < n; m++) {
        int i = marks[m], ch = qc_wid(c, i);
        if (!is_single(ch))
            continue;
        while (d < n_double && (b->quotes[d].c >= 0 ? b->quotes[d].c : b->quotes[d].c2) < i)
            d++;
        if (d < n_double && i >= (b->quotes[d].o >= 0 ? b->quotes[d].o : b->quotes[d].c1))
            continue; /* inside a double quote */
        int k = qc_kind(c, i);
        if (open < 0) {
            if (k != LEDE_TOK_CLOSE_QUOTE)
                open = i;
        } else if (closes(qc_wid(c, open), ch) && k != LEDE_TOK_OPEN_QUOTE) {
            add_quote(c, b, cap, open, i, open + 1, i - 1, H_SINGLE);
            open = -1;
        } else if (k == LEDE_TOK_OPEN_QUOTE) {
            open = i;
        }
    }
    if (b->n_quotes > n_double)
        qsort(b->quotes, (size_t)b->n_quotes, sizeof *b->quotes, cmp_quote);
}

/* ---- names printed in the article ---- */

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

static const char *person_of(const qctx *c, const char *key)
{
    const person_name *p = person_entry(c, key);
    return p && p->name[0] ? p->name : NULL;
}

static void add_person(qctx *c, const char *key, const char *name)
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
int qc_is_person(qctx *c, int i)
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
            add_person(c, key, full);
        return 1;
    }
    add_person(c, key, ""); /* asked once per article */
    return 0;
}

/* A name printed right after `role` in the article ("the governor" ->
 * "Governor Elan Markos"; "the charity" -> "the charity Hillside Medical
 * Relief"), or NULL. */
static const char *name_after(qctx *c, const char *role, int org, uint32_t pos)
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

/* ---- speakers ---- */

static void remember(article *ar, speaker *sp, int pos)
{
    if (sp == NULL)
        return;
    hist_item h = {pos, sp};
    VEC_PUSH(&ar->c, ar->hist, ar->n_hist, ar->cap_hist, h);
    if (sp->type == LEDE_SPEAKER_PERSON && sp->key && sp->name && strchr(sp->name, ' ') && !sp->members)
        add_person(&ar->c, sp->key, sp->name);
    if (sp->members) {
        for (int m = 0; m < sp->n_members; m++)
            remember(ar, sp->members[m], pos);
        VEC_PUSH(&ar->c, ar->hist, ar->n_hist, ar->cap_hist, h); /* the group stays the most recent */
    }
}

static int compatible(qctx *c, int pron, const speaker *sp)
{
    const qw_entry *h = sp->head ? qw_find(&c->q->words, sp->head, strlen(sp->head)) : NULL;
    uint32_t hb = h ? h->bits : 0;
    if (pron == W_HE || pron == W_SHE) {
        if (sp->type != LEDE_SPEAKER_PERSON && !(sp->type == LEDE_SPEAKER_UNNAMED && (hb & QW_ROLE)))
            return 0;
        if (sp->plural)
            return 0;
        return !sp->gender || sp->gender == (pron == W_HE ? 'm' : 'f');
    }
    if (pron == W_IT)
        return !sp->plural && (sp->type == LEDE_SPEAKER_ORGANISATION || (sp->type == LEDE_SPEAKER_UNNAMED &&
                                                                        (hb & QW_GROUP)));
    if (pron == W_THEY)
        return sp->plural || sp->type == LEDE_SPEAKER_ORGANISATION;
    return sp->type == LEDE_SPEAKER_PERSON || sp->type == LEDE_SPEAKER_ORGANISATION;
}

static speaker *sentence_subject(article *ar, int lo, int pos, int plain);

static speaker *resolve_pronoun(article *ar, const speaker *sp, int pos, int lo)
{
    int pron = sp->pron;
    const hist_item *best = NULL;
    for (size_t h = ar->n_hist; h > 0 && h + 12 >= ar->n_hist; h--) {
        const hist_item *it = &ar->hist[h - 1];
        if (it->pos < pos && it->sp->name && !it->sp->pron && compatible(&ar->c, pron, it->sp)) {
            best = it;
            break;
        }
    }
    speaker *found = best ? best->sp : NULL;
    /* "US officials were careful ..., but they warned": an earlier subject
     * of the same sentence is nearer than older speakers */
    if (pron == W_THEY && lo >= 0 && !(best && best->pos >= lo) && lo < pos) {
        speaker *subj = sentence_subject(ar, lo, pos, 1);
        if (subj && subj->name && !subj->pron && compatible(&ar->c, pron, subj))
            found = subj;
    }
    if (found && (pron == W_HE || pron == W_SHE) && !found->gender && found->type == LEDE_SPEAKER_PERSON)
        found->gender = pron == W_HE ? 'm' : 'f';
    return found;
}

static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay && *hay; hay++) {
        size_t k = 0;
        while (k < n && hay[k] && (hay[k] | 32) == (needle[k] | 32))
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

/* How far back in the article's speakers a description looks. */
#define HIST_REACH 64

/* "the governor", "the ministry", "the top diplomats": the most recent
 * speaker it describes, or a name printed after the role. */
static speaker *resolve_description(article *ar, speaker *sp)
{
    qctx *c = &ar->c;
    const qw_entry *h = sp->head ? qw_find(&c->q->words, sp->head, strlen(sp->head)) : NULL;
    int person_head = h && (h->bits & (QW_ROLE | QW_ROLE_PL));
    for (size_t k = ar->n_hist; k > 0 && k + HIST_REACH > ar->n_hist; k--) {
        speaker *o = ar->hist[k - 1].sp;
        if (!o->name || o->pron || o == sp)
            continue;
        if (sp->plural && o->plural && o->members && (o->type == LEDE_SPEAKER_PERSON) == person_head)
            return o;
        if (!sp->plural && sp->head && o->type == sp->type && !o->plural &&
            (contains_ci(o->role, sp->head) || contains_ci(o->written, sp->head) || contains_ci(o->name, sp->head)))
            return o;
    }
    if (sp->head && !sp->plural) {
        const char *name = name_after(c, sp->role ? sp->role : sp->head, sp->type == LEDE_SPEAKER_ORGANISATION,
                                      c->t[sp->a].start);
        if (name) {
            speaker *r = qc_alloc(c, sizeof *r);
            if (r == NULL)
                return NULL;
            memset(r, 0, sizeof *r);
            r->type = sp->type == LEDE_SPEAKER_UNNAMED ? LEDE_SPEAKER_PERSON : sp->type; /* a named role holder */
            r->name = name;
            r->role = sp->role ? sp->role : sp->head;
            const char *last = strrchr(name, ' ');
            r->key = last ? last + 1 : name;
            r->a = sp->a;
            r->e = sp->e;
            return r;
        }
    }
    return NULL;
}

/* The speaker to report for phrase sp; *resolved when it came from
 * resolving a pronoun or description. */
static speaker *resolve(article *ar, speaker *sp, int pos, int lo, int *resolved)
{
    *resolved = 0;
    if (sp == NULL)
        return NULL;
    if (sp->pron) {
        speaker *r = resolve_pronoun(ar, sp, pos, lo);
        *resolved = r != NULL;
        return r;
    }
    if (sp->desc) {
        speaker *r = resolve_description(ar, sp);
        if (r) {
            *resolved = 1;
            return r;
        }
    } else if (sp->indefinite && sp->type == LEDE_SPEAKER_ORGANISATION && sp->name) {
        /* "a press freedom group" named elsewhere: "the press freedom group Reporters' Shield" */
        const char *phrase = strchr(sp->name, ' ');
        const char *name =
            phrase && strchr(phrase + 1, ' ') ? name_after(&ar->c, phrase + 1, 1, ar->c.t[sp->a].start) : NULL;
        if (name) {
            speaker *r = qc_alloc(&ar->c, sizeof *r);
            if (r) {
                memset(r, 0, sizeof *r);
                r->type = LEDE_SPEAKER_ORGANISATION;
                r->name = name;
                r->written = sp->written;
                *resolved = 1;
                return r;
            }
        }
    }
    return sp;
}

/* The subject of the sentence starting at lo, if it is a speaker phrase
 * before pos; with plain, an unresolved pronoun gives NULL. */
static speaker *sentence_subject(article *ar, int lo, int pos, int plain)
{
    qctx *c = &ar->c;
    int a = lo;
    if (qc_is(c, a, W_LPAREN)) { /* "(UPDATED)" */
        while (a < pos && !qc_is(c, a, W_RPAREN))
            a++;
        a++;
    }
    while (a < pos && (qc_kind(c, a) == LEDE_TOK_DASH || qc_kind(c, a) == LEDE_TOK_PUNCT))
        a++;
    if (a >= pos)
        return NULL;
    /* a leading adverbial phrase ends at the first comma: "Speaking to NBC, Assad ..." */
    if (qc_is_word(c, a) && ((qc_bits(c, a) & (QW_PREP | QW_ADV | QW_CONJ | QW_SUB)) || np_ends_ing(c, a))) {
        for (int k = a; k < pos; k++) {
            if (qc_is(c, k, W_COMMA)) {
                a = k + 1;
                break;
            }
        }
        if (a < pos && qc_has(c, a, QW_CONJ))
            a++;
    }
    int stop;
    int head = a < pos ? np_fwd(c, a, pos - 1, &stop) : -1;
    if (head < 0)
        return NULL;
    phrase_piece p = {a, head, head, PIECE_NP};
    speaker *sp = np_describe(c, &p, 1);
    if (sp && sp->pron) {
        if (plain)
            return NULL;
        return resolve_pronoun(ar, sp, pos, -1);
    }
    return sp;
}

/* ---- cue events ---- */

static int be_form(qctx *c, int i)
{
    static const char *const forms[] = {"is", "are", "was", "were", "be", "been", "being", NULL};
    size_t n;
    const char *w = qc_fold(c, i, &n);
    for (const char *const *f = forms; *f; f++)
        if (strlen(*f) == n && memcmp(*f, w, n) == 0)
            return 1;
    return 0;
}

/* Is the cue match [i, j] used as a verb here?  Base and -s forms may be
 * nouns ("a report", "the calls of"); nothing after "to" or an article is
 * speech ("declined to say", "a concluding session"). */
static int verb_use(qctx *c, int i, int j, int lemma_form, int lo)
{
    int nounish = lemma_form || qc_ends(c, i, "s");
    int p = i - 1;
    if (p >= lo) {
        if (qc_is(c, p, W_TO) || qc_has(c, p, QW_ARTICLE | QW_PREP) ||
            ((qc_flags(c, p) & LEDE_TF_POSSESSIVE) && nounish))
            return 0;
        if (nounish && qc_kind(c, p) == LEDE_TOK_NUMBER)
            return 0;
    }
    if (nounish && j + 1 < c->n && qc_is(c, j + 1, W_OF))
        return 0;
    if (j + 1 < c->n && qc_is(c, j + 1, W_BY) && qc_ends(c, i, "ed"))
        return 0; /* a passive: "the actions demanded by the UN" */
    int b = i - 1;
    while (b >= lo && qc_has(c, b, QW_ADV))
        b--;
    if (b >= lo && be_form(c, b) && (qc_ends(c, i, "ed") || qc_has(c, i, QW_PAST) || qc_ends(c, i, "told")))
        return 0; /* "it was reported that", "they were told" */
    return 1;
}

/* Adverbs, auxiliaries and time words right before a cue. */
static int skip_back(qctx *c, int j, int lo)
{
    while (j >= lo) {
        uint32_t b = qc_bits(c, j);
        int w = qc_wid(c, j);
        if (qc_is_word(c, j) && (b & (QW_ADV | QW_AUX | QW_TIME)))
            j--;
        else if (qc_kind(c, j) == LEDE_TOK_NUMBER && j > lo && qc_has(c, j - 1, QW_TIME))
            j--;
        else if (qc_is_word(c, j) && (w == W_ON || w == W_IN || w == W_AT || w == W_LATE || w == W_EARLY))
            j--;
        else
            break;
    }
    return j;
}

/* Adverbials right after a cue: "on Monday", "Tuesday", "Friday, July 15,". */
static int skip_fwd(qctx *c, int k, int hi)
{
    int commas = 0;
    while (k <= hi) {
        int w = qc_wid(c, k);
        uint32_t b = qc_bits(c, k);
        if (qc_is_word(c, k) && (b & (QW_TIME | QW_ADV)) && w != W_THIS)
            k++;
        else if (qc_kind(c, k) == LEDE_TOK_NUMBER && k > 0 && qc_has(c, k - 1, QW_TIME))
            k++;
        else if ((w == W_ON || w == W_IN || w == W_AT || w == W_BY || w == W_DURING) && k < hi &&
                 (qc_has(c, k + 1, QW_TIME) || qc_kind(c, k + 1) == LEDE_TOK_NUMBER))
            k++;
        else if (w == W_COMMA && k < hi && k > 0 &&
                 (qc_has(c, k - 1, QW_TIME) || qc_kind(c, k - 1) == LEDE_TOK_NUMBER) &&
                 (qc_has(c, k + 1, QW_TIME) || qc_kind(c, k + 1) == LEDE_TOK_NUMBER)) {
            k++; /* "Friday, July 15" */
            commas++;
        } else {
            break;
        }
    }
    if (commas == 1 && k <= hi && qc_is(c, k, W_COMMA) &&
        (qc_has(c, k - 1, QW_TIME) || qc_kind(c, k - 1) == LEDE_TOK_NUMBER))
        k++; /* the comma closing "Friday, July 15," */
    return k;
}

#define MAX_PIECES 4
/* Longest cue form, in tokens ("go on to say"). */
#define CUE_MAX_TOKENS 6

/* Comma-separated speaker pieces ending at token j (a comma), no further
 * back than lo: the noun-phrase pieces in text order.  *clause_before
 * tells whether a clause stands before them; *first is the first token. */
static int pieces_back(qctx *c, int j, int lo, phrase_piece *out, int *clause_before, int *first)
{
    phrase_piece found[MAX_PIECES];
    int n = 0, hi = j - 1;
    *clause_before = 0;
    while (hi >= lo && n < MAX_PIECES) {
        int p = hi;
        while (p >= lo && !qc_is(c, p, W_COMMA) && !is_strong(c, p) && !qc_is_quote(c, p) &&
               qc_kind(c, p) != LEDE_TOK_DASH)
            p--;
        int head = -1, kind = np_piece(c, p + 1, hi, 0, &head);
        if (kind == PIECE_CLAUSE || kind == PIECE_TIME) {
            *clause_before = 1;
            break;
        }
        memmove(found + 1, found, (size_t)n * sizeof *found);
        found[0] = (phrase_piece){p + 1, hi, head, kind};
        n++;
        if (p < lo || !qc_is(c, p, W_COMMA))
            break;
        hi = p - 1;
    }
    int s = 0; /* the phrase is the earliest speaker piece */
    while (s < n && found[s].kind != PIECE_NP) {
        s++;
        *clause_before = 1;
    }
    int m = 0;
    *first = s < n ? found[s].a : -1;
    for (int k = s; k < n; k++)
        if (found[k].kind == PIECE_NP)
            out[m++] = found[k];
    return m;
}

/* Speaker pieces forward from a up to hi ("said Dr Nadia Ferenc, head of
 * the district hospital"); with whole, the first piece runs to its end
 * ("according to a leaked document seen by the Washington Post").  *last
 * gets the last token used. */
static int pieces_fwd(qctx *c, int a, int hi, int whole, phrase_piece *out, int *last)
{
    int n = 0;
    *last = a - 1;
    while (a <= hi && n < 3) {
        int p = a;
        while (p <= hi && !qc_is(c, p, W_COMMA) && !is_strong(c, p) && !qc_is_quote(c, p) && !is_final(c, p) &&
               qc_kind(c, p) != LEDE_TOK_DASH)
            p++;
        int head = -1, kind = np_piece(c, a, p - 1, 1, &head);
        if (kind == PIECE_NP) {
            int e = p - 1;
            if (whole && n == 0) {
                for (int k = head + 1; k <= p - 1; k++) {
                    if (qc_has(c, k, QW_SUB)) {
                        e = k - 1;
                        break;
                    }
                }
                out[n++] = (phrase_piece){a, e, e, kind};
            } else {
                out[n++] = (phrase_piece){a, p - 1, head, kind};
            }
            *last = p - 1;
        } else if (kind == PIECE_AGE && n > 0) {
            *last = p - 1;
        } else {
            break;
        }
        if (p > hi || !qc_is(c, p, W_COMMA))
            break;
        a = p + 1;
    }
    return n;
}

/* The speaker phrase after the cue ("said X", "according to X"): sets sp,
 * a2 and mode; with `whole`, the source phrase runs to its end. */
static int speaker_after(qctx *c, event *ev, int whole)
{
    phrase_piece pieces[MAX_PIECES];
    int last, n = pieces_fwd(c, ev->j + 1, ev->hi, whole, pieces, &last);
    if (n == 0)
        return 0;
    ev->sp = np_describe(c, pieces, n);
    ev->a2 = last;
    ev->mode = M_FWD;
    return 1;
}

/* A cue with no subject of its own ("..., adding that", "and said"): the
 * speaker of the previous cue of the sentence, else the sentence's subject. */
static void speaker_elided(article *ar, event *ev, const event *prev, int same_sentence, int mode)
{
    if (prev && prev->sp && same_sentence) {
        ev->sp = prev->sp;
        ev->written = prev->written;
        ev->mode = M_ELIDED;
        return;
    }
    ev->sp = sentence_subject(ar, ev->lo, ev->i, 0);
    ev->mode = mode;
}

/* "a 2019 report that warned": the phrase before the relative pronoun at j. */
static void speaker_relative(qctx *c, event *ev, int j)
{
    int h = j - 1;
    if (qc_is(c, h, W_COMMA))
        h--;
    int a = np_head(c, h) ? np_back(c, h, ev->lo) : -1;
    if (a >= 0) {
        phrase_piece p = {a, h, h, PIECE_NP};
        ev->sp = np_describe(c, &p, 1);
        ev->a1 = a;
        ev->mode = M_BACK;
    }
}

/* The cue follows a comma at j: an apposition run before it ("Jim Jeffrey,
 * the U.S. special representative, said"), an inverted attribution after
 * it ("CLAUSE, said X."), or an elided subject. */
static void speaker_after_comma(article *ar, event *ev, const event *prev, int j)
{
    qctx *c = &ar->c;
    phrase_piece pieces[MAX_PIECES];
    int clause_before, first, n = pieces_back(c, j, ev->lo, pieces, &clause_before, &first);
    if (n == 0 && j == ev->i - 1 && (ev->class == 'S' || ev->class == 'T')) {
        int a2 = ev->a2;
        if (speaker_after(c, ev, 0) && (ev->a2 >= ev->hi || is_final(c, ev->a2 + 1))) {
            ev->pre_comma = j;
            return;
        }
        ev->sp = NULL, ev->a2 = a2, ev->mode = M_NONE;
    }
    if (n > 0) {
        ev->sp = np_describe(c, pieces, n);
        ev->a1 = first;
        ev->mode = M_BACK;
        ev->clause_before = clause_before;
    } else {
        speaker_elided(ar, ev, prev, prev && prev->lo == ev->lo, M_SUBJECT);
    }
}

/* Do the pieces and the phrase [a, j] list names after a preposition of
 * the first piece ("from Brazil, Chile and Peru")? */
static int name_list(qctx *c, const phrase_piece *pieces, int n, int a, int j)
{
    int joined = 0;
    for (int k = a; k <= j; k++)
        joined |= qc_is(c, k, W_AND);
    const phrase_piece *p = &pieces[0];
    if (!joined)
        return 0;
    int e = p->b;
    if (!np_is_cap(c, e) || e - 1 < p->a || !qc_has(c, e - 1, QW_PREP))
        return 0;
    for (int k = 1; k < n; k++)
        if (pieces[k].a != pieces[k].b || !np_is_cap(c, pieces[k].a))
            return 0;
    return 1;
}

/* The speaker phrase ending at j before the cue, with the appositions
 * before it: "Jim Jeffrey, the U.S. special representative, on May 29 told". */
static void speaker_before(article *ar, event *ev, int j)
{
    qctx *c = &ar->c;
    int lo = ev->lo, w = qc_wid(c, j);
    if (np_is_pron(c, j) && (w == W_THEM || w == W_HIM || w == W_US || w == W_ME)) {
        for (int k = j - 1; k >= lo && k >= j - 4; k--) { /* "the charity that employs them said" */
            int kw = qc_wid(c, k);
            if (kw == W_THAT || kw == W_WHO || kw == W_WHICH) {
                j = k - 1;
                break;
            }
        }
    }
    int a = np_back(c, j, lo);
    if (a < 0) { /* "Kerry hesitated ... before saying": the sentence's subject */
        ev->sp = sentence_subject(ar, lo, ev->i, 0);
        ev->mode = ev->sp ? M_SUBJECT : M_NONE;
        return;
    }
    phrase_piece pieces[MAX_PIECES + 1];
    int n = 1;
    pieces[0] = (phrase_piece){a, j, j, PIECE_NP};
    if (a - 1 >= lo && qc_is(c, a - 1, W_COMMA)) {
        phrase_piece more[MAX_PIECES];
        int clause_before, first;
        int m = pieces_back(c, a - 1, lo, more, &clause_before, &first);
        if (m > 0 && !clause_before && name_list(c, more, m, a, j)) {
            /* "Officials from Brazil, Chile and Peru said": the names end the first phrase */
            ev->sp = np_describe(c, more, 1);
            ev->a1 = first;
            ev->mode = M_BACK;
            return;
        }
        if (m > 0 && !clause_before) {
            memmove(pieces + m, pieces, sizeof *pieces);
            memcpy(pieces, more, (size_t)m * sizeof *more);
            n += m;
            a = first;
        } else {
            ev->clause_before = 1;
        }
    }
    ev->sp = np_describe(c, pieces, n);
    ev->a1 = a;
    ev->mode = M_BACK;
}

/* Finds the speaker phrase of cue event ev: sets sp, a1 (first token of the
 * attribution), mode and, for "said X", a2 (its last token). */
static void event_speaker(article *ar, event *ev, const event *prev)
{
    qctx *c = &ar->c;
    int lo = ev->lo, i = ev->i;
    ev->a1 = i;
    if (ev->class == 'A') {
        speaker_after(c, ev, 1);
        ev->mode = M_FWD;
        return;
    }
    int j = skip_back(c, i - 1, lo);
    int w = j >= lo ? qc_wid(c, j) : W_NONE;
    if (qc_ends(c, i, "ing") && !(j >= lo && np_is_cap(c, j)))
        speaker_elided(ar, ev, prev, prev && prev->hi == ev->hi, M_SUBJECT);
    else if (j < lo || qc_is_quote(c, j) || (w == W_COMMA && j > lo && qc_is_quote(c, j - 1)))
        speaker_after(c, ev, 0); /* "..." said X; a sentence-initial verb */
    else if (w == W_AND || w == W_BUT || w == W_OR || w == W_THEN)
        speaker_elided(ar, ev, prev, prev && prev->lo == lo, M_ELIDED); /* "X cancelled a trip and said" */
    else if ((w == W_WHO || w == W_WHICH || w == W_THAT) && j - 1 >= lo)
        speaker_relative(c, ev, j);
    else if (w == W_COMMA)
        speaker_after_comma(ar, ev, prev, j);
    else
        speaker_before(ar, ev, j);
}

/* ---- reported clauses ---- */

/* Index of the first event at or after token pos (events are in text order). */
static int first_event(const event *events, int n, int pos)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (events[mid].i < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* An -ed word after a noun, a name or a comma, not after "a", a
 * preposition or an auxiliary: "Gunmen abducted", "Marovia, at war, offered". */
static int past_verb(qctx *c, int k)
{
    size_t n;
    qc_fold(c, k, &n);
    if (n < 5 || !qc_ends(c, k, "ed") || (qc_flags(c, k) & LEDE_TF_CAPITALISED))
        return 0;
    int p = k - 1;
    if (!qc_is_word(c, p))
        return qc_is(c, p, W_COMMA);
    int w = qc_wid(c, p);
    return w != W_A && w != W_AN && !qc_has(c, p, QW_PREP | QW_AUX | QW_CONJ);
}

/* Does [a, z] look like a clause: a finite verb among its first `limit`
 * words (0: all), past any relative clause? */
/* A present-tense verb after a determined noun: "the town needs ...". */
static int present_verb(qctx *c, int k, int a)
{
    size_t n;
    const char *w = qc_fold(c, k, &n);
    if (n < 4 || w[n - 1] != 's' || w[n - 2] == 's' || w[n - 2] == '\'' || k - 2 < a ||
        (qc_flags(c, k) & (LEDE_TF_CAPITALISED | LEDE_TF_POSSESSIVE)) || (qc_bits(c, k) & (QW_STOP | QW_NOUN | QW_DET)))
        return 0;
    return qc_is_word(c, k - 1) && !(qc_bits(c, k - 1) & (QW_STOP | QW_DET)) && qc_has(c, k - 2, QW_DET);
}

static int clause_like(qctx *c, int a, int z, int limit)
{
    if (limit && z > a + limit)
        z = a + limit;
    for (int k = a; k <= z; k++) {
        if (qc_is_word(c, k)) {
            uint32_t b = qc_bits(c, k);
            int w = qc_wid(c, k);
            unsigned f = qc_flags(c, k);
            int lower = !(f & LEDE_TF_CAPITALISED) || (f & LEDE_TF_SENT_START);
            if ((b & (QW_AUX | QW_PAST)) && !(b & QW_NONFINITE) && lower)
                return 1;
            if (!limit && (b & QW_CUE) && !(k > a && qc_has(c, k - 1, QW_DET | QW_PREP | QW_AUX)))
                return 1;
            if (limit && (w == W_WHICH || w == W_WHO)) {
                /* a relative clause's verb is not the clause's: go on after it */
                while (k <= z && !qc_is(c, k, W_COMMA))
                    k++;
                if (k > z)
                    return 0;
            } else if (k > a && (past_verb(c, k) || (c->present && present_verb(c, k, a)))) {
                return 1;
            } else if (np_is_pron(c, k) && k < z &&
                       (w == W_HE || w == W_SHE || w == W_THEY || w == W_WE || w == W_I || w == W_IT)) {
                return 1;
            }
        } else if (k > a && (qc_kind(c, k) == LEDE_TOK_OPEN_QUOTE || qc_kind(c, k) == LEDE_TOK_AMBIG_QUOTE) &&
                   qc_is_word(c, k - 1)) {
            int p = k - 1; /* a quoted predicate: the families "deserve answers" */
            size_t n;
            qc_fold(c, p, &n);
            if (np_is_cap(c, p) || qc_has(c, p, QW_NOUN) || np_is_pron(c, p) ||
                (n > 3 && qc_ends(c, p, "s") && !qc_has(c, p, QW_STOP)))
                return 1;
        }
    }
    return 0;
}

/* "X urged Y to DO": the clause is "Y to DO", from k; -1 when there is none. */
static int appeal_start(qctx *c, int k, int hi, int *how)
{
    if (qc_is(c, k, W_NOT) || qc_is(c, k, W_TO) || !qc_is_word(c, k) ||
        (qc_has(c, k, QW_STOP) && !qc_has(c, k, QW_DET)))
        return -1;
    for (int x = k + 1; x <= hi && x <= k + 10; x++) {
        if (qc_is(c, x, W_TO)) {
            *how = HOW_APPEAL;
            return k;
        }
        if (!qc_is_word(c, x) && qc_kind(c, x) != LEDE_TOK_NUMBER)
            break;
    }
    return -1;
}

/* "said that" after adverbials ("said on Monday in a statement that"):
 * the clause start after the "that" met within a few words from a, or -1. */
static int that_after(qctx *c, int a, int hi)
{
    for (int x = a + 1; x <= hi && x <= a + 14; x++) {
        if (qc_is(c, x, W_THAT))
            return x + 1;
        if ((!qc_is_word(c, x) && qc_kind(c, x) != LEDE_TOK_NUMBER) || qc_has(c, x, QW_CUE))
            break;
    }
    return -1;
}

/* Where the reported clause of ev starts (after "that", an addressee,
 * adverbials); -1 when there is none. */
static int clause_start(qctx *c, event *ev, int *how)
{
    int hi = ev->hi, k = (ev->a2 >= 0 ? ev->a2 : ev->j) + 1;
    if (ev->mode == M_FWD || k > hi || ev->class == 'P' || ev->class == 'A')
        return -1;
    if (ev->class == 'U')
        return appeal_start(c, k, hi, how);
    if (ev->class == 'O' && !qc_is(c, k, W_THAT) && qc_is_word(c, k) && !qc_has(c, k, QW_PREP)) {
        int stop, head = np_fwd(c, k, hi, &stop);
        if (head >= 0) {
            ev->obj = head;
            k = stop;
            if (k <= hi && qc_is(c, k, W_COMMA))
                return -1;
        }
    }
    int a = skip_fwd(c, k, hi);
    if (a > hi)
        return -1;
    if (qc_is(c, a, W_THAT)) {
        *how = HOW_THAT;
        return a + 1;
    }
    if (qc_has(c, a, QW_QUANT)) { /* "said at least 1,500 homes ..." */
        for (int x = a + 1; x <= hi && x <= a + 3; x++) {
            if (qc_kind(c, x) == LEDE_TOK_NUMBER) {
                *how = HOW_BARE;
                return a;
            }
        }
    }
    if (a != k || qc_has(c, a, QW_PREP) || np_ends_ing(c, a)) {
        int t = (qc_is_word(c, a) || qc_kind(c, a) == LEDE_TOK_NUMBER) && !qc_has(c, a, QW_CUE) ? that_after(c, a, hi)
                                                                                                : -1;
        if (t >= 0) {
            *how = HOW_THAT;
            return t;
        }
        if (qc_has(c, a, QW_PREP) || np_ends_ing(c, a))
            return -1;
    }
    if (ev->class == 'T')
        return -1;
    int kind = qc_kind(c, a), w = qc_wid(c, a);
    *how = HOW_BARE;
    if (kind == LEDE_TOK_OPEN_QUOTE || kind == LEDE_TOK_AMBIG_QUOTE)
        return a;
    uint32_t b = qc_bits(c, a);
    if ((kind != LEDE_TOK_WORD && kind != LEDE_TOK_NUMBER) || ((b & QW_STOP) && !(b & (QW_PRON | QW_NOBODY))) ||
        w == W_TO)
        return -1;
    if (w == W_HIM || w == W_THEM || w == W_US || w == W_ME || w == W_HIMSELF || w == W_HERSELF)
        return -1;
    return a;
}

static int contrast(qctx *c, int i)
{
    int w = qc_wid(c, i);
    return w == W_BUT || w == W_WHILE || w == W_WHEREAS || w == W_ALTHOUGH || w == W_THOUGH;
}

/* The end of the clause of ev starting at a: the sentence end, or where a
 * coordinated attribution starts ("..., but he added that"), without final
 * punctuation. */
static int clause_end(qctx *c, const block *b, event *ev, int a, event *events, int n_ev)
{
    int z = ev->hi;
    for (int e = first_event(events, n_ev, a + 1); e < n_ev && events[e].i <= z; e++) {
        event *e2 = &events[e];
        int s = e2->a1;
        if (e2 == ev || e2->lo != ev->lo || s <= a)
            continue;
        int boundary = e2->cstart >= 0 || e2->class == 'P' || e2->class == 'A' || e2->attached ||
                       (qc_ends(c, e2->i, "ing") && qc_is(c, e2->i - 1, W_COMMA));
        if (!boundary)
            continue;
        int p = s - 1, pw = qc_wid(c, p);
        if (e2->mode == M_ELIDED || pw == W_COMMA || pw == W_AND || contrast(c, p) || pw == W_SEMI ||
            e2->class == 'A') {
            while (p > a && (qc_is(c, p, W_AND) || contrast(c, p) || qc_is(c, p, W_COMMA) || qc_is(c, p, W_SEMI)))
                p--;
            if (p < z)
                z = p;
            break;
        }
        e2->nested = 1;
    }
    for (int k = a + 1; k <= z; k++) {
        int w = qc_wid(c, k);
        if ((w == W_SEMI || w == W_COMMA) && quote_at(b, k))
            continue; /* punctuation inside quoted words ends nothing */
        if (w == W_SEMI || (w == W_COMMA && k + 1 < z && contrast(c, k + 1) && !qc_is(c, k + 2, W_THAT))) {
            z = k - 1;
            break;
        }
        /* "..., the second time in two months that ...": a summary after a whole clause */
        if (w == W_COMMA && k + 1 < z && (qc_is(c, k + 1, W_THE) || qc_is(c, k + 1, W_A) || qc_is(c, k + 1, W_AN)) &&
            clause_like(c, a, k - 1, 0)) {
            int stop;
            np_fwd(c, k + 1, z, &stop);
            if (stop > z || !qc_is(c, stop, W_COMMA)) {
                z = k - 1;
                break;
            }
        }
    }
    while (z > a && (is_final(c, z) || is_trail(c, z)))
        z--;
    return z;
}

/* ---- output records ---- */

static const struct {
    const char *name;
    double confidence;
} rules[R_COUNT] = {
    [R_DIRECT_AFTER] = {"direct.after", 0.95},
    [R_DIRECT_BEFORE] = {"direct.before", 0.95},
    [R_DIRECT_MIDDLE] = {"direct.middle", 0.95},
    [R_DIRECT_SHARED] = {"direct.shared", 0.85},
    [R_DIRECT_CONTINUED] = {"direct.continued", 0.85},
    [R_DIRECT_RUN] = {"direct.run", 0.7},
    [R_DIRECT_NONE] = {"direct.none", 0.5},
    [R_PARTIAL_CLAUSE] = {"partial.clause", 0.9},
    [R_PARTIAL_CUE] = {"partial.cue", 0.8},
    [R_PARTIAL_AFTER] = {"partial.after", 0.85},
    [R_PARTIAL_NONE] = {"partial.none", 0.5},
    [R_INDIRECT_THAT] = {"indirect.that", 0.8},
    [R_INDIRECT_BARE] = {"indirect.bare", 0.7},
    [R_INDIRECT_PREPOSED] = {"indirect.preposed", 0.75},
    [R_INDIRECT_ACCORDING_TO] = {"indirect.according_to", 0.8},
    [R_INDIRECT_APPEAL] = {"indirect.appeal", 0.7},
    [R_INDIRECT_PARENTHETICAL] = {"indirect.parenthetical", 0.7},
};

static double confidence_of(rule_id rule, int resolved)
{
    return resolved ? rules[rule].confidence * 0.9 : rules[rule].confidence;
}

/* The cue as written: the verb, its addressee, "in a statement". */
static const char *cue_text(qctx *c, const event *ev)
{
    int z = ev->obj >= 0 ? ev->obj : ev->j;
    if (ev->class == 'O' && ev->obj < 0 && ev->j + 1 < c->n && qc_is_word(c, ev->j + 1) &&
        !qc_has(c, ev->j + 1, QW_STOP)) {
        int stop, head = np_fwd(c, ev->j + 1, ev->hi, &stop); /* "told the Harbour Post" */
        if (head >= 0)
            z = head;
    }
    int k = z + 1;
    if (k + 2 < c->n && qc_is(c, k, W_IN) && (qc_is(c, k + 1, W_A) || qc_is(c, k + 1, W_AN)) &&
        (qc_is(c, k + 2, W_STATEMENT) || qc_is(c, k + 2, W_INTERVIEW)))
        z = k + 2;
    return qc_text(c, ev->i, z);
}

static void record_quote(article *ar, lede_quote_kind kind, int a, int z, speaker *sp, int resolved,
                         rule_id rule, const char *written, const char *cue)
{
    record r = {a, z, kind, sp, rule, written, cue, confidence_of(rule, resolved), 0};
    VEC_PUSH(&ar->c, ar->out, ar->n_out, ar->cap_out, r);
}

static void record_event(article *ar, const event *ev, int a, int z, rule_id rule)
{
    record_quote(ar, LEDE_QUOTE_INDIRECT, a, z, ev->sp, ev->resolved, rule, ev->written, cue_text(&ar->c, ev));
}

/* ---- events of a block ---- */

/* The cue matches of the block outside quotes, as events with speakers. */
static int parse_events(article *ar, const block *b, const lede_lexicon_match *m, size_t n_m, event *events)
{
    qctx *c = &ar->c;
    int n = 0;
    const event *prev = NULL;
    for (size_t k = 0; k < n_m; k++) {
        int i = (int)m[k].first, j = (int)m[k].last;
        qspan *q = quote_at(b, i);
        if (q && i >= q->c1 && i <= q->c2)
            continue;
        size_t vlen;
        const char *value = lede_lexicon_value(c->q->cues, m[k].value, &vlen);
        const char *bar = memchr(value, '|', vlen);
        if (bar == NULL || bar + 1 >= value + vlen)
            continue;
        size_t lemma_len = (size_t)(bar - value), flen;
        const char *form = qc_fold(c, i, &flen);
        int lemma_form = flen == lemma_len && memcmp(form, value, flen) == 0;
        int lo, hi;
        sentence_of(b, i, &lo, &hi);
        if (!verb_use(c, i, j, lemma_form, lo))
            continue;
        event *ev = &events[n++];
        memset(ev, 0, sizeof *ev);
        ev->i = i;
        ev->j = j;
        ev->class = bar[1];
        ev->lo = lo;
        ev->hi = sentence_end(b, i);
        ev->a2 = ev->pre_comma = ev->obj = ev->cstart = ev->cl_a = ev->cl_z = -1;
        event_speaker(ar, ev, prev);
        if (ev->written == NULL && ev->sp)
            ev->written = ev->sp->written ? ev->sp->written : ev->sp->name;
        ev->sp = resolve(ar, ev->sp, i, lo, &ev->resolved);
        if (ev->sp)
            remember(ar, ev->sp, i);
        prev = ev;
    }
    return n;
}

static int other_event_in(const event *events, int n, const event *ev, int a, int z)
{
    for (int k = first_event(events, n, a); k < n && events[k].i <= z; k++)
        if (&events[k] != ev && (events[k].attached || events[k].cl_a >= 0))
            return 1;
    return 0;
}

/* "X, according to Y." or "According to Y, X." */
static void according_to(article *ar, const block *b, event *ev, event *events, int n)
{
    qctx *c = &ar->c;
    int lo = ev->lo, hi = ev->hi, after = (ev->a2 >= 0 ? ev->a2 : ev->j) + 1, a = -1, z = -1;
    int before = ev->i - 1 > lo && qc_is(c, ev->i - 1, W_COMMA);
    int open_end = before && qc_has(c, ev->i - 2, QW_CONJ | QW_AUX | QW_PREP | QW_DET);
    int before_ok = before && !open_end && clause_like(c, lo, ev->i - 2, 0);
    int after_ok = after <= hi && qc_is(c, after, W_COMMA) && words_in(c, after + 1, hi) >= 3 &&
                   !qc_has(c, after + 1, QW_SUB);
    if (open_end && after_ok && !qc_has(c, ev->i - 2, QW_CONJ)) {
        a = lo; /* "The summer has, according to X, cut the harvest": all of it */
        z = clause_end(c, b, ev, after + 1, events, n);
    } else if (!before_ok && after_ok) {
        a = after + 1;
        z = clause_end(c, b, ev, a, events, n);
    } else if (before) {
        a = lo;
        z = ev->i - 2;
    }
    if (a >= 0 && z >= a && words_in(c, a, z) >= 3 && !qc_is_quote(c, z)) {
        ev->cl_a = a;
        ev->cl_z = z;
        record_event(ar, ev, a, z, R_INDIRECT_ACCORDING_TO);
    }
}

/* "CLAUSE, X said." and "During the talks, X said, CLAUSE." */
static void preposed(article *ar, const block *b, event *ev, event *events, int n)
{
    qctx *c = &ar->c;
    int a = ev->lo, z = ev->a1 - 2;
    while (z > a && is_trail(c, z))
        z--;
    if (!other_event_in(events, n, ev, a, z) && words_in(c, a, z) >= 3 && clause_like(c, a, z, 0)) {
        ev->cl_a = a;
        ev->cl_z = z;
        record_event(ar, ev, a, z, R_INDIRECT_PREPOSED);
        return;
    }
    int k = (ev->obj >= 0 ? ev->obj : ev->j) + 1;
    if (qc_is(c, k, W_COMMA) && k < ev->hi) {
        int z2 = clause_end(c, b, ev, k + 1, events, n);
        if (words_in(c, k + 1, z2) >= 3 && clause_like(c, k + 1, z2, 12)) {
            ev->cl_a = k + 1;
            ev->cl_z = z2;
            record_event(ar, ev, k + 1, z2, R_INDIRECT_PARENTHETICAL);
        }
    }
}

/* The reported clause after the cue: "X said (that) CLAUSE". */
static void following(article *ar, const block *b, event *ev, event *events, int n)
{
    qctx *c = &ar->c;
    int a = ev->cstart, z = clause_end(c, b, ev, a, events, n);
    qspan *q = quote_at(b, a);
    int whole_quote = q && q->o == a && q->c >= 0 && q->c >= z - 1;
    if (whole_quote) { /* warned that « the window is closing »: a partial only */
        ev->cl_a = a;
        ev->cl_z = z;
        return;
    }
    if (z >= a && words_in(c, a, z) >= 3 && (ev->how != HOW_BARE || clause_like(c, a, z, 12))) {
        ev->cl_a = a;
        ev->cl_z = z;
        record_event(ar, ev, a, z,
                     ev->how == HOW_THAT ? R_INDIRECT_THAT : ev->how == HOW_APPEAL ? R_INDIRECT_APPEAL : R_INDIRECT_BARE);
    }
}

/* Indirect quotes of the block's events. */
static void indirect(article *ar, const block *b, event *events, int n)
{
    qctx *c = &ar->c;
    for (int k = 0; k < n; k++) {
        event *ev = &events[k];
        if (ev->class == 'A' || ev->attached)
            continue;
        c->present = qc_ends(c, ev->i, "s") && !qc_ends(c, ev->i, "ss");
        int how = 0, a = clause_start(c, ev, &how);
        if (a >= 0 && (how != HOW_BARE || clause_like(c, a, ev->hi, 12))) {
            ev->cstart = a;
            ev->how = how;
        }
    }
    for (int k = 0; k < n; k++) {
        event *ev = &events[k];
        if (!ev->sp || ev->nested || ev->attached)
            continue;
        c->present = qc_ends(c, ev->i, "s") && !qc_ends(c, ev->i, "ss");
        if (ev->class == 'A')
            according_to(ar, b, ev, events, n);
        else if (ev->cstart >= 0)
            following(ar, b, ev, events, n);
        else if ((ev->mode == M_BACK || ev->pre_comma >= 0) && ev->class != 'P' && ev->class != 'U' &&
                 ev->a1 - 1 > ev->lo && qc_is(c, ev->a1 - 1, W_COMMA) && !qc_is_quote(c, ev->a1 - 2) &&
                 !quote_at(b, ev->a1 - 2))
            preposed(ar, b, ev, events, n);
    }
    c->present = 0;
}

/* ---- quotes of a block ---- */

/* The event attributing q from right after its closing mark. */
static event *event_after(const qspan *q, event *events, int n, int limit)
{
    if (q->c < 0)
        return NULL;
    for (int k = first_event(events, n, q->c + 1); k < n && events[k].i <= limit; k++) {
        event *ev = &events[k];
        if ((ev->a1 <= q->c + 3 && ev->sp) || (ev->mode == M_FWD && ev->i <= q->c + 2))
            return ev;
    }
    return NULL;
}

static event *event_before(const qspan *q, event *events, int n, int from)
{
    event *best = NULL;
    for (int k = first_event(events, n, from); k < n && events[k].i < (q->o >= 0 ? q->o : q->c1); k++)
        best = &events[k];
    return best;
}

/* Kinds of the block's quotes, and the events that attribute them from
 * right before or after their marks (those events report no clause). */
static void place_quotes(qctx *c, const block *b, event *events, int n)
{
    for (int qi = 0; qi < b->n_quotes; qi++) {
        qspan *q = &b->quotes[qi];
        const qspan *prevq = qi > 0 ? &b->quotes[qi - 1] : NULL, *nextq = qi + 1 < b->n_quotes ? q + 1 : NULL;
        int lo = sentence_start(b, q->o >= 0 ? q->o : q->c1), from = lo;
        if (prevq && prevq->c >= lo)
            from = prevq->c + 1;
        int hi = q->c >= 0 ? sentence_end(b, q->c) : b->t2;
        if (nextq && nextq->o >= 0 && nextq->o <= hi)
            hi = nextq->o - 1;
        q->lo = lo;
        int at_start = q->o < 0 || q->o <= from || q->how == H_LOST;
        event *before_ev = NULL;
        if (!at_start && (qc_is(c, q->o - 1, W_COLON) || qc_is(c, q->o - 1, W_COMMA))) {
            before_ev = event_before(q, events, n, from);
            at_start = before_ev != NULL || qc_is(c, q->o - 1, W_COLON);
        }
        event *after_ev = event_after(q, events, n, hi);
        int ends = q->c < 0 || q->c >= hi || is_final(c, q->c2) || (q->c + 1 <= b->t2 && is_final(c, q->c + 1)) ||
                   after_ev || (nextq && nextq->o >= 0 && nextq->o <= q->c + 2);
        if (at_start && ends) {
            q->kind = LEDE_QUOTE_DIRECT;
            if (after_ev) {
                q->ev = after_ev;
                q->rule = before_ev ? R_DIRECT_MIDDLE : R_DIRECT_AFTER;
                after_ev->attached = q;
            } else if (before_ev) {
                q->ev = before_ev;
                q->rule = R_DIRECT_BEFORE;
                before_ev->attached = q;
            }
        } else {
            q->kind = LEDE_QUOTE_PARTIAL;
            q->after_ev = after_ev;
        }
    }
}

/* The speaker of a partial quote: the clause or the naming verb of its
 * sentence, or an attribution right after it. */
static void attribute_partial(qspan *q, event *events, int n)
{
    int first = first_event(events, n, q->lo); /* the events of its sentence */
    for (int k = first; k < n && events[k].lo == q->lo; k++)
        if (events[k].cl_a >= 0 && q->c1 >= events[k].cl_a && q->c2 <= events[k].cl_z + 1)
            q->ev = &events[k], q->rule = R_PARTIAL_CLAUSE;
    if (!q->ev) {
        for (int k = first; k < n && events[k].i < (q->o >= 0 ? q->o : q->c1); k++) {
            const event *e = &events[k];
            if (e->lo == q->lo && e->sp && (e->class == 'P' || e->class == 'U'))
                q->ev = &events[k], q->rule = R_PARTIAL_CUE;
        }
    }
    if (!q->ev && q->after_ev && q->after_ev->class != 'P' && q->after_ev->class != 'U')
        q->ev = q->after_ev, q->rule = R_PARTIAL_AFTER;
}

/* A direct quote without an attribution of its own: the paragraph's other
 * quotes (`from`, the nearest attributed one), its reported speech (the
 * last event with a clause, `said`), the quote left open before it, the run. */
static void attribute_direct(article *ar, const block *b, int qi, const qspan *from, event *said)
{
    qspan *q = &b->quotes[qi];
    if (from) {
        q->sp = from->sp, q->resolved = from->resolved, q->rule = R_DIRECT_SHARED, q->shared = 1;
        q->written = from->written, q->cue = from->cue, q->ev = from->ev;
    } else if (said) {
        q->sp = said->sp, q->resolved = said->resolved, q->rule = R_DIRECT_SHARED, q->shared = 1;
        q->written = said->written, q->cue = cue_text(&ar->c, said), q->ev = said;
    } else if (qi == 0 && q->o == b->t1 && ar->carry && ar->carry_block == b->prev) {
        q->sp = ar->carry, q->rule = R_DIRECT_CONTINUED;
    } else if ((q->o == b->t1 || q->how == H_LOST) && ar->last_direct) {
        q->sp = ar->last_direct, q->rule = R_DIRECT_RUN;
    } else {
        q->rule = R_DIRECT_NONE;
    }
}

static int attributed(const qspan *q)
{
    return q->sp && q->ev && !q->shared;
}

static void attribute_quotes(article *ar, const block *b, event *events, int n)
{
    for (int qi = 0; qi < b->n_quotes; qi++) {
        qspan *q = &b->quotes[qi];
        if (q->kind == LEDE_QUOTE_PARTIAL)
            attribute_partial(q, events, n);
        if (q->ev) {
            q->sp = q->ev->sp, q->resolved = q->ev->resolved;
            q->written = q->ev->written, q->cue = cue_text(&ar->c, q->ev);
        }
    }
    /* the nearest attributed quote after each one, for quotes the previous ones do not attribute */
    int next_src = -1;
    int *next = qc_alloc(&ar->c, ((size_t)b->n_quotes + 1) * sizeof *next);
    if (next == NULL)
        return;
    for (int qi = b->n_quotes - 1; qi >= 0; qi--) {
        next[qi] = next_src;
        if (attributed(&b->quotes[qi]))
            next_src = qi;
    }
    event *said = NULL;
    for (int k = n - 1; k >= 0 && !said; k--)
        if (events[k].sp && events[k].cl_a >= 0)
            said = &events[k];
    const qspan *prev_src = NULL;
    for (int qi = 0; qi < b->n_quotes; qi++) {
        qspan *q = &b->quotes[qi];
        int own = attributed(q);
        if (q->kind == LEDE_QUOTE_DIRECT && !q->sp)
            attribute_direct(ar, b, qi, prev_src ? prev_src : next[qi] >= 0 ? &b->quotes[next[qi]] : NULL, said);
        else if (q->kind == LEDE_QUOTE_PARTIAL && !q->sp)
            q->rule = R_PARTIAL_NONE;
        if (own)
            prev_src = q;
        record_quote(ar, q->kind, q->c1, q->c2, q->sp, q->resolved, q->rule, q->written, q->cue);
        if (q->kind == LEDE_QUOTE_DIRECT && q->sp) {
            ar->last_direct = q->sp;
            if (q->ev && !q->shared)
                remember(ar, q->sp, q->c1);
        }
    }
    const qspan *last = b->n_quotes ? &b->quotes[b->n_quotes - 1] : NULL;
    ar->carry = last && last->how == H_UNCLOSED ? last->sp : NULL;
    ar->carry_block = b;
}

/* ---- the article ---- */

/* Does the merged skip ranges cover more than half of [s, e)? */
static int skipped(const uint32_t *skip, size_t n_skip, uint32_t s, uint32_t e)
{
    uint64_t covered = 0;
    uint32_t reach = s;
    for (size_t k = 0; k < n_skip; k++) {
        uint32_t a = skip[2 * k] > reach ? skip[2 * k] : reach, b = skip[2 * k + 1] < e ? skip[2 * k + 1] : e;
        if (b > a) {
            covered += b - a;
            reach = b;
        }
    }
    return e > s && covered * 2 > (uint64_t)(e - s);
}

static int process_block(article *ar, block *b, const lede_lexicon_match *m, size_t n_m, int *marks)
{
    qctx *c = &ar->c;
    int n_marks = 0;
    for (int i = b->t1; i <= b->t2; i++)
        if (qc_is_quote(c, i))
            marks[n_marks++] = i;
    if (n_marks == 0 && n_m == 0) {
        ar->carry = NULL;
        return LEDE_OK;
    }
    qspan *quotes = n_marks ? qc_alloc(c, (size_t)n_marks * sizeof *quotes) : NULL;
    event *events = n_m ? qc_alloc(c, n_m * sizeof *events) : NULL;
    if ((n_marks && !quotes) || (n_m && !events))
        return LEDE_ENOMEM;
    b->quotes = quotes;
    if (n_marks) {
        pair_doubles(c, b, marks, n_marks, n_marks);
        pair_singles(c, b, marks, n_marks, n_marks);
    }
    int n = parse_events(ar, b, m, n_m, events);
    /* quotes first claim the events that attribute them: those report no clause */
    place_quotes(c, b, events, n);
    indirect(ar, b, events, n);
    attribute_quotes(ar, b, events, n);
    return c->oom ? LEDE_ENOMEM : LEDE_OK;
}

static int run_blocks(article *ar, const lede_doc *doc, const uint32_t *skip, size_t n_skip,
                      const lede_lexicon_match *m, size_t n_m)
{
    qctx *c = &ar->c;
    size_t n_blocks, n_sent;
    const lede_block *blocks = lede_doc_blocks(doc, &n_blocks);
    const lede_sentence *sent = lede_doc_sentences(doc, &n_sent);
    int *marks = malloc(((size_t)c->n + 1) * sizeof *marks);
    if (marks == NULL)
        return LEDE_ENOMEM;
    size_t mi = 0;
    block *prev = NULL, *cur = NULL;
    int rc = LEDE_OK;
    for (size_t bi = 0; bi < n_blocks && rc == LEDE_OK; bi++) {
        const lede_block *lb = &blocks[bi];
        if (lb->n_sentences == 0 || skipped(skip, n_skip, lb->start, lb->end))
            continue;
        const lede_sentence *first = &sent[lb->first_sentence], *last = first + lb->n_sentences - 1;
        if (last->first_token + last->n_tokens == 0)
            continue;
        cur = qc_alloc(c, sizeof *cur);
        if (cur == NULL) {
            rc = LEDE_ENOMEM;
            break;
        }
        memset(cur, 0, sizeof *cur);
        cur->t1 = (int)first->first_token;
        cur->t2 = (int)(last->first_token + last->n_tokens) - 1;
        cur->sent = first;
        cur->n_sent = (int)lb->n_sentences;
        cur->prev = prev;
        if (cur->t2 < cur->t1)
            continue;
        while (mi < n_m && (int)m[mi].first < cur->t1)
            mi++;
        size_t m0 = mi;
        while (mi < n_m && (int)m[mi].first <= cur->t2)
            mi++;
        rc = process_block(ar, cur, m + m0, mi - m0, marks);
        prev = cur;
    }
    free(marks);
    return rc;
}

/* ---- results ---- */

struct lede_quote_result {
    lede_quote *items;
    size_t n;
    char *strings;
};

static int cmp_record(const void *x, const void *y)
{
    const record *a = x, *b = y;
    if (a->a != b->a)
        return (a->a > b->a) - (a->a < b->a);
    return (a->z > b->z) - (a->z < b->z);
}

/* The name to report: a surname completed with a first name printed in the article. */
static const char *final_name(qctx *c, const speaker *sp)
{
    if (sp->type == LEDE_SPEAKER_PERSON && sp->key && sp->name && !strchr(sp->name, ' ')) {
        const char *full = person_of(c, sp->key);
        if (full == NULL && sp->e >= 0 && qc_is_person(c, sp->e))
            full = person_of(c, sp->key);
        if (full)
            return full;
    }
    return sp->name;
}

/* Hash of a record's text, ASCII case folded. */
static uint64_t text_hash(const qctx *c, const record *r)
{
    const char *s = c->text + c->t[r->a].start;
    size_t n = c->t[r->z].end - c->t[r->a].start;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        h = (h ^ (ch >= 'A' && ch <= 'Z' ? ch + 32u : ch)) * 1099511628211ull;
    }
    return h;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* A headline echoing a quote of the body is that quote printed again: a
 * partial quote nobody said goes when an attributed quote has its words. */
static void drop_echoes(qctx *c, record *r, size_t n)
{
    uint64_t *said = qc_alloc(c, (n + 1) * sizeof *said);
    size_t m = 0;
    if (said == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        if (r[i].sp && r[i].kind != LEDE_QUOTE_INDIRECT)
            said[m++] = text_hash(c, &r[i]);
    if (m > 1)
        qsort(said, m, sizeof *said, cmp_u64);
    for (size_t i = 0; i < n && m; i++) {
        if (r[i].sp || r[i].kind != LEDE_QUOTE_PARTIAL)
            continue;
        uint64_t h = text_hash(c, &r[i]);
        r[i].drop = bsearch(&h, said, m, sizeof *said, cmp_u64) != NULL;
    }
}

static size_t str_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

static const char *put_str(char **dst, const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = *dst;
    memcpy(d, s, n);
    *dst += n;
    return d;
}

static int build_result(lede_quote_result **out, article *ar)
{
    qctx *c = &ar->c;
    if (ar->n_out > 1)
        qsort(ar->out, ar->n_out, sizeof *ar->out, cmp_record);
    drop_echoes(c, ar->out, ar->n_out);
    size_t bytes = 0, n = 0;
    const char **names = ar->n_out ? qc_alloc(c, ar->n_out * sizeof *names) : NULL;
    if (ar->n_out && names == NULL)
        return LEDE_ENOMEM;
    for (size_t i = 0; i < ar->n_out; i++) {
        record *r = &ar->out[i];
        if (r->drop)
            continue;
        names[i] = r->sp ? final_name(c, r->sp) : NULL;
        bytes += str_size(names[i]) + str_size(r->written) + str_size(r->cue) + (r->sp ? str_size(r->sp->role) : 0);
        n++;
    }
    lede_quote_result *res = calloc(1, sizeof *res);
    if (res == NULL)
        return LEDE_ENOMEM;
    res->items = calloc(n + 1, sizeof *res->items);
    res->strings = malloc(bytes + 1);
    if (res->items == NULL || res->strings == NULL || c->oom) {
        lede_quote_result_free(res);
        return LEDE_ENOMEM;
    }
    char *dst = res->strings;
    for (size_t i = 0; i < ar->n_out; i++) {
        const record *r = &ar->out[i];
        if (r->drop)
            continue;
        lede_quote *q = &res->items[res->n++];
        q->start = c->t[r->a].start;
        q->end = c->t[r->z].end;
        q->kind = r->kind;
        q->rule = rules[r->rule].name;
        q->confidence = r->conf;
        q->written = put_str(&dst, r->written);
        q->cue = put_str(&dst, r->cue);
        if (r->sp && names[i]) {
            q->speaker = put_str(&dst, names[i]);
            q->type = r->sp->type;
            q->role = put_str(&dst, r->sp->role);
        }
    }
    *out = res;
    return LEDE_OK;
}

/* The cue matches of the doc, leftmost-longest: the lexicon is asked only
 * at the verbs of cue forms (the filter, then the word table, tell them),
 * from the function word before a verb that has one ("a déclaré"). */
static int find_cues(lede_lexicon_match **out, size_t *n_out, qctx *c, const lede_doc *doc)
{
    size_t n = 0, cap = 0;
    lede_lexicon_match *v = NULL;
    int next = 0; /* first token not yet inside a match */
    *out = NULL;
    *n_out = 0;
    for (int i = 0; i < c->n; i++) {
        size_t len;
        const char *w = qc_fold(c, i, &len);
        if (c->t[i].kind != LEDE_TOK_WORD || !qw_may_cue(c->q, w, len) || i < next || !qc_has(c, i, QW_CUE))
            continue;
        int phrase = qc_has(c, i, QW_CUE_PHRASE);
        int first = phrase && i - 1 >= next && qc_has(c, i - 1, QW_DET | QW_AUX | QW_PREP | QW_PRON) ? i - 1 : i;
        int last = phrase ? (i + CUE_MAX_TOKENS < c->n ? i + CUE_MAX_TOKENS : c->n) : i + 1;
        lede_lexicon_match *m;
        size_t nm;
        if (lede_lexicon_find(&m, &nm, c->q->cues, doc, (size_t)first, (size_t)last) != LEDE_OK) {
            free(v);
            return LEDE_ENOMEM;
        }
        if (nm > 0 && (int)m[0].first <= i) {
            if (n == cap) {
                cap = cap ? cap * 2 : 32;
                lede_lexicon_match *bigger = realloc(v, cap * sizeof *v);
                if (bigger == NULL) {
                    free(m);
                    free(v);
                    return LEDE_ENOMEM;
                }
                v = bigger;
            }
            v[n++] = m[0];
            next = (int)m[0].last + 1;
        }
        free(m);
    }
    *out = v;
    *n_out = n;
    return LEDE_OK;
}

/* ---- public API ---- */

int lede_quoter_new(lede_quoter **out, lede_tokenizer *tk, const lede_quoter_lists *lists)
{
    *out = NULL;
    lede_quoter *q = calloc(1, sizeof *q);
    if (q == NULL)
        return LEDE_ENOMEM;
    int rc = qw_load(q, lists);
    const char *cues = lists->cues ? lists->cues : "";
    if (rc == LEDE_OK)
        rc = lede_lexicon_new(&q->cues, tk, cues, strlen(cues));
    if (rc != LEDE_OK) {
        lede_quoter_free(q);
        return rc;
    }
    *out = q;
    return LEDE_OK;
}

void lede_quoter_free(lede_quoter *q)
{
    if (q == NULL)
        return;
    qw_free(q);
    lede_lexicon_free(q->cues);
    free(q);
}

size_t lede_quoter_cue_lemmas(const lede_quoter *q)
{
    return q->cue_lemmas;
}

int lede_quoter_run(lede_quote_result **out, const lede_quoter *q, const lede_doc *doc, const uint32_t *skip,
                    size_t n_skip)
{
    *out = NULL;
    article ar;
    memset(&ar, 0, sizeof ar);
    qctx *c = &ar.c;
    size_t n_tok;
    c->q = q;
    c->text = lede_doc_text(doc, &c->len);
    c->t = lede_doc_tokens(doc, &n_tok);
    c->folds = lede_doc_folds(doc, NULL);
    c->n = (int)n_tok;
    c->bits = calloc(n_tok + 1, sizeof *c->bits);
    c->wid = calloc(n_tok + 1, 1);
    c->gender = calloc(n_tok + 1, 1);
    c->known = calloc(n_tok + 1, 1);
    lede_lexicon_match *m = NULL;
    size_t n_m = 0;
    int rc = c->bits && c->wid && c->gender && c->known ? LEDE_OK : LEDE_ENOMEM;
    if (rc == LEDE_OK && n_tok)
        rc = find_cues(&m, &n_m, c, doc);
    if (rc == LEDE_OK && n_tok)
        rc = run_blocks(&ar, doc, skip, n_skip, m, n_m);
    if (rc == LEDE_OK)
        rc = build_result(out, &ar);
    free(m);
    free(c->bits);
    free(c->wid);
    free(c->gender);
    free(c->known);
    free(c->persons);
    free(ar.hist);
    free(ar.out);
    arena_free(c);
    return rc;
}

const lede_quote *lede_quote_result_items(const lede_quote_result *r, size_t *n)
{
    *n = r->n;
    return r->items;
}

void lede_quote_result_free(lede_quote_result *r)
{
    if (r == NULL)
        return;
    free(r->items);
    free(r->strings);
    free(r);
}

const char *lede_quote_kind_name(int kind)
{
    static const char *const names[] = {"direct", "partial", "indirect"};
    return kind >= 0 && kind <= 2 ? names[kind] : "direct";
}

const char *lede_speaker_type_name(int type)
{
    static const char *const names[] = {NULL, "person", "organisation", "unnamed"};
    return type >= 0 && type <= 3 ? names[type] : NULL;
}
