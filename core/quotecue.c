/* Cue events of a paragraph: see quotecue.h. */
#include "quotecue.h"

#include "quotemark.h"
#include "quoteref.h"

#include <string.h>

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
int qe_skip_fwd(qctx *c, int k, int hi)
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

/* Comma-separated pieces of a speaker phrase looked at, at most. */
#define MAX_PIECES 4

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
        while (p >= lo && !qc_is(c, p, W_COMMA) && !qc_is_strong(c, p) && !qc_is_quote(c, p) &&
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
        while (p <= hi && !qc_is(c, p, W_COMMA) && !qc_is_strong(c, p) && !qc_is_quote(c, p) && !qc_is_final(c, p) &&
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
    ev->sp = qr_sentence_subject(ar, ev->lo, ev->i, 0);
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
        if (speaker_after(c, ev, 0) && (ev->a2 >= ev->hi || qc_is_final(c, ev->a2 + 1))) {
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
        ev->sp = qr_sentence_subject(ar, lo, ev->i, 0);
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

/* ---- events of a block ---- */

/* Index of the first event at or after token pos (events are in text order). */
int qe_first_event(const event *events, int n, int pos)
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

/* The cue matches of the block outside quotes, as events with speakers. */
int qe_parse_events(article *ar, const block *b, const lede_lexicon_match *m, size_t n_m, event *events)
{
    qctx *c = &ar->c;
    int n = 0;
    const event *prev = NULL;
    for (size_t k = 0; k < n_m; k++) {
        int i = (int)m[k].first, j = (int)m[k].last;
        qspan *q = qm_quote_at(b, i);
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
        qm_sentence_of(b, i, &lo, &hi);
        if (!verb_use(c, i, j, lemma_form, lo))
            continue;
        event *ev = &events[n++];
        memset(ev, 0, sizeof *ev);
        ev->i = i;
        ev->j = j;
        ev->class = bar[1];
        ev->lo = lo;
        ev->hi = qm_sentence_end(b, i);
        ev->a2 = ev->pre_comma = ev->obj = ev->cstart = ev->cl_a = ev->cl_z = -1;
        event_speaker(ar, ev, prev);
        if (ev->written == NULL && ev->sp)
            ev->written = ev->sp->written ? ev->sp->written : ev->sp->name;
        ev->sp = qr_resolve(ar, ev->sp, i, lo, &ev->resolved);
        if (ev->sp)
            qr_remember(ar, ev->sp, i);
        prev = ev;
    }
    return n;
}
