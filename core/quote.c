/* The quote extractor: see quote.h and docs/quotes.md.
 *
 * Per paragraph (block): quote marks are paired (doubles first, singles
 * outside them); cue verbs found by the cue lexicon become events with a
 * speaker phrase (before the verb, after it, or elided) and, for speech
 * verbs, a reported clause; quotes take the event right before or after
 * their marks, else the clause or cue of their sentence, else the
 * paragraph's or the run's speaker.  Pronouns and descriptions resolve to
 * the most recent compatible speaker; surnames to full names printed in the
 * article.
 *
 * This file holds the public API and walks the article's paragraphs; the
 * steps live in (all internal, sharing quoteart.h):
 *   quotectx    the article's tokens, word classes and memory
 *   quoteword   the word lists of the quoter
 *   quotemark   quote marks and sentences of a paragraph
 *   quotecue    cue events and their speaker phrases
 *   quotenp     speaker phrases and their descriptions
 *   quoteref    speakers met, pronouns and descriptions resolved
 *   quotename   names printed in the article
 *   quoteclause reported clauses (indirect quotes)
 *   quoteattr   kinds and speakers of the quotes
 *   quoteout    records and the result
 * (quotespk: speakers across the database, for the corpus pass.) */
#include "quote.h"

#include "grow.h"
#include "quoteart.h"
#include "quoteattr.h"
#include "quoteclause.h"
#include "quotecue.h"
#include "quotemark.h"
#include "quoteout.h"

#include <stdlib.h>
#include <string.h>

/* Longest cue form, in tokens ("go on to say"). */
#define CUE_MAX_TOKENS 6

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
        qm_pair_doubles(c, b, marks, n_marks, n_marks);
        qm_pair_singles(c, b, marks, n_marks, n_marks);
    }
    int n = qe_parse_events(ar, b, m, n_m, events);
    /* quotes first claim the events that attribute them: those report no clause */
    qa_place_quotes(c, b, events, n);
    qcl_indirect(ar, b, events, n);
    qa_attribute_quotes(ar, b, events, n);
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
            if (lede_grow((void **)&v, &cap, n + 1, sizeof *v) != LEDE_OK) {
                free(m);
                free(v);
                return LEDE_ENOMEM;
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
        rc = qo_build_result(out, &ar);
    free(m);
    free(c->bits);
    free(c->wid);
    free(c->gender);
    free(c->known);
    free(c->persons);
    free(ar.hist);
    free(ar.out);
    qc_arena_free(c);
    return rc;
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
