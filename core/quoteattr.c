/* Quotes of a paragraph and their speakers: see quoteattr.h. */
#include "quoteattr.h"

#include "quotecue.h"
#include "quotemark.h"
#include "quoteout.h"
#include "quoteref.h"

/* The event attributing q from right after its closing mark. */
static event *event_after(const qspan *q, event *events, int n, int limit)
{
    if (q->c < 0)
        return NULL;
    for (int k = qe_first_event(events, n, q->c + 1); k < n && events[k].i <= limit; k++) {
        event *ev = &events[k];
        if ((ev->a1 <= q->c + 3 && ev->sp) || (ev->mode == M_FWD && ev->i <= q->c + 2))
            return ev;
    }
    return NULL;
}

static event *event_before(const qspan *q, event *events, int n, int from)
{
    event *best = NULL;
    for (int k = qe_first_event(events, n, from); k < n && events[k].i < (q->o >= 0 ? q->o : q->c1); k++)
        best = &events[k];
    return best;
}

/* Kinds of the block's quotes, and the events that attribute them from
 * right before or after their marks (those events report no clause). */
void qa_place_quotes(qctx *c, const block *b, event *events, int n)
{
    for (int qi = 0; qi < b->n_quotes; qi++) {
        qspan *q = &b->quotes[qi];
        const qspan *prevq = qi > 0 ? &b->quotes[qi - 1] : NULL, *nextq = qi + 1 < b->n_quotes ? q + 1 : NULL;
        int lo = qm_sentence_start(b, q->o >= 0 ? q->o : q->c1), from = lo;
        if (prevq && prevq->c >= lo)
            from = prevq->c + 1;
        int hi = q->c >= 0 ? qm_sentence_end(b, q->c) : b->t2;
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
        int ends = q->c < 0 || q->c >= hi || qc_is_final(c, q->c2) ||
                   (q->c + 1 <= b->t2 && qc_is_final(c, q->c + 1)) || after_ev ||
                   (nextq && nextq->o >= 0 && nextq->o <= q->c + 2);
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
    int first = qe_first_event(events, n, q->lo); /* the events of its sentence */
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
        q->written = said->written, q->cue = qo_cue_text(&ar->c, said), q->ev = said;
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

void qa_attribute_quotes(article *ar, const block *b, event *events, int n)
{
    for (int qi = 0; qi < b->n_quotes; qi++) {
        qspan *q = &b->quotes[qi];
        if (q->kind == LEDE_QUOTE_PARTIAL)
            attribute_partial(q, events, n);
        if (q->ev) {
            q->sp = q->ev->sp, q->resolved = q->ev->resolved;
            q->written = q->ev->written, q->cue = qo_cue_text(&ar->c, q->ev);
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
        qo_record_quote(ar, q->kind, q->c1, q->c2, q->sp, q->resolved, q->rule, q->written, q->cue);
        if (q->kind == LEDE_QUOTE_DIRECT && q->sp) {
            ar->last_direct = q->sp;
            if (q->ev && !q->shared)
                qr_remember(ar, q->sp, q->c1);
        }
    }
    const qspan *last = b->n_quotes ? &b->quotes[b->n_quotes - 1] : NULL;
    ar->carry = last && last->how == H_UNCLOSED ? last->sp : NULL;
    ar->carry_block = b;
}
