/* Quote marks and sentences of a paragraph: see quotemark.h. */
#include "quotemark.h"

#include <stdlib.h>
#include <string.h>

/* ---- sentences of a block ---- */

/* Bounds of the sentence of token i in block b. */
void qm_sentence_of(const block *b, int i, int *lo, int *hi)
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

int qm_sentence_start(const block *b, int i)
{
    int lo, hi;
    qm_sentence_of(b, i, &lo, &hi);
    return lo;
}

/* The quote whose marks enclose token i (the block's quotes are disjoint and
 * in text order). */
qspan *qm_quote_at(const block *b, int i)
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
int qm_sentence_end(const block *b, int i)
{
    int lo, z;
    qm_sentence_of(b, i, &lo, &z);
    for (int round = 0; round < 4; round++) {
        qspan *q = qm_quote_at(b, z);
        if (!(q && q->c > z))
            break;
        qm_sentence_of(b, q->c, &lo, &z);
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
    while (c2 >= c1 && qc_is_trail(c, c2))
        c2--;
    while (c1 <= c2 && qc_is_trail(c, c1))
        c1++;
    if (c1 > c2 || qc_words_in(c, c1, c2) == 0 || b->n_quotes >= cap)
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
        if (qc_is_final(c, k))
            return k;
    return -1;
}

/* Pairs the double marks of block b: a quote left open runs to the block end. */
void qm_pair_doubles(qctx *c, block *b, const int *marks, int n, int cap)
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
            else if (b->n_quotes == 0 && qc_words_in(c, b->t1, i - 1) >= 2)
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
void qm_pair_singles(qctx *c, block *b, const int *marks, int n, int cap)
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
