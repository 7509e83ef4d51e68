/* A sentence's tokens for the casualties extractor: lede.num.tokens
 * (l_tokens in luanum.c) and the clauses the plugin's Lua tokens.lua
 * marked, in the article's arena.  See casart.h. */
#include "casart.h"

#include <stdlib.h>
#include <string.h>

/* Words longer than this keep their raw text, as in l_tokens. */
#define FOLD_CAP 256

/* Quantities that can count people: not percentages, money, ordinals,
 * times, codes, dates, decimals, or "five-year-old" compounds (countable()
 * of luanum.c). */
static int countable(const lede_quantity *q)
{
    unsigned reject = LEDE_NUM_PERCENT | LEDE_NUM_CURRENCY | LEDE_NUM_ORDINAL | LEDE_NUM_TIME | LEDE_NUM_ATTACHED |
                      LEDE_NUM_SLASHED | LEDE_NUM_DECIMAL | LEDE_NUM_HUGE;
    if (q->flags & reject)
        return 0;
    return !(q->flags & LEDE_NUM_COMPOUND) || (q->flags & LEDE_NUM_RANGE);
}

int cas_is(const cas_toks *t, int i, const char *s)
{
    const char *w = cas_w(t, i);
    return w && s && strcmp(w, s) == 0;
}

/* ---- clauses ---- */

/* What a word breaks a clause as: punctuation, a word opening a
 * subordinate clause, or "by" and "as", which break only before a gerund
 * and an article. */
enum { BREAK_NONE, BREAK_BY, BREAK_AS };

static int break_of(const char *w)
{
    static const struct {
        const char *w;
        int as;
    } breaks[] = {
        {",", CAS_PUNCT},      {";", CAS_PUNCT},          {":", CAS_PUNCT},       {"(", CAS_PUNCT},
        {")", CAS_PUNCT},      {"\342\200\224", CAS_PUNCT}, {"\342\200\223", CAS_PUNCT}, {"-", CAS_PUNCT},
        {"[", CAS_PUNCT},      {"]", CAS_PUNCT},          {"|", CAS_PUNCT},       {"after", CAS_WORD},
        {"when", CAS_WORD},    {"while", CAS_WORD},       {"because", CAS_WORD},  {"before", CAS_WORD},
        {"although", CAS_WORD}, {"though", CAS_WORD},     {"whereas", CAS_WORD},  {"until", CAS_WORD},
        {"by", BREAK_BY},      {"as", BREAK_AS},
    };
    for (size_t i = 0; i < sizeof breaks / sizeof *breaks; i++)
        if (breaks[i].w[0] == w[0] && strcmp(breaks[i].w, w) == 0)
            return breaks[i].as;
    return BREAK_NONE;
}

static int ends_with_ing(const char *w)
{
    size_t n = strlen(w);
    return n >= 3 && strcmp(w + n - 3, "ing") == 0;
}

static int is_article(const char *w)
{
    return w && (strcmp(w, "the") == 0 || strcmp(w, "a") == 0 || strcmp(w, "an") == 0);
}

/* Clause numbers from 1: a new clause at each break.  A break is known by
 * the kind of token it breaks as, so "," breaks as punctuation and "after"
 * as a word (never a quantity or digits). */
static void segments(cas_toks *t)
{
    int cur = 1;
    for (int i = 1; i <= t->n; i++) {
        int b = break_of(t->w[i]);
        if (b != BREAK_NONE &&
            (b == t->k[i] || (b == BREAK_BY && cas_k(t, i + 1) == CAS_WORD && ends_with_ing(t->w[i + 1])) ||
             (b == BREAK_AS && t->k[i] == CAS_WORD && is_article(cas_w(t, i + 1)))))
            cur++;
        t->seg[i] = cur;
    }
}

/* ---- tokens ---- */

static int new_columns(cas_toks *t, cas_art *a, int n, int nq)
{
    size_t slots = (size_t)n + 1; /* 1-based */
    t->w = cas_alloc(a, slots * sizeof *t->w);
    t->k = cas_alloc(a, slots * sizeof *t->k);
    t->s = cas_alloc(a, slots * sizeof *t->s);
    t->e = cas_alloc(a, slots * sizeof *t->e);
    t->q = cas_alloc(a, slots * sizeof *t->q);
    t->seg = cas_alloc(a, slots * sizeof *t->seg);
    t->qi = cas_alloc(a, ((size_t)nq + 1) * sizeof *t->qi);
    return t->w && t->k && t->s && t->e && t->q && t->seg && t->qi ? LEDE_OK : LEDE_ENOMEM;
}

/* The quantity in the arena, its offsets made offsets of the article. */
static const lede_quantity *article_quantity(cas_art *a, const lede_quantity *q, uint32_t from)
{
    lede_quantity *c = cas_alloc(a, sizeof *c);
    if (c) {
        *c = *q;
        c->start += from;
        c->end += from;
        c->num_start += from;
        c->num_end += from;
    }
    return c;
}

/* The words of tokens tk[0, n) of s, NUL-terminated, in one block of the
 * arena: a word folded (raw when too long to fold), "#" for a quantity,
 * anything else as written. */
static int fill_words(cas_toks *t, cas_art *a, const char *s, const lede_num_token *tk, size_t n)
{
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += tk[i].kind == LEDE_NUM_TOK_QUANTITY ? 0 : tk[i].end - tk[i].start + 1;
    char *p = cas_alloc(a, bytes);
    if (p == NULL)
        return LEDE_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t len = tk[i].end - tk[i].start;
        if (tk[i].kind == LEDE_NUM_TOK_QUANTITY) {
            t->w[i + 1] = "#";
            continue;
        }
        if (tk[i].kind != LEDE_NUM_TOK_WORD || len >= FOLD_CAP || !lede_num_fold(p, len + 1, s, tk[i].start, tk[i].end))
            memcpy(p, s + tk[i].start, len);
        p[len] = '\0';
        t->w[i + 1] = p;
        p += len + 1;
    }
    return LEDE_OK;
}

/* The columns of tokens tk[0, n) of the text at byte `from` of the article,
 * with quantities qs. */
static int fill(cas_toks *t, cas_art *a, uint32_t from, const lede_num_token *tk, size_t n, const lede_quantity *qs)
{
    static const char kinds[] = {CAS_WORD, CAS_QUANTITY, CAS_PUNCT, CAS_DIGITS}; /* by LEDE_NUM_TOK_* */
    if (fill_words(t, a, a->text + from, tk, n) != LEDE_OK)
        return LEDE_ENOMEM;
    int nq = 0;
    for (size_t i = 0; i < n; i++) {
        int idx = (int)i + 1;
        t->k[idx] = kinds[tk[i].kind & 3];
        t->s[idx] = from + tk[i].start + 1;
        t->e[idx] = from + tk[i].end;
        if (tk[i].kind == LEDE_NUM_TOK_QUANTITY && countable(&qs[tk[i].quantity])) {
            if ((t->q[idx] = article_quantity(a, &qs[tk[i].quantity], from)) == NULL)
                return LEDE_ENOMEM;
            t->qi[++nq] = idx;
        }
    }
    return LEDE_OK;
}

/* Bytes [from, to) of the article for span s, clamped as lede.num.tokens
 * clamps its range. */
static void byte_range(const cas_art *a, cas_span s, size_t *from, size_t *to)
{
    size_t i = s.start < 1 ? 1 : s.start, j = s.stop > a->len ? a->len : s.stop;
    *from = i - 1;
    *to = j >= i ? j : *from;
}

static int read_tokens(cas_toks **out, cas_art *a, size_t from, size_t to, const lede_quantity *qs, size_t nq,
                       int n_countable)
{
    lede_num_token *tk = NULL;
    size_t nt;
    if (lede_num_tokens(&tk, &nt, a->text + from, to - from, qs, nq) != LEDE_OK)
        return LEDE_ENOMEM;
    cas_toks *t = cas_alloc(a, sizeof *t);
    int rc = t ? new_columns(t, a, (int)nt, n_countable) : LEDE_ENOMEM;
    if (rc == LEDE_OK) {
        t->n = (int)nt;
        t->nq = n_countable;
        t->text = a->text;
        rc = fill(t, a, (uint32_t)from, tk, nt, qs);
    }
    free(tk);
    if (rc != LEDE_OK)
        return rc;
    segments(t);
    *out = t;
    return LEDE_OK;
}

int cas_toks_read(cas_toks **out, cas_art *a, cas_span s, const lede_num_scanner *numbers)
{
    *out = NULL;
    size_t from, to, nq;
    byte_range(a, s, &from, &to);
    lede_quantity *qs = NULL;
    if (lede_num_scanner_scan(&qs, &nq, numbers, a->text + from, to - from) != LEDE_OK)
        return LEDE_ENOMEM;
    int n_countable = 0;
    for (size_t i = 0; i < nq; i++)
        n_countable += countable(&qs[i]);
    int rc = n_countable ? read_tokens(out, a, from, to, qs, nq, n_countable) : LEDE_OK;
    free(qs);
    return rc;
}
