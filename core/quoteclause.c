/* Reported clauses of a paragraph: see quoteclause.h. */
#include "quoteclause.h"

#include "quotecue.h"
#include "quotemark.h"
#include "quoteout.h"

/* ---- the clause of a cue ---- */

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

/* Does [a, z] look like a clause: a finite verb among its first `limit`
 * words (0: all), past any relative clause? */
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
    int a = qe_skip_fwd(c, k, hi);
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
    for (int e = qe_first_event(events, n_ev, a + 1); e < n_ev && events[e].i <= z; e++) {
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
        if ((w == W_SEMI || w == W_COMMA) && qm_quote_at(b, k))
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
    while (z > a && (qc_is_final(c, z) || qc_is_trail(c, z)))
        z--;
    return z;
}

/* ---- indirect quotes of a block ---- */

static int other_event_in(const event *events, int n, const event *ev, int a, int z)
{
    for (int k = qe_first_event(events, n, a); k < n && events[k].i <= z; k++)
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
    int after_ok = after <= hi && qc_is(c, after, W_COMMA) && qc_words_in(c, after + 1, hi) >= 3 &&
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
    if (a >= 0 && z >= a && qc_words_in(c, a, z) >= 3 && !qc_is_quote(c, z)) {
        ev->cl_a = a;
        ev->cl_z = z;
        qo_record_event(ar, ev, a, z, R_INDIRECT_ACCORDING_TO);
    }
}

/* "CLAUSE, X said." and "During the talks, X said, CLAUSE." */
static void preposed(article *ar, const block *b, event *ev, event *events, int n)
{
    qctx *c = &ar->c;
    int a = ev->lo, z = ev->a1 - 2;
    while (z > a && qc_is_trail(c, z))
        z--;
    if (!other_event_in(events, n, ev, a, z) && qc_words_in(c, a, z) >= 3 && clause_like(c, a, z, 0)) {
        ev->cl_a = a;
        ev->cl_z = z;
        qo_record_event(ar, ev, a, z, R_INDIRECT_PREPOSED);
        return;
    }
    int k = (ev->obj >= 0 ? ev->obj : ev->j) + 1;
    if (qc_is(c, k, W_COMMA) && k < ev->hi) {
        int z2 = clause_end(c, b, ev, k + 1, events, n);
        if (qc_words_in(c, k + 1, z2) >= 3 && clause_like(c, k + 1, z2, 12)) {
            ev->cl_a = k + 1;
            ev->cl_z = z2;
            qo_record_event(ar, ev, k + 1, z2, R_INDIRECT_PARENTHETICAL);
        }
    }
}

/* The reported clause after the cue: "X said (that) CLAUSE". */
static void following(article *ar, const block *b, event *ev, event *events, int n)
{
    qctx *c = &ar->c;
    int a = ev->cstart, z = clause_end(c, b, ev, a, events, n);
    qspan *q = qm_quote_at(b, a);
    int whole_quote = q && q->o == a && q->c >= 0 && q->c >= z - 1;
    if (whole_quote) { /* warned that « the window is closing »: a partial only */
        ev->cl_a = a;
        ev->cl_z = z;
        return;
    }
    if (z >= a && qc_words_in(c, a, z) >= 3 && (ev->how != HOW_BARE || clause_like(c, a, z, 12))) {
        ev->cl_a = a;
        ev->cl_z = z;
        qo_record_event(ar, ev, a, z,
                        ev->how == HOW_THAT     ? R_INDIRECT_THAT
                        : ev->how == HOW_APPEAL ? R_INDIRECT_APPEAL
                                                : R_INDIRECT_BARE);
    }
}

/* Indirect quotes of the block's events. */
void qcl_indirect(article *ar, const block *b, event *events, int n)
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
                 !qm_quote_at(b, ev->a1 - 2))
            preposed(ar, b, ev, events, n);
    }
    c->present = 0;
}
